import { nodePluginScript } from '../support/node-plugin-bundle.js';
import { acquireTestLock, LOCK_WAIT_MS } from '../support/test-lock.js';
import { execFileSync } from 'node:child_process';
import { get as httpGet, type ClientRequest, type IncomingMessage } from 'node:http';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, onTestFinished, test, vi } from 'vitest';
import { confSettings } from '../../main/settings/conf-settings.js';
import type { PublicSettings, SettingsUpdate } from '../../shared/host-settings.js';
import { detectOsFlavour, goArch } from '../../main/plugins/prebuilt-plugins.js';
import type { SettingsAnswer } from '../../main/rest/manager-routes.js';
import type { InstallEvent } from '../../shared/install-events.js';
import type { PluginDetails, PluginOverview } from '../../shared/plugin-dto.js';
import { FIXTURES, TEST_ZIPS, fileUrl, startTestHost, type TestHost } from '../support/host-harness.js';
import { buildZip, type TestZipEntry } from '../support/zip-writer.js';
import { expectError, expectErrorStarting } from './rest-helpers.js';

// The host's own routes for the window, over real HTTP: plugin metadata, settings, install events.

const MIRROR = join(FIXTURES, 'portable/mirror.zip');

let t: TestHost;
let zips: string;
let counter = 0;
beforeAll(async () => {
  t = await startTestHost();
  zips = await mkdtemp(join(tmpdir(), 'ekm-manager-zips-'));
});
afterAll(async () => {
  await t.close();
  await rm(zips, { recursive: true, force: true });
});

async function zipOf(entries: TestZipEntry[]): Promise<string> {
  const path = join(zips, `z${++counter}.zip`);
  await writeFile(path, buildZip(entries));
  return path;
}

/** The JSON a zip entry holds, read with `unzip -p`, independently of the host. */
function entryJson(zip: string, entry: string): unknown {
  return JSON.parse(execFileSync('unzip', ['-p', zip, entry], { encoding: 'utf8' }));
}

/** A raw GET (no automatic decompression): status, headers and the body bytes as sent. */
async function rawGet(
  path: string,
  headers: Record<string, string>,
): Promise<{ status: number; headers: IncomingMessage['headers']; body: Buffer }> {
  return new Promise((resolve, reject) => {
    httpGet(`${t.url}${path}`, { headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () =>
        resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks) }),
      );
      response.on('error', reject);
    }).on('error', reject);
  });
}

describe('GET /manager/plugins', () => {
  test(
    'answers the same JSON plain and gzipped, and a fresh answer after every change',
    async () => {
      const names = (body: Buffer) =>
        (JSON.parse(body.toString('utf8')) as Array<{ name: string }>).map((p) => p.name);
      const plain = await rawGet('/manager/plugins', {});
      expect(plain.status).toBe(200);
      expect(plain.headers['content-type']).toBe('application/json');
      expect(plain.headers['content-encoding']).toBeUndefined();
      expect(plain.headers.vary).toMatch(/accept-encoding/i);
      expect(names(plain.body)).not.toContain('mirror');

      // eKuiper's mirror dials fixed socket names: files that run it take turns.
      const release = await acquireTestLock('mirror');
      onTestFinished(release);
      expect(
        (await t.request('POST', '/plugins/portables', { name: 'mirror', file: fileUrl(MIRROR) })).status,
      ).toBe(201);
      const zipped = await rawGet('/manager/plugins', { 'Accept-Encoding': 'br;q=1, gzip;q=0.8' });
      expect(zipped.headers['content-encoding']).toBe('gzip');
      const inflated = gunzipSync(zipped.body);
      expect(names(inflated)).toContain('mirror');
      const again = await rawGet('/manager/plugins', { 'Accept-Encoding': 'identity' });
      expect(again.body.equals(inflated)).toBe(true);
      // Refused with q=0: plain JSON.
      const refused = await rawGet('/manager/plugins', { 'Accept-Encoding': 'gzip;q=0' });
      expect(refused.headers['content-encoding']).toBeUndefined();
      expect(refused.body.equals(inflated)).toBe(true);

      expect((await t.request('DELETE', '/plugins/portables/mirror')).status).toBe(200);
      expect(names((await rawGet('/manager/plugins', {})).body)).not.toContain('mirror');
      expect(
        names(gunzipSync((await rawGet('/manager/plugins', { 'Accept-Encoding': 'gzip' })).body)),
      ).not.toContain('mirror');
    },
    LOCK_WAIT_MS,
  );
});

