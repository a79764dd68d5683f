import { mkdtemp, readFile, realpath, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test, vi } from 'vitest';
import { startHost } from '../../main/host/host.js';
import { defaultSettings, staticSettings } from '../../main/settings/host-settings.js';
import { snapshotTree } from '../support/data-snapshot.js';
import { TEST_ZIPS, fileUrl, startTestHost, type TestHost } from '../support/host-harness.js';
import {
  addedBy,
  expectError,
  expectFileFromEntry,
  expectJson,
  expectNoStaging,
  expectText,
  failsWithoutChange,
  filesOf,
  pathExists,
  testZip,
  writeZip,
  zipEntryContent,
  zipFolder,
  EMPTY_ZIP_MESSAGE,
} from './rest-helpers.js';

let zips: string;
beforeAll(async () => {
  zips = await zipFolder();
});
afterAll(async () => rm(zips, { recursive: true, force: true }));

let t: TestHost;
beforeEach(async () => {
  t = await startTestHost();
});
afterEach(async () => t.close());

interface GoodRow {
  kind: 'sources' | 'sinks' | 'functions';
  name: string;
  zip: string;
  /** Every file the install adds, besides the host's own record under plugins/.meta/. */
  files: string[];
  describe: string;
}

// The fixtures README table, rows eKuiper installs; files per reference §4.2.
const GOOD_ROWS: GoodRow[] = [
  {
    kind: 'sources',
    name: 'random2',
    zip: 'sources/random2.zip',
    files: [
      'data/sources/random2.json',
      'data/sources/random2.yaml',
      'etc/sources/random2.json',
      'etc/sources/random2.yaml',
      'plugins/sources/Random2.so',
    ],
    describe: '{"name":"random2","version":""}',
  },
  {
    kind: 'sources',
    name: 'random3',
    zip: 'sources/random3.zip',
    files: ['data/sources/random3.yaml', 'etc/sources/random3.yaml', 'plugins/sources/Random3@v1.0.0.so'],
    describe: '{"name":"random3","version":"1.0.0"}',
  },
  {
    kind: 'sinks',
    name: 'file2',
    zip: 'sinks/file2.zip',
    files: ['plugins/sinks/file2.so'],
    describe: '{"name":"file2","version":""}',
  },
  {
    kind: 'functions',
    name: 'echo2',
    zip: 'functions/echo2.zip',
    files: ['plugins/functions/Echo2.so'],
    describe: '{"name":"echo2","version":""}',
  },
  {
    kind: 'functions',
    name: 'misc',
    zip: 'functions/misc.zip',
    files: ['plugins/functions/Misc.so'],
    describe: '{"name":"misc","version":""}',
  },
  {
    kind: 'functions',
    name: 'comp',
    zip: 'functions/comp.zip',
    files: [
      'data/functions/comp/bar.txt',
      'data/functions/comp/foo.txt',
      'etc/functions/comp/bar.txt',
      'etc/functions/comp/foo.txt',
      'plugins/functions/Comp.so',
    ],
    describe: '{"name":"comp","version":""}',
  },
];

