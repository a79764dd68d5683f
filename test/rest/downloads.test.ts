import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { acquireTestLock, LOCK_WAIT_MS } from '../support/test-lock.js';
import { FIXTURES, TEST_ZIPS, startTestHost, type TestHost } from '../support/host-harness.js';
import type { PluginDetails } from '../../shared/plugin-dto.js';
import {
  expectError,
  expectErrorStarting,
  expectJson,
  expectText,
  failsWithoutChange,
} from './rest-helpers.js';

// Reference §3.2: http(s) downloads, from a server on loopback (allowPrivateNetwork is on by default here).

const RANDOM3 = readFileSync(join(TEST_ZIPS, 'sources/random3.zip'));
const MIRROR = readFileSync(join(FIXTURES, 'portable/mirror.zip'));
const MIB = 1024 * 1024;

let server: Server;
let base: string;
const requests: string[] = [];
/** Responses held open by the slow routes, ended after each test. */
const stalled: ServerResponse[] = [];

function handle(request: IncomingMessage, response: ServerResponse): void {
  const url = new URL(request.url ?? '/', 'http://x');
  requests.push(`${url.pathname}${url.search}`);
  const send = (body: Buffer): void => {
    response.writeHead(200, { 'content-length': body.length }).end(body);
  };
  switch (url.pathname) {
    case '/random3.zip':
    case '/dl':
    case '/r4.zip':
      return send(RANDOM3);
    case '/mirror.zip':
      return send(MIRROR);
    case '/r1.zip':
      return void response.writeHead(302, { location: '/r2.zip' }).end();
    case '/r2.zip':
      return void response.writeHead(301, { location: `${base}/r3.zip` }).end();
    case '/r3.zip':
      return void response.writeHead(307, { location: 'r4.zip' }).end();
    case '/loop.zip': {
      const n = Number(url.searchParams.get('n') ?? '0');
      return void response.writeHead(302, { location: `/loop.zip?n=${n + 1}` }).end();
    }
    case '/to-file.zip':
      return void response.writeHead(302, { location: 'file:///etc/passwd' }).end();
    case '/error.zip':
      return void response.writeHead(500).end('boom');
    case '/forbidden.zip':
      return void response.writeHead(403).end('no');
    case '/teapot.zip':
      return void response.writeHead(418).end('tea');
    case '/stall-headers.zip':
      stalled.push(response);
      return;
    case '/stall-body.zip':
      response.writeHead(200, { 'content-length': RANDOM3.length });
      response.write(RANDOM3.subarray(0, 50));
      stalled.push(response);
      return;
    case '/big-declared.zip':
      response.writeHead(200, { 'content-length': 2 * MIB });
      response.write(Buffer.alloc(64 * 1024));
      stalled.push(response);
      return;
    case '/big-chunked.zip': {
      response.writeHead(200, { 'content-type': 'application/zip' });
      const chunk = Buffer.alloc(64 * 1024, 1);
      let sent = 0;
      const pump = (): void => {
        while (sent < 3 * MIB && !response.destroyed) {
          sent += chunk.length;
          if (!response.write(chunk)) return void response.once('drain', pump);
        }
        response.end();
      };
      pump();
      return;
    }
    default:
      return void response.writeHead(404).end('404 page not found\n');
  }
}

let t: TestHost;
beforeAll(async () => {
  server = createServer(handle);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  t = await startTestHost();
});
afterAll(async () => {
  await t.close();
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});
afterEach(() => {
  for (const response of stalled.splice(0)) response.destroy();
  requests.length = 0;
  Object.assign(t.settings, { downloadTimeoutMs: 5 * 60_000, maxDownloadBytes: 1024 * MIB });
});