/** The fields a list row must not carry: they are one plugin's details, fetched on demand. */
const DETAIL_ONLY_ROW_FIELDS = ['file'];
const DETAIL_ONLY_RECORD_FIELDS = ['zipSha256', 'shellParas', 'installLog', 'kind', 'name'];

describe('lean list rows and GET /manager/plugins/{kind}/{name}', () => {
  // install.sh prints 1,000 numbered lines (about 55 KB, under the 64 KiB the record keeps) to stdout and one to stderr.
  const LINES = 1000;
  const script =
    `i=1\nwhile [ $i -le ${LINES} ]; do echo "fetching driver part $i of ${LINES} for the chatty sink"; ` +
    `i=$((i+1)); done\necho "warning: args $1 $2" >&2\n`;

  test('a long install log stays out of the list and comes whole with the details', async () => {
    const zip = await zipOf([
      { name: 'Chatty.so', data: 'stand-in library' },
      { name: 'install.sh', data: script, mode: 0o755 },
    ]);
    const zipSha256 = createHash('sha256')
      .update(await readFile(zip))
      .digest('hex');
    const created = await t.request('POST', '/plugins/sinks', {
      name: 'chatty',
      file: fileUrl(zip),
      shellParas: ['--fast', 'two words'],
    });
    expect(created.status).toBe(201);
    try {
      const list = await rawGet('/manager/plugins', {});
      const rows = JSON.parse(list.body.toString('utf8')) as Array<Record<string, unknown>>;
      const row = rows.find((candidate) => candidate.name === 'chatty')!;
      for (const field of DETAIL_ONLY_ROW_FIELDS) expect(row).not.toHaveProperty(field);
      const record = row.record as Record<string, unknown>;
      for (const field of DETAIL_ONLY_RECORD_FIELDS) expect(record).not.toHaveProperty(field);
      expect(Object.keys(row)).toEqual([
        'kind',
        'name',
        'version',
        'functions',
        'sources',
        'sinks',
        'record',
      ]);
      expect(Object.keys(record)).toEqual([
        'source',
        'installedAt',
        'zipBytes',
        'installedBytes',
        'installLogBytes',
      ]);
      expect(list.body.toString('utf8')).not.toContain('fetching driver part');

      const response = await t.request('GET', '/manager/plugins/sinks/chatty');
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('application/json');
      const details = response.json<PluginDetails>();
      expect(details).toMatchObject({
        kind: 'sinks',
        name: 'chatty',
        file: join(t.dataDir, 'plugins/sinks/Chatty.so'),
        sinks: ['chatty'],
        record: {
          kind: 'sinks',
          name: 'chatty',
          source: fileUrl(zip),
          shellParas: ['--fast', 'two words'],
          zipSha256,
        },
      });
      expect(await readFile(details.file, 'utf8')).toBe('stand-in library');
      const log = details.record!.installLog!;
      expect(log).toContain(`fetching driver part 1 of ${LINES} for the chatty sink\n`);
      expect(log).toContain(`fetching driver part ${LINES} of ${LINES} for the chatty sink\n`);
      expect(log).toContain('warning: args --fast two words');
      expect(record.installLogBytes).toBe(Buffer.byteLength(log, 'utf8'));
      // The list row beside the details it leaves out: a few hundred bytes against the whole log.
      expect(Buffer.byteLength(JSON.stringify(row))).toBeLessThan(400);
      expect(response.text.length).toBeGreaterThan(50_000);
      // Everything the list says agrees with the details.
      const fullRecord = details.record;
      expect(row).toEqual({
        kind: details.kind,
        name: details.name,
        version: details.version,
        functions: details.functions,
        sources: details.sources,
        sinks: details.sinks,
        record: {
          source: fullRecord!.source,
          installedAt: fullRecord!.installedAt,
          zipBytes: fullRecord!.zipBytes,
          installedBytes: fullRecord!.installedBytes,
          installLogBytes: Buffer.byteLength(log, 'utf8'),
        },
      });
    } finally {
      expect((await t.request('DELETE', '/plugins/sinks/chatty')).status).toBe(200);
    }
  });

  test("a portable plugin's details name its executable; a plugin without install.sh has no log", async () => {
    const zip = await zipOf([
      {
        name: 'quiet.json',
        data: JSON.stringify({ version: 'v2', language: 'go', executable: 'run', sinks: ['quietSink'] }),
      },
      { name: 'run', data: await nodePluginScript(), mode: 0o755 },
    ]);
    expect(
      (await t.request('POST', '/plugins/portables', { name: 'quiet', file: fileUrl(zip) })).status,
    ).toBe(201);
    try {
      const rows = (await t.request('GET', '/manager/plugins')).json<PluginOverview[]>();
      const row = rows.find((candidate) => candidate.name === 'quiet')!;
      expect(row).toMatchObject({ kind: 'portables', version: 'v2', language: 'go', sinks: ['quietSink'] });
      expect(row.record).not.toHaveProperty('installLogBytes');
      const details = (await t.request('GET', '/manager/plugins/portables/quiet')).json<PluginDetails>();
      expect(details).toMatchObject({ kind: 'portables', name: 'quiet', version: 'v2', language: 'go' });
      expect(details.file).toBe(join(t.dataDir, 'plugins/portable/quiet/run'));
      expect(details.record).toMatchObject({ kind: 'portables', name: 'quiet', shellParas: [] });
      expect(details.record!.zipSha256).toMatch(/^[0-9a-f]{64}$/);
      expect(details.record).not.toHaveProperty('installLog');
    } finally {
      expect((await t.request('DELETE', '/plugins/portables/quiet')).status).toBe(200);
    }
  });

  test('unknown plugins answer 404 naming kind and name, bad names 400, other methods 405', async () => {
    expectError(
      await t.request('GET', '/manager/plugins/sources/nothing'),
      404,
      'details of source plugin nothing error: no source plugin named nothing is installed',
    );
    expectError(
      await t.request('GET', '/manager/plugins/portables/ghost'),
      404,
      'details of portable plugin ghost error: no portable plugin named ghost is installed',
    );
    expectErrorStarting(await t.request('GET', '/manager/plugins/functions/a%20b'), 400, "id 'a b'");
    for (const method of ['POST', 'PUT', 'DELETE'] as const) {
      const refused = await t.request(method, '/manager/plugins/sinks/x');
      expect({ method, status: refused.status, text: refused.text }).toEqual({
        method,
        status: 405,
        text: '',
      });
    }
    const unknownKind = await t.request('GET', '/manager/plugins/widgets/x');
    expect({ status: unknownKind.status, text: unknownKind.text }).toEqual({
      status: 404,
      text: '404 page not found\n',
    });
    // An empty name is an unknown path, as in eKuiper's router.
    expect((await t.request('GET', '/manager/plugins/sinks/')).status).toBe(404);
  });
});

