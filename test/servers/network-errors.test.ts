import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer as createHttpsServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { describeNetworkError } from '../../main/servers/network-errors.js';
import { ServerClient } from '../../main/servers/server-client.js';
import { downUrl, hangingServer, type StandIn } from '../support/server-stand-ins.js';

/** The error a real request to `url` fails with, through the same client the host uses. */
async function failureOf(url: string, timeoutMs = 5000): Promise<unknown> {
  const client = new ServerClient({
    id: 'x',
    kind: 'ekuiper',
    url,
    tls: { insecureSkipVerify: false, caCert: '' },
    timeoutMs,
    authorizer: () => ({ authorization: () => Promise.resolve(undefined) }),
  });
  try {
    const answer = await client.request({ method: 'GET', path: '/ping' });
    await answer.dump();
    throw new Error(`expected a failure, got ${answer.status}`);
  } catch (error) {
    return error;
  } finally {
    await client.close();
  }
}

let folder: string;
let tls: Server;
let tlsUrl: string;
let hanging: StandIn;
beforeAll(async () => {
  folder = mkdtempSync(join(tmpdir(), 'ekm-network-errors-'));
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-days',
      '1',
      '-subj',
      '/CN=localhost',
      '-keyout',
      join(folder, 'key.pem'),
      '-out',
      join(folder, 'cert.pem'),
    ],
    { stdio: 'ignore' },
  );
  tls = createHttpsServer(
    { key: readFileSync(join(folder, 'key.pem')), cert: readFileSync(join(folder, 'cert.pem')) },
    (_request, response) => response.end('ok'),
  );
  await new Promise<void>((resolve) => tls.listen(0, '127.0.0.1', resolve));
  tlsUrl = `https://127.0.0.1:${(tls.address() as AddressInfo).port}`;
  hanging = await hangingServer();
});
afterAll(async () => {
  tls.closeAllConnections();
  await new Promise((resolve) => tls.close(resolve));
  await hanging.close();
  rmSync(folder, { recursive: true, force: true });
});

describe('describeNetworkError says what happened in words a user acts on', () => {
  test('nothing listens: refused, naming the URL and the port', async () => {
    const url = await downUrl();
    const failure = describeNetworkError(await failureOf(url), url);
    expect(failure).toMatchObject({ problem: 'refused', status: 502 });
    expect(failure.message).toBe(
      `${url}: the connection was refused — nothing listens on port ${new URL(url).port} of 127.0.0.1; is the server running, and is the port right?`,
    );
  });

  test('a name that does not resolve: DNS', async () => {
    const url = 'http://no-such-server.invalid:9081';
    const failure = describeNetworkError(await failureOf(url), url);
    expect(failure.problem).toBe('dns');
    expect(failure.message).toMatch(
      /^http:\/\/no-such-server\.invalid:9081: the name no-such-server\.invalid could not be found \(DNS/,
    );
  });

  test('no answer in time: timed out after the limit, 504', async () => {
    const failure = describeNetworkError(await failureOf(hanging.url, 1000), hanging.url, {
      timeoutMs: 1000,
    });
    expect(failure).toMatchObject({ problem: 'timeout', status: 504 });
    expect(failure.message).toBe(
      `${hanging.url}: timed out after 1 s — the server did not answer; the server may be busy, stopped, or behind a firewall`,
    );
  });

  test('a self-signed certificate: TLS, with what to do', async () => {
    const failure = describeNetworkError(await failureOf(tlsUrl), tlsUrl);
    expect(failure.problem).toBe('tls');
    expect(failure.message).toContain('the TLS connection failed (self-signed certificate)');
    expect(failure.message).toContain('add its CA certificate');
  });

  test('https:// to a server that speaks plain HTTP, and http:// to a TLS server', async () => {
    const plain = await hangingServer();
    try {
      const wrong = describeNetworkError(await failureOf(plain.url.replace('http:', 'https:')), plain.url);
      expect(wrong.problem).toBe('tls');
      expect(wrong.message).toContain('the server does not speak HTTPS on this port; try http://');
    } finally {
      await plain.close();
    }
    const closed = describeNetworkError(await failureOf(tlsUrl.replace('https:', 'http:')), tlsUrl);
    expect(closed.problem).toBe('network');
    expect(closed.message).toContain('the server closed the connection without answering');
  });
});