describe('downloads that work', () => {
  test('200: installed, and the record keeps the URL, size and sha256 of what was downloaded', async () => {
    const url = `${base}/random3.zip`;
    expectText(
      await t.request('POST', '/plugins/sources', { name: 'random3', file: url }),
      201,
      'sources plugin random3 is created',
    );
    expectJson(await t.request('GET', '/plugins/sources/random3'), '{"name":"random3","version":"1.0.0"}');
    const { record } = (await t.request('GET', '/manager/plugins/sources/random3')).json<PluginDetails>();
    expect(record).toMatchObject({
      source: url,
      zipBytes: RANDOM3.length,
      zipSha256: createHash('sha256').update(RANDOM3).digest('hex'),
    });
    expect((await t.request('DELETE', '/plugins/sources/random3')).status).toBe(200);
  });

  test(
    'a portable plugin over http',
    async () => {
      // eKuiper's mirror dials fixed socket names: files that run it take turns.
      const release = await acquireTestLock('mirror');
      try {
        expectText(
          await t.request('POST', '/plugins/portables', { name: 'mirror', file: `${base}/mirror.zip` }),
          201,
          'portable plugin mirror is created',
        );
        expect((await t.request('DELETE', '/plugins/portables/mirror')).status).toBe(200);
      } finally {
        await release();
      }
    },
    LOCK_WAIT_MS,
  );

  test('a redirect chain (302, 301 to an absolute URL, 307 to a relative one) is followed', async () => {
    expectText(
      await t.request('POST', '/plugins/sources', { name: 'random3', file: `${base}/r1.zip` }),
      201,
      'sources plugin random3 is created',
    );
    expect(requests).toEqual(['/r1.zip', '/r2.zip', '/r3.zip', '/r4.zip']);
    expect((await t.request('DELETE', '/plugins/sources/random3')).status).toBe(200);
  });

  test('a query before the .zip is a valid uri, as in eKuiper (http://h/dl?f=a.zip)', async () => {
    expectText(
      await t.request('POST', '/plugins/sources', { name: 'random3', file: `${base}/dl?f=random3.zip` }),
      201,
      'sources plugin random3 is created',
    );
    expect(requests).toEqual(['/dl?f=random3.zip']);
    expect((await t.request('DELETE', '/plugins/sources/random3')).status).toBe(200);
  });
});