describe('GET /manager/plugins/{kind}/{name}/metadata', () => {
  test(
    "a portable plugin's symbols, after installing mirror.zip as mirror",
    async () => {
      // eKuiper's mirror dials fixed socket names: files that run it take turns.
      const release = await acquireTestLock('mirror');
      onTestFinished(release);
      expect(
        (await t.request('POST', '/plugins/portables', { name: 'mirror', file: fileUrl(MIRROR) })).status,
      ).toBe(201);
      const response = await t.request('GET', '/manager/plugins/portables/mirror/metadata');
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('application/json');
      expect(response.json()).toEqual({
        sources: { random: entryJson(MIRROR, 'sources/random.json') },
        sinks: { file: entryJson(MIRROR, 'sinks/file.json') },
        functions: { echo: entryJson(MIRROR, 'functions/echo.json') },
      });
      const about = response.json<{ sources: { random: { about: { description: { en_US: string } } } } }>();
      expect(about.sources.random.about.description.en_US).toBeTruthy();
      expect((await t.request('DELETE', '/plugins/portables/mirror')).status).toBe(200);
    },
    LOCK_WAIT_MS,
  );

  test("a native plugin's {name}.json, data/ before etc/", async () => {
    const meta = { about: { author: { name: 'me' } }, properties: [{ name: 'path' }] };
    const zip = await zipOf([
      { name: 'Meta.so', data: 'x' },
      { name: 'meta.json', data: JSON.stringify(meta) },
    ]);
    expect((await t.request('POST', '/plugins/sinks', { name: 'meta', file: fileUrl(zip) })).status).toBe(
      201,
    );
    expect((await t.request('GET', '/manager/plugins/sinks/meta/metadata')).json()).toEqual(meta);
    await writeFile(join(t.dataDir, 'data/sinks/meta.json'), '{"from":"data"}');
    expect((await t.request('GET', '/manager/plugins/sinks/meta/metadata')).json()).toEqual({ from: 'data' });
    await rm(join(t.dataDir, 'data/sinks/meta.json'));
    await writeFile(join(t.dataDir, 'etc/sinks/meta.json'), '{"from":"etc"}');
    expect((await t.request('GET', '/manager/plugins/sinks/meta/metadata')).json()).toEqual({ from: 'etc' });
    expect((await t.request('DELETE', '/plugins/sinks/meta')).status).toBe(200);
  });

  test('a file that is not JSON answers 200 with the parse error (random2.json is empty)', async () => {
    const file = fileUrl(join(TEST_ZIPS, 'sources/random2.zip'));
    expect((await t.request('POST', '/plugins/sources', { name: 'random2', file })).status).toBe(201);
    const response = await t.request('GET', '/manager/plugins/sources/random2/metadata');
    expect(response.status).toBe(200);
    const answer = response.json<{ invalid: string; file: string }>();
    expect(answer.file).toBe('data/sources/random2.json');
    expect(Object.keys(answer)).toEqual(['invalid', 'file']);
    expect(answer.invalid).toMatch(/JSON/);
    expect((await t.request('DELETE', '/plugins/sources/random2')).status).toBe(200);
  });

  test('404 in eKuiper’s shape when there is none, or no such plugin', async () => {
    const file = fileUrl(join(TEST_ZIPS, 'sources/random3.zip'));
    expect((await t.request('POST', '/plugins/sources', { name: 'random3', file })).status).toBe(201);
    expectError(
      await t.request('GET', '/manager/plugins/sources/random3/metadata'),
      404,
      'metadata of source plugin random3 error: the plugin has no metadata file (data/sources/random3.json or ' +
        'etc/sources/random3.json)',
    );
    expect((await t.request('DELETE', '/plugins/sources/random3')).status).toBe(200);
    expectError(
      await t.request('GET', '/manager/plugins/functions/nothing/metadata'),
      404,
      'metadata of function plugin nothing error: not found',
    );
    expectError(
      await t.request('GET', '/manager/plugins/portables/nothing/metadata'),
      404,
      'metadata of portable plugin nothing error: not found',
    );
    const portable = await zipOf([
      { name: 'bare.json', data: JSON.stringify({ language: 'go', executable: 'run', sinks: ['bareSink'] }) },
      { name: 'run', data: await nodePluginScript(), mode: 0o755 },
    ]);
    expect(
      (await t.request('POST', '/plugins/portables', { name: 'bare', file: fileUrl(portable) })).status,
    ).toBe(201);
    expectErrorStarting(
      await t.request('GET', '/manager/plugins/portables/bare/metadata'),
      404,
      'metadata of portable plugin bare error: none of its symbols has a metadata file',
    );
    expect((await t.request('DELETE', '/plugins/portables/bare')).status).toBe(200);
  });

  test('bad names answer 400, unknown kinds 404, other methods 405', async () => {
    expectErrorStarting(await t.request('GET', '/manager/plugins/sinks/a%20b/metadata'), 400, "id 'a b'");
    const unknownKind = await t.request('GET', '/manager/plugins/widgets/x/metadata');
    expect({ status: unknownKind.status, text: unknownKind.text }).toEqual({
      status: 404,
      text: '404 page not found\n',
    });
    expect((await t.request('POST', '/manager/plugins/sinks/x/metadata')).status).toBe(405);
  });
});