describe('fixture zips eKuiper installs', () => {
  test.each(GOOD_ROWS)('$kind $name from $zip', async (row) => {
    const { response, added } = await addedBy(t, () =>
      t.request('POST', `/plugins/${row.kind}`, { name: row.name, file: testZip(row.zip) }),
    );
    expectText(response, 201, `${row.kind} plugin ${row.name} is created`);
    expect(filesOf(added)).toEqual(
      [...row.files, `plugins/.meta/${row.kind}/${row.name}.json`].sort((a, b) => (a < b ? -1 : 1)),
    );
    // Every file holds exactly the bytes of its zip entry.
    for (const file of row.files) {
      const base = file.split('/').at(-1)!;
      const entry = file.includes(`/${row.name}/`) ? `etc/${base}` : base;
      await expectFileFromEntry(join(t.dataDir, file), join(TEST_ZIPS, row.zip), entry);
    }
    expect(added.some((key) => key.endsWith('install.sh'))).toBe(false);
    await expectNoStaging(t);
    expectJson(await t.request('GET', `/plugins/${row.kind}/${row.name}`), row.describe);
    expectJson(await t.request('GET', `/plugins/${row.kind}`), `["${row.name}"]`);
  });

  test('a describe answer of a versioned plugin is exact bytes, v trimmed', async () => {
    await t.request('POST', '/plugins/sources', { name: 'random3', file: testZip('sources/random3.zip') });
    const response = await t.request('GET', '/plugins/sources/random3');
    expect(response.text).toBe('{"name":"random3","version":"1.0.0"}');
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(response.headers.get('content-length')).toBe(String(response.text.length));
  });

  const BAD_ROWS = [
    {
      kind: 'sources',
      name: 'zipMissConf',
      zip: 'sources/zipMissConf.zip',
      message:
        'sources plugins create command error: fail to install plugin: invalid zip file: a source plugin ' +
        'needs its default configuration zipMissConf.yaml at the root of the zip, beside ZipMissConf.so ' +
        '(found ZipMissConf.so)',
    },
    {
      kind: 'sources',
      name: 'anything',
      zip: 'sources/invalidZip.zip',
      message: `sources plugins create command error: fail to install plugin: ${EMPTY_ZIP_MESSAGE}`,
    },
    {
      kind: 'sinks',
      name: 'zipWrongName',
      zip: 'sinks/zipWrongName.zip',
      message:
        "sinks plugins create command error: fail to install plugin: invalid zip file: found Random2.so, but a sink plugin named 'zipWrongName' needs " +
        'zipWrongName.so or ZipWrongName.so (optionally with a version, e.g. ZipWrongName@v1.0.0.so) at the ' +
        'root of the zip. Rename the .so file, or install the plugin under the name its file carries',
    },
    {
      kind: 'functions',
      name: 'zipMissSo',
      zip: 'functions/zipMissSo.zip',
      message:
        'functions plugins create command error: fail to install plugin: invalid zip file: no compiled ' +
        'plugin: a function plugin zip needs zipMissSo.so or ZipMissSo.so at its root (found zipMissSo.yaml)',
    },
  ];
  test.each(BAD_ROWS)('$kind $name from $zip is refused and changes nothing', async (row) => {
    const response = await failsWithoutChange(t, () =>
      t.request('POST', `/plugins/${row.kind}`, { name: row.name, file: testZip(row.zip) }),
    );
    expectError(response, 400, row.message);
    expectJson(await t.request('GET', `/plugins/${row.kind}`), '[]');
  });
});

describe('delete', () => {
  test('removes every file, data/{kind}/{name}/ included, and the plugin leaves the list at once', async () => {
    const before = await snapshotTree(t.dataDir);
    await t.request('POST', '/plugins/functions', { name: 'comp', file: testZip('functions/comp.zip') });
    expect(await pathExists(join(t.dataDir, 'data/functions/comp/bar.txt'))).toBe(true);
    const response = await t.request('DELETE', '/plugins/functions/comp');
    expectText(
      response,
      200,
      'functions plugin comp is deleted and eKuiper must restart for the change to take effect.',
    );
    expect(await snapshotTree(t.dataDir)).toEqual(before);
    expectJson(await t.request('GET', '/plugins/functions'), '[]');
    expectError(
      await t.request('GET', '/plugins/functions/comp'),
      404,
      'describe functions plugin comp error: not found',
    );
    expectJson(await t.request('GET', '/plugins/udfs'), '[]');
  });

  test('a source: .so, both yaml and json copies go', async () => {
    const before = await snapshotTree(t.dataDir);
    await t.request('POST', '/plugins/sources', { name: 'random2', file: testZip('sources/random2.zip') });
    const response = await t.request('DELETE', '/plugins/sources/random2');
    expect(response.status).toBe(200);
    expect(await snapshotTree(t.dataDir)).toEqual(before);
  });

  test('a deleted plugin can be installed again at once', async () => {
    const body = { name: 'random3', file: testZip('sources/random3.zip') };
    expect((await t.request('POST', '/plugins/sources', body)).status).toBe(201);
    expect((await t.request('DELETE', '/plugins/sources/random3')).status).toBe(200);
    expectText(await t.request('POST', '/plugins/sources', body), 201, 'sources plugin random3 is created');
    expectJson(await t.request('GET', '/plugins/sources/random3'), '{"name":"random3","version":"1.0.0"}');
  });

  test('a second delete is 404, not a silent success', async () => {
    await t.request('POST', '/plugins/sinks', { name: 'file2', file: testZip('sinks/file2.zip') });
    expect((await t.request('DELETE', '/plugins/sinks/file2')).status).toBe(200);
    const response = await failsWithoutChange(t, () => t.request('DELETE', '/plugins/sinks/file2'));
    expectError(response, 404, 'delete sinks plugin file2 error: invalid name file2: not exist');
  });

  test('a plugin whose name starts with "-" installs and deletes (eKuiper bug 8)', async () => {
    const zip = await writeZip(zips, 'dash.zip', [{ name: '-abc.so', data: 'not really a Go plugin' }]);
    const before = await snapshotTree(t.dataDir);
    expectText(
      await t.request('POST', '/plugins/sinks', { name: '-abc', file: fileUrl(zip) }),
      201,
      'sinks plugin -abc is created',
    );
    expect(await pathExists(join(t.dataDir, 'plugins/sinks/-abc.so'))).toBe(true);
    expectJson(await t.request('GET', '/plugins/sinks'), '["-abc"]');
    expectText(
      await t.request('DELETE', '/plugins/sinks/-abc'),
      200,
      'sinks plugin -abc is deleted and eKuiper must restart for the change to take effect.',
    );
    expect(await snapshotTree(t.dataDir)).toEqual(before);
  });
});

