import { createHash } from 'node:crypto';
import { chmod, mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { PackCheck, PackResult } from '../../../shared/pack-dto.js';
import { FIXTURES, fileUrl, startTestHost, type TestHost } from '../../support/host-harness.js';
import { uniqueName } from '../../support/node-plugin-bundle.js';
import { otherArchServer } from '../../support/other-arch-stand-in.js';
import { writePythonSdkPluginFolder, type SdkPluginNames } from '../../support/python-sdk-plugin-zip.js';
import { addServer } from '../../support/server-stand-ins.js';
import type { StandIn } from '../../support/stand-in-server.js';

/**
 * The packaging routes over real HTTP: a folder of a plugin on eKuiper's real Python SDK is checked, packaged
 * into the data folder's dist/, and the zip installs on the same host and answers; mistakes are refused with
 * their fixes; a Go executable is compared with what a chosen server runs.
 */

let t: TestHost;
let arm: StandIn;
let armId: string;
let pluginFolder: string;
let goFolder: string;
const names: SdkPluginNames = {
  plugin: uniqueName('packed'),
  function: uniqueName('upper'),
  source: uniqueName('count'),
  sink: uniqueName('jsonl'),
};

beforeAll(async () => {
  t = await startTestHost({ portableInitTimeoutMs: 15_000 });
  pluginFolder = writePythonSdkPluginFolder(join(t.tempDir, 'work', names.plugin), names);
  await mkdir(join(pluginFolder, '__pycache__'));
  await writeFile(join(pluginFolder, '__pycache__', 'main.cpython-311.pyc'), 'cache');
  goFolder = join(t.tempDir, 'work', 'mirror');
  const mirror = unzipSync(await readFile(join(FIXTURES, 'portable/mirror.zip')));
  for (const [path, data] of Object.entries(mirror)) {
    if (path.endsWith('/')) continue;
    await mkdir(join(goFolder, path, '..'), { recursive: true });
    await writeFile(join(goFolder, path), data);
  }
  await chmod(join(goFolder, 'mirror2'), 0o755);
  arm = await otherArchServer(t.url, 'linux', 'arm64');
  armId = (await addServer(t, 'edge-1', arm.url)).id;
});
afterAll(async () => {
  await t?.close();
  await arm?.close();
});

/** `expect.stringMatching`, typed as what it stands for. */
const matching = (pattern: RegExp): unknown => expect.stringMatching(pattern);

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

describe('POST /manager/authoring/check', () => {
  test('answers the plugin, its files and what was left out, without writing anything', async () => {
    const response = await t.request('POST', '/manager/authoring/check', { folder: pluginFolder });
    expect(response.status).toBe(200);
    const check = response.json<PackCheck>();
    expect(check).toMatchObject({
      folder: pluginFolder,
      name: names.plugin,
      version: 'v1.0.0',
      language: 'python',
      executable: 'main.py',
      problems: [],
      warnings: [],
      leftOut: [{ path: '__pycache__/', reason: 'python-cache' }],
    });
    expect(check.files.map((file) => file.path)).toContain(`${names.plugin}.json`);
    expect(check.files.find((file) => file.path === 'main.py')?.mode).toBe(0o755);
    await expect(readdir(join(t.dataDir, 'dist'))).rejects.toThrow();
  });

  test("compares the Go executable with the chosen server's OS and architecture", async () => {
    const onArm = (
      await t.request('POST', '/manager/authoring/check', { folder: goFolder, server: armId })
    ).json<PackCheck>();
    expect(onArm.binary).toEqual({ format: 'elf', os: 'linux', arch: 'amd64' });
    expect(onArm.target).toEqual({
      server: armId,
      name: 'edge-1',
      os: 'linux',
      arch: 'arm64',
      matches: false,
    });
    expect(onArm.warnings).toEqual([
      {
        code: 'target-mismatch',
        message: 'built for linux/amd64; edge-1 runs linux/arm64: rebuild with GOOS=linux GOARCH=arm64',
      },
    ]);
    const onLocal = (
      await t.request('POST', '/manager/authoring/check', { folder: goFolder, server: 'local' })
    ).json<PackCheck>();
    expect(onLocal.target).toMatchObject({ server: 'local', os: 'linux', matches: process.arch === 'x64' });
  });

  test('a folder with mistakes answers 200 with each problem and its fix', async () => {
    const response = await t.request('POST', '/manager/authoring/check', { folder: join(t.tempDir, 'work') });
    expect(response.status).toBe(200);
    expect(response.json<PackCheck>().problems.map((problem) => problem.code)).toEqual(['no-manifest']);
  });
});

describe('POST /manager/authoring/pack', () => {
  test('writes dist/<name>-<version>.zip in the data folder, and that zip installs on the host and runs', async () => {
    const response = await t.request('POST', '/manager/authoring/pack', { folder: pluginFolder });
    expect(response.status).toBe(200);
    const result = response.json<PackResult>();
    expect(result.path).toBe(join(t.dataDir, 'dist', `${names.plugin}-v1.0.0.zip`));
    const written = await readFile(result.path);
    expect(result.size).toBe(written.length);
    expect(result.sha256).toBe(sha256(written));
    expect(Object.keys(unzipSync(written)).some((path) => path.includes('__pycache__'))).toBe(false);

    const installed = await t.request('POST', '/plugins/portables', {
      name: names.plugin,
      file: fileUrl(result.path),
    });
    expect(installed.text).toBe(`portable plugin ${names.plugin} is created`);
    const call = await t.request(
      'POST',
      `/manager/portables/${names.plugin}/functions/${names.function}/call`,
      {
        args: ['hello'],
      },
    );
    expect(call.json()).toMatchObject({ ok: true, stage: 'exec', result: 'HELLO' });
  });

  test('to an output path of the caller’s choice: the same bytes as before', async () => {
    const output = join(t.tempDir, 'builds', 'plugin.zip');
    const first = (
      await t.request('POST', '/manager/authoring/pack', { folder: pluginFolder })
    ).json<PackResult>();
    const second = (
      await t.request('POST', '/manager/authoring/pack', { folder: pluginFolder, output })
    ).json<PackResult>();
    expect(second.path).toBe(output);
    expect(second.sha256).toBe(first.sha256);
  });

  test('refuses a folder with problems in eKuiper’s shape, every problem with its fix, writing nothing', async () => {
    const broken = join(t.tempDir, 'work', 'broken');
    await mkdir(broken, { recursive: true });
    await writeFile(
      join(broken, 'broken.json'),
      JSON.stringify({ language: 'python', executable: 'main.py', sources: ['a'] }),
    );
    const response = await t.request('POST', '/manager/authoring/pack', { folder: broken });
    expect(response.status).toBe(400);
    expect(response.json()).toEqual({
      error: 1000,
      message:
        `cannot package ${broken}: missing main.py: the manifest names 'main.py' as the executable, but the zip has ` +
        'no such file (its root holds broken.json) (create main.py in the folder, or set "executable" in ' +
        'broken.json to the Python file that calls plugin.start); missing sources/a.yaml: every source the ' +
        "manifest declares needs its default configuration in the zip (add sources/a.yaml for the source 'a') " +
        '(create sources/a.yaml in the folder with a default section, for example: default: {})',
    });
    expect(await readdir(join(t.dataDir, 'dist'))).toEqual([`${names.plugin}-v1.0.0.zip`]);
  });

  test.each([
    ['not JSON', 'folder=/x', /^invalid pack request: the body is not JSON/],
    ['no folder', {}, /^invalid pack request: "folder" must be the path of the plugin folder/],
    ['a relative output', { folder: '/x', output: 'out.zip' }, /"output" must be an absolute path/],
    [
      'an output that is not a zip',
      { folder: '/x', output: '/tmp/out.tar' },
      /must be a file name ending in \.zip/,
    ],
    ['an unknown server', { folder: '/x', server: 'nope' }, /no server has the id nope/],
  ])('refuses %s with 400', async (_what, body, message) => {
    const response = await t.request('POST', '/manager/authoring/pack', body);
    expect(response.status).toBe(400);
    expect(response.json<{ error: number; message: string }>()).toMatchObject({
      error: 1000,
      message: matching(message),
    });
  });

  test('refuses an output inside the plugin folder', async () => {
    const response = await t.request('POST', '/manager/authoring/pack', {
      folder: pluginFolder,
      output: join(pluginFolder, 'dist', 'p.zip'),
    });
    expect(response.status).toBe(400);
    expect(response.text).toMatch(/would be written inside the plugin folder/);
  });

  test('only POST; web pages cannot drive it', async () => {
    expect((await t.request('GET', '/manager/authoring/pack')).status).toBe(405);
    const fromPage = await t.request(
      'POST',
      '/manager/authoring/pack',
      { folder: pluginFolder },
      {
        Origin: 'https://example.com',
      },
    );
    expect(fromPage.status).toBe(403);
  });
});