describe('/manager/settings', () => {
  test('GET answers every setting but the token', async () => {
    const settings = (await t.request('GET', '/manager/settings')).json<PublicSettings>();
    expect(settings).toMatchObject({
      restHost: '127.0.0.1',
      restPort: 0,
      dataDir: t.dataDir,
      tokenSet: false,
    });
    expect(settings).not.toHaveProperty('token');
    expect(Object.keys(settings).sort()).toEqual(
      [...Object.keys(t.settings).filter((key) => key !== 'token'), 'tokenSet', 'resolved'].sort(),
    );
  });

  test('GET says what auto resolves to on this machine', async () => {
    const { resolved } = (await t.request('GET', '/manager/settings')).json<SettingsAnswer>();
    expect(resolved.arch).toBe(goArch());
    if (process.platform === 'linux') expect(resolved.osFlavour).toBe(await detectOsFlavour());
    else expect(resolved.osFlavour).toBeNull();
  });

  test('PUT validates every field and answers all problems in eKuiper’s shape', async () => {
    const before = { ...t.settings };
    const response = await t.request('PUT', '/manager/settings', {
      restPort: 70000,
      installScriptTimeoutMs: 0,
      downloadTimeoutMs: -5,
      maxZipEntries: 1.5,
      osFlavour: 'windows',
      arch: 'sparc',
      pluginHosts: 'https://ok.example, ftp://files.example',
      allowedOrigins: ['http://localhost:3000/path'],
      allowExternalFileAccess: 'yes',
      dataDir: 'relative/folder',
      token: 'has space',
      colour: 'blue',
    });
    const message = expectErrorStarting(response, 400, 'invalid settings: ');
    for (const part of [
      'restPort must be a whole number from 0 to 65535',
      'installScriptTimeoutMs must be a whole number from 1 to',
      'downloadTimeoutMs must be a whole number from 1 to',
      'maxZipEntries must be a whole number',
      'osFlavour must be one of auto, debian, alpine',
      'arch must be auto or one of amd64',
      "pluginHosts holds 'ftp://files.example', which is not an http(s) URL",
      "allowedOrigins holds 'http://localhost:3000/path', which is not an origin",
      'allowExternalFileAccess must be true or false',
      'dataDir must be an absolute folder path',
      'token must not contain spaces',
      "unknown setting 'colour'",
    ]) {
      expect(message).toContain(part);
    }
    expect(t.settings).toEqual(before);
    expectErrorStarting(
      await t.request('PUT', '/manager/settings', '{"restPort":'),
      400,
      'invalid settings: the body is not JSON',
    );
    expectError(
      await t.request('PUT', '/manager/settings', '[1]'),
      400,
      'invalid settings: the body must be a JSON object of settings to change',
    );
    expectErrorStarting(
      await t.request('PUT', '/manager/settings', { restHost: '0.0.0.0' }),
      400,
      'invalid settings: restHost 0.0.0.0 is not a loopback address, so a token is required',
    );
  });

  test('PUT applies, persists across restart, and says what needs a restart', async () => {
    const response = await t.request('PUT', '/manager/settings', {
      installScriptTimeoutMs: 1234,
      pluginHosts: 'http://127.0.0.1:1/a,https://packages.emqx.io',
      ekuiperVersion: '2.1.0',
      allowedHosts: ['devbox.local'],
      restPort: 0,
      dataDir: join(t.tempDir, 'elsewhere'),
    });
    expect(response.status).toBe(200);
    const answer = response.json<SettingsUpdate>();
    expect(answer.changed.sort()).toEqual([
      'allowedHosts',
      'dataDir',
      'installScriptTimeoutMs',
      'pluginHosts',
    ]);
    expect(answer.restartRequired).toEqual(['dataDir']);
    expect(answer.overridden).toEqual([]);
    expect(answer.settings).toMatchObject({ installScriptTimeoutMs: 1234, allowedHosts: ['devbox.local'] });
    // Put the data folder back, so the restart below reopens the same one.
    expect((await t.request('PUT', '/manager/settings', { dataDir: t.dataDir })).status).toBe(200);
    await t.restart();
    const after = (await t.request('GET', '/manager/settings')).json<PublicSettings>();
    expect(after).toMatchObject({
      installScriptTimeoutMs: 1234,
      allowedHosts: ['devbox.local'],
      dataDir: t.dataDir,
    });
    const unchanged = await t.request('PUT', '/manager/settings', { installScriptTimeoutMs: 1234 });
    expect(unchanged.json<SettingsUpdate>().changed).toEqual([]);
    await t.request('PUT', '/manager/settings', { installScriptTimeoutMs: 300_000, allowedHosts: [] });
  });

  test('the token is write-only and guards the API from the next request on', async () => {
    const response = await t.request('PUT', '/manager/settings', { token: 's3cret' });
    expect(response.status).toBe(200);
    expect(response.json<SettingsUpdate>()).toMatchObject({
      changed: ['token'],
      settings: { tokenSet: true },
    });
    expect(response.text).not.toContain('s3cret');
    expect((await t.request('GET', '/manager/settings')).status).toBe(401);
    const auth = { Authorization: 'Bearer s3cret' };
    const settings = await t.request('GET', '/manager/settings', undefined, auth);
    expect(settings.json<PublicSettings>().tokenSet).toBe(true);
    expect(settings.text).not.toContain('s3cret');
    expect((await t.request('PUT', '/manager/settings', { token: '' }, auth)).status).toBe(200);
    expect((await t.request('GET', '/manager/settings')).status).toBe(200);
  });

  test('confSettings writes through the conf store, and reports keys a flag overrides', async () => {
    const cwd = await mkdtemp(join(tmpdir(), 'ekm-conf-'));
    try {
      const source = confSettings({ restPort: 9999 }, cwd);
      await source.write!({ installScriptTimeoutMs: 4321, restPort: 1234 });
      expect(source.read()).toMatchObject({ installScriptTimeoutMs: 4321, restPort: 9999 });
      expect(source.overriddenKeys!()).toEqual(['restPort']);
      const stored = JSON.parse(await readFile(join(cwd, 'config.json'), 'utf8')) as Record<string, unknown>;
      expect(stored).toMatchObject({ installScriptTimeoutMs: 4321, restPort: 1234 });
      expect(confSettings({}, cwd).read()).toMatchObject({ installScriptTimeoutMs: 4321, restPort: 1234 });
    } finally {
      await rm(cwd, { recursive: true, force: true });
    }
  });
});