describe('delete ?stop=1', () => {
  test('answers, then asks the host to stop; only the exact value 1 does', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ekm-stop-'));
    const onStopRequested = vi.fn();
    const host = await startHost({
      settings: staticSettings({ ...defaultSettings(join(dir, 'data')), restPort: 0 }),
      onStopRequested,
    });
    try {
      const call = (method: string, path: string, body?: unknown) =>
        fetch(`${host.url}${path}`, {
          method,
          ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        });
      for (const name of ['random3', 'random2']) {
        const created = await call('POST', '/plugins/sources', {
          name,
          file: testZip(`sources/${name}.zip`),
        });
        expect(created.status).toBe(201);
      }
      // stop=true is not stop=1: eKuiper compares with "1" exactly.
      const notStop = await call('DELETE', '/plugins/sources/random2?stop=true');
      expect(await notStop.text()).toBe(
        'sources plugin random2 is deleted and eKuiper must restart for the change to take effect.',
      );
      const unknown = await call('DELETE', '/plugins/sources/nothing?stop=1');
      expect(unknown.status).toBe(404);
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(onStopRequested).not.toHaveBeenCalled();

      const response = await call('DELETE', '/plugins/sources/random3?stop=1');
      expect(response.status).toBe(200);
      expect(await response.text()).toBe('sources plugin random3 is deleted and eKuiper will be stopped');
      await vi.waitFor(() => expect(onStopRequested).toHaveBeenCalledTimes(1), { timeout: 2000 });
      expect(await pathExists(join(dir, 'data/plugins/sources/Random3@v1.0.0.so'))).toBe(false);
    } finally {
      await host.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('update (PUT)', () => {
  test('replaces the plugin: the new version is described at once and the old .so is gone', async () => {
    await t.request('POST', '/plugins/sources', { name: 'random3', file: testZip('sources/random3.zip') });
    const zip = await writeZip(zips, 'random3-v2.zip', [
      { name: 'Random3@v2.0.0.so', data: 'version two' },
      { name: 'random3.yaml', data: 'default:\n  interval: 2\n' },
    ]);
    const response = await t.request('PUT', '/plugins/sources/random3', {
      name: 'random3',
      file: fileUrl(zip),
    });
    expectText(
      response,
      200,
      'plugin random3 is updated and eKuiper must restart for the change to take effect.',
    );
    expectJson(await t.request('GET', '/plugins/sources/random3'), '{"name":"random3","version":"2.0.0"}');
    expect(await pathExists(join(t.dataDir, 'plugins/sources/Random3@v1.0.0.so'))).toBe(false);
    expect(await readFile(join(t.dataDir, 'plugins/sources/Random3@v2.0.0.so'), 'utf8')).toBe('version two');
    for (const root of ['etc', 'data']) {
      expect(await readFile(join(t.dataDir, root, 'sources/random3.yaml'), 'utf8')).toBe(
        'default:\n  interval: 2\n',
      );
    }
    await expectNoStaging(t);
  });

  test('with a body name other than the URL name, replaces the URL plugin by the body plugin', async () => {
    await t.request('POST', '/plugins/sources', { name: 'random3', file: testZip('sources/random3.zip') });
    const response = await t.request('PUT', '/plugins/sources/random3', {
      name: 'random2',
      file: testZip('sources/random2.zip'),
    });
    expectText(
      response,
      200,
      'plugin random2 is updated and eKuiper must restart for the change to take effect.',
    );
    expectJson(await t.request('GET', '/plugins/sources'), '["random2"]');
    expect(await pathExists(join(t.dataDir, 'plugins/sources/Random3@v1.0.0.so'))).toBe(false);
    expect(await pathExists(join(t.dataDir, 'etc/sources/random3.yaml'))).toBe(false);
    expect(await pathExists(join(t.dataDir, 'data/sources/random3.yaml'))).toBe(false);
    expect(await pathExists(join(t.dataDir, 'plugins/sources/Random2.so'))).toBe(true);
  });

  test('with a bad zip keeps the old plugin exactly as it was (eKuiper loses it)', async () => {
    await t.request('POST', '/plugins/sources', { name: 'random3', file: testZip('sources/random3.zip') });
    const bad = await failsWithoutChange(t, () =>
      t.request('PUT', '/plugins/sources/random3', {
        name: 'random3',
        file: testZip('sources/invalidZip.zip'),
      }),
    );
    expectError(
      bad,
      400,
      `sources plugins create command error: fail to install plugin: ${EMPTY_ZIP_MESSAGE}`,
    );
    const missing = join(zips, 'nowhere', 'random3.zip');
    const gone = await failsWithoutChange(t, () =>
      t.request('PUT', '/plugins/sources/random3', { name: 'random3', file: fileUrl(missing) }),
    );
    expectError(
      gone,
      400,
      `sources plugins create command error: fail to download file ${fileUrl(missing)}: stat ${missing}: ` +
        'no such file or directory',
    );
    const wrong = await failsWithoutChange(t, () =>
      t.request('PUT', '/plugins/sources/random3', {
        name: 'random3',
        file: testZip('sources/zipMissConf.zip'),
      }),
    );
    expect(wrong.status).toBe(400);
    expectJson(await t.request('GET', '/plugins/sources/random3'), '{"name":"random3","version":"1.0.0"}');
  });

  test('to a name another plugin already has is refused and changes nothing', async () => {
    await t.request('POST', '/plugins/sources', { name: 'random3', file: testZip('sources/random3.zip') });
    await t.request('POST', '/plugins/sources', { name: 'random2', file: testZip('sources/random2.zip') });
    const response = await failsWithoutChange(t, () =>
      t.request('PUT', '/plugins/sources/random3', { name: 'random2', file: testZip('sources/random2.zip') }),
    );
    expectError(response, 400, 'sources plugins create command error: invalid name random2: duplicate');
  });

  test('of an unknown plugin is 404 and creates nothing', async () => {
    const response = await failsWithoutChange(t, () =>
      t.request('PUT', '/plugins/sources/random3', {
        name: 'random3',
        file: testZip('sources/random3.zip'),
      }),
    );
    expectError(
      response,
      404,
      'update sources plugin random3 error, cannot delete old version: invalid name random3: not exist',
    );
  });
});

describe('install details', () => {
  test('a source installs when etc/sources/{name}.yaml is already there (eKuiper bug 6)', async () => {
    await writeFile(join(t.dataDir, 'etc/sources/random3.yaml'), 'left: over\n');
    const response = await t.request('POST', '/plugins/sources', {
      name: 'random3',
      file: testZip('sources/random3.zip'),
    });
    expectText(response, 201, 'sources plugin random3 is created');
    const expected = zipEntryContent(join(TEST_ZIPS, 'sources/random3.zip'), 'random3.yaml');
    expect(await readFile(join(t.dataDir, 'etc/sources/random3.yaml'))).toEqual(expected);
    expect(await readFile(join(t.dataDir, 'data/sources/random3.yaml'))).toEqual(expected);
  });

  test('shellParas without install.sh are refused', async () => {
    const response = await failsWithoutChange(t, () =>
      t.request('POST', '/plugins/sources', {
        name: 'random3',
        file: testZip('sources/random3.zip'),
        shellParas: ['a', 'b'],
      }),
    );
    expectError(
      response,
      400,
      'sources plugins create command error: fail to install plugin: have shell parameters : [a b] but no install.sh file',
    );
  });

  test('install.sh gets shellParas, runs in the workspace, and is gone afterwards', async () => {
    const script = [
      'out="$1"',
      'printf "[%s]\\n" "$@" > "$out"',
      'pwd >> "$out"',
      'ls -R . >> "$out"',
      'cat lib/helper.txt >> "$out"',
    ].join('\n');
    const zip = await writeZip(zips, 'scripted.zip', [
      { name: 'scripted.so', data: 'so' },
      { name: 'install.sh', data: script },
      { name: 'lib/' },
      { name: 'lib/helper.txt', data: 'helper-content' },
    ]);
    const record = join(t.dataDir, 'data', 'install-record.txt');
    const { response, added } = await addedBy(t, () =>
      t.request('POST', '/plugins/sinks', {
        name: 'scripted',
        file: fileUrl(zip),
        shellParas: [record, 'two words', '--flag'],
      }),
    );
    expectText(response, 201, 'sinks plugin scripted is created');
    const lines = (await readFile(record, 'utf8')).split('\n');
    expect(lines.slice(0, 3)).toEqual([`[${record}]`, '[two words]', '[--flag]']);
    const cwd = lines[3]!;
    // A workspace inside the data folder (eKuiper's plugins/temp/{kind}/{name}), not the plugin's final place.
    expect(cwd.startsWith(`${await realpath(t.dataDir)}/`)).toBe(true);
    expect(cwd.startsWith(join(await realpath(t.dataDir), 'plugins', 'sinks'))).toBe(false);
    expect(lines).toContain('install.sh');
    expect(lines).toContain('helper.txt');
    expect(lines.at(-1)).toBe('helper-content');
    // The workspace is dropped, as eKuiper drops plugins/temp.
    expect(await pathExists(cwd)).toBe(false);
    expect(filesOf(added)).toEqual([
      'data/install-record.txt',
      'plugins/.meta/sinks/scripted.json',
      'plugins/sinks/scripted.so',
    ]);
    await expectNoStaging(t);
  });

  test('a failing install.sh installs nothing and says why', async () => {
    const zip = await writeZip(zips, 'failing.zip', [
      { name: 'failing.so', data: 'so' },
      { name: 'install.sh', data: 'echo boom >&2\nexit 3\n' },
    ]);
    const response = await failsWithoutChange(t, () =>
      t.request('POST', '/plugins/sinks', { name: 'failing', file: fileUrl(zip) }),
    );
    expectError(
      response,
      400,
      'sinks plugins create command error: fail to install plugin: install.sh exited with status 3; ' +
        'nothing was installed. Its output:\nboom',
    );
    expectJson(await t.request('GET', '/plugins/sinks'), '[]');
  });

  test('install.sh output with colours and a bell still gives an error body every JSON parser reads', async () => {
    // apt and many build scripts colour their output; Go's %q would send \x1b, which is not JSON.
    const zip = await writeZip(zips, 'colour.zip', [
      { name: 'colour.so', data: 'so' },
      { name: 'install.sh', data: "printf '\\033[31mE: broken <pkg> & more\\033[0m\\a\\n' >&2\nexit 1\n" },
    ]);
    const response = await failsWithoutChange(t, () =>
      t.request('POST', '/plugins/sinks', { name: 'colour', file: fileUrl(zip) }),
    );
    const message =
      'sinks plugins create command error: fail to install plugin: install.sh exited with status 1; ' +
      'nothing was installed. Its output:\n\u001b[31mE: broken <pkg> & more\u001b[0m\u0007';
    expectError(response, 400, message);
    expect(response.text).toContain('\\u001b[31mE: broken <pkg> & more');
    expect(response.json<{ message: string }>().message).toBe(message);
  });

  test('install.sh gets the zip entry mode it needs: it is run with /bin/sh, not executed', async () => {
    const zip = await writeZip(zips, 'plain.zip', [
      { name: 'plain.so', data: 'so' },
      { name: 'install.sh', data: 'exit 0\n', mode: 0o644 },
    ]);
    expect((await t.request('POST', '/plugins/sinks', { name: 'plain', file: fileUrl(zip) })).status).toBe(
      201,
    );
    const so = await stat(join(t.dataDir, 'plugins/sinks/plain.so'));
    expect(so.isFile()).toBe(true);
  });

  test('list is sorted by name and holds natives of its kind only', async () => {
    for (const name of ['misc', 'echo2', 'comp']) {
      await t.request('POST', '/plugins/functions', { name, file: testZip(`functions/${name}.zip`) });
    }
    await t.request('POST', '/plugins/sinks', { name: 'file2', file: testZip('sinks/file2.zip') });
    expectJson(await t.request('GET', '/plugins/functions'), '["comp","echo2","misc"]');
    expectJson(await t.request('GET', '/plugins/sinks'), '["file2"]');
    expectJson(await t.request('GET', '/plugins/sources'), '[]');
  });

  test('installed plugins are found again after a restart', async () => {
    await t.request('POST', '/plugins/sources', { name: 'random3', file: testZip('sources/random3.zip') });
    await t.request('POST', '/plugins/functions', { name: 'comp', file: testZip('functions/comp.zip') });
    await t.restart();
    expectJson(await t.request('GET', '/plugins/sources/random3'), '{"name":"random3","version":"1.0.0"}');
    expectJson(await t.request('GET', '/plugins/functions'), '["comp"]');
    const before = await snapshotTree(t.dataDir);
    expect((await t.request('DELETE', '/plugins/functions/comp')).status).toBe(200);
    const after = await snapshotTree(t.dataDir);
    expect(Object.keys(before).filter((key) => !(key in after))).toEqual(
      expect.arrayContaining(['data/functions/comp/', 'etc/functions/comp/', 'plugins/functions/Comp.so']),
    );
  });
});