describe('downloads that fail change nothing', () => {
  test("404: eKuiper's status text, then what it means", async () => {
    const url = `${base}/missing.zip`;
    for (const [path, prefix] of [
      ['/plugins/sources', 'sources plugins create command error'],
      ['/plugins/portables', 'portable plugin create command error'],
    ] as const) {
      const response = await failsWithoutChange(t, () =>
        t.request('POST', path, { name: 'missing', file: url }),
      );
      expectError(
        response,
        400,
        `${prefix}: fail to download file ${url}: cannot download the file with status: 404 Not Found: ` +
          'the server has no file at this address — check the address.',
      );
    }
  });

  test('403 and 500 are explained; a status with nothing to add keeps eKuiper’s text alone', async () => {
    const cases: Array<[string, string]> = [
      [
        'forbidden.zip',
        '403 Forbidden: the server refuses to give this file (it may need a login or block this machine) — check the address.',
      ],
      ['error.zip', '500 Internal Server Error: the server failed to answer; try again later.'],
      ['teapot.zip', "418 I'm a Teapot"],
    ];
    for (const [file, status] of cases) {
      const url = `${base}/${file}`;
      const response = await failsWithoutChange(t, () =>
        t.request('POST', '/plugins/sinks', { name: 'x', file: url }),
      );
      expectError(
        response,
        400,
        `sinks plugins create command error: fail to download file ${url}: cannot download the file with status: ${status}`,
      );
    }
  });

  test('an address on a plugin host says which setting names that host and where to change it', async () => {
    t.settings.pluginHosts = `https://packages.example.com, ${base}/`;
    try {
      const url = `${base}/kuiper-plugins/2.1.0/debian/sinks/influx_amd64.zip`;
      const response = await failsWithoutChange(t, () =>
        t.request('POST', '/plugins/sinks', { name: 'influx', file: url }),
      );
      expectError(
        response,
        400,
        `sinks plugins create command error: fail to download file ${url}: cannot download the file with status: 404 Not Found: ` +
          `the server has no file at this address — check the address. This address is on the plugin host ${base}, ` +
          'which the pluginHosts setting names: change it on the Settings page (Prebuilt plugins) if this host is ' +
          'wrong or unreachable from here',
      );
    } finally {
      t.settings.pluginHosts = 'https://packages.emqx.io';
    }
  });

  test('an endless redirect loop stops after 10 redirects', async () => {
    const url = `${base}/loop.zip`;
    const response = await failsWithoutChange(t, () =>
      t.request('POST', '/plugins/sinks', { name: 'x', file: url }),
    );
    expectErrorStarting(
      response,
      400,
      `sinks plugins create command error: fail to download file ${url}: `,
      'stopped after 10 redirects',
    );
    expect(requests.length).toBe(11);
  });

  test('a redirect to a file: URL is refused', async () => {
    const url = `${base}/to-file.zip`;
    const response = await failsWithoutChange(t, () =>
      t.request('POST', '/plugins/sinks', { name: 'x', file: url }),
    );
    expectErrorStarting(
      response,
      400,
      `sinks plugins create command error: fail to download file ${url}: `,
      'file:',
    );
  });

  test('a server that never answers: a clear timeout, nothing installed', async () => {
    t.settings.downloadTimeoutMs = 400;
    const url = `${base}/stall-headers.zip`;
    const started = Date.now();
    const response = await failsWithoutChange(t, () =>
      t.request('POST', '/plugins/sources', { name: 'random3', file: url }),
    );
    expectError(
      response,
      400,
      `sources plugins create command error: fail to download file ${url}: the download did not finish within 0.4 s: ` +
        `the server ${new URL(base).host} is slow or does not answer; try again, or raise downloadTimeoutMs on the Settings page.`,
    );
    expect(Date.now() - started).toBeLessThan(5000);
  });

  test('a server that stops in the middle of the body: the same timeout', async () => {
    t.settings.downloadTimeoutMs = 400;
    const url = `${base}/stall-body.zip`;
    const response = await failsWithoutChange(t, () =>
      t.request('POST', '/plugins/sources', { name: 'random3', file: url }),
    );
    expectErrorStarting(
      response,
      400,
      `sources plugins create command error: fail to download file ${url}: the download did not finish within 0.4 s: `,
      'raise downloadTimeoutMs on the Settings page',
    );
  });

  test('more than maxDownloadBytes, announced by Content-Length: refused before reading it', async () => {
    t.settings.maxDownloadBytes = MIB;
    const url = `${base}/big-declared.zip`;
    const response = await failsWithoutChange(t, () =>
      t.request('POST', '/plugins/sinks', { name: 'big', file: url }),
    );
    expectError(
      response,
      400,
      `sinks plugins create command error: fail to download file ${url}: the file is larger than 1 MB, the limit set by maxDownloadBytes`,
    );
  });

  test('more than maxDownloadBytes, streamed without a length: refused while streaming', async () => {
    t.settings.maxDownloadBytes = MIB;
    const url = `${base}/big-chunked.zip`;
    const response = await failsWithoutChange(t, () =>
      t.request('POST', '/plugins/sinks', { name: 'big', file: url }),
    );
    expectError(
      response,
      400,
      `sinks plugins create command error: fail to download file ${url}: the file is larger than 1 MB, the limit set by maxDownloadBytes`,
    );
  });

  test('a limit under 1 MB is named in a way a user can act on', async () => {
    t.settings.maxDownloadBytes = 100;
    const url = `${base}/random3.zip`;
    const response = await failsWithoutChange(t, () =>
      t.request('POST', '/plugins/sources', { name: 'random3', file: url }),
    );
    const message = expectErrorStarting(
      response,
      400,
      `sources plugins create command error: fail to download file ${url}: the file is larger than `,
      'maxDownloadBytes',
    );
    expect(message).not.toContain('larger than 0 MB');
    expect(message).toContain('100 bytes');
  });

  test('a connection refused', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const url = `http://127.0.0.1:${port}/x.zip`;
    const response = await failsWithoutChange(t, () =>
      t.request('POST', '/plugins/sinks', { name: 'x', file: url }),
    );
    expectError(
      response,
      400,
      `sinks plugins create command error: fail to download file ${url}: Get "${url}": the server 127.0.0.1:${port} ` +
        'refused the connection: nothing is listening there, or a firewall turned the connection away (ECONNREFUSED).',
    );
  });

  test('a name that does not resolve: offline or misspelt (DNS)', async () => {
    // `.invalid` never resolves (RFC 2606): the same answer as a machine without a network.
    const url = 'http://packages.example.invalid/kuiper-plugins/x.zip';
    const response = await failsWithoutChange(t, () =>
      t.request('POST', '/plugins/sinks', { name: 'x', file: url }),
    );
    const message = expectErrorStarting(
      response,
      400,
      `sinks plugins create command error: fail to download file ${url}: Get "${url}": the name ` +
        'packages.example.invalid cannot be resolved (DNS, ',
    );
    expect(message).toMatch(
      /\((DNS, )(ENOTFOUND|EAI_AGAIN)\): this machine may be offline, or the name is misspelt\.$/,
    );
  });

  test('TLS spoken to a server that does not: the secure connection failed, with the reason', async () => {
    const url = `${base.replace('http:', 'https:')}/random3.zip`;
    const response = await failsWithoutChange(t, () =>
      t.request('POST', '/plugins/sinks', { name: 'x', file: url }),
    );
    expectErrorStarting(
      response,
      400,
      `sinks plugins create command error: fail to download file ${url}: Get "${url}": the secure connection (TLS) to ${new URL(base).host} failed: `,
      'Check the address, or the certificate the server presents.',
    );
  });
});

