import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { zipSync } from 'fflate';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import {
  EXPORT_EXTRA_KEY,
  type ExtensionExportFile,
  type ExtensionImportAnswer,
  type FleetExtensionsAnswer,
} from '../../shared/extension-fleet.js';
import type { FleetProgressEvent, FleetServerResult } from '../../shared/server-dto.js';
import { EventStreamReader } from '../support/event-stream-reader.js';
import { fileUrl, startTestHost, type TestHost } from '../support/host-harness.js';
import { addServer, frontProxy, type CountingProxy } from '../support/server-stand-ins.js';

/** Three of our hosts as servers a, b, c, and `core`: host c behind an eKuiper built without either route. */
const SERVERS = ['a', 'b', 'c'] as const;
const EVERY = ['local', 'a', 'b', 'c', 'core'];

let front: TestHost;
const hosts: Record<string, TestHost> = {};
const proxies: Record<string, CountingProxy> = {};
let zipDir: string;

/** A content hash as the inventory answers it. */
const HASH: unknown = expect.stringMatching(/^[0-9a-f]{12}$/);

const AREA = 'function area(a, b) { return a * b; }';
const AREA_OTHER = 'function area(a, b) { return a * b * 1; }';

/** A schemaless REST service (NeuronEX's simple form) and one with a .proto schema, as zips on disk. */
let schemalessZip: string;
let protoZip: string;
let brokenZip: string;

const HW_PROTO = `syntax = "proto3";
package ekuiper;
service Greeter { rpc SayHello (HelloRequest) returns (HelloReply) {} }
message HelloRequest { string name = 1; }
message HelloReply { string message = 1; }
`;

function schemaless(name: string, address: string): Uint8Array {
  const descriptor = { interfaces: { [name]: { address, protocol: 'rest', schemaless: true } } };
  return zipSync({ [`${name}.json`]: Buffer.from(JSON.stringify(descriptor)) });
}

beforeAll(async () => {
  front = await startTestHost({}, { servers: { healthIntervalMs: 0 } });
  for (const id of SERVERS) {
    hosts[id] = await startTestHost();
    proxies[id] = await frontProxy(hosts[id].url);
    expect((await addServer(front, id, proxies[id].url)).id).toBe(id);
  }
  proxies.core = await frontProxy(hosts.c!.url, { lacks: ['/udf/javascript', '/services'] });
  expect((await addServer(front, 'core', proxies.core.url)).id).toBe('core');

  zipDir = await mkdtemp(join(tmpdir(), 'ext-fleet-zips-'));
  schemalessZip = join(zipDir, 'weather.zip');
  await writeFile(schemalessZip, schemaless('weather', 'http://127.0.0.1:9')); // no one needs to listen
  protoZip = join(zipDir, 'greeter.zip');
  const descriptor = {
    interfaces: {
      tsrest: {
        address: 'http://127.0.0.1:51234',
        protocol: 'rest',
        schemaType: 'protobuf',
        schemaFile: 'hw.proto',
      },
    },
  };
  await writeFile(
    protoZip,
    zipSync({
      'greeter.json': Buffer.from(JSON.stringify(descriptor)),
      'schemas/': new Uint8Array(0),
      'schemas/hw.proto': Buffer.from(HW_PROTO),
    }),
  );
  brokenZip = join(zipDir, 'broken.zip');
  await writeFile(brokenZip, zipSync({ 'other.json': Buffer.from('{}') }));
});
afterAll(async () => {
  await front?.close();
  for (const proxy of Object.values(proxies)) await proxy.close();
  for (const id of SERVERS) await hosts[id]?.close();
  await rm(zipDir, { recursive: true, force: true });
});

const all = (): TestHost[] => [front, ...SERVERS.map((id) => hosts[id]!)];

/** Every host starts each test without functions, services or uploads. */
beforeEach(async () => {
  for (const host of all()) {
    for (const id of (await host.request('GET', '/udf/javascript')).json<string[]>()) {
      expect((await host.request('DELETE', `/udf/javascript/${id}`)).status).toBe(200);
    }
    for (const name of (await host.request('GET', '/services')).json<string[]>()) {
      expect((await host.request('DELETE', `/services/${name}`)).status).toBe(200);
    }
    expect((await host.request('GET', '/config/uploads')).text).toBe('[]');
  }
});

