import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { FleetPluginsAnswer } from '../../shared/server-dto.js';
import { TEST_ZIPS, fileUrl, startTestHost, type TestHost } from '../support/host-harness.js';
import { uniqueName, writeNodePluginZip } from '../support/node-plugin-bundle.js';
import { waitFor } from '../support/process-helpers.js';
import { downServerUrl } from '../support/broken-servers.js';
import { addServer, frontProxy, type CountingProxy } from '../support/server-stand-ins.js';
import { buildZip } from '../support/zip-writer.js';

let front: TestHost;
let a: TestHost;
let b: TestHost;
let plainB: CountingProxy;
let gone: string;
const running = uniqueName('run');
// Plugins dial fixed socket names, so two hosts on one machine cannot run the same portable plugin at once.
const crashed = uniqueName('crash');

/** A source zip whose library carries a version (`Random@v1.0.0.so`), as eKuiper's packaging names it. */
async function randomSource(folder: string, version: string): Promise<string> {
  const path = join(folder, `random-${version}.zip`);
  await writeFile(
    path,
    buildZip([
      { name: `Random@v${version}.so`, data: 'a stand-in library' },
      { name: 'random.yaml', data: 'default:\n  interval: 1000\n' },
    ]),
  );
  return path;
}

async function installed(host: TestHost, kind: string, body: object): Promise<void> {
  const answer = await host.request('POST', `/plugins/${kind}`, body);
  expect(answer.status, answer.text).toBe(201);
}

beforeAll(async () => {
  a = await startTestHost({ portableInitTimeoutMs: 10_000 });
  b = await startTestHost({ portableInitTimeoutMs: 10_000 });
  for (const [host, name] of [
    [a, running],
    [b, crashed],
  ] as const) {
    const zip = await writeNodePluginZip(host.tempDir, { name, functions: { [`${name}f`]: 'echo' } });
    await installed(host, 'portables', { name, file: fileUrl(zip) });
  }
  await installed(a, 'sinks', { name: 'file2', file: fileUrl(join(TEST_ZIPS, 'sinks/file2.zip')) });
  await installed(a, 'sources', { name: 'random', file: fileUrl(await randomSource(a.tempDir, '1.0.0')) });
  await installed(b, 'sources', { name: 'random', file: fileUrl(await randomSource(b.tempDir, '1.1.0')) });

  // The plugin's process dies on b: its status turns to error, as a crashed plugin's does in eKuiper.
  const { pid } = (await b.request('GET', `/plugins/portables/${crashed}/status`)).json<{ pid: number }>();
  process.kill(pid, 'SIGKILL');
  await waitFor(
    async () =>
      (await b.request('GET', `/plugins/portables/${crashed}/status`)).json<{ status: string }>().status ===
      'error',
    'status error after kill -9',
  );

  plainB = await frontProxy(b.url, { plainEkuiper: true });
  gone = await downServerUrl();
  front = await startTestHost({}, { servers: { healthIntervalMs: 0 } });
  for (const [name, url] of [
    ['a', a.url],
    ['b', plainB.url],
    ['gone', gone],
  ] as const) {
    expect((await addServer(front, name, url)).id).toBe(name);
  }
});
afterAll(async () => {
  await front?.close();
  await plainB?.close();
  await a?.close();
  await b?.close();
});

describe('GET /manager/fleet/plugins', () => {
  test("every server's plugins with versions and portable status; a server that does not answer is listed with why", async () => {
    const answer = await front.request('GET', '/manager/fleet/plugins');
    expect(answer.status).toBe(200);
    const { servers } = answer.json<FleetPluginsAnswer>();
    expect(servers.map((server) => [server.server, server.ok])).toEqual([
      ['local', true],
      ['a', true],
      ['b', true],
      ['gone', false],
    ]);
    expect(servers[0]).toEqual({ server: 'local', ok: true, message: '0 plugins', plugins: [] });
    expect(servers[1]).toEqual({
      server: 'a',
      ok: true,
      message: '3 plugins',
      plugins: [
        { kind: 'sources', name: 'random', version: '1.0.0' },
        { kind: 'sinks', name: 'file2', version: '' },
        { kind: 'portables', name: running, version: 'v1.0.0', status: 'running' },
      ],
    });
    // b is a plain eKuiper to the host: built from its plugin API, with the process status it reports.
    expect(servers[2]).toEqual({
      server: 'b',
      ok: true,
      message: '2 plugins',
      plugins: [
        { kind: 'sources', name: 'random', version: '1.1.0' },
        {
          kind: 'portables',
          name: crashed,
          version: 'v1.0.0',
          status: 'error',
          errMsg: 'the plugin process was killed by SIGKILL',
        },
      ],
    });
    expect(servers[3]!.plugins).toEqual([]);
    expect(servers[3]!.message).toContain(new URL(gone).host);
    expect(servers[3]!.message).toContain('refused');
  });

  test('?servers= picks servers; an unknown id is a 400', async () => {
    const some = await front.request('GET', '/manager/fleet/plugins?servers=gone,a');
    expect(some.json<FleetPluginsAnswer>().servers.map((server) => server.server)).toEqual(['gone', 'a']);

    const unknown = await front.request('GET', '/manager/fleet/plugins?servers=a,nope');
    expect(unknown.status).toBe(400);
    expect(unknown.json()).toEqual({
      error: 1000,
      message:
        "invalid fleet request: no server has the id 'nope' (GET /manager/servers lists the servers and their ids)",
    });
  });
});
