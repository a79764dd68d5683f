/**
 * A fleet run through what goes wrong in a real fleet: a server that accepts connections and never answers, one
 * whose connection breaks during the upload, one that stores the upload and loses the answer, a NeuronEX whose
 * token dies mid-run, and a caller that hangs up halfway. Several real hosts stand in for the eKuiper servers.
 */
import {
  createServer,
  request as httpRequest,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import type { FleetExtensionsAnswer } from '../../shared/extension-fleet.js';
import type {
  FleetPluginAnswer,
  FleetPluginsAnswer,
  FleetProgressEvent,
  FleetServerResult,
} from '../../shared/server-dto.js';
import { startSilentServer } from '../support/broken-servers.js';
import { EventStreamReader } from '../support/event-stream-reader.js';
import { TEST_ZIPS, fileUrl, startTestHost, type TestHost } from '../support/host-harness.js';
import {
  NEURONEX_ADMIN,
  NEURONEX_VIEWER,
  startNeuronexStandIn,
  type NeuronexStandIn,
  type NeuronexUser,
} from '../support/neuronex-stand-in.js';
import { addServer } from '../support/server-stand-ins.js';
import { closeServer, forward, listenOnLoopback, type StandIn } from '../support/stand-in-server.js';

const FILE2 = fileUrl(join(TEST_ZIPS, 'sinks/file2.zip'));
/** The two plugin actions the tests send, without their servers. */
const INSTALL = { action: 'install', kind: 'sinks', name: 'file2', file: FILE2 };
const DELETE = { action: 'delete', kind: 'sinks', name: 'file2' };
const isUpload = (request: IncomingMessage) =>
  request.method === 'POST' && (request.url ?? '').startsWith('/config/uploads');

let front: TestHost;
let a: TestHost;
let b: TestHost;
const standIns: StandIn[] = [];
/** Set by a test: what the stand-in in front of host b does with the next requests. */
let frontOfB: (request: IncomingMessage, response: ServerResponse) => boolean = () => false;
/** Every request that reached the slow stand-in in front of host a, and how many are open now. */
const slowSeen: string[] = [];
let slowOpen = 0;
let slowMostOpen = 0;

/** A stand-in forwarding to `target` unless `handle` took the request. */
async function standIn(
  target: () => string,
  handle: (request: IncomingMessage, response: ServerResponse) => boolean,
): Promise<string> {
  const server: Server = createServer((request, response) => {
    if (!handle(request, response)) forward(target(), request.url ?? '/', request, response);
  });
  const port = await listenOnLoopback(server);
  standIns.push({ url: '', close: () => closeServer(server) });
  return `http://127.0.0.1:${port}`;
}

beforeAll(async () => {
  front = await startTestHost({}, { servers: { healthIntervalMs: 0 } });
  a = await startTestHost();
  b = await startTestHost();
  await addServer(front, 'a', a.url);
  const silent = await startSilentServer();
  standIns.push(silent);
  await addServer(front, 'hang', silent.url, { timeoutMs: 1000 });
  await addServer(
    front,
    'b',
    await standIn(
      () => b.url,
      (request, response) => frontOfB(request, response),
    ),
  );
  // Every request waits a little, so a run is still going when its caller hangs up.
  const slow = await standIn(
    () => a.url,
    (request, response) => {
      slowSeen.push(`${request.method} ${request.url}`);
      slowOpen++;
      slowMostOpen = Math.max(slowMostOpen, slowOpen);
      response.once('close', () => slowOpen--);
      setTimeout(() => forward(a.url, request.url ?? '/', request, response), 300);
      return true;
    },
  );
  for (const id of ['s1', 's2', 's3', 's4']) await addServer(front, id, slow);
}, 60_000);
afterAll(async () => {
  await front?.close();
  for (const server of standIns) await server.close();
  await a?.close();
  await b?.close();
});

beforeEach(async () => {
  frontOfB = () => false;
  for (const host of [a, b]) {
    for (const name of (await host.request('GET', '/plugins/sinks')).json<string[]>()) {
      expect((await host.request('DELETE', `/plugins/sinks/${name}`)).status).toBe(200);
    }
    expect((await host.request('GET', '/config/uploads')).text).toBe('[]');
  }
});

async function fleet(path: string, body: object): Promise<FleetServerResult[]> {
  const answer = await front.request('POST', path, body);
  expect(answer.status, answer.text).toBe(200);
  return answer.json<FleetPluginAnswer>().results;
}

/** Waits until the slow stand-in has been quiet for a while: whatever was running there has finished. */
async function quiet(): Promise<void> {
  let seen = -1;
  while (seen !== slowSeen.length || slowOpen > 0) {
    seen = slowSeen.length;
    await new Promise((resolve) => setTimeout(resolve, 1500));
  }
}

const timeless = (results: FleetServerResult[]) => results.map(({ ms: _ms, ...rest }) => rest);
/** The silent server's result: it failed in its own timeout, in the connection check's words. */
function expectNoAnswer(result: FleetServerResult | undefined): void {
  expect(result).toMatchObject({ server: 'hang', ok: false, status: 0 });
  expect(result!.message).toMatch(/^127\.0\.0\.1:\d+ accepted the connection but did not answer within 1 s/);
}

describe('a server that accepts connections and never answers', () => {
  test('fails within its own timeout in an install, a delete and a function create; the others finish', async () => {
    const install = await fleet('/manager/fleet/plugins', { ...INSTALL, servers: ['hang', 'a'] });
    expectNoAnswer(install[0]);
    expect(install[1]).toMatchObject({ server: 'a', ok: true, status: 201 });

    const deleted = await fleet('/manager/fleet/plugins', { ...DELETE, servers: ['hang', 'a'] });
    expectNoAnswer(deleted[0]);
    expect(deleted[1]).toMatchObject({ server: 'a', ok: true, status: 200 });

    const created = await fleet('/manager/fleet/javascript', {
      action: 'create',
      name: 'twice',
      script: 'function twice(x) { return x * 2; }',
      servers: ['hang'],
    });
    expectNoAnswer(created[0]);
  });
});

describe('an upload that breaks', () => {
  test('the connection dies mid-upload: said as a failed upload; the others install', async () => {
    frontOfB = (request) => {
      if (!isUpload(request)) return false;
      request.once('data', () => request.socket.destroy());
      return true;
    };
    const results = await fleet('/manager/fleet/plugins', { ...INSTALL, servers: ['b', 'a'] });
    expect(results[0]).toMatchObject({ server: 'b', ok: false, status: 0 });
    expect(results[0]!.message).toMatch(
      /^the upload of the zip failed: 127\.0\.0\.1:\d+ closed the connection/,
    );
    expect(results[1]).toMatchObject({ server: 'a', ok: true, status: 201 });
    expect((await b.request('GET', '/plugins/sinks')).text).toBe('[]');
  });

  test('the server stores the zip and its answer is lost: the upload is removed all the same', async () => {
    frontOfB = (request, response) => {
      if (!isUpload(request)) return false;
      // The host stores the upload; its answer never reaches the fleet.
      response.writeHead = () => {
        request.socket.destroy();
        return response;
      };
      forward(b.url, request.url ?? '/', request, response);
      return true;
    };
    const results = await fleet('/manager/fleet/plugins', { ...INSTALL, servers: ['b'] });
    expect(results[0]).toMatchObject({ server: 'b', ok: false, status: 0 });
    expect(results[0]!.message).toMatch(/^the upload of the zip failed: /);
    expect((await b.request('GET', '/config/uploads')).text).toBe('[]');
  });

  test('a gateway stores the zip behind it and answers 504: its words, and the upload is removed', async () => {
    frontOfB = (request, response) => {
      if (!isUpload(request)) return false;
      const upstream = httpRequest(new URL(request.url ?? '/', b.url), {
        method: request.method,
        headers: request.headers,
      });
      upstream.on('response', (stored) => {
        stored.resume();
        response.writeHead(504, { 'content-type': 'text/plain' });
        response.end('upstream request timeout');
      });
      request.pipe(upstream);
      return true;
    };
    const results = await fleet('/manager/fleet/plugins', { ...INSTALL, servers: ['b'] });
    expect(timeless(results)).toEqual([
      {
        server: 'b',
        ok: false,
        status: 504,
        message: 'the upload of the zip was refused: upstream request timeout',
      },
    ]);
    expect((await b.request('GET', '/config/uploads')).text).toBe('[]');
  });
});

/**
 * A NeuronEX logged in to as `user`, with host b as its eKuiper behind a stand-in that sees every request first
 * (`watch`, which may use the NeuronEX itself), added to the front host for `use` and removed after.
 */
async function onNeuronex(
  user: NeuronexUser,
  watch: (request: IncomingMessage, response: ServerResponse, neuronex: NeuronexStandIn) => void,
  use: (id: string, neuronex: NeuronexStandIn) => Promise<void>,
): Promise<void> {
  const behind: { neuronex?: NeuronexStandIn } = {};
  const upstream = await standIn(
    () => b.url,
    (request, response) => {
      watch(request, response, behind.neuronex!);
      return false;
    },
  );
  const neuronex = (behind.neuronex = await startNeuronexStandIn({ upstream }));
  let id: string | undefined;
  try {
    const added = await front.host.servers.add({
      name: `nx-${user.name}`,
      kind: 'neuronex',
      url: neuronex.url,
      auth: { type: 'neuronex-login', username: user.name, password: user.password },
    });
    id = added.id;
    await front.host.servers.check(id);
    await use(id, neuronex);
  } finally {
    if (id !== undefined) await front.host.servers.remove(id);
    await neuronex.close();
  }
}

describe('NeuronEX', () => {
  test('a token revoked between the upload and the install: one login again, the install goes through, the upload removed', async () => {
    await onNeuronex(
      NEURONEX_ADMIN,
      // Every token dies once the upload has been answered.
      (request, response, neuronex) => {
        if (isUpload(request)) response.once('finish', () => neuronex.revokeAll());
      },
      async (id, neuronex) => {
        const before = neuronex.loginAttempts;
        const results = await fleet('/manager/fleet/plugins', { ...INSTALL, servers: [id] });
        expect(timeless(results)).toEqual([
          { server: id, ok: true, status: 201, message: 'sinks plugin file2 is created' },
        ]);
        expect(neuronex.loginAttempts - before).toBe(1);
        expect((await b.request('GET', '/config/uploads')).text).toBe('[]');
      },
    );
  });

  test('a Viewer account is skipped as the preview says, and the zip is never sent to it', async () => {
    const reached: string[] = [];
    await onNeuronex(
      NEURONEX_VIEWER,
      (request) => reached.push(`${request.method} ${request.url}`),
      async (id) => {
        expect(front.host.servers.get(id)?.health?.readOnly).toBe(true);
        const skipped = (action: string) =>
          `skipped: the account may only read (Viewer, per the last connection check), so the server would refuse the ${action}`;
        const plugin = { kind: 'sinks', name: 'file2', servers: [id, 'a'] };
        for (const dryRun of [true, false]) {
          const install = await fleet('/manager/fleet/plugins', {
            ...plugin,
            action: 'install',
            file: FILE2,
            dryRun,
          });
          expect(install[0]).toMatchObject({ server: id, ok: false, status: 0, message: skipped('install') });
          expect(install[1]).toMatchObject({ server: 'a', ok: true });
        }
        const deleted = await fleet('/manager/fleet/plugins', { ...plugin, action: 'delete' });
        expect(deleted[0]).toMatchObject({ server: id, ok: false, status: 0, message: skipped('delete') });
        const created = await fleet('/manager/fleet/javascript', {
          action: 'create',
          name: 'twice',
          script: 'function twice(x) { return x * 2; }',
          servers: [id],
        });
        expect(created[0]).toMatchObject({ server: id, ok: false, status: 0, message: skipped('create') });
        expect(reached.filter((line) => !line.startsWith('GET '))).toEqual([]);
      },
    );
  });
});

describe('concurrency and a caller that hangs up', () => {
  test('no more servers at once than asked', async () => {
    slowMostOpen = 0;
    const servers = ['s1', 's2', 's3', 's4'];
    await fleet('/manager/fleet/plugins', { ...DELETE, servers, concurrency: 2 });
    expect(slowMostOpen).toBe(2);
    slowMostOpen = 0;
    await fleet('/manager/fleet/plugins', { ...DELETE, servers, concurrency: 1 });
    expect(slowMostOpen).toBe(1);
  });

  test('the event stream closed after the first result: servers not started are not started, running ones finish and clean up', async () => {
    slowSeen.length = 0;
    const stopper = new AbortController();
    const stream = await EventStreamReader.open(
      `${front.url}/manager/fleet/plugins`,
      { ...INSTALL, servers: ['s1', 's2', 's3', 's4'], concurrency: 1 },
      stopper.signal,
    );
    await stream.until((event) => (event.data as FleetProgressEvent).type === 'result');
    stopper.abort();
    await quiet();
    const uploads = slowSeen.filter((line) => line === 'POST /config/uploads').length;
    // The first server, and at most the one started before the hang-up reached the host.
    expect(uploads).toBeGreaterThanOrEqual(1);
    expect(uploads).toBeLessThanOrEqual(2);
    expect(slowSeen.filter((line) => line.startsWith('DELETE /config/uploads/')).length).toBe(uploads);
    expect((await a.request('GET', '/config/uploads')).text).toBe('[]');
    expect((await front.request('GET', '/manager/servers')).status).toBe(200);
  });

  test('a caller gone while the zip downloads: no server is started', async () => {
    // A download that waits until the test lets it go.
    let requested!: () => void;
    const asked = new Promise<void>((resolve) => (requested = resolve));
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    const zip = await readFile(join(TEST_ZIPS, 'sinks/file2.zip'));
    const download = await standIn(
      () => a.url,
      (request, response) => {
        requested();
        void released.then(() => {
          response.writeHead(200, { 'content-type': 'application/zip' });
          response.end(zip);
        });
        return true;
      },
    );
    slowSeen.length = 0;
    const stopper = new AbortController();
    const answer = fetch(`${front.url}/manager/fleet/plugins`, {
      method: 'POST',
      body: JSON.stringify({ ...INSTALL, file: `${download}/file2.zip`, servers: ['s1', 's2'] }),
      signal: stopper.signal,
    }).catch((error: unknown) => error);
    await asked;
    stopper.abort();
    expect(await answer).toBeInstanceOf(Error);
    // Let the host see the hang-up before the zip arrives.
    await new Promise((resolve) => setTimeout(resolve, 300));
    release();
    await quiet();
    expect(slowSeen).toEqual([]);
    expect((await front.request('GET', '/manager/servers')).status).toBe(200);
  });
});

describe('a file that cannot be had', () => {
  test('a folder, a text file named .zip, an http URL that answers 404: a 400 in plain words, no server asked', async () => {
    const text = join(front.tempDir, 'notes.zip');
    await writeFile(text, 'not a zip at all');
    const cases: Array<[string, string]> = [
      [fileUrl(TEST_ZIPS), `${TEST_ZIPS} is not a regular file`],
      [fileUrl(text), 'the file is text, not a zip; it begins “not a zip at all”'],
      [`${a.url}/no/such.zip`, 'cannot download the file with status: 404 Not Found'],
    ];
    const before = slowSeen.length;
    for (const [file, words] of cases) {
      const answer = await front.request('POST', '/manager/fleet/plugins', {
        action: 'install',
        kind: 'sinks',
        name: 'file2',
        file,
        servers: ['s1', 'a'],
      });
      expect(answer.status, file).toBe(400);
      expect(answer.json<{ error: number; message: string }>()).toMatchObject({ error: 1000 });
      expect(answer.text).toContain(words);
    }
    expect(slowSeen.length).toBe(before);
    expect((await a.request('GET', '/config/uploads')).text).toBe('[]');
  });
});

describe('an address that answers every path with a web page (a NeuronEX added as eKuiper)', () => {
  test('no install, delete or preview counts as done, and the inventory says why', async () => {
    const neuronex = await startNeuronexStandIn({ upstream: b.url });
    try {
      const { id } = await addServer(front, 'page', neuronex.url);
      const page = (request: string) =>
        `the server answered ${request} with a web page, not eKuiper's answer: its address is not eKuiper's REST API (eKuiper usually listens on port 9081; a NeuronEX, on 8085, needs the kind NeuronEX)`;
      const servers = [id, 'a'];
      const install = await fleet('/manager/fleet/plugins', { ...INSTALL, servers });
      expect(timeless(install)[0]).toEqual({
        server: id,
        ok: false,
        status: 200,
        message: page('POST /config/uploads'),
      });
      expect(install[1]).toMatchObject({ server: 'a', ok: true, status: 201 });
      const preview = await fleet('/manager/fleet/plugins', { ...DELETE, servers, dryRun: true });
      expect(preview[0]).toMatchObject({ ok: false, status: 200, message: page('GET /plugins/sinks/file2') });
      const deleted = await fleet('/manager/fleet/plugins', { ...DELETE, servers });
      expect(deleted[0]).toMatchObject({
        ok: false,
        status: 200,
        message: page('DELETE /plugins/sinks/file2'),
      });
      expect(deleted[1]).toMatchObject({ server: 'a', ok: true, status: 200 });
      const created = await fleet('/manager/fleet/javascript', {
        action: 'create',
        name: 'twice',
        script: 'function twice(x) { return x * 2; }',
        servers: [id],
      });
      expect(created[0]).toMatchObject({ ok: false, status: 200, message: page('POST /udf/javascript') });

      const plugins = await front.request('GET', `/manager/fleet/plugins?servers=${id}`);
      expect(plugins.json<FleetPluginsAnswer>().servers[0]).toMatchObject({
        server: id,
        ok: false,
        plugins: [],
      });
      expect(plugins.json<FleetPluginsAnswer>().servers[0]!.message).toMatch(
        /^the server's plugin lists are not eKuiper's JSON \(.+\): its address is not eKuiper's REST API/,
      );
      const functions = await front.request('GET', `/manager/fleet/javascript?servers=${id}`);
      expect(functions.json<FleetExtensionsAnswer>().servers[0]).toMatchObject({
        server: id,
        ok: false,
        message: page('GET /udf/javascript'),
      });
      await front.host.servers.remove(id);
    } finally {
      await neuronex.close();
    }
  });
});