const hostOf = (id: string): TestHost => (id === 'local' ? front : hosts[id]!);

async function fleet(kind: string, body: object): Promise<Omit<FleetServerResult, 'ms'>[]> {
  const answer = await front.request('POST', `/manager/fleet/${kind}`, body);
  expect(answer.status, answer.text).toBe(200);
  return answer.json<{ results: FleetServerResult[] }>().results.map(({ ms, ...rest }) => {
    expect(Number.isInteger(ms) && ms >= 0).toBe(true);
    return rest;
  });
}

async function inventory(kind: string): Promise<FleetExtensionsAnswer> {
  const answer = await front.request('GET', `/manager/fleet/${kind}`);
  expect(answer.status, answer.text).toBe(200);
  return answer.json<FleetExtensionsAnswer>();
}

async function createFunction(id: string, on: string, script = AREA): Promise<void> {
  const answer = await hostOf(on).request('POST', '/udf/javascript', {
    id,
    description: 'area',
    script,
    isAgg: false,
  });
  expect(answer.status, answer.text).toBe(201);
}

describe('which server has which JavaScript function', () => {
  test('drift: missing on one, a different script on another, a server without the route', async () => {
    await createFunction('area', 'local');
    await createFunction('area', 'a');
    await createFunction('area', 'b', AREA_OTHER);
    const answer = await inventory('javascript');
    expect(answer.kind).toBe('javascript');
    expect(answer.servers.map((row) => row.server)).toEqual(EVERY);
    const by = Object.fromEntries(answer.servers.map((row) => [row.server, row]));
    expect(by.local!.items).toEqual([{ name: 'area', hash: HASH, description: 'area', isAgg: false }]);
    expect(by.a!.items[0]!.hash).toBe(by.local!.items[0]!.hash);
    expect(by.b!.items[0]!.hash).not.toBe(by.a!.items[0]!.hash);
    expect(by.c).toMatchObject({ ok: true, available: true, items: [], message: '0 JavaScript functions' });
    expect(by.core).toMatchObject({ ok: true, available: false, items: [] });
    expect(by.core!.message).toMatch(/^not available: .*GET \/udf\/javascript answered 404/);
  });

  test('a server list with an unknown id is refused before any server is asked', async () => {
    const answer = await front.request('GET', '/manager/fleet/services?servers=a,nope');
    expect(answer.status).toBe(400);
    expect(answer.text).toContain("no server has the id 'nope'");
  });
});

