import { copyFile, readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import type { FleetPluginAnswer, FleetProgressEvent, FleetServerResult } from '../../shared/server-dto.js';
import { EventStreamReader } from '../support/event-stream-reader.js';
import { TEST_ZIPS, fileUrl, startTestHost, type TestHost } from '../support/host-harness.js';
import { servePluginRepo, type PluginRepo } from '../support/plugin-repo.js';
import { downServerUrl } from '../support/broken-servers.js';
import { NEURONEX_VIEWER, startNeuronexStandIn, type NeuronexStandIn } from '../support/neuronex-stand-in.js';
import { addServer, frontProxy, type CountingProxy } from '../support/server-stand-ins.js';
import { buildZip } from '../support/zip-writer.js';

const FILE2 = fileUrl(join(TEST_ZIPS, 'sinks/file2.zip'));
const SERVERS = ['a', 'b', 'c'] as const;

let front: TestHost;
const hosts: Record<string, TestHost> = {};
const proxies: Record<string, CountingProxy> = {};
/** Where a server that is down was (nothing listens there). */
let goneUrl: string;
/** NeuronEX in front of host a, logged in to with its Viewer account: it may only read. */
let viewer: NeuronexStandIn;

beforeAll(async () => {
  front = await startTestHost({}, { servers: { healthIntervalMs: 0 } });
  for (const id of SERVERS) {
    hosts[id] = await startTestHost();
    proxies[id] = await frontProxy(hosts[id].url);
    expect((await addServer(front, id, proxies[id].url)).id).toBe(id);
  }
  goneUrl = await downServerUrl();
  expect((await addServer(front, 'gone', goneUrl)).id).toBe('gone');
  viewer = await startNeuronexStandIn({ upstream: proxies.a!.url });
  const added = await front.host.servers.add({
    name: 'viewer',
    kind: 'neuronex',
    url: viewer.url,
    auth: { type: 'neuronex-login', username: NEURONEX_VIEWER.name, password: NEURONEX_VIEWER.password },
  });
  expect((await front.host.servers.check(added.id)).readOnly).toBe(true);
});
afterAll(async () => {
  await front?.close();
  await viewer?.close();
  for (const id of SERVERS) {
    await proxies[id]?.close();
    await hosts[id]?.close();
  }
});

/** Every host starts each test without plugins or uploads. */
beforeEach(async () => {
  for (const host of [...Object.values(hosts), front]) {
    for (const kind of ['sources', 'sinks', 'functions'] as const) {
      for (const name of (await host.request('GET', `/plugins/${kind}`)).json<string[]>()) {
        expect((await host.request('DELETE', `/plugins/${kind}/${name}`)).status).toBe(200);
      }
    }
    expect((await host.request('GET', '/config/uploads')).text).toBe('[]');
  }
});

async function fleet(body: object): Promise<FleetServerResult[]> {
  const answer = await front.request('POST', '/manager/fleet/plugins', body);
  expect(answer.status, answer.text).toBe(200);
  expect(answer.headers.get('content-type')).toBe('application/json');
  const results = answer.json<FleetPluginAnswer>().results;
  for (const result of results) {
    expect(Number.isInteger(result.ms) && result.ms >= 0).toBe(true);
  }
  return results;
}

/** The results without their timings, for exact comparison. */
const timeless = (results: FleetServerResult[]) => results.map(({ ms: _ms, ...rest }) => rest);

async function sinksOn(id: string): Promise<string[]> {
  return (await (id === 'local' ? front : hosts[id]!).request('GET', '/plugins/sinks')).json<string[]>();
}

describe('install, update and delete across servers', () => {
  test('one server refuses: the others install, it answers with its own status and message; a retry of it alone', async () => {
    const before = (await hosts.c!.request('POST', '/plugins/sinks', { name: 'file2', file: FILE2 })).status;
    expect(before).toBe(201);

    const results = await fleet({
      action: 'install',
      kind: 'sinks',
      name: 'file2',
      file: FILE2,
      servers: [...SERVERS],
    });
    expect(timeless(results)).toEqual([
      { server: 'a', ok: true, status: 201, message: 'sinks plugin file2 is created' },
      { server: 'b', ok: true, status: 201, message: 'sinks plugin file2 is created' },
      {
        server: 'c',
        ok: false,
        status: 400,
        message: 'sinks plugins create command error: invalid name file2: duplicate',
      },
    ]);
    for (const id of SERVERS) expect(await sinksOn(id)).toEqual(['file2']);
    // Each server got the zip uploaded once, installed from the path it answered, and the upload removed.
    for (const id of SERVERS) {
      const asked = proxies[id]!.requests.filter((line) => !line.startsWith('GET /plugins/sinks'));
      const tail = asked.slice(-3);
      expect(tail[0]).toBe('POST /config/uploads');
      expect(tail[1]).toBe('POST /plugins/sinks');
      expect(tail[2]).toMatch(/^DELETE \/config\/uploads\/file2-[0-9a-f]{12}-[0-9a-f]{6}\.zip$/);
      expect((await hosts[id]!.request('GET', '/config/uploads')).text).toBe('[]');
    }

    // The failed one is fixed on its side and retried alone.
    expect((await hosts.c!.request('DELETE', '/plugins/sinks/file2')).status).toBe(200);
    const aBefore = proxies.a!.requests.length;
    const retried = await fleet({
      action: 'install',
      kind: 'sinks',
      name: 'file2',
      file: FILE2,
      servers: ['c'],
    });
    expect(timeless(retried)).toEqual([
      { server: 'c', ok: true, status: 201, message: 'sinks plugin file2 is created' },
    ]);
    expect(proxies.a!.requests.length).toBe(aBefore);
  });

  test('a server whose upload limit is too small refuses the upload in its own words', async () => {
    hosts.b!.settings.maxDownloadBytes = 100;
    try {
      const results = await fleet({
        action: 'install',
        kind: 'sinks',
        name: 'file2',
        file: FILE2,
        servers: ['a', 'b'],
      });
      expect(results[0]).toMatchObject({ server: 'a', ok: true, status: 201 });
      expect(results[1]).toMatchObject({ server: 'b', ok: false, status: 400 });
      expect(results[1]!.message).toMatch(
        /^the upload of the zip was refused: Error writing the file: file2-[0-9a-f-]+\.zip is larger than 100 bytes, the limit set by maxDownloadBytes$/,
      );
      expect(await sinksOn('b')).toEqual([]);
      expect((await hosts.b!.request('GET', '/config/uploads')).text).toBe('[]');
    } finally {
      hosts.b!.settings.maxDownloadBytes = front.settings.maxDownloadBytes;
    }
  });

  test('update and delete, local included (installed from the file, no upload)', async () => {
    const all = ['local', ...SERVERS];
    const installed = await fleet({
      action: 'install',
      kind: 'sinks',
      name: 'file2',
      file: FILE2,
      servers: all,
    });
    expect(installed.map((result) => result.ok)).toEqual([true, true, true, true]);
    expect((await front.request('GET', '/config/uploads')).text).toBe('[]');
    const record = (await front.request('GET', '/manager/plugins/sinks/file2')).json<{
      record: { source: string };
    }>();
    expect(record.record.source).toMatch(/^file:\/\/.*ekuiper-fleet-.*\/file2\.zip$/);
    // The copy read once on this computer is gone with its temp folder once the request has answered.
    const copy = new URL(record.record.source).pathname;
    expect(existsSync(copy)).toBe(false);
    expect(existsSync(dirname(copy))).toBe(false);

    const updated = await fleet({
      action: 'update',
      kind: 'sinks',
      name: 'file2',
      file: FILE2,
      servers: all,
    });
    expect(timeless(updated)).toEqual(
      all.map((server) => ({
        server,
        ok: true,
        status: 200,
        message: 'plugin file2 is updated and eKuiper must restart for the change to take effect.',
      })),
    );

    const deleted = await fleet({ action: 'delete', kind: 'sinks', name: 'file2', servers: all });
    expect(timeless(deleted)).toEqual(
      all.map((server) => ({
        server,
        ok: true,
        status: 200,
        message: 'sinks plugin file2 is deleted and eKuiper must restart for the change to take effect.',
      })),
    );
    for (const id of all) expect(await sinksOn(id)).toEqual([]);

    const again = await fleet({ action: 'delete', kind: 'sinks', name: 'file2', servers: ['a'] });
    expect(timeless(again)).toEqual([
      {
        server: 'a',
        ok: false,
        status: 404,
        message: 'delete sinks plugin file2 error: invalid name file2: not exist',
      },
    ]);
  });

  test('function plugins get their function list', async () => {
    const results = await fleet({
      action: 'install',
      kind: 'functions',
      name: 'echo2',
      file: fileUrl(join(TEST_ZIPS, 'functions/echo2.zip')),
      functions: ['echo2', 'echo3'],
      servers: ['a', 'local'],
    });
    expect(results.map((result) => result.message)).toEqual([
      'functions plugin echo2 is created',
      'functions plugin echo2 is created',
    ]);
    for (const host of [hosts.a!, front]) {
      expect((await host.request('GET', '/plugins/functions/echo2')).json()).toEqual({
        functions: ['echo2', 'echo3'],
        name: 'echo2',
        version: '',
      });
    }
  });

  test('an unreachable server is its own failure; the others go on', async () => {
    const results = await fleet({
      action: 'install',
      kind: 'sinks',
      name: 'file2',
      file: FILE2,
      servers: ['a', 'gone', 'b'],
      concurrency: 1,
    });
    expect(results.map((result) => [result.server, result.ok, result.status])).toEqual([
      ['a', true, 201],
      ['gone', false, 0],
      ['b', true, 201],
    ]);
    expect(results[1]!.message).toContain(new URL(goneUrl).host);
    expect(results[1]!.message).toContain('refused the connection');
  });

  test('a zip from an http URL is downloaded once and sent to each server', async () => {
    const repo = await servePluginRepo([
      { path: '/zips/file2.zip', bytes: await readFile(join(TEST_ZIPS, 'sinks/file2.zip')) },
    ]);
    try {
      const results = await fleet({
        action: 'install',
        kind: 'sinks',
        name: 'file2',
        file: `${repo.url}/zips/file2.zip`,
        servers: [...SERVERS],
      });
      expect(results.every((result) => result.ok)).toBe(true);
      expect(repo.requests).toEqual(['/zips/file2.zip']);
    } finally {
      await repo.close();
    }
  });
});

describe('bad requests answer 400 before any server is asked', () => {
  test.each([
    [
      { action: 'install', kind: 'sinks', name: 'file2', file: FILE2, servers: ['a', 'nope'] },
      "no server has the id 'nope'",
    ],
    [
      { action: 'install', kind: 'sinks', name: 'bad name', file: FILE2, servers: ['a'] },
      "id 'bad name' contains invalid characters",
    ],
    [{ action: 'install', kind: 'wasm', name: 'x', file: FILE2, servers: ['a'] }, 'kind must be one of'],
    [{ action: 'upgrade', kind: 'sinks', name: 'x', file: FILE2, servers: ['a'] }, 'action must be one of'],
    [{ action: 'install', kind: 'sinks', name: 'file2', servers: ['a'] }, 'an install needs file'],
    [
      { action: 'install', kind: 'sinks', name: 'file2', file: 'ftp://x/y.zip', servers: ['a'] },
      'is not an http(s) URL',
    ],
    [
      { action: 'install', kind: 'portables', name: 'x', file: 'prebuilt', servers: ['a'] },
      'prebuilt plugins exist for',
    ],
    [{ action: 'install', kind: 'sinks', name: 'file2', file: FILE2, servers: [] }, 'servers must list'],
    [
      { action: 'install', kind: 'sinks', name: 'file2', file: FILE2, servers: ['a', 'a'] },
      "lists 'a' more than once",
    ],
    [
      { action: 'install', kind: 'sinks', name: 'file2', file: FILE2, servers: ['a'], concurrency: 17 },
      'concurrency must be',
    ],
    [
      { action: 'delete', kind: 'sinks', name: 'file2', file: FILE2, servers: ['a'] },
      'a delete takes no file',
    ],
    [
      { action: 'install', kind: 'sinks', name: 'file2', file: FILE2, functions: ['x'], servers: ['a'] },
      'functions is for function plugins only',
    ],
    [
      {
        action: 'install',
        kind: 'sinks',
        name: 'x',
        file: fileUrl(join(TEST_ZIPS, 'sources/invalidZip.zip')),
        servers: ['a'],
      },
      'cannot be installed as sinks plugin x, so no server was asked: zip: not a valid zip file',
    ],
    [
      {
        action: 'install',
        kind: 'sinks',
        name: 'zipWrongName',
        file: fileUrl(join(TEST_ZIPS, 'sinks/zipWrongName.zip')),
        servers: ['a'],
      },
      'so no server was asked: invalid zip file',
    ],
    [
      { action: 'install', kind: 'sinks', name: 'x', file: 'file:///no/such/file.zip', servers: ['a'] },
      'fail to download file file:///no/such/file.zip: stat /no/such/file.zip: no such file or directory',
    ],
  ])('%j', async (body, words) => {
    const before = SERVERS.map((id) => proxies[id]!.requests.length);
    const answer = await front.request('POST', '/manager/fleet/plugins', body);
    expect(answer.status).toBe(400);
    const error = answer.json<{ error: number; message: string }>();
    expect(error.error).toBe(1000);
    expect(error.message).toContain(words);
    expect(SERVERS.map((id) => proxies[id]!.requests.length)).toEqual(before);
  });

  test('a body that is not JSON', async () => {
    const answer = await front.request('POST', '/manager/fleet/plugins', '{"action":');
    expect(answer.status).toBe(400);
    expect(answer.json<{ message: string }>().message).toMatch(
      /^invalid fleet request: the body is not JSON: /,
    );
  });
});

describe('dry run', () => {
  test('says per server what would happen and changes nothing', async () => {
    expect((await hosts.b!.request('POST', '/plugins/sinks', { name: 'file2', file: FILE2 })).status).toBe(
      201,
    );
    const servers = ['a', 'b', 'gone', 'viewer'];
    const before = SERVERS.map(
      (id) => proxies[id]!.requests.filter((line) => !line.startsWith('GET ')).length,
    );

    const install = await fleet({
      action: 'install',
      kind: 'sinks',
      name: 'file2',
      file: FILE2,
      servers,
      dryRun: true,
    });
    expect(install.map(({ server, ok, plan, status }) => ({ server, ok, plan, status }))).toEqual([
      { server: 'a', ok: true, plan: 'create', status: 404 },
      { server: 'b', ok: false, plan: 'skip', status: 200 },
      { server: 'gone', ok: false, status: 0 },
      { server: 'viewer', ok: false, plan: 'skip', status: 0 },
    ]);
    expect(install[0]!.message).toBe('will install sinks plugin file2');
    expect(install[1]!.message).toBe(
      'skipped: sinks plugin file2 is already installed (no version); use update to replace it',
    );
    expect(install[2]!.message).toContain('refused');
    expect(install[3]!.message).toContain('the account may only read (Viewer');

    const update = await fleet({
      action: 'update',
      kind: 'sinks',
      name: 'file2',
      file: FILE2,
      servers: ['a', 'b'],
      dryRun: true,
    });
    expect(update.map(({ plan, message }) => ({ plan, message }))).toEqual([
      {
        plan: 'skip',
        message: 'skipped: sinks plugin file2 is not installed, so there is nothing to update; use install',
      },
      { plan: 'update', message: 'will update sinks plugin file2 (installed: no version; new: no version)' },
    ]);

    const random3 = fileUrl(join(TEST_ZIPS, 'sources/random3.zip'));
    const source = await fleet({
      action: 'install',
      kind: 'sources',
      name: 'random3',
      file: random3,
      servers: ['a'],
      dryRun: true,
    });
    expect(source[0]!.message).toBe('will install sources plugin random3 (version 1.0.0)');

    const remove = await fleet({
      action: 'delete',
      kind: 'sinks',
      name: 'file2',
      servers: ['a', 'b'],
      dryRun: true,
    });
    expect(remove.map(({ plan, message }) => ({ plan, message }))).toEqual([
      {
        plan: 'skip',
        message: 'skipped: sinks plugin file2 is not installed, so there is nothing to delete',
      },
      { plan: 'delete', message: 'will delete sinks plugin file2 (installed: no version)' },
    ]);

    // Nothing but reads reached the servers, and nothing changed.
    expect(
      SERVERS.map((id) => proxies[id]!.requests.filter((line) => !line.startsWith('GET ')).length),
    ).toEqual(before);
    expect(await sinksOn('a')).toEqual([]);
    expect(await sinksOn('b')).toEqual(['file2']);
  });
});

describe('prebuilt', () => {
  let repo: PluginRepo;
  beforeAll(async () => {
    const zmq = buildZip([{ name: 'zmq.so', data: 'a stand-in library' }]);
    repo = await servePluginRepo([{ path: '/kuiper-plugins/2.1.0/debian/sinks/zmq_amd64.zip', bytes: zmq }]);
    for (const host of [hosts.a!, hosts.b!, front]) {
      Object.assign(host.settings, { pluginHosts: repo.url, osFlavour: 'debian', arch: 'amd64' });
    }
    // c looks for an architecture the repository does not have.
    Object.assign(hosts.c!.settings, { pluginHosts: repo.url, osFlavour: 'debian', arch: 'arm64' });
  });
  afterAll(async () => repo.close());

  test('a dry run names the URL each server would install from', async () => {
    const plans = await fleet({
      action: 'install',
      kind: 'sinks',
      name: 'zmq',
      file: 'prebuilt',
      servers: ['a', 'c'],
      dryRun: true,
    });
    expect(plans.map(({ plan, message }) => ({ plan, message }))).toEqual([
      {
        plan: 'create',
        message: `will install sinks plugin zmq (${repo.url}/kuiper-plugins/2.1.0/debian/sinks/zmq_amd64.zip)`,
      },
      {
        plan: 'create',
        message: `will install sinks plugin zmq (${repo.url}/kuiper-plugins/2.1.0/debian/sinks/zmq_arm64.zip)`,
      },
    ]);
    expect(repo.requests).toEqual([]);
  });

  test("each server installs its own prebuilt URL; one without that build fails with the repository's 404", async () => {
    const results = await fleet({
      action: 'install',
      kind: 'sinks',
      name: 'zmq',
      file: 'prebuilt',
      servers: ['a', 'b', 'c', 'local'],
    });
    expect(timeless(results)).toEqual([
      { server: 'a', ok: true, status: 201, message: 'sinks plugin zmq is created' },
      { server: 'b', ok: true, status: 201, message: 'sinks plugin zmq is created' },
      {
        server: 'c',
        ok: false,
        status: 400,
        message: `sinks plugins create command error: fail to download file ${repo.url}/kuiper-plugins/2.1.0/debian/sinks/zmq_arm64.zip: cannot download the file with status: 404 Not Found: the server has no file at this address — check the address. This address is on the plugin host ${repo.url}, which the pluginHosts setting names: change it on the Settings page (Prebuilt plugins) if this host is wrong or unreachable from here`,
      },
      { server: 'local', ok: true, status: 201, message: 'sinks plugin zmq is created' },
    ]);
    expect(repo.requests.filter((path) => path.endsWith('zmq_amd64.zip'))).toHaveLength(3);

    const unknown = await fleet({
      action: 'install',
      kind: 'sinks',
      name: 'file2',
      file: 'prebuilt',
      servers: ['a'],
    });
    expect(unknown[0]).toMatchObject({ ok: false, status: 200 });
    expect(unknown[0]!.message).toBe(
      'the server offers no prebuilt sinks plugin named file2 (it offers image, influx, influx2, kafka, sql, zmq)',
    );
    for (const id of ['a', 'b', 'local']) {
      expect(
        (await (id === 'local' ? front : hosts[id]!).request('DELETE', '/plugins/sinks/zmq')).status,
      ).toBe(200);
    }
  });
});

describe('progress as Server-Sent Events', () => {
  test('queued, phases, upload bytes, each result, then done with every result', async () => {
    const stopper = new AbortController();
    const stream = await EventStreamReader.open(
      `${front.url}/manager/fleet/plugins`,
      {
        action: 'install',
        kind: 'sinks',
        name: 'file2',
        file: FILE2,
        servers: ['a', 'local', 'b'],
        concurrency: 2,
      },
      stopper.signal,
    );
    const done = (await stream.until((event) => (event.data as FleetProgressEvent).type === 'done'))
      .data as Extract<FleetProgressEvent, { type: 'done' }>;
    stopper.abort();
    const events = stream.events.map((event) => event.data as FleetProgressEvent);
    expect(events.slice(0, 3)).toEqual([
      { type: 'queued', server: 'a' },
      { type: 'queued', server: 'local' },
      { type: 'queued', server: 'b' },
    ]);
    expect(events.at(-1)).toBe(done);
    expect(done.results.map((result) => [result.server, result.ok])).toEqual([
      ['a', true],
      ['local', true],
      ['b', true],
    ]);
    const of = (server: string) =>
      events
        .filter(
          (event) =>
            ('server' in event && event.server === server) ||
            (event.type === 'result' && event.result.server === server),
        )
        .map((event) => (event.type === 'phase' ? `phase:${event.phase}` : event.type));
    const remote = of('a').filter((step, index, all) => step !== 'upload' || all[index - 1] !== 'upload');
    expect(remote).toEqual(['queued', 'phase:upload', 'upload', 'phase:install', 'phase:cleanup', 'result']);
    expect(of('local')).toEqual(['queued', 'phase:install', 'result']);
    const uploads = events.filter(
      (event): event is Extract<FleetProgressEvent, { type: 'upload' }> =>
        event.type === 'upload' && event.server === 'b',
    );
    expect(uploads.at(-1)).toEqual({ type: 'upload', server: 'b', bytes: 184, totalBytes: 184 });
  });
});

describe('a host with a token', () => {
  test('its own fleet actions on local pass its access guard', async () => {
    const guarded = await startTestHost({ token: 'tok' });
    try {
      const body = { action: 'install', kind: 'sinks', name: 'file2', file: FILE2, servers: ['local'] };
      expect((await guarded.request('POST', '/manager/fleet/plugins', body)).status).toBe(401);
      const answer = await guarded.request('POST', '/manager/fleet/plugins', body, {
        Authorization: 'Bearer tok',
      });
      expect(answer.status).toBe(200);
      expect(timeless(answer.json<FleetPluginAnswer>().results)).toEqual([
        { server: 'local', ok: true, status: 201, message: 'sinks plugin file2 is created' },
      ]);
    } finally {
      await guarded.close();
    }
  });

  test('local installs a desktop file even when it reads files only under data/uploads', async () => {
    const strict = await startTestHost({ allowExternalFileAccess: false });
    try {
      // The zip itself must be readable under the host's rules: it sits in the host's uploads.
      const upload = join(strict.dataDir, 'data/uploads/file2.zip');
      await copyFile(join(TEST_ZIPS, 'sinks/file2.zip'), upload);
      const answer = await strict.request('POST', '/manager/fleet/plugins', {
        action: 'install',
        kind: 'sinks',
        name: 'file2',
        file: fileUrl(upload),
        servers: ['local'],
      });
      expect(timeless(answer.json<FleetPluginAnswer>().results)).toEqual([
        { server: 'local', ok: true, status: 201, message: 'sinks plugin file2 is created' },
      ]);
      expect((await strict.request('GET', '/config/uploads')).json()).toEqual([upload]);
    } finally {
      await strict.close();
    }
  });
});
