import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { PluginOverview } from '../../shared/plugin-dto.js';
import { TEST_ZIPS, fileUrl, startTestHost, type TestHost } from '../support/host-harness.js';
import { uniqueName, writeNodePluginZip } from '../support/node-plugin-bundle.js';
import { downServerUrl, startForeignWebServer } from '../support/broken-servers.js';
import { addServer, frontProxy, type CountingProxy } from '../support/server-stand-ins.js';
import { errorBody } from '../rest/rest-helpers.js';

let front: TestHost;
let remote: TestHost;
let ours: CountingProxy;
let plain: CountingProxy;
const portable = uniqueName('inv');

beforeAll(async () => {
  remote = await startTestHost({ portableInitTimeoutMs: 10_000 });
  const install = async (kind: string, body: object) => {
    const answer = await remote.request('POST', `/plugins/${kind}`, body);
    expect(answer.status, answer.text).toBe(201);
  };
  await install('sinks', { name: 'file2', file: fileUrl(join(TEST_ZIPS, 'sinks/file2.zip')) });
  await install('sources', { name: 'random3', file: fileUrl(join(TEST_ZIPS, 'sources/random3.zip')) });
  await install('functions', {
    name: 'echo2',
    file: fileUrl(join(TEST_ZIPS, 'functions/echo2.zip')),
    functions: ['echo2', 'echo3'],
  });
  await install('functions', { name: 'misc', file: fileUrl(join(TEST_ZIPS, 'functions/misc.zip')) });
  const zip = await writeNodePluginZip(remote.tempDir, {
    name: portable,
    functions: { [`${portable}f`]: 'echo' },
    sinks: [`${portable}s`],
    version: 'v2.0.1',
  });
  await install('portables', { name: portable, file: fileUrl(zip) });

  ours = await frontProxy(remote.url);
  plain = await frontProxy(remote.url, { plainEkuiper: true });
  front = await startTestHost({}, { servers: { healthIntervalMs: 0 } });
  expect((await addServer(front, 'ours', ours.url)).id).toBe('ours');
  expect((await addServer(front, 'plain', plain.url)).id).toBe('plain');
});
afterAll(async () => {
  await front?.close();
  await ours?.close();
  await plain?.close();
  await remote?.close();
});

describe('GET /manager/servers/{id}/plugins', () => {
  test('one of our hosts: its own overview as is, install records included', async () => {
    const expected = (await remote.request('GET', '/manager/plugins')).json<PluginOverview[]>();
    const before = ours.requests.length;
    const answer = await front.request('GET', '/manager/servers/ours/plugins');
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toBe('application/json');
    expect(answer.json()).toEqual(expected);
    expect(expected.every((row) => row.record !== null)).toBe(true);
    expect(ours.requests.slice(before)).toEqual(['GET /manager/plugins']);
  });

  test('a plain eKuiper: built from its plugin API, the same rows without records', async () => {
    const overview = (await remote.request('GET', '/manager/plugins')).json<PluginOverview[]>();
    const before = plain.requests.length;
    const answer = await front.request('GET', '/manager/servers/plain/plugins');
    expect(answer.status).toBe(200);
    const rows = answer.json<PluginOverview[]>();
    expect(rows).toEqual(overview.map((row) => ({ ...row, record: null })));
    expect(rows.find((row) => row.name === 'random3')).toEqual({
      kind: 'sources',
      name: 'random3',
      version: '1.0.0',
      functions: [],
      sources: ['random3'],
      sinks: [],
      record: null,
    });
    expect(rows.find((row) => row.name === 'echo2')?.functions).toEqual(['echo2', 'echo3']);
    expect(rows.find((row) => row.name === 'misc')?.functions).toEqual(['misc']);
    expect(rows.find((row) => row.name === portable)).toMatchObject({
      kind: 'portables',
      version: 'v2.0.1',
      functions: [`${portable}f`],
      sinks: [`${portable}s`],
      language: 'go',
    });
    const asked = plain.requests.slice(before).sort();
    expect(asked).toEqual(
      [
        'GET /manager/plugins',
        'GET /plugins/sources',
        'GET /plugins/sinks',
        'GET /plugins/functions',
        'GET /plugins/portables',
        'GET /plugins/sources/random3',
        'GET /plugins/sinks/file2',
        'GET /plugins/functions/echo2',
        'GET /plugins/functions/misc',
      ].sort(),
    );
  });

  test('local: the host itself', async () => {
    const answer = await front.request('GET', '/manager/servers/local/plugins');
    expect(answer.status).toBe(200);
    expect(answer.text).toBe((await front.request('GET', '/manager/plugins')).text);
  });

  test("a server's refusal keeps its status and words", async () => {
    const guarded = await startTestHost({ token: 'tok' });
    await addServer(front, 'Guarded', guarded.url);
    try {
      const answer = await front.request('GET', '/manager/servers/guarded/plugins');
      expect(answer.status).toBe(401);
      expect(answer.json()).toEqual({ error: 1000, message: "server 'Guarded': missing_token" });
    } finally {
      await guarded.close();
    }
  });

  test('an address with none of the plugin lists: 404 saying so, not an empty server', async () => {
    const foreign = await startForeignWebServer('not-found');
    await addServer(front, 'Router', foreign.url);
    try {
      const answer = await front.request('GET', '/manager/servers/router/plugins');
      expect(answer.status).toBe(404);
      const message = answer.json<{ message: string }>().message;
      expect(message).toContain("server 'Router': the server answered 404 to every plugin list (");
      expect(message).toContain('/plugins/portables');
      expect(message).toContain("its address is not eKuiper's REST API");

      const fleet = await front.request('GET', '/manager/fleet/plugins?servers=router');
      expect(fleet.status).toBe(200);
      expect(JSON.stringify(fleet.json())).toContain('the server answered 404 to every plugin list');
    } finally {
      await foreign.close();
    }
  });

  test('a server that is down: 502 in plain words; an unknown id: 404', async () => {
    const url = await downServerUrl();
    await addServer(front, 'Down box', url);
    const answer = await front.request('GET', '/manager/servers/down-box/plugins');
    expect(answer.status).toBe(502);
    const message = answer.json<{ message: string }>().message;
    expect(message).toContain("server 'Down box'");
    expect(message).toContain(new URL(url).host);
    expect(message).toContain('refused');

    const unknown = await front.request('GET', '/manager/servers/nope/plugins');
    expect(unknown.status).toBe(404);
    expect(unknown.text).toBe(
      errorBody(1002, "no server has the id 'nope' (GET /manager/servers lists the servers and their ids)"),
    );
  });
});