describe('bulk create, update and delete of a JavaScript function', () => {
  const body = {
    name: 'area',
    script: AREA,
    description: 'area of a rectangle',
    servers: ['a', 'b', 'c', 'core'],
  };

  test('preview, then one server refuses and the others finish; a retry of it alone', async () => {
    await createFunction('area', 'c', AREA_OTHER);
    const preview = await fleet('javascript', { ...body, action: 'create', dryRun: true });
    expect(preview).toEqual([
      {
        server: 'a',
        ok: true,
        status: 200,
        message: "will create JavaScript function 'area'",
        plan: 'create',
      },
      {
        server: 'b',
        ok: true,
        status: 200,
        message: "will create JavaScript function 'area'",
        plan: 'create',
      },
      {
        server: 'c',
        ok: false,
        status: 200,
        message:
          "skipped: JavaScript function 'area' is already there with different content; use update to replace it",
        plan: 'skip',
      },
      {
        server: 'core',
        ok: false,
        status: 404,
        message:
          "skipped: JavaScript function 'area' cannot be there, this server's eKuiper has no such routes (/udf/javascript answered 404)",
        plan: 'skip',
      },
    ]);
    // The preview changed nothing.
    expect((await hosts.a!.request('GET', '/udf/javascript')).json()).toEqual([]);

    const results = await fleet('javascript', { ...body, action: 'create', servers: ['a', 'b', 'c'] });
    expect(results).toEqual([
      { server: 'a', ok: true, status: 201, message: 'javascript function area is created' },
      { server: 'b', ok: true, status: 201, message: 'javascript function area is created' },
      {
        server: 'c',
        ok: false,
        status: 400,
        message: 'javascript function create command error: Item area already exists',
      },
    ]);
    expect((await hosts.b!.request('GET', '/udf/javascript/area')).json()).toEqual({
      id: 'area',
      description: 'area of a rectangle',
      script: AREA,
      isAgg: false,
    });

    // Fixed on c's side, then retried alone.
    expect((await hosts.c!.request('DELETE', '/udf/javascript/area')).status).toBe(200);
    const before = proxies.a!.requests.length;
    expect(await fleet('javascript', { ...body, action: 'create', servers: ['c'] })).toEqual([
      { server: 'c', ok: true, status: 201, message: 'javascript function area is created' },
    ]);
    expect(proxies.a!.requests.length).toBe(before);
  });

  test('update replaces where it differs and creates where missing; a script the server refuses is its result', async () => {
    await createFunction('area', 'a');
    await createFunction('area', 'b', AREA_OTHER);
    const preview = await fleet('javascript', {
      ...body,
      action: 'update',
      servers: ['a', 'b', 'c'],
      dryRun: true,
    });
    expect(preview.map((row) => [row.server, row.plan, row.message])).toEqual([
      ['a', 'update', "will replace JavaScript function 'area', which is there with the same content"],
      ['b', 'update', "will replace JavaScript function 'area', which is there with different content"],
      ['c', 'create', "JavaScript function 'area' is not there: the update will create it"],
    ]);
    const results = await fleet('javascript', { ...body, action: 'update', servers: ['a', 'b', 'c'] });
    expect(results.every((row) => row.ok && row.status === 200)).toBe(true);
    const hashes = (await inventory('javascript')).servers
      .filter((row) => SERVERS.includes(row.server as 'a'))
      .map((row) => row.items[0]?.hash);
    expect(new Set(hashes).size).toBe(1);

    const refused = await fleet('javascript', {
      ...body,
      action: 'update',
      script: 'function other() {}',
      servers: ['a'],
    });
    expect(refused).toEqual([
      {
        server: 'a',
        ok: false,
        status: 400,
        message: 'javascript function update command error: cannot find function "area" in script',
      },
    ]);
  });

  test('delete: where it is, it goes; where it is not, the preview skips and the server says so', async () => {
    await createFunction('area', 'a');
    const preview = await fleet('javascript', {
      action: 'delete',
      name: 'area',
      servers: ['a', 'b'],
      dryRun: true,
    });
    expect(preview.map((row) => row.plan)).toEqual(['delete', 'skip']);
    const results = await fleet('javascript', { action: 'delete', name: 'area', servers: ['a', 'b'] });
    expect(results).toEqual([
      { server: 'a', ok: true, status: 200, message: 'javascript function area is deleted' },
      {
        server: 'b',
        ok: false,
        status: 404,
        message: 'delete javascript function area error: area is not found',
      },
    ]);
  });

  test('bad requests answer 400 and touch no server', async () => {
    const before = proxies.a!.requests.length;
    for (const [request, problem] of [
      [
        { action: 'install', name: 'area', script: AREA, servers: ['a'] },
        'action must be one of create, update, delete',
      ],
      [{ action: 'create', name: 'area', servers: ['a'] }, 'a create needs script'],
      [
        { action: 'create', name: 'a/b', script: AREA, servers: ['a'] },
        "id 'a/b' contains invalid characters",
      ],
      [{ action: 'create', name: 'area', script: AREA, servers: [] }, 'servers must list the ids'],
      [{ action: 'create', name: 'area', file: 'file:///x.zip', servers: ['a'] }, 'file is for services'],
    ] as const) {
      const answer = await front.request('POST', '/manager/fleet/javascript', request);
      expect(answer.status).toBe(400);
      expect(answer.json<{ message: string }>().message).toContain(problem);
    }
    expect(proxies.a!.requests.length).toBe(before);
  });
});

