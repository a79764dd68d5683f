import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { Agent, createServer, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { multipartFile } from '../../main/servers/multipart-file.js';
import { TEST_ZIPS, fileUrl, startTestHost, type TestHost } from '../support/host-harness.js';
import { downServerUrl, startSilentServer } from '../support/broken-servers.js';
import { addServer, frontProxy, rawRequest, type CountingProxy } from '../support/server-stand-ins.js';
import { startNeuronexStandIn } from '../support/neuronex-stand-in.js';
import { closeServer, listenOnLoopback, type StandIn } from '../support/stand-in-server.js';
import { errorBody } from './rest-helpers.js';

setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

let front: TestHost;
let remote: TestHost;
let proxy: CountingProxy;

const via = (path: string) => `/manager/servers/edge/api${path}`;

beforeAll(async () => {
  remote = await startTestHost();
  proxy = await frontProxy(remote.url);
  front = await startTestHost({}, { servers: { healthIntervalMs: 0 } });
  expect((await addServer(front, 'Edge', proxy.url)).id).toBe('edge');
});
afterAll(async () => {
  await front?.close();
  await proxy?.close();
  await remote?.close();
});

/** The same call directly on the remote host and through the forwarding route: status, body and type agree. */
async function expectSameThroughRoute(method: string, path: string, body?: unknown): Promise<string> {
  const through = await front.request(method, via(path), body);
  const direct = await remote.request(method, path, body);
  expect({ status: through.status, text: through.text }).toEqual({
    status: direct.status,
    text: direct.text,
  });
  expect(through.headers.get('content-type')).toBe(direct.headers.get('content-type'));
  return through.text;
}

describe('forwarding eKuiper calls', () => {
  test('list, describe, create, delete answer exactly as the server does', async () => {
    expect(await expectSameThroughRoute('GET', '/plugins/sinks')).toBe('[]');
    const created = await front.request('POST', via('/plugins/sinks'), {
      name: 'file2',
      file: fileUrl(join(TEST_ZIPS, 'sinks/file2.zip')),
    });
    expect({ status: created.status, text: created.text }).toEqual({
      status: 201,
      text: 'sinks plugin file2 is created',
    });
    expect(await expectSameThroughRoute('GET', '/plugins/sinks')).toBe('["file2"]');
    await expectSameThroughRoute('GET', '/plugins/sinks/file2');
    // A refusal passes with the server's own status and bytes.
    await expectSameThroughRoute('POST', '/plugins/sinks', {
      name: 'file2',
      file: fileUrl(join(TEST_ZIPS, 'sinks/file2.zip')),
    });
    const deleted = await front.request('DELETE', via('/plugins/sinks/file2'));
    expect(deleted.status).toBe(200);
    expect(deleted.text).toBe(
      'sinks plugin file2 is deleted and eKuiper must restart for the change to take effect.',
    );
    await expectSameThroughRoute('GET', '/plugins/sinks/file2');
    expect((await front.request('GET', via('/plugins/sinks/file2'))).status).toBe(404);
  });

  test('the query string passes; the window token, cookies, Origin and Host do not', async () => {
    const before = proxy.requests.length;
    const answer = await rawRequest(front.url, 'GET', via('/plugins/sinks?stop=1&x=%20y'), {
      authorization: 'Bearer the-window-token',
      cookie: 'session=1',
      origin: front.url,
      'accept-language': 'zh-CN',
    });
    expect(answer.status).toBe(200);
    expect(proxy.requests.slice(before)).toEqual(['GET /plugins/sinks?stop=1&x=%20y']);
    const sent = proxy.headers.at(-1)!;
    expect(sent.authorization).toBeUndefined();
    expect(sent.cookie).toBeUndefined();
    expect(sent.origin).toBeUndefined();
    expect(sent.host).toBe(new URL(proxy.url).host);
    expect(sent['accept-language']).toBe('zh-CN');
  });

  test('the root of the API and the server info', async () => {
    const info = await front.request('GET', '/manager/servers/edge/api');
    expect(info.status).toBe(200);
    expect(Object.keys(info.json<object>())).toContain('upTimeSeconds');
  });

  test('answer headers: content and cache headers pass, cookies, credentials and hop-by-hop headers do not', async () => {
    const odd = createServer((_request, response) => {
      response.writeHead(200, {
        'Content-Type': 'application/json',
        'Content-Length': '11',
        'Cache-Control': 'max-age=5',
        ETag: '"abc"',
        'Set-Cookie': 'session=secret',
        'WWW-Authenticate': 'Bearer realm="x"',
        'Access-Control-Allow-Origin': '*',
        'Keep-Alive': 'timeout=5',
        'X-Internal': 'yes',
      });
      response.end('{"ok":true}');
    });
    await new Promise<void>((resolve) => odd.listen(0, '127.0.0.1', resolve));
    await addServer(front, 'odd', `http://127.0.0.1:${(odd.address() as AddressInfo).port}`);
    try {
      const answer = await rawRequest(front.url, 'GET', '/manager/servers/odd/api/anything');
      expect(answer.status).toBe(200);
      expect(answer.text).toBe('{"ok":true}');
      expect(answer.headers['content-type']).toBe('application/json');
      expect(answer.headers['cache-control']).toBe('max-age=5');
      expect(answer.headers.etag).toBe('"abc"');
      expect(answer.headers['content-length']).toBe('11');
      for (const name of ['set-cookie', 'www-authenticate', 'access-control-allow-origin', 'x-internal']) {
        expect(answer.headers[name], name).toBeUndefined();
      }
    } finally {
      odd.closeAllConnections();
      await new Promise((resolve) => odd.close(resolve));
    }
  });
});

describe('streaming', () => {
  test(
    'a 50 MB upload streams through intact without the host holding it',
    { timeout: 120_000 },
    async () => {
      const folder = await mkdtemp(join(tmpdir(), 'ekm-forward-'));
      try {
        const zip = join(folder, 'big.zip');
        const hash = createHash('sha256');
        const out = createWriteStream(zip);
        for (let i = 0; i < 50; i++) {
          const chunk = randomBytes(1024 * 1024);
          hash.update(chunk);
          out.write(chunk);
        }
        await new Promise((resolve) => out.end(resolve));
        const body = await multipartFile(zip, 'uploadFile', 'big.zip');

        // Live memory (after a collection), sampled during the upload: garbage from chunks already sent would
        // otherwise hide what is really held.
        const live = () => {
          collectGarbage();
          const usage = process.memoryUsage();
          return usage.heapUsed + usage.external;
        };
        const baseline = live();
        let peak = baseline;
        const sampler = setInterval(() => (peak = Math.max(peak, live())), 100);
        const target = new URL(`${front.url}${via('/config/uploads')}`);
        const answer = await new Promise<{ status: number; text: string }>((resolve, reject) => {
          const req = httpRequest(
            {
              hostname: target.hostname,
              port: target.port,
              path: target.pathname,
              method: 'POST',
              headers: { 'content-type': body.contentType, 'content-length': String(body.contentLength) },
            },
            (response) => {
              let text = '';
              response.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
              response.on('end', () => resolve({ status: response.statusCode ?? 0, text }));
            },
          );
          req.on('error', reject);
          void pipeline(body.open(), req).catch(reject);
        });
        clearInterval(sampler);
        expect(answer.status).toBe(201);
        expect(answer.text).toBe(join(remote.dataDir, 'data/uploads/big.zip'));
        const saved = createHash('sha256');
        for await (const chunk of createReadStream(answer.text)) saved.update(chunk as Buffer);
        expect(saved.digest('hex')).toBe(hash.digest('hex'));
        // Client, forwarding host and receiving host all run in this process: together they hold a few chunks,
        // far below the 50 MB that buffering the body even once would add.
        expect((peak - baseline) / 1024 / 1024).toBeLessThan(16);
      } finally {
        await rm(folder, { recursive: true, force: true });
      }
    },
  );

  test('a large answer streams back byte for byte, its encoding untouched', async () => {
    const payload = randomBytes(3 * 1024 * 1024);
    const big = createServer((_request, response) => {
      response.writeHead(200, {
        'Content-Type': 'application/zip',
        'Content-Length': String(payload.length),
        'Content-Encoding': 'identity',
        'Content-Disposition': 'attachment; filename="export.zip"',
      });
      response.end(payload);
    });
    await new Promise<void>((resolve) => big.listen(0, '127.0.0.1', resolve));
    await addServer(front, 'big', `http://127.0.0.1:${(big.address() as AddressInfo).port}`);
    try {
      const answer = await fetch(`${front.url}/manager/servers/big/api/data/export`);
      expect(answer.status).toBe(200);
      expect(answer.headers.get('content-length')).toBe(String(payload.length));
      expect(answer.headers.get('content-encoding')).toBe('identity');
      expect(answer.headers.get('content-disposition')).toBe('attachment; filename="export.zip"');
      expect(Buffer.from(await answer.arrayBuffer()).equals(payload)).toBe(true);

      // A streamed answer that finished leaves the caller's connection open for its next request.
      let connections = 0;
      const count = () => connections++;
      front.host.server.server.on('connection', count);
      const agent = new Agent({ keepAlive: true, maxSockets: 1 });
      try {
        for (let i = 0; i < 2; i++) {
          const bytes = await new Promise<number>((resolve, reject) => {
            httpRequest(`${front.url}/manager/servers/big/api/data/export`, { agent }, (response) => {
              let length = 0;
              response.on('data', (chunk: Buffer) => (length += chunk.length));
              response.on('end', () => resolve(length));
            })
              .on('error', reject)
              .end();
          });
          expect(bytes).toBe(payload.length);
        }
        expect(connections).toBe(1);
      } finally {
        agent.destroy();
        front.host.server.server.off('connection', count);
      }
    } finally {
      big.closeAllConnections();
      await new Promise((resolve) => big.close(resolve));
    }
  });

  test('Server-Sent Events arrive through the route while the stream is open', async () => {
    const controller = new AbortController();
    const response = await fetch(`${front.url}${via('/manager/events')}`, { signal: controller.signal });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    const reader = response.body!.getReader() as ReadableStreamDefaultReader<Uint8Array>;
    const decoder = new TextDecoder();
    let text = '';
    const readUntil = async (needle: string) => {
      while (!text.includes(needle)) {
        const { value, done } = await reader.read();
        if (done) throw new Error(`the stream ended before ${needle}`);
        text += decoder.decode(value, { stream: true });
      }
    };
    await readUntil('install events');
    const created = await remote.request('POST', '/plugins/sinks', {
      name: 'file2',
      file: fileUrl(join(TEST_ZIPS, 'sinks/file2.zip')),
    });
    expect(created.status).toBe(201);
    await readUntil('"phase":"done"');
    expect(text).toContain('"name":"file2"');
    controller.abort();
    await remote.request('DELETE', '/plugins/sinks/file2');
  });
});

describe('refused before anything is forwarded', () => {
  test.each([
    ['..', via('/../../manager/settings')],
    ['%2e%2e', via('/plugins/%2e%2e/%2E%2E/manager/settings')],
    ['.', via('/./plugins/sinks')],
    ['%2F', via('/plugins%2Fsinks')],
    ['%252F', via('/plugins%252Fsinks')],
    ['%25252F', via('/plugins%25252Fsinks')],
    ['%5C', via('/plugins%5Csinks')],
    ['backslash', via('/plugins\\..\\sinks')],
    ['%00', via('/plugins/sinks/x%00')],
    ['// at the start', via('//plugins/sinks')],
    ['// inside', via('/plugins//sinks')],
    ['an absolute URL after //', via('//evil.example/plugins')],
    ["this host's server routes", via('/manager/servers/local/api/plugins/sinks')],
    ["this host's fleet routes", via('/manager/fleet/plugins')],
  ])('%s', async (_what, path) => {
    const before = proxy.requests.length;
    for (const target of [path, path.replace('/servers/edge/', '/servers/local/')]) {
      const answer = await rawRequest(front.url, 'GET', target);
      expect(answer.status, target).toBe(400);
      expect(answer.headers['content-type']).toBe('text/plain; charset=utf-8');
      const body = JSON.parse(answer.text) as { error: number; message: string };
      expect(body.error).toBe(1000);
      expect(body.message).toMatch(/^invalid path /);
      expect(body.message).toContain("Only eKuiper API paths under the server's API base are forwarded");
    }
    expect(proxy.requests.length).toBe(before);
  });

  test('a broken percent-encoding is refused by the router', async () => {
    const before = proxy.requests.length;
    expect((await rawRequest(front.url, 'GET', via('/plugins/sinks/%zz'))).status).toBe(400);
    expect(proxy.requests.length).toBe(before);
  });

  test('a foreign Origin is refused with 403 and never reaches the server', async () => {
    const before = proxy.requests.length;
    for (const method of ['GET', 'POST', 'DELETE']) {
      const answer = await rawRequest(front.url, method, via('/plugins/sinks'), {
        origin: 'https://evil.example',
      });
      expect(answer.status).toBe(403);
      expect(answer.text).toContain("origin 'https://evil.example' may not use the local plugin API");
    }
    const rebinding = await rawRequest(front.url, 'GET', via('/plugins/sinks'), { host: 'evil.example' });
    expect(rebinding.status).toBe(403);
    expect(proxy.requests.length).toBe(before);
  });

  test('an unknown server id is eKuiper not found', async () => {
    const answer = await front.request('GET', '/manager/servers/nope/api/plugins/sinks');
    expect(answer.status).toBe(404);
    expect(answer.text).toBe(
      errorBody(1002, "no server has the id 'nope' (GET /manager/servers lists the servers and their ids)"),
    );
  });
});

describe('servers that do not answer', () => {
  test('a server that is down answers 502, naming it, its URL and the refusal', async () => {
    const url = await downServerUrl();
    const down = await addServer(front, 'Shelf box', url);
    const answer = await front.request('GET', `/manager/servers/${down.id}/api/plugins/sinks`);
    expect(answer.status).toBe(502);
    const body = answer.json<{ error: number; message: string }>();
    expect(body.error).toBe(1000);
    expect(body.message).toContain(`server 'Shelf box' (${url}) did not answer`);
    expect(body.message).toContain('refused the connection');
  });

  test('a server that hangs answers 504 after its timeout', async () => {
    const silent = await startSilentServer();
    const hanging = await frontProxy(silent.url);
    try {
      const slow = await addServer(front, 'Slow box', hanging.url, { timeoutMs: 1000 });
      const before = hanging.requests.length;
      const answer = await front.request('GET', `/manager/servers/${slow.id}/api/plugins/sinks`);
      expect(answer.status).toBe(504);
      const body = answer.json<{ message: string }>();
      expect(body.message).toContain(`server 'Slow box' (${hanging.url}) did not answer`);
      expect(body.message).toContain('did not answer within 1 s');
      expect(hanging.requests.slice(before)).toEqual(['GET /plugins/sinks']);
    } finally {
      await hanging.close();
      await silent.close();
    }
  });
});

/**
 * A server that answers badly on purpose, by path: `/plugins/broken` sends half its body and hangs up,
 * `/plugins/big-headers` sends 70 KB of headers, `/plugins/huge-refusal` a 400 KB error without a length,
 * `/plugins/moved` redirects, and every other path answers 401
 * quoting the `Authorization` it was sent, as a careless auth proxy does.
 */
async function startHostileServer(): Promise<StandIn> {
  const server = createServer((request, response) => {
    request.resume();
    const path = request.url ?? '/';
    if (path === '/plugins/broken') {
      response.writeHead(200, { 'content-type': 'application/json', 'content-length': '1000' });
      response.write('[{"name":');
      setTimeout(() => response.socket?.destroy(), 20);
    } else if (path === '/plugins/big-headers') {
      response.writeHead(200, { 'x-padding': 'a'.repeat(70_000) });
      response.end('[]');
    } else if (path === '/plugins/huge-refusal') {
      response.writeHead(500, { 'content-type': 'text/plain' });
      response.write('x'.repeat(200_000));
      response.end('y'.repeat(200_000));
    } else if (path === '/plugins/moved') {
      response.writeHead(301, { location: 'https://edge.example:9443/plugins/moved', 'set-cookie': 'sid=1' });
      response.end();
    } else {
      response.writeHead(401, { 'content-type': 'text/plain; charset=utf-8' });
      response.end(`validate token error: token ${request.headers.authorization ?? ''} is expired`);
    }
  });
  const port = await listenOnLoopback(server);
  return { url: `http://127.0.0.1:${port}`, close: () => closeServer(server) };
}

describe('servers that answer badly', () => {
  let hostile: StandIn;
  const TOKEN = 'hostile-token-81f2';
  beforeAll(async () => {
    hostile = await startHostileServer();
    await addServer(front, 'Hostile', hostile.url, { auth: { type: 'bearer', token: TOKEN } });
  });
  afterAll(async () => {
    await hostile?.close();
  });

  test('an answer broken off mid-body is a 502 naming the server, not a reset connection', async () => {
    const answer = await front.request('GET', '/manager/servers/hostile/api/plugins/broken');
    expect(answer.status).toBe(502);
    const body = answer.json<{ error: number; message: string }>();
    expect(body.error).toBe(1000);
    expect(body.message).toContain(`server 'Hostile' (${hostile.url}) broke off its answer`);
  });

  test('oversized headers are a 502 that says so', async () => {
    const answer = await front.request('GET', '/manager/servers/hostile/api/plugins/big-headers');
    expect(answer.status).toBe(502);
    expect(answer.json<{ message: string }>().message).toContain('answered with headers larger than');
  });

  test("a redirect passes with its Location, and without the server's cookie", async () => {
    const answer = await rawRequest(front.url, 'GET', '/manager/servers/hostile/api/plugins/moved');
    expect(answer.status).toBe(301);
    expect(answer.headers.location).toBe('https://edge.example:9443/plugins/moved');
    expect(answer.headers['set-cookie']).toBeUndefined();
  });

  test('a refusal larger than what is read whole streams through intact', async () => {
    const answer = await front.request('GET', '/manager/servers/hostile/api/plugins/huge-refusal');
    expect(answer.status).toBe(500);
    expect(answer.text).toBe('x'.repeat(200_000) + 'y'.repeat(200_000));
  });

  test('a refusal that echoes the credentials answers them masked', async () => {
    const answer = await front.request('GET', '/manager/servers/hostile/api/plugins/sinks');
    expect(answer.status).toBe(401);
    expect(answer.text).toBe('validate token error: token ••• is expired');
    expect(answer.headers.get('content-length')).toBe(String(Buffer.byteLength(answer.text)));
  });
});

describe('credentials the server refuses', () => {
  test("a NeuronEX login refused is the server's 401 in its words, not a server that did not answer", async () => {
    const neuronex = await startNeuronexStandIn({ upstream: remote.url });
    try {
      await addServer(front, 'Wrong password', neuronex.url, {
        kind: 'neuronex',
        auth: { type: 'neuronex-login', username: 'admin', password: 'not-the-password' },
      });
      const answer = await front.request('GET', '/manager/servers/wrong-password/api/plugins/sinks');
      expect(answer.status).toBe(401);
      const body = answer.json<{ error: number; message: string }>();
      expect(body.error).toBe(1000);
      expect(body.message).toMatch(
        /^server 'Wrong password': NeuronEX refused the user name or password of admin/,
      );
      expect(answer.text).not.toContain('not-the-password');
    } finally {
      await neuronex.close();
    }
  });
});

describe('local', () => {
  test('the host itself through the route, without a network hop', async () => {
    const direct = await front.request('GET', '/plugins/portables');
    const through = await front.request('GET', '/manager/servers/local/api/plugins/portables');
    expect({ status: through.status, text: through.text }).toEqual({
      status: direct.status,
      text: direct.text,
    });
    const created = await front.request('POST', '/manager/servers/local/api/plugins/functions', {
      name: 'echo2',
      file: fileUrl(join(TEST_ZIPS, 'functions/echo2.zip')),
    });
    expect({ status: created.status, text: created.text }).toEqual({
      status: 201,
      text: 'functions plugin echo2 is created',
    });
    expect((await front.request('GET', '/plugins/functions')).text).toBe('["echo2"]');
    expect((await front.request('DELETE', '/manager/servers/local/api/plugins/functions/echo2')).status).toBe(
      200,
    );
    const info = await front.request('GET', '/manager/servers/local/api');
    expect(info.json<{ version: string }>().version).toBe(front.settings.ekuiperVersion);
  });

  test('the host token still applies to local forwarding', async () => {
    const guarded = await startTestHost({ token: 'tok' });
    try {
      const refused = await guarded.request('GET', '/manager/servers/local/api/plugins/sinks');
      expect(refused.status).toBe(401);
      const allowed = await guarded.request('GET', '/manager/servers/local/api/plugins/sinks', undefined, {
        Authorization: 'Bearer tok',
      });
      expect(allowed.status).toBe(200);
    } finally {
      await guarded.close();
    }
  });
});