interface EventClient {
  status: number;
  contentType: string | null;
  events: InstallEvent[];
  comments: string[];
  close(): void;
  /** Waits for an event of this operation with this phase, and answers all of that operation's events. */
  until(name: string, phase: 'done' | 'failed', op?: InstallEvent['op']): Promise<InstallEvent[]>;
}

/** Splits a Server-Sent Events byte stream into events and comments. */
function sseParser(events: InstallEvent[], comments: string[]): (text: string) => void {
  let buffer = '';
  return (text) => {
    buffer += text;
    for (let at = buffer.indexOf('\n\n'); at >= 0; at = buffer.indexOf('\n\n')) {
      for (const line of buffer.slice(0, at).split('\n')) {
        if (line.startsWith('data: ')) events.push(JSON.parse(line.slice(6)) as InstallEvent);
        else if (line.startsWith(':')) comments.push(line);
      }
      buffer = buffer.slice(at + 2);
    }
  };
}

function waitUntil(events: InstallEvent[]): EventClient['until'] {
  return async (name, phase, op) => {
    const end = await vi.waitFor(
      () => {
        const found = events.find(
          (event) => event.name === name && event.phase === phase && (op === undefined || event.op === op),
        );
        if (found === undefined) throw new Error(`no ${phase} event for ${name} yet`);
        return found;
      },
      { timeout: 20_000, interval: 20 },
    );
    return events.filter((event) => event.id === end.id);
  };
}