describe('bulk create, update and delete of a service', () => {
  test('created from one zip on every server, each upload removed; a server without /services says so in its own words', async () => {
    const stream = await EventStreamReader.open(
      `${front.url}/manager/fleet/services`,
      { action: 'create', name: 'weather', file: fileUrl(schemalessZip), servers: EVERY },
      AbortSignal.timeout(60_000),
    );
    const done = (await stream.until((event) => (event.data as FleetProgressEvent).type === 'done'))
      .data as Extract<FleetProgressEvent, { type: 'done' }>;
    const events = stream.events.map((event) => event.data as FleetProgressEvent);
    expect(done.results.map(({ server, ok, status, message }) => ({ server, ok, status, message }))).toEqual([
      ...['local', 'a', 'b', 'c'].map((server) => ({
        server,
        ok: true,
        status: 201,
        message: 'service weather is created',
      })),
      // eKuiper's POST /services needs an upload first, which this server has; its /services it lacks.
      { server: 'core', ok: false, status: 404, message: '404 page not found' },
    ]);
    expect(
      events.some((event) => event.type === 'phase' && event.server === 'a' && event.phase === 'upload'),
    ).toBe(true);
    // c and core are one host: each upload had a name of its own, so neither removed the other's.
    const uploadOf = (id: string) =>
      proxies[id]!.requests.filter((line) => line.startsWith('DELETE /config/uploads/')).at(-1);
    expect(uploadOf('c')).toMatch(/^DELETE \/config\/uploads\/weather-[0-9a-f]{12}-[0-9a-f]{6}\.zip$/);
    expect(uploadOf('core')).toMatch(/^DELETE \/config\/uploads\/weather-/);
    expect(uploadOf('c')).not.toBe(uploadOf('core'));
    for (const host of all()) {
      expect((await host.request('GET', '/services')).json()).toEqual(['weather']);
      expect((await host.request('GET', '/config/uploads')).text).toBe('[]');
    }
    const answer = await inventory('services');
    const local = answer.servers.find((row) => row.server === 'local')!;
    expect(local.items).toEqual([
      {
        name: 'weather',
        hash: HASH,
        interfaces: [
          { name: 'weather', protocol: 'rest', address: 'http://127.0.0.1:9', functions: ['weather'] },
        ],
      },
    ]);
    expect(answer.servers.find((row) => row.server === 'core')).toMatchObject({ ok: true, available: false });
  });

  test('a zip no server would accept is refused before any server is asked', async () => {
    const before = proxies.a!.requests.length;
    const answer = await front.request('POST', '/manager/fleet/services', {
      action: 'create',
      name: 'broken',
      file: fileUrl(brokenZip),
      servers: ['a'],
    });
    expect(answer.status).toBe(400);
    expect(answer.json<{ message: string }>().message).toContain('the zip has no broken.json at its root');
    expect(proxies.a!.requests.length).toBe(before);
  });

  test('update replaces where it is and creates where it is not; delete removes it', async () => {
    const created = await fleet('services', {
      action: 'create',
      name: 'weather',
      file: fileUrl(schemalessZip),
      servers: ['a'],
    });
    expect(created[0]!.ok).toBe(true);
    const other = join(zipDir, 'weather2.zip');
    await writeFile(other, schemaless('weather', 'http://127.0.0.1:10'));
    const preview = await fleet('services', {
      action: 'update',
      name: 'weather',
      file: fileUrl(other),
      servers: ['a', 'b'],
      dryRun: true,
    });
    expect(preview.map((row) => [row.plan, row.message])).toEqual([
      ['update', "will replace service 'weather'"],
      ['create', "service 'weather' is not there: the update will create it"],
    ]);
    const updated = await fleet('services', {
      action: 'update',
      name: 'weather',
      file: fileUrl(other),
      servers: ['a', 'b'],
    });
    expect(updated.map((row) => [row.status, row.message])).toEqual([
      [200, 'service weather is updated'],
      [201, 'service weather is created'],
    ]);
    const described = (await hosts.a!.request('GET', '/services/weather')).json<{
      Interfaces: Record<string, { Addr: string }>;
    }>();
    expect(described.Interfaces.weather!.Addr).toBe('http://127.0.0.1:10');
    const deleted = await fleet('services', { action: 'delete', name: 'weather', servers: ['a', 'b'] });
    expect(deleted.map((row) => row.message)).toEqual([
      'service weather is deleted',
      'service weather is deleted',
    ]);
  });
});

