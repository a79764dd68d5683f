import { errors } from 'undici';
import { describe, expect, test } from 'vitest';
import { ServerAuthError } from '../../main/servers/auth/auth-types.js';
import { describeNetworkError } from '../../main/servers/network-errors.js';
import { slugOf, uniqueServerId } from '../../main/servers/server-ids.js';

// The wording of failures that the loopback tests cannot produce here (no route, a connect timeout, IPv4 and IPv6
// both refused); the others are produced for real in server-check.test.ts.

const nodeError = (code: string, message = code) => Object.assign(new Error(message), { code });

describe('describeNetworkError', () => {
  const at = { url: 'http://edge.example:9081/plugins/portables', timeoutMs: 5000 };

  test('a connect timeout says the server did not accept a connection within its timeout', () => {
    expect(describeNetworkError(new errors.ConnectTimeoutError(), at)).toEqual({
      problem: 'timeout',
      message:
        'edge.example:9081 did not accept a connection within 5 s: the server may be down or a firewall may drop the traffic',
    });
  });

  test('a headers timeout and an aborted signal timeout are both timeouts (504 in the forwarding route)', () => {
    expect(describeNetworkError(new errors.HeadersTimeoutError(), at).problem).toBe('timeout');
    expect(describeNetworkError(new DOMException('timed out', 'TimeoutError'), at).problem).toBe('timeout');
  });

  test('a name with two addresses both refused reads as refused', () => {
    const both = Object.assign(
      new AggregateError([nodeError('ECONNREFUSED'), nodeError('ECONNREFUSED')]),
      {},
    );
    expect(describeNetworkError(both, at).problem).toBe('refused');
  });

  test('no route, a reset connection, a name server that does not answer, and garbage instead of HTTP', () => {
    expect(describeNetworkError(nodeError('EHOSTUNREACH'), at)).toEqual({
      problem: 'network',
      message:
        'edge.example cannot be reached from this computer (no route to it): check the network between them',
    });
    expect(describeNetworkError(new errors.SocketError('other side closed'), at).message).toBe(
      'edge.example:9081 closed the connection without answering: if the server uses TLS, write its address with https://',
    );
    // A server that had answered on the connection speaks HTTP: no https:// advice when it breaks off later.
    const brokenOff = new errors.SocketError('other side closed');
    brokenOff.socket = { bytesRead: 412, bytesWritten: 9_000_000 };
    expect(describeNetworkError(brokenOff, at).message).toBe(
      'edge.example:9081 closed the connection without answering',
    );
    expect(describeNetworkError(nodeError('EAI_AGAIN'), at).problem).toBe('dns');
    expect(describeNetworkError(nodeError('HPE_INVALID_CONSTANT'), at).problem).toBe('not-ekuiper');
    // undici's parser error reaches us without its llhttp code when the answer is not HTTP at all.
    const parserError = new errors.HTTPParserError('Response does not match the HTTP/1.1 protocol');
    expect(describeNetworkError(parserError, at).problem).toBe('not-ekuiper');
  });

  test('credentials that could not be used keep their own words', () => {
    expect(describeNetworkError(new ServerAuthError('no token is stored'), at)).toEqual({
      problem: 'auth',
      message: 'no token is stored',
    });
  });

  test('the default port of the scheme is named when the address has none', () => {
    expect(describeNetworkError(nodeError('ECONNREFUSED'), { url: 'https://gw.example/x' }).message).toMatch(
      /^gw\.example:443 refused the connection/,
    );
  });
});

describe('server ids', () => {
  test('are slugs of the name', () => {
    expect(slugOf('Line 3 — Gateway #2')).toBe('line-3-gateway-2');
    expect(slugOf('Édge Böx')).toBe('edge-box');
    expect(slugOf('边缘网关')).toBe('server');
    expect(slugOf('x'.repeat(80))).toHaveLength(40);
  });

  test('are unique, never local or check', () => {
    const taken = new Set(['edge', 'edge-2']);
    expect(uniqueServerId('Edge', (id) => taken.has(id))).toBe('edge-3');
    expect(uniqueServerId('Local', () => false)).toBe('local-2');
    expect(uniqueServerId('check', () => false)).toBe('check-2');
  });
});
