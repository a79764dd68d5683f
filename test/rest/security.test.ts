import http from 'node:http';
import { createServer, type Server } from 'node:net';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { HostStartError, startHost } from '../../main/host/host.js';
import { defaultSettings } from '../../main/settings/host-settings.js';
import { snapshotTree } from '../support/data-snapshot.js';
import { fileUrl, startTestHost, TEST_ZIPS, type TestHost } from '../support/host-harness.js';

interface RawResponse {
  status: number;
  text: string;
  headers: http.IncomingHttpHeaders;
}

/** A request with any headers, `Host` included (fetch forbids setting it, a DNS-rebinding page cannot). */
function rawRequest(
  url: string,
  options: { method?: string; path: string; headers?: Record<string, string>; body?: string },
): Promise<RawResponse> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const request = http.request(
      { host: hostname, port, method: options.method ?? 'GET', path: options.path, headers: options.headers },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () =>
          resolve({
            status: response.statusCode ?? 0,
            text: Buffer.concat(chunks).toString('utf8'),
            headers: response.headers,
          }),
        );
      },
    );
    request.on('error', reject);
    request.end(options.body);
  });
}

function errorMessage(text: string): string {
  return (JSON.parse(text) as { message: string }).message;
}

const installBody = { name: 'random3', file: fileUrl(`${TEST_ZIPS}/sources/random3.zip`) };

