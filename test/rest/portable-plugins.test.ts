import { readFile, realpath, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { snapshotTree } from '../support/data-snapshot.js';
import { waitFor } from '../support/process-helpers.js';
import { FIXTURES, TEST_ZIPS, fileUrl, startTestHost, type TestHost } from '../support/host-harness.js';
import type { TestZipEntry } from '../support/zip-writer.js';
import { nodePluginScript, writeNodePluginZip } from '../support/node-plugin-bundle.js';
import { acquireTestLock, LOCK_WAIT_MS } from '../support/test-lock.js';
import {
  addedBy,
  expectError,
  expectJson,
  expectNoStaging,
  expectText,
  failsWithoutChange,
  filesOf,
  pathExists,
  writeZip,
  zipFolder,
  EMPTY_ZIP_MESSAGE,
} from './rest-helpers.js';

const TESTZIPS_MIRROR = join(TEST_ZIPS, 'portables/mirror.zip');
const RUNNABLE_MIRROR = join(FIXTURES, 'portable/mirror.zip');

// Installs now start plugins: eKuiper's `mirror` dials fixed socket names, so files that run it take turns.
let zips: string;
let releaseMirror: () => Promise<void>;
beforeAll(async () => {
  releaseMirror = await acquireTestLock('mirror');
  zips = await zipFolder();
}, LOCK_WAIT_MS);
afterAll(async () => {
  await rm(zips, { recursive: true, force: true });
  await releaseMirror();
});

let t: TestHost;
beforeEach(async () => {
  t = await startTestHost();
});
afterEach(async () => t.close());

/** eKuiper's portable describe object, in its struct's key order. */
function describeBytes(
  t: TestHost,
  name: string,
  symbols: { sources: string[]; sinks: string[]; functions: string[] },
  executable = name,
  version = 'v1.0.0',
): string {
  return JSON.stringify({
    name,
    version,
    language: 'go',
    executable: join(t.dataDir, 'plugins/portable', name, executable),
    sources: symbols.sources,
    sinks: symbols.sinks,
    functions: symbols.functions,
  });
}

/**
 * A portable zip: the manifest `{name}.json`, an executable and whatever else a test needs. The executable is
 * the Node test plugin, which serves whatever its manifest declares: installs start it and wait for its call.
 */
async function portableZip(
  file: string,
  name: string,
  manifest: Record<string, unknown> & { executable: string },
  extra: TestZipEntry[] = [],
): Promise<string> {
  return writeZip(zips, file, [
    { name: `${name}.json`, data: JSON.stringify(manifest) },
    { name: manifest.executable, data: await nodePluginScript(), mode: 0o755 },
    ...extra,
  ]);
}

describe('fixture zips', () => {
  test("eKuiper's portables/mirror.zip as mirror2: refused at start, saying why, and nothing is left", async () => {
    const response = await failsWithoutChange(t, () =>
      t.request('POST', '/plugins/portables', { name: 'mirror2', file: fileUrl(TESTZIPS_MIRROR) }),
    );
    expect(response.status).toBe(400);
    // Zipped on Windows, the binary has no exec bit: the host sets it, the program starts and names itself.
    expect(response.json<{ message: string }>().message).toContain(
      'portable plugin create command error: plugin mirror2 exited with code 2 before its handshake: it dials ' +
        "/tmp/plugin_mirror.ipc, so the program calls itself 'mirror'",
    );
    expectJson(await t.request('GET', '/plugins/portables'), '[]');
    await expectNoStaging(t);
  });

  test('portable/mirror.zip as mirror: installed with its own exec bit, described with an absolute executable', async () => {
    const { response, added } = await addedBy(t, () =>
      t.request('POST', '/plugins/portables', { name: 'mirror', file: fileUrl(RUNNABLE_MIRROR) }),
    );
    expectText(response, 201, 'portable plugin mirror is created');
    expect(filesOf(added)).toEqual([
      'data/functions/echo.json',
      'data/sinks/file.json',
      'data/sources/random.json',
      'data/sources/random.yaml',
      'etc/functions/echo.json',
      'etc/sinks/file.json',
      'etc/sources/random.json',
      'etc/sources/random.yaml',
      'plugins/.meta/portables/mirror.json',
      // The running plugin's log and process id record (the host's runtime state, not install files).
      'plugins/.runtime/logs/mirror.log',
      'plugins/.runtime/pids/mirror.json',
      'plugins/portable/mirror/mirror.json',
      'plugins/portable/mirror/mirror2',
    ]);
    const executable = await stat(join(t.dataDir, 'plugins/portable/mirror/mirror2'));
    expect(executable.mode & 0o111).not.toBe(0);
    const described = describeBytes(
      t,
      'mirror',
      { sources: ['random'], sinks: ['file'], functions: ['echo'] },
      'mirror2',
    );
    const response2 = await t.request('GET', '/plugins/portables/mirror');
    expectJson(response2, described);
    const info = response2.json<{ executable: string }>();
    expect(info.executable.startsWith('/')).toBe(true);
    expect(Object.keys(response2.json<object>())).toEqual([
      'name',
      'version',
      'language',
      'executable',
      'sources',
      'sinks',
      'functions',
    ]);
  });

  test('portables/wrong.zip is refused: missing mirror.exe', async () => {
    const response = await failsWithoutChange(t, () =>
      t.request('POST', '/plugins/portables', {
        name: 'wrong',
        file: fileUrl(join(TEST_ZIPS, 'portables/wrong.zip')),
      }),
    );
    expectError(
      response,
      400,
      "portable plugin create command error: fail to install plugin: missing mirror.exe: the manifest names 'mirror.exe' " +
        'as the executable, but the zip has no such file (its root holds wrong.json)',
    );
    expectJson(await t.request('GET', '/plugins/portables'), '[]');
  });

  test("portables/mirror.zip under a name other than its manifest's is refused with the name it carries", async () => {
    const response = await failsWithoutChange(t, () =>
      t.request('POST', '/plugins/portables', { name: 'mirror', file: fileUrl(TESTZIPS_MIRROR) }),
    );
    expectError(
      response,
      400,
      'portable plugin create command error: fail to install plugin: missing or invalid json file mirror.json, ' +
        "found 9 files in total: the manifest must be named after the plugin. The zip holds mirror2.json, so it looks like the plugin 'mirror2': " +
        'install it under that name, or rename the manifest to mirror.json',
    );
  });
});

test("a native plugin's zip sent as portable is named for what it is", async () => {
  const response = await failsWithoutChange(t, () =>
    t.request('POST', '/plugins/portables', {
      name: 'file2',
      file: fileUrl(join(TEST_ZIPS, 'sinks/file2.zip')),
    }),
  );
  expectError(
    response,
    400,
    'portable plugin create command error: fail to install plugin: missing or invalid json file file2.json, ' +
      'found 1 files in total: a portable plugin zip needs its manifest file2.json at the root; this zip holds ' +
      'file2.so, the library of a native plugin: install it as a source, sink or function plugin instead',
  );
});

describe('lifecycle', () => {
  test('delete removes every file at once; the plugin leaves list and describe', async () => {
    const before = await snapshotTree(t.dataDir);
    await t.request('POST', '/plugins/portables', { name: 'mirror', file: fileUrl(RUNNABLE_MIRROR) });
    expectText(
      await t.request('DELETE', '/plugins/portables/mirror'),
      200,
      'portable plugin mirror is deleted',
    );
    expect(await snapshotTree(t.dataDir)).toEqual(before);
    expectJson(await t.request('GET', '/plugins/portables'), '[]');
    expectError(
      await t.request('GET', '/plugins/portables/mirror'),
      404,
      'describe portable plugin mirror error: not found',
    );
    // and can be installed again
    expectText(
      await t.request('POST', '/plugins/portables', { name: 'mirror', file: fileUrl(RUNNABLE_MIRROR) }),
      201,
      'portable plugin mirror is created',
    );
  });

  test('duplicate is refused and changes nothing', async () => {
    await t.request('POST', '/plugins/portables', { name: 'mirror', file: fileUrl(RUNNABLE_MIRROR) });
    const response = await failsWithoutChange(t, () =>
      t.request('POST', '/plugins/portables', { name: 'mirror', file: fileUrl(RUNNABLE_MIRROR) }),
    );
    expectError(response, 400, 'portable plugin create command error: invalid name mirror: duplicate');
  });

  test('PUT of an unknown name creates it, as eKuiper does', async () => {
    const response = await t.request('PUT', '/plugins/portables/mirror', {
      name: 'mirror',
      file: fileUrl(RUNNABLE_MIRROR),
    });
    expectText(response, 200, 'portable plugin mirror is updated');
    expect((await t.request('GET', '/plugins/portables/mirror')).status).toBe(200);
  });

  test("PUT replaces: new manifest at once, the old version's symbol files gone", async () => {
    await t.request('POST', '/plugins/portables', { name: 'mirror', file: fileUrl(RUNNABLE_MIRROR) });
    const zip = await portableZip(
      'mirror-v2.zip',
      'mirror',
      { version: 'v2.0.0', language: 'go', executable: 'main', sources: ['pyrandom'] },
      [{ name: 'sources/pyrandom.yaml', data: 'default: {}\n' }],
    );
    expectText(
      await t.request('PUT', '/plugins/portables/mirror', { name: 'mirror', file: fileUrl(zip) }),
      200,
      'portable plugin mirror is updated',
    );
    expectJson(
      await t.request('GET', '/plugins/portables/mirror'),
      JSON.stringify({
        name: 'mirror',
        version: 'v2.0.0',
        language: 'go',
        executable: join(t.dataDir, 'plugins/portable/mirror/main'),
        sources: ['pyrandom'],
        sinks: [],
        functions: [],
      }),
    );
    for (const gone of [
      'plugins/portable/mirror/mirror2',
      'etc/sources/random.yaml',
      'data/sources/random.json',
      'etc/sinks/file.json',
      'data/functions/echo.json',
    ]) {
      expect(await pathExists(join(t.dataDir, gone)), gone).toBe(false);
    }
    expect(await readFile(join(t.dataDir, 'etc/sources/pyrandom.yaml'), 'utf8')).toBe('default: {}\n');
    await expectNoStaging(t);
  });

  test('PUT with a bad zip keeps the old version intact (eKuiper loses it)', async () => {
    await t.request('POST', '/plugins/portables', { name: 'mirror', file: fileUrl(RUNNABLE_MIRROR) });
    const response = await failsWithoutChange(t, () =>
      t.request('PUT', '/plugins/portables/mirror', {
        name: 'mirror',
        file: fileUrl(join(TEST_ZIPS, 'sources/invalidZip.zip')),
      }),
    );
    expectError(
      response,
      400,
      `portable plugin update command error: fail to install plugin: ${EMPTY_ZIP_MESSAGE}`,
    );
    expect((await t.request('GET', '/plugins/portables/mirror')).status).toBe(200);
  });

  test('PUT with another body name replaces the URL plugin by the body plugin', async () => {
    await t.request('POST', '/plugins/portables', { name: 'mirror', file: fileUrl(RUNNABLE_MIRROR) });
    const other = await writeNodePluginZip(zips, { name: 'mirror3', functions: { echo3: 'echo' } });
    const response = await t.request('PUT', '/plugins/portables/mirror', {
      name: 'mirror3',
      file: fileUrl(other),
    });
    expectText(response, 200, 'portable plugin mirror3 is updated');
    const names = (await t.request('GET', '/plugins/portables')).json<Array<{ name: string }>>();
    expect(names.map((plugin) => plugin.name)).toEqual(['mirror3']);
    const status = (await t.request('GET', '/plugins/portables/mirror3/status')).json<{ status: string }>();
    expect(status.status).toBe('running');
    expect((await t.request('GET', '/plugins/portables/mirror/status')).status).toBe(404);
    expect(await pathExists(join(t.dataDir, 'plugins/portable/mirror'))).toBe(false);
    expect(await pathExists(join(t.dataDir, 'etc/sources/random.yaml'))).toBe(false);
  });

  test('list holds full objects sorted by name and survives a restart', async () => {
    const other = await portableZip('mirror3.zip', 'mirror3', {
      version: 'v1.0.0',
      language: 'go',
      executable: 'mirror3',
      functions: ['echo3'],
    });
    expect(
      (await t.request('POST', '/plugins/portables', { name: 'mirror3', file: fileUrl(other) })).status,
    ).toBe(201);
    await t.request('POST', '/plugins/portables', { name: 'mirror', file: fileUrl(RUNNABLE_MIRROR) });
    const expected =
      `[${describeBytes(t, 'mirror', { sources: ['random'], sinks: ['file'], functions: ['echo'] }, 'mirror2')},` +
      `${describeBytes(t, 'mirror3', { sources: [], sinks: [], functions: ['echo3'] })}]`;
    expectJson(await t.request('GET', '/plugins/portables'), expected);
    await t.restart();
    expectJson(await t.request('GET', '/plugins/portables'), expected);
    // The restarted host starts both again.
    for (const name of ['mirror', 'mirror3']) {
      await waitFor(
        async () =>
          (await t.request('GET', `/plugins/portables/${name}/status`)).json<{ status: string }>().status ===
          'running',
        `${name} to run again after the restart`,
      );
    }
  });

  test('status of an unknown plugin is 404', async () => {
    expectError(
      await t.request('GET', '/plugins/portables/nope/status'),
      404,
      'portable plugin nope not found: not found',
    );
  });

  test('a symbol another portable plugin provides is refused (eKuiper silently lets the last one win)', async () => {
    await t.request('POST', '/plugins/portables', { name: 'mirror', file: fileUrl(RUNNABLE_MIRROR) });
    const zip = await portableZip(
      'clash.zip',
      'clash',
      { version: '1', language: 'go', executable: 'clash', sinks: ['file'] },
      [{ name: 'sinks/file.json', data: '{"about":{}}' }],
    );
    const response = await failsWithoutChange(t, () =>
      t.request('POST', '/plugins/portables', { name: 'clash', file: fileUrl(zip) }),
    );
    expectError(
      response,
      400,
      "portable plugin create command error: sink name file already exists: the portable plugin 'mirror' provides it. " +
        'Rules could not tell the two apart; rename the sink or delete that plugin first',
    );
  });
});

describe('install.sh and shellParas', () => {
  test('install.sh runs with shellParas in the plugin folder and stays there', async () => {
    const record = join(t.dataDir, 'data', 'portable-install.txt');
    const zip = await portableZip(
      'scripted.zip',
      'scripted',
      { version: '1', language: 'go', executable: 'scripted', functions: ['fn'] },
      [{ name: 'install.sh', data: 'printf "[%s]\\n" "$@" > "$1"\npwd >> "$1"\nls >> "$1"\n' }],
    );
    const response = await t.request('POST', '/plugins/portables', {
      name: 'scripted',
      file: fileUrl(zip),
      shellParas: [record, 'x y'],
    });
    expectText(response, 201, 'portable plugin scripted is created');
    const lines = (await readFile(record, 'utf8')).split('\n');
    expect(lines.slice(0, 2)).toEqual([`[${record}]`, '[x y]']);
    // The plugin's own folder (its staged copy, before the commit moves it into plugins/portable/).
    expect(lines[2]!.startsWith(`${await realpath(t.dataDir)}/`)).toBe(true);
    expect(lines[2]!.endsWith('/scripted')).toBe(true);
    expect(lines).toEqual(expect.arrayContaining(['install.sh', 'scripted', 'scripted.json']));
    expect(await pathExists(join(t.dataDir, 'plugins/portable/scripted/install.sh'))).toBe(true);
    await expectNoStaging(t);
  });

  test('shellParas without install.sh are ignored, as eKuiper does for portables', async () => {
    const response = await t.request('POST', '/plugins/portables', {
      name: 'mirror',
      file: fileUrl(RUNNABLE_MIRROR),
      shellParas: ['a'],
    });
    expectText(response, 201, 'portable plugin mirror is created');
  });

  test('an executable named ./x in the manifest matches the entry x (eKuiper bug 9)', async () => {
    const zip = await writeZip(zips, 'dotted.zip', [
      {
        name: 'dotted.json',
        data: JSON.stringify({ version: '1', language: 'go', executable: './bin/run', functions: ['f'] }),
      },
      // Zipped on Windows: no exec bit. The host sets it, and the plugin runs.
      { name: 'bin/run', data: await nodePluginScript(), dosAttributesOnly: true },
    ]);
    const response = await t.request('POST', '/plugins/portables', { name: 'dotted', file: fileUrl(zip) });
    expectText(response, 201, 'portable plugin dotted is created');
    const info = (await t.request('GET', '/plugins/portables/dotted')).json<{ executable: string }>();
    expect(info.executable).toBe(join(t.dataDir, 'plugins/portable/dotted/bin/run'));
    expect((await stat(info.executable)).mode & 0o111).not.toBe(0);
    const status = (await t.request('GET', '/plugins/portables/dotted/status')).json<{ status: string }>();
    expect(status.status).toBe('running');
  });
});