describe('export one server, import on another', () => {
  async function exported(id: string): Promise<ExtensionExportFile> {
    const answer = await front.request('GET', `/manager/servers/${id}/extensions/export`);
    expect(answer.status, answer.text).toBe(200);
    expect(answer.headers.get('content-disposition')).toMatch(
      new RegExp(`^attachment; filename="${id}-extensions-`),
    );
    return answer.json<ExtensionExportFile>();
  }

  async function importInto(id: string, file: unknown, dryRun = false): Promise<ExtensionImportAnswer> {
    const answer = await front.request(
      'POST',
      `/manager/servers/${id}/extensions/import${dryRun ? '?dryRun=true' : ''}`,
      file,
    );
    expect(answer.status, answer.text).toBe(200);
    return answer.json<ExtensionImportAnswer>();
  }

  async function state(id: string): Promise<unknown> {
    const host = hostOf(id);
    const functions = (await host.request('GET', '/udf/javascript')).json<string[]>().sort();
    const services = (await host.request('GET', '/services')).json<string[]>().sort();
    return {
      functions: await Promise.all(
        functions.map(async (f) => (await host.request('GET', `/udf/javascript/${f}`)).json()),
      ),
      services: await Promise.all(
        services.map(async (s) => (await host.request('GET', `/services/${s}`)).json()),
      ),
    };
  }

  test("this computer's functions and services (a .proto one too) end up equal on a server that cannot reach its files", async () => {
    await createFunction('area', 'local');
    await createFunction(
      'sum_js',
      'local',
      'function sum_js(xs) { var s = 0; for (var i = 0; i < xs.length; i++) s += xs[i]; return s; }',
    );
    expect(
      (await front.request('POST', '/services', { name: 'greeter', file: fileUrl(protoZip) })).status,
    ).toBe(201);
    expect(
      (await front.request('POST', '/services', { name: 'weather', file: fileUrl(schemalessZip) })).status,
    ).toBe(201);

    const file = await exported('local');
    expect(Object.keys(file.scripts).sort()).toEqual(['area', 'sum_js']);
    // eKuiper's shape: each value is the JSON of the object as a string.
    expect(JSON.parse(file.scripts.area!)).toEqual({
      id: 'area',
      description: 'area',
      script: AREA,
      isAgg: false,
    });
    expect(JSON.parse(file.Service.greeter!)).toEqual({ name: 'greeter', file: fileUrl(protoZip) });
    const extra = file[EXPORT_EXTRA_KEY];
    expect(Object.keys(extra.services).sort()).toEqual(['greeter', 'weather']);
    expect(extra.services.greeter!.source).toBe('host-files');
    expect(extra.notEmbedded).toEqual({});

    // The zips on disk are gone: only the embedded copies can install them.
    const moved = { ...file };
    await rm(protoZip);
    try {
      const preview = await importInto('b', moved, true);
      expect(preview.results.map((row) => [row.kind, row.name, row.outcome])).toEqual([
        ['javascript', 'area', 'create'],
        ['javascript', 'sum_js', 'create'],
        ['services', 'greeter', 'create'],
        ['services', 'weather', 'create'],
      ]);
      expect(await state('b')).toEqual({ functions: [], services: [] });

      const imported = await importInto('b', moved);
      expect(imported.results.map((row) => [row.name, row.outcome, row.status, row.message])).toEqual([
        ['area', 'created', 201, 'javascript function area is created'],
        ['sum_js', 'created', 201, 'javascript function sum_js is created'],
        ['greeter', 'created', 201, 'service greeter is created'],
        ['weather', 'created', 201, 'service weather is created'],
      ]);
      expect(await state('b')).toEqual(await state('local'));
      expect((await hosts.b!.request('GET', '/config/uploads')).text).toBe('[]');

      // Again: each is replaced.
      const again = await importInto('b', moved);
      expect(again.results.map((row) => row.outcome)).toEqual([
        'replaced',
        'replaced',
        'replaced',
        'replaced',
      ]);
    } finally {
      await writeFile(
        protoZip,
        zipSync({
          'greeter.json': Buffer.from(
            JSON.stringify({
              interfaces: {
                tsrest: {
                  address: 'http://127.0.0.1:51234',
                  protocol: 'rest',
                  schemaType: 'protobuf',
                  schemaFile: 'hw.proto',
                },
              },
            }),
          ),
          'schemas/': new Uint8Array(0),
          'schemas/hw.proto': Buffer.from(HW_PROTO),
        }),
      );
    }
  });

  test('a remote server: schemaless services are rebuilt, a .proto one whose files cannot be read is named with why', async () => {
    await fleet('services', {
      action: 'create',
      name: 'weather',
      file: fileUrl(schemalessZip),
      servers: ['a'],
    });
    await fleet('services', { action: 'create', name: 'greeter', file: fileUrl(protoZip), servers: ['a'] });
    await createFunction('area', 'a');
    const file = await exported('a');
    const extra = file[EXPORT_EXTRA_KEY];
    expect(extra.server).toEqual({ id: 'a', name: 'a' });
    expect(extra.services.weather!.source).toBe('rebuilt-schemaless');
    expect(Object.keys(extra.notEmbedded)).toEqual(['greeter']);

    const imported = await importInto('c', file);
    expect(imported.results.map((row) => [row.name, row.outcome])).toEqual([
      ['area', 'created'],
      ['greeter', 'failed'],
      ['weather', 'created'],
    ]);
    expect((await hosts.c!.request('GET', '/services/weather')).json()).toEqual(
      (await hosts.a!.request('GET', '/services/weather')).json(),
    );
  });

  test('a server without the routes: each item fails with why, nothing else happens', async () => {
    await createFunction('area', 'local');
    const imported = await importInto('core', await exported('local'));
    expect(imported.results).toEqual([
      {
        kind: 'javascript',
        name: 'area',
        outcome: 'failed',
        status: 404,
        message:
          "not imported: this server's eKuiper has no JavaScript function routes (/udf/javascript answered 404)",
      },
    ]);
    const file = await exported('core');
    expect(file[EXPORT_EXTRA_KEY].unavailable).toEqual(['javascript', 'services']);
  });

  test("eKuiper's own export file is read; a bad file is refused whole, a bad item fails alone", async () => {
    const ekuiper = {
      streams: {},
      rules: {},
      scripts: {
        area: JSON.stringify({ id: 'area', description: '', script: AREA, isAgg: false }),
        broken: '{not json',
      },
      Service: {},
    };
    const imported = await importInto('a', ekuiper);
    expect(imported.results.map((row) => [row.name, row.outcome, row.message])).toEqual([
      ['area', 'created', 'javascript function area is created'],
      [
        'broken',
        'failed',
        'the entry is not what eKuiper\'s export holds for a JavaScript function: not a JSON text of {"id","description","script","isAgg"}',
      ],
    ]);

    for (const [body, message] of [
      ['{"scripts":', 'invalid import file: it is not JSON'],
      ['{"rules":{}}', 'invalid import file: it has neither "scripts" nor "Service"'],
      ['{"scripts":[1]}', 'invalid import file: "scripts" must map names to JSON texts'],
    ] as const) {
      const response = await front.request('POST', '/manager/servers/a/extensions/import', body);
      expect(response.status).toBe(400);
      expect(response.json<{ message: string }>().message).toContain(message);
    }
    const unknown = await front.request('POST', '/manager/servers/nope/extensions/import', ekuiper);
    expect(unknown.status).toBe(404);
  });
});