describe('allowPrivateNetwork = false (eKuiper enablePrivateNet: false)', () => {
  test('loopback and unspecified addresses are refused before connecting', async () => {
    const guarded = await startTestHost({ allowPrivateNetwork: false });
    try {
      const cases: Array<[string, RegExp]> = [
        [`${base}/random3.zip`, /ip 127\.0\.0\.1 is in internal network$/],
        [
          `${base.replace('127.0.0.1', 'localhost')}/random3.zip`,
          /ip (127\.0\.0\.1|::1) is in internal network$/,
        ],
        [`${base.replace('127.0.0.1', '[::1]')}/random3.zip`, /ip ::1 is in internal network$/],
        [`${base.replace('127.0.0.1', '0.0.0.0')}/random3.zip`, /ip 0\.0\.0\.0 is in internal network$/],
        [`${base.replace('127.0.0.1', '10.1.2.3')}/random3.zip`, /ip 10\.1\.2\.3 is in internal network$/],
        [
          `${base.replace('127.0.0.1', '192.168.0.1')}/random3.zip`,
          /ip 192\.168\.0\.1 is in internal network$/,
        ],
      ];
      for (const [url, ending] of cases) {
        for (const [path, prefix] of [
          ['/plugins/sources', 'sources plugins create command error'],
          ['/plugins/portables', 'portable plugin create command error'],
        ] as const) {
          const response = await failsWithoutChange(guarded, () =>
            guarded.request('POST', path, { name: 'random3', file: url }),
          );
          const message = expectErrorStarting(response, 400, `${prefix}: fail to download file ${url}: `);
          expect(message).toMatch(ending);
        }
      }
      expect(requests).toEqual([]);
    } finally {
      await guarded.close();
    }
  });
});