/**
 * A Server-Sent Events client on node:http, whose `close` really closes the connection (undici's fetch opens
 * a fresh idle connection after an abort, which keeps a server's close() waiting).
 */
async function openEvents(host: TestHost, headers: Record<string, string> = {}): Promise<EventClient> {
  const events: InstallEvent[] = [];
  const comments: string[] = [];
  const parse = sseParser(events, comments);
  const { request, response } = await new Promise<{ request: ClientRequest; response: IncomingMessage }>(
    (resolve, reject) => {
      const request = httpGet(`${host.url}/manager/events`, { headers }, (response) =>
        resolve({ request, response }),
      );
      request.on('error', reject);
    },
  );
  response.setEncoding('utf8');
  response.on('data', parse);
  response.on('error', () => {});
  return {
    status: response.statusCode ?? 0,
    contentType: response.headers['content-type'] ?? null,
    events,
    comments,
    close: () => request.destroy(),
    until: waitUntil(events),
  };
}

/** The same client over fetch, as the window reads the stream with an Authorization header. */
async function openEventsWithFetch(host: TestHost, headers: Record<string, string>): Promise<EventClient> {
  const controller = new AbortController();
  const response = await fetch(`${host.url}/manager/events`, { headers, signal: controller.signal });
  const events: InstallEvent[] = [];
  const comments: string[] = [];
  const parse = sseParser(events, comments);
  if (response.ok && response.body !== null) {
    const reader = response.body.getReader();
    const decoder = new TextDecoder();
    void (async () => {
      try {
        for (;;) {
          const chunk = (await reader.read()) as { done: boolean; value?: Uint8Array };
          if (chunk.done) return;
          parse(decoder.decode(chunk.value, { stream: true }));
        }
      } catch {
        // Aborted by close().
      }
    })();
  }
  return {
    status: response.status,
    contentType: response.headers.get('content-type'),
    events,
    comments,
    close: () => controller.abort(),
    until: waitUntil(events),
  };
}

