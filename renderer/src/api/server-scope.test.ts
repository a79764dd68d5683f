import { describe, expect, it } from 'vitest';
import { HostAuthError, HostError, ServerAuthError, ServerUnreachableError, parseError } from './http';
import { fileUrlOfStoredPath } from './install-api';
import { rememberServerTimeouts, requestTimeoutFor, serverFromHash, serverPath } from './server-scope';

describe('serverPath', () => {
  it('leaves every path of this computer as it is', () => {
    for (const path of ['/plugins/sources', '/manager/plugins', '/manager/events', '/config/uploads']) {
      expect(serverPath('local', path)).toBe(path);
    }
  });

  it("sends a remote server's eKuiper routes and this app's own routes through the forward route", () => {
    expect(serverPath('edge-1', '/plugins/sources/random2')).toBe(
      '/manager/servers/edge-1/api/plugins/sources/random2',
    );
    expect(serverPath('edge-1', '/plugins/portables/mirror?stop=1')).toBe(
      '/manager/servers/edge-1/api/plugins/portables/mirror?stop=1',
    );
    expect(serverPath('edge-1', '/manager/settings')).toBe('/manager/servers/edge-1/api/manager/settings');
    expect(serverPath('edge-1', '/manager/portables/x/log?follow=1&lines=200')).toBe(
      '/manager/servers/edge-1/api/manager/portables/x/log?follow=1&lines=200',
    );
  });

  it("asks for a remote server's lists at its own plugins route", () => {
    expect(serverPath('edge-1', '/manager/plugins')).toBe('/manager/servers/edge-1/plugins');
    expect(serverPath('edge 1/x', '/manager/plugins')).toBe('/manager/servers/edge%201%2Fx/plugins');
  });
});

describe('serverFromHash', () => {
  it('reads the server parameter of an address', () => {
    expect(serverFromHash('#/extensions?server=edge-1')).toBe('edge-1');
    expect(serverFromHash('#/servers?x=1&server=lab')).toBe('lab');
    expect(serverFromHash('#/settings')).toBeUndefined();
    expect(serverFromHash('#/?server=')).toBeUndefined();
  });
});

describe('fileUrlOfStoredPath', () => {
  it('installs from the path the server stored the upload under, Windows paths included', () => {
    expect(fileUrlOfStoredPath('/kuiper/data/uploads/x.zip')).toBe('file:///kuiper/data/uploads/x.zip');
    expect(fileUrlOfStoredPath('C:\\kuiper\\data\\uploads\\x.zip')).toBe(
      'file:///C:/kuiper/data/uploads/x.zip',
    );
  });
});

describe('parseError', () => {
  it("tells the host refusing the window's token from a remote server refusing the host's credentials", () => {
    expect(parseError(401, 'missing_token')).toBeInstanceOf(HostAuthError);
    const remote = parseError(401, 'validate token error: token is expired', 'edge-1');
    expect(remote).toBeInstanceOf(ServerAuthError);
    expect(remote).not.toBeInstanceOf(HostAuthError);
    expect(remote.message).toBe('validate token error: token is expired');
    expect(remote.server).toBe('edge-1');
    expect(parseError(401, '{}', 'nx').message).toBe('HTTP 401 Unauthorized');
  });

  it('counts 502 and 504 from the forward route as the remote server being unreachable', () => {
    const down = parseError(
      502,
      '{"error":1000,"message":"cannot reach edge-1: connection refused"}\n',
      'edge-1',
    );
    expect(down).toBeInstanceOf(ServerUnreachableError);
    expect(down.message).toBe('cannot reach edge-1: connection refused');
    expect((down as ServerUnreachableError).timedOut).toBe(false);
    expect((parseError(504, 'no answer', 'edge-1') as ServerUnreachableError).timedOut).toBe(true);
    // This computer's own 502 stays a plain host error.
    expect(parseError(502, 'bad gateway')).not.toBeInstanceOf(ServerUnreachableError);
    expect(parseError(404, '{"error":1002,"message":"not found"}', 'edge-1')).toBeInstanceOf(HostError);
  });
});

describe('requestTimeoutFor', () => {
  it('waits for a remote server a little longer than the host does, and for this computer as asked', () => {
    rememberServerTimeouts([
      { id: 'local', timeoutMs: 10_000 },
      { id: 'slow', timeoutMs: 30_000 },
      { id: 'quick', timeoutMs: 2_000 },
    ]);
    expect(requestTimeoutFor('local', 10_000)).toBe(10_000);
    // The host answers with a 504 naming the server after 30 s: the window is still listening then.
    expect(requestTimeoutFor('slow', 10_000)).toBe(35_000);
    // Never shorter than what the caller would wait anyway.
    expect(requestTimeoutFor('quick', 10_000)).toBe(10_000);
    // Before the list names a server, as long as any server may take.
    expect(requestTimeoutFor('unknown', 10_000)).toBe(10 * 60_000 + 5_000);
    rememberServerTimeouts([]);
  });
});