describe('browser origins', () => {
  let t: TestHost;
  beforeAll(async () => {
    t = await startTestHost();
  });
  afterAll(async () => t.close());
  afterEach(() => {
    t.settings.allowedOrigins = [];
  });

  test('a cross-site origin is refused with 403 and a message that says why and what to do', async () => {
    const response = await t.request('GET', '/plugins/sources', undefined, {
      Origin: 'https://evil.example',
    });
    expect(response.status).toBe(403);
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
    const message = errorMessage(response.text);
    expect(message).toContain("origin 'https://evil.example'");
    expect(message).toContain('no web page');
    expect(message).toContain('allowedOrigins');
  });

  test('Origin: null (sandboxed frames, file: pages) is refused', async () => {
    const response = await t.request('GET', '/plugins/sources', undefined, { Origin: 'null' });
    expect(response.status).toBe(403);
    expect(errorMessage(response.text)).toContain("origin 'null'");
  });

  test('an origin that only looks like the host is refused', async () => {
    const port = new URL(t.url).port;
    for (const origin of [
      `https://127.0.0.1:${port}`,
      `http://127.0.0.1:${port}.evil.example`,
      `http://127.0.0.1`,
      `http://localhost:${port}`,
    ]) {
      const response = await t.request('GET', '/plugins/sources', undefined, { Origin: origin });
      expect(response.status, origin).toBe(403);
    }
  });

  test('the host’s own origin (its page) is allowed, without CORS headers', async () => {
    const response = await t.request('GET', '/plugins/sources', undefined, { Origin: t.url });
    expect(t.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(response.status).toBe(200);
    expect(response.json()).toEqual([]);
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
  });

  test('an allowlisted origin is allowed and answered with exactly that origin, never *', async () => {
    t.settings.allowedOrigins = ['https://console.example'];
    const response = await t.request('GET', '/plugins/sources', undefined, {
      Origin: 'https://console.example',
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBe('https://console.example');
    expect(response.headers.get('vary')).toMatch(/Origin/);
    const other = await t.request('GET', '/plugins/sources', undefined, { Origin: 'https://other.example' });
    expect(other.status).toBe(403);
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  });

  test('a preflight from an allowlisted origin is answered; from any other origin it is refused', async () => {
    t.settings.allowedOrigins = ['https://console.example'];
    const preflight = (origin: string) =>
      t.request('OPTIONS', '/plugins/sources/random3', undefined, {
        Origin: origin,
        'Access-Control-Request-Method': 'DELETE',
        'Access-Control-Request-Headers': 'authorization,content-type',
      });
    const allowed = await preflight('https://console.example');
    expect(allowed.status).toBe(200);
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://console.example');
    expect(allowed.headers.get('access-control-allow-methods')).toMatch(/DELETE/);
    expect(allowed.headers.get('access-control-allow-headers')).toMatch(/Authorization/);
    expect(allowed.headers.get('access-control-allow-headers')).toMatch(/Content-Type/);

    const refused = await preflight('https://evil.example');
    expect(refused.status).toBe(403);
    expect(refused.headers.get('access-control-allow-origin')).toBeNull();
    expect(refused.headers.get('access-control-allow-methods')).toBeNull();
  });

  test('Sec-Fetch-Site: cross-site without an Origin header is refused; same-origin passes', async () => {
    const refused = await t.request('GET', '/plugins/sources', undefined, { 'Sec-Fetch-Site': 'cross-site' });
    expect(refused.status).toBe(403);
    expect(errorMessage(refused.text)).toMatch(/cross-site/);
    const allowed = await t.request('GET', '/plugins/sources', undefined, {
      'Sec-Fetch-Site': 'same-origin',
    });
    expect(allowed.status).toBe(200);
  });

  test('a refused cross-site install, update, upload or delete changes nothing', async () => {
    const before = await snapshotTree(t.dataDir);
    const evil = { Origin: 'https://evil.example' };
    // A page's "simple" request needs no preflight: text/plain body, sent straight away.
    const attempts = [
      t.request('POST', '/plugins/sources', JSON.stringify(installBody), {
        ...evil,
        'Content-Type': 'text/plain',
      }),
      t.request('POST', '/plugins/sources', installBody, { 'Sec-Fetch-Site': 'cross-site' }),
      t.request(
        'POST',
        '/plugins/portables',
        { name: 'mirror', file: fileUrl(`${TEST_ZIPS}/../../portable/mirror.zip`) },
        evil,
      ),
      t.request('PUT', '/plugins/sources/random3', installBody, evil),
      t.request(
        'POST',
        '/config/uploads',
        { name: 'x.txt', content: 'pwned' },
        { ...evil, 'Content-Type': 'application/json' },
      ),
      t.request('DELETE', '/plugins/sources/random3?stop=1', undefined, evil),
    ];
    for (const response of await Promise.all(attempts)) expect(response.status).toBe(403);
    expect(await snapshotTree(t.dataDir)).toEqual(before);
    expect((await t.request('GET', '/plugins/sources')).json()).toEqual([]);
    expect((await t.request('GET', '/plugins/portables')).json()).toEqual([]);
    expect((await t.request('GET', '/config/uploads')).json()).toEqual([]);
  });
});

describe('Host header (DNS rebinding)', () => {
  let t: TestHost;
  beforeAll(async () => {
    t = await startTestHost();
  });
  afterAll(async () => t.close());
  afterEach(() => {
    t.settings.allowedHosts = [];
  });

  test('a request whose Host is a foreign name is refused with a message naming it', async () => {
    const port = new URL(t.url).port;
    for (const host of [
      'evil.example',
      `evil.example:${port}`,
      `127.0.0.1.evil.example:${port}`,
      `localhost.evil.example:${port}`,
      `192.168.1.20:${port}`,
    ]) {
      const response = await rawRequest(t.url, { path: '/plugins/sources', headers: { Host: host } });
      expect(response.status, host).toBe(403);
      expect(errorMessage(response.text), host).toContain(`Host '${host}' is not a loopback name`);
    }
  });

  test('loopback names pass in every form', async () => {
    const port = new URL(t.url).port;
    for (const host of [
      `localhost:${port}`,
      `127.0.0.1:${port}`,
      `[::1]:${port}`,
      'localhost',
      '[::1]',
      '127.0.0.1',
    ]) {
      const response = await rawRequest(t.url, { path: '/plugins/sources', headers: { Host: host } });
      expect(response.status, host).toBe(200);
      expect(response.text, host).toBe('[]');
    }
  });

  test('a same-origin page served under localhost passes the origin check too', async () => {
    const port = new URL(t.url).port;
    const response = await rawRequest(t.url, {
      path: '/plugins/sources',
      headers: { Host: `localhost:${port}`, Origin: `http://localhost:${port}` },
    });
    expect(response.status).toBe(200);
  });

  test('allowedHosts admits a name', async () => {
    const port = new URL(t.url).port;
    const ask = () =>
      rawRequest(t.url, { path: '/plugins/sources', headers: { Host: `ekuiper.lan:${port}` } });
    expect((await ask()).status).toBe(403);
    t.settings.allowedHosts = ['ekuiper.lan'];
    expect((await ask()).status).toBe(200);
    // Only the name given: the rebinding guard still holds for every other.
    const other = await rawRequest(t.url, {
      path: '/plugins/sources',
      headers: { Host: `evil.example:${port}` },
    });
    expect(other.status).toBe(403);
  });

  test('a rebound install attempt changes nothing', async () => {
    const before = await snapshotTree(t.dataDir);
    const response = await rawRequest(t.url, {
      method: 'POST',
      path: '/plugins/sources',
      headers: { Host: 'evil.example', 'Content-Type': 'text/plain' },
      body: JSON.stringify(installBody),
    });
    expect(response.status).toBe(403);
    expect(await snapshotTree(t.dataDir)).toEqual(before);
    expect((await t.request('GET', '/plugins/sources')).json()).toEqual([]);
  });
});

describe('token', () => {
  const token = 'T0ken-for-tests.1';
  let t: TestHost;
  beforeAll(async () => {
    t = await startTestHost({ token });
  });
  afterAll(async () => t.close());
  afterEach(() => {
    t.settings.allowedOrigins = [];
  });

  test('an API call without Authorization is refused with eKuiper’s plain missing_token', async () => {
    const response = await t.request('GET', '/plugins/sources');
    expect(response.status).toBe(401);
    expect(response.text).toBe('missing_token');
    expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
  });

  test('a wrong token is refused, in either form', async () => {
    for (const authorization of [
      'wrong',
      `Bearer wrong`,
      `${token}x`,
      `Bearer ${token.slice(0, -1)}`,
      'Bearer ',
    ]) {
      const response = await t.request('GET', '/plugins/sources', undefined, {
        Authorization: authorization,
      });
      expect(response.status, authorization).toBe(401);
      expect(response.text, authorization).not.toBe('[]');
    }
  });

  test('Authorization: Bearer <token> and eKuiper’s bare Authorization: <token> both work', async () => {
    for (const authorization of [`Bearer ${token}`, token]) {
      const response = await t.request('GET', '/plugins/sources', undefined, {
        Authorization: authorization,
      });
      expect(response.status, authorization).toBe(200);
      expect(response.json()).toEqual([]);
    }
  });

  test('/ping and / answer without the token, as in eKuiper', async () => {
    expect((await t.request('GET', '/ping')).status).toBe(200);
    const info = await t.request('GET', '/');
    expect(info.status).toBe(200);
    expect(info.json<{ version: string }>().version).toBe(t.settings.ekuiperVersion);
  });

  test('a preflight needs no token (browsers never send one), the request itself does', async () => {
    t.settings.allowedOrigins = ['https://console.example'];
    const preflight = await t.request('OPTIONS', '/plugins/sources', undefined, {
      Origin: 'https://console.example',
      'Access-Control-Request-Method': 'POST',
    });
    expect(preflight.status).toBe(200);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('https://console.example');
    const without = await t.request('GET', '/plugins/sources', undefined, {
      Origin: 'https://console.example',
    });
    expect(without.status).toBe(401);
    const withToken = await t.request('GET', '/plugins/sources', undefined, {
      Origin: 'https://console.example',
      Authorization: `Bearer ${token}`,
    });
    expect(withToken.status).toBe(200);
  });

  test('an install without the token changes nothing; with it, it installs', async () => {
    const before = await snapshotTree(t.dataDir);
    for (const headers of [{}, { Authorization: 'Bearer wrong' }] as Record<string, string>[]) {
      const refused = await t.request('POST', '/plugins/sources', installBody, headers);
      expect(refused.status).toBe(401);
    }
    const refusedUpload = await t.request(
      'POST',
      '/config/uploads',
      { name: 'x.txt', content: 'x' },
      { 'Content-Type': 'application/json' },
    );
    expect(refusedUpload.status).toBe(401);
    expect(await snapshotTree(t.dataDir)).toEqual(before);
    const created = await t.request('POST', '/plugins/sources', installBody, { Authorization: token });
    expect(created.status).toBe(201);
    const listed = await t.request('GET', '/plugins/sources', undefined, {
      Authorization: `Bearer ${token}`,
    });
    expect(listed.json()).toEqual(['random3']);
    const deleted = await t.request('DELETE', '/plugins/sources/random3', undefined, {
      Authorization: token,
    });
    expect(deleted.status).toBe(200);
  });
});

describe('starting the host', () => {
  let tempDir: string;
  beforeAll(async () => {
    tempDir = await mkdtemp(join(tmpdir(), 'ekm-start-'));
  });
  afterAll(async () => rm(tempDir, { recursive: true, force: true }));

  const settingsFor = (overrides: Partial<ReturnType<typeof defaultSettings>>) => {
    const settings = { ...defaultSettings(join(tempDir, 'data')), restPort: 0, ...overrides };
    return { read: () => settings };
  };

  test('on 0.0.0.0 without a token it refuses to start, saying why and what to do', async () => {
    const error = await startHost({ settings: settingsFor({ restHost: '0.0.0.0' }) }).then(
      () => undefined,
      (thrown: unknown) => thrown,
    );
    expect(error).toBeInstanceOf(HostStartError);
    const message = (error as Error).message;
    expect(message).toContain('refusing to listen on 0.0.0.0 without a token');
    expect(message).toMatch(/--token/);
    expect(message).toMatch(/127\.0\.0\.1/);
  });

  test('on 0.0.0.0 with a token it starts, and still requires the token', async () => {
    const host = await startHost({ settings: settingsFor({ restHost: '0.0.0.0', token: 'remote-token' }) });
    try {
      expect(host.url).toMatch(/^http:\/\/0\.0\.0\.0:\d+$/);
      const url = `http://127.0.0.1:${host.port}`;
      expect((await fetch(`${url}/plugins/sources`)).status).toBe(401);
      const ok = await fetch(`${url}/plugins/sources`, { headers: { Authorization: 'remote-token' } });
      expect(ok.status).toBe(200);
    } finally {
      await host.close();
    }
  });

  test('a port already taken fails with a HostStartError naming eKuiper/NeuronEX and --port', async () => {
    const blocker: Server = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as { port: number }).port;
    try {
      const error = await startHost({ settings: settingsFor({ restPort: port }) }).then(
        () => undefined,
        (thrown: unknown) => thrown,
      );
      expect(error).toBeInstanceOf(HostStartError);
      const message = (error as Error).message;
      expect(message).toContain(`port ${port}`);
      expect(message).toContain('already in use');
      expect(message).toMatch(/eKuiper or NeuronEX/);
      expect(message).toContain('--port');
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
  });
});