/** The phases of one operation with repeats collapsed: download, download, inspect → download, inspect. */
function phases(events: InstallEvent[]): string[] {
  return events
    .map((event) => event.phase)
    .filter((phase, index, all) => index === 0 || all[index - 1] !== phase);
}

describe('GET /manager/events', () => {
  test(
    'an install reports download → inspect → extract → commit → done; a delete commit → done',
    async () => {
      const release = await acquireTestLock('mirror');
      onTestFinished(release);
      const client = await openEvents(t);
      try {
        expect(client.status).toBe(200);
        expect(client.contentType).toBe('text/event-stream; charset=utf-8');
        expect(
          (await t.request('POST', '/plugins/portables', { name: 'mirror', file: fileUrl(MIRROR) })).status,
        ).toBe(201);
        const install = await client.until('mirror', 'done');
        expect(phases(install)).toEqual(['download', 'inspect', 'extract', 'commit', 'done']);
        expect(install.every((event) => event.op === 'create' && event.kind === 'portables')).toBe(true);
        const size = (await readFile(MIRROR)).length;
        expect(install).toContainEqual(
          expect.objectContaining({ phase: 'download', bytes: size, totalBytes: size }),
        );
        expect(install.at(-2)).toMatchObject({ phase: 'commit' });
        const extracted = install.filter((event) => event.phase === 'extract').at(-1)!;
        expect(extracted.bytes).toBe(extracted.totalBytes);
        expect(extracted.bytes).toBeGreaterThan(4_000_000);

        expect((await t.request('DELETE', '/plugins/portables/mirror')).status).toBe(200);
        const removal = await client.until('mirror', 'done', 'delete');
        expect(phases(removal)).toEqual(['commit', 'done']);
        expect(new Set(client.events.map((event) => event.id)).size).toBe(2);
      } finally {
        client.close();
      }
    },
    LOCK_WAIT_MS,
  );

  test("install.sh output arrives as it is printed, and a host's failure message as `failed`", async () => {
    const client = await openEvents(t);
    try {
      const zip = await zipOf([
        { name: 'Echoer.so', data: 'x' },
        { name: 'install.sh', data: 'echo first line from install.sh\necho "second line" >&2\n' },
      ]);
      expect((await t.request('POST', '/plugins/sinks', { name: 'echoer', file: fileUrl(zip) })).status).toBe(
        201,
      );
      const install = await client.until('echoer', 'done');
      expect(phases(install)).toEqual(['download', 'inspect', 'extract', 'install-script', 'commit', 'done']);
      const output = install
        .filter((event) => event.output !== undefined)
        .map((event) => event.output)
        .join('');
      expect(output).toContain('first line from install.sh\n');
      expect(output).toContain('second line\n');
      expect((await t.request('DELETE', '/plugins/sinks/echoer')).status).toBe(200);

      const bad = join(TEST_ZIPS, 'portables/wrong.zip');
      const refused = await t.request('POST', '/plugins/portables', { name: 'wrong', file: fileUrl(bad) });
      expect(refused.status).toBe(400);
      const failed = await client.until('wrong', 'failed');
      expect(failed.at(-1)).toMatchObject({
        op: 'create',
        kind: 'portables',
        phase: 'failed',
        message: refused.json<{ message: string }>().message,
      });
      expect(phases(failed)).toEqual(['download', 'inspect', 'failed']);

      const missing = await t.request('DELETE', '/plugins/sources/nothing');
      expect(missing.status).toBe(404);
      const failedDelete = await client.until('nothing', 'failed');
      expect(failedDelete).toEqual([
        expect.objectContaining({
          op: 'delete',
          phase: 'failed',
          message: missing.json<{ message: string }>().message,
        }),
      ]);
    } finally {
      client.close();
    }
  });

  test('a disconnected client is forgotten; nobody listening costs nothing', async () => {
    const events = t.host.manager.events;
    await vi.waitFor(() => expect(events.listening).toBe(false));
    const client = await openEvents(t);
    expect(events.listening).toBe(true);
    client.close();
    await vi.waitFor(() => expect(events.listening).toBe(false));
  });

  test('the access guard applies: a token host needs Authorization, a foreign origin is refused', async () => {
    const guarded = await startTestHost({ token: 'tok' });
    try {
      const anonymous = await fetch(`${guarded.url}/manager/events`);
      expect(anonymous.status).toBe(401);
      await anonymous.body?.cancel();
      const foreign = await fetch(`${guarded.url}/manager/events`, {
        headers: { Origin: 'https://evil.example', Authorization: 'Bearer tok' },
      });
      expect(foreign.status).toBe(403);
      await foreign.body?.cancel();
      const client = await openEventsWithFetch(guarded, { Authorization: 'Bearer tok' });
      expect(client.status).toBe(200);
      expect(client.contentType).toBe('text/event-stream; charset=utf-8');
      const zip = await zipOf([{ name: 'Tokened.so', data: 'x' }]);
      const created = await guarded.request(
        'POST',
        '/plugins/sinks',
        { name: 'tokened', file: fileUrl(zip) },
        { Authorization: 'Bearer tok' },
      );
      expect(created.status).toBe(201);
      expect(phases(await client.until('tokened', 'done'))).toEqual([
        'download',
        'inspect',
        'extract',
        'commit',
        'done',
      ]);
      // Closing the host with a stream open ends the stream rather than waiting for the client.
      const started = Date.now();
      await guarded.host.close();
      expect(Date.now() - started).toBeLessThan(5_000);
      client.close();
    } finally {
      await guarded.close().catch(() => {});
    }
  });
});
