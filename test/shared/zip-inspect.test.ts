import { execFileSync } from 'node:child_process';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { PluginKind } from '../../shared/plugin-kinds.js';
import { readZipDirectoryFromBytes } from '../../shared/zip-directory.js';
import { inspectZip, repackWithoutTopFolder } from '../../shared/zip-inspect.js';
import type { ZipLimits } from '../../shared/zip-safety.js';
import { hasCommand } from '../archive/helpers.js';
import { FIXTURES, TEST_ZIPS, fileUrl, startTestHost, type TestHost } from '../support/host-harness.js';
import { nodePluginScript } from '../support/node-plugin-bundle.js';
import { acquireTestLock, LOCK_WAIT_MS } from '../support/test-lock.js';
import { buildZip, type TestZipEntry } from '../support/zip-writer.js';

// The window's zip inspection and the host must agree: for every zip, inspectZip's first problem is the
// text the host answers after `fail to install plugin: ` (or the whole answer, for name problems), and a zip
// with no problems installs.

const LIMITS: ZipLimits = { maxEntries: 50, maxInflatedBytes: 10 * 1024 * 1024 };
const INSTALL_PREFIX = 'fail to install plugin: ';

// Installs start plugins: eKuiper's mirror (and mirror2, which dials mirror's socket) take turns across files.
let t: TestHost;
let zips: string;
let counter = 0;
let releaseMirror: () => Promise<void>;
beforeAll(async () => {
  releaseMirror = await acquireTestLock('mirror');
  t = await startTestHost({ maxZipEntries: LIMITS.maxEntries, maxZipInflatedBytes: LIMITS.maxInflatedBytes });
  zips = join(t.tempDir, 'zips');
  await mkdir(zips);
}, LOCK_WAIT_MS);
afterAll(async () => {
  await t.close();
  await releaseMirror();
});

/**
 * Built portable zips stand their executable in with 'x'; installs now start it, so the entry becomes the Node
 * test plugin (which serves whatever its manifest declares). Zip rules do not look at executable contents.
 */
async function runnable(kind: PluginKind, entries: TestZipEntry[]): Promise<TestZipEntry[]> {
  if (kind !== 'portables') return entries;
  const script = await nodePluginScript();
  return entries.map((entry) =>
    (entry.name === 'run' || entry.name.endsWith('/run')) && entry.data === 'x'
      ? { ...entry, data: script }
      : entry,
  );
}

interface HostVerdict {
  status: number;
  /** The problem as inspectZip words it: the text after `fail to install plugin: `, else the message. */
  problem: string | undefined;
}

/** Installs through the REST API, answers what the host said, and removes what got installed. */
async function hostVerdict(kind: PluginKind, name: string, zipPath: string): Promise<HostVerdict> {
  const response = await t.request('POST', `/plugins/${kind}`, { name, file: fileUrl(zipPath) });
  if (response.status === 201) {
    const removed = await t.request('DELETE', `/plugins/${kind}/${name}`);
    expect(removed.status).toBe(200);
    return { status: 201, problem: undefined };
  }
  const { message } = response.json<{ message: string }>();
  const at = message.indexOf(INSTALL_PREFIX);
  return { status: response.status, problem: at >= 0 ? message.slice(at + INSTALL_PREFIX.length) : message };
}

/** inspectZip and the host on the same zip: same verdict, same first text. */
async function expectAgreement(kind: PluginKind, name: string, zipPath: string): Promise<string[]> {
  const bytes = new Uint8Array(await readFile(zipPath));
  const inspection = inspectZip(bytes, kind, name, { limits: LIMITS });
  const verdict = await hostVerdict(kind, name, zipPath);
  if (verdict.problem === undefined) {
    expect(inspection.problems).toEqual([]);
  } else {
    expect(inspection.problems.length, `host said: ${verdict.problem}`).toBeGreaterThan(0);
    const first = inspection.problems[0]!;
    // Name problems come unprefixed from the manager, with a route prefix before them.
    expect(
      verdict.problem === first || verdict.problem.endsWith(`: ${first}`),
      `${verdict.problem}\nvs\n${first}`,
    ).toBe(true);
  }
  return inspection.problems;
}

async function writeTestZip(entries: TestZipEntry[], patch?: (zip: Buffer) => void): Promise<string> {
  const zip = buildZip(entries);
  patch?.(zip);
  const path = join(zips, `case-${++counter}.zip`);
  await writeFile(path, zip);
  return path;
}

// Every row of the fixtures' README.
const FIXTURE_ROWS: Array<[string, PluginKind, string, 'ok' | 'error' | 'start fails']> = [
  ['sources/random2.zip', 'sources', 'random2', 'ok'],
  ['sources/random3.zip', 'sources', 'random3', 'ok'],
  ['sources/zipMissConf.zip', 'sources', 'zipMissConf', 'error'],
  ['sources/invalidZip.zip', 'sources', 'invalidZip', 'error'],
  ['sinks/file2.zip', 'sinks', 'file2', 'ok'],
  ['sinks/zipWrongName.zip', 'sinks', 'zipWrongName', 'error'],
  ['functions/echo2.zip', 'functions', 'echo2', 'ok'],
  ['functions/misc.zip', 'functions', 'misc', 'ok'],
  ['functions/comp.zip', 'functions', 'comp', 'ok'],
  ['functions/zipMissSo.zip', 'functions', 'zipMissSo', 'error'],
  // A sound zip whose program cannot run under this name: the host refuses it at start, not by its rules.
  ['portables/mirror.zip', 'portables', 'mirror2', 'start fails'],
  ['portables/wrong.zip', 'portables', 'wrong', 'error'],
];

describe('inspectZip agrees with the host on every fixture', () => {
  test.each(FIXTURE_ROWS)('%s as %s %s', async (file, kind, name, outcome) => {
    if (outcome === 'start fails') {
      const bytes = new Uint8Array(await readFile(join(TEST_ZIPS, file)));
      expect(inspectZip(bytes, kind, name, { limits: LIMITS }).problems).toEqual([]);
      const verdict = await hostVerdict(kind, name, join(TEST_ZIPS, file));
      expect(verdict.status).toBe(400);
      expect(verdict.problem).toMatch(
        /^portable plugin create command error: plugin mirror2 exited with code 2 before/,
      );
      return;
    }
    const problems = await expectAgreement(kind, name, join(TEST_ZIPS, file));
    expect(problems.length === 0).toBe(outcome === 'ok');
    if (outcome === 'error') expect(problems).toHaveLength(1);
  });

  test('the runnable mirror.zip as mirror', async () => {
    expect(await expectAgreement('portables', 'mirror', join(FIXTURES, 'portable/mirror.zip'))).toEqual([]);
  });
});

describe('what inspectZip shows', () => {
  test('a portable plugin: manifest, symbols, executable, suggested name', async () => {
    const bytes = new Uint8Array(await readFile(join(FIXTURES, 'portable/mirror.zip')));
    const inspection = inspectZip(bytes, 'portables');
    expect(inspection).toMatchObject({
      name: 'mirror',
      suggestedName: 'mirror',
      manifestEntry: 'mirror.json',
      executable: 'mirror2',
      symbols: { sources: ['random'], sinks: ['file'], functions: ['echo'] },
      hasInstallScript: false,
      topFolder: undefined,
      problems: [],
      zipSize: bytes.length,
    });
    expect(inspection.manifest?.language).toBe('go');
    expect(inspection.entries).toHaveLength(9);
    expect(inspection.entries).toContainEqual({ name: 'sources/', isDirectory: true, size: 0 });
    expect(inspection.totalSize).toBe(4387298);
  });

  test("eKuiper's mirror.zip suggests the name its manifest declares", async () => {
    const bytes = new Uint8Array(await readFile(join(TEST_ZIPS, 'portables/mirror.zip')));
    const inspection = inspectZip(bytes, 'portables', undefined, { fileName: 'mirror.zip' });
    expect(inspection.suggestedName).toBe('mirror2');
    expect(inspection.problems).toEqual([]);
    // Installed under the zip's name it fails, as the host says.
    const asMirror = inspectZip(bytes, 'portables', 'mirror');
    expect(asMirror.problems[0]).toMatch(/^missing or invalid json file mirror\.json/);
  });

  test('a native plugin: library, version, install.sh, suggested name from the .so', async () => {
    const bytes = new Uint8Array(await readFile(join(TEST_ZIPS, 'sources/random3.zip')));
    expect(inspectZip(bytes, 'sources')).toMatchObject({
      name: 'random3',
      suggestedName: 'random3',
      executable: 'Random3@v1.0.0.so',
      version: '1.0.0',
      symbols: { sources: ['random3'], sinks: [], functions: [] },
      problems: [],
    });
    const random2 = inspectZip(
      new Uint8Array(await readFile(join(TEST_ZIPS, 'sources/random2.zip'))),
      'sources',
    );
    expect(random2.hasInstallScript).toBe(true);
  });

  test('a portable plugin given as a native kind is recognised by its manifest', async () => {
    const mirror = new Uint8Array(await readFile(join(FIXTURES, 'portable/mirror.zip')));
    expect(inspectZip(mirror, 'functions').portable).toEqual({
      manifestEntry: 'mirror.json',
      executable: 'mirror2',
    });
    // Zipped with its folder, too.
    const nested = buildZip([
      { name: 'mirror/mirror.json', data: JSON.stringify({ executable: 'run', language: 'go' }) },
      { name: 'mirror/run', data: 'x' },
    ]);
    expect(inspectZip(nested, 'sinks').portable).toEqual({
      manifestEntry: 'mirror/mirror.json',
      executable: 'run',
    });
    // As a portable, the question does not arise.
    expect(inspectZip(mirror, 'portables').portable).toBeUndefined();
  });

  test('a native zip, with or without other JSON files, is not taken for a portable plugin', async () => {
    const random3 = new Uint8Array(await readFile(join(TEST_ZIPS, 'sources/random3.zip')));
    expect(inspectZip(random3, 'sources').portable).toBeUndefined();
    const withJson = buildZip([
      { name: 'Echo.so', data: 'x' },
      { name: 'echo.json', data: JSON.stringify({ about: { trial: false } }) },
      { name: 'broken.json', data: '{' },
      { name: 'list.json', data: 'null' },
    ]);
    expect(inspectZip(withJson, 'functions').portable).toBeUndefined();
  });

  test('the zip file name is the last resort for the suggested name', () => {
    const bytes = buildZip([{ name: 'run.sh', data: 'x' }]);
    expect(inspectZip(bytes, 'portables', undefined, { fileName: 'C:/x/my-plugin.zip' }).suggestedName).toBe(
      'my-plugin',
    );
    expect(inspectZip(new Uint8Array(0), 'sinks', undefined, { fileName: 'broken.zip' })).toMatchObject({
      name: 'broken',
      problems: [expect.stringMatching(/^zip: not a valid zip file: the file is empty \(0 bytes\)/)],
    });
  });

  test('every safety problem is listed, the host’s first', () => {
    const bytes = buildZip([
      { name: '../up.so', data: 'x' },
      { name: 'link', symlinkTarget: '/etc/passwd' },
      { name: 'secret', data: 'x', encrypted: true },
    ]);
    const problems = inspectZip(bytes, 'sinks', 'up').problems;
    expect(problems[0]).toContain("'../up.so' climbs out");
    expect(problems[1]).toContain("'link' is a symbolic link");
    expect(problems[2]).toContain("'secret' is password-protected");
  });
});

const manifest = (fields: Record<string, unknown>): string =>
  JSON.stringify({ name: 'p', version: '1.0.0', language: 'go', executable: 'run', ...fields });

/** Sets entry `index`'s compression method in both headers (a zip the writer cannot make directly). */
function setMethod(method: number, index = 0): (zip: Buffer) => void {
  return (zip) => {
    let seen = 0;
    for (let at = 0; at + 4 <= zip.length; at++) {
      const signature = zip.readUInt32LE(at);
      if (signature === 0x04034b50 && seen === index) zip.writeUInt16LE(method, at + 8);
      if (signature === 0x02014b50) {
        if (seen === index) zip.writeUInt16LE(method, at + 10);
        seen++;
      }
    }
  };
}

const BUILT: Array<[string, PluginKind, string, TestZipEntry[], ((zip: Buffer) => void)?]> = [
  [
    'good portable',
    'portables',
    'p',
    [
      { name: 'p.json', data: manifest({ functions: ['f'] }) },
      { name: 'run', data: 'x', mode: 0o755 },
    ],
  ],
  [
    'portable under a top folder',
    'portables',
    'p',
    [
      { name: 'p/' },
      { name: 'p/p.json', data: manifest({ functions: ['f'] }) },
      { name: 'p/run', data: 'x' },
    ],
  ],
  ['native under a top folder', 'sinks', 'nat', [{ name: 'nat/' }, { name: 'nat/Nat.so', data: 'x' }]],
  [
    'manifest named after another plugin',
    'portables',
    'p',
    [{ name: 'q.json', data: manifest({ name: 'q' }) }],
  ],
  [
    'manifest that is not JSON',
    'portables',
    'p',
    [
      { name: 'p.json', data: '{"name": "p",' },
      { name: 'run', data: 'x' },
    ],
  ],
  [
    'manifest declaring another name',
    'portables',
    'p',
    [{ name: 'p.json', data: manifest({ name: 'q', sinks: ['s'] }) }],
  ],
  [
    'manifest without symbols',
    'portables',
    'p',
    [
      { name: 'p.json', data: manifest({}) },
      { name: 'run', data: 'x' },
    ],
  ],
  [
    'manifest with a bad language',
    'portables',
    'p',
    [{ name: 'p.json', data: manifest({ language: 'rust', sinks: ['s'] }) }],
  ],
  ['missing executable', 'portables', 'p', [{ name: 'p.json', data: manifest({ sinks: ['s'] }) }]],
  [
    'missing source config',
    'portables',
    'p',
    [
      { name: 'p.json', data: manifest({ sources: ['s'] }) },
      { name: 'run', data: 'x' },
    ],
  ],
  [
    'symbol file of an undeclared symbol',
    'portables',
    'p',
    [
      { name: 'p.json', data: manifest({ sinks: ['s'] }) },
      { name: 'run', data: 'x' },
      { name: 'sinks/other.json', data: '{}' },
    ],
  ],
  [
    'stored manifest',
    'portables',
    'p',
    [
      { name: 'p.json', data: manifest({ sinks: ['s'] }), method: 'store' },
      { name: 'run', data: 'x' },
    ],
  ],
  [
    'manifest over 1 MiB',
    'portables',
    'p',
    [{ name: 'p.json', data: manifest({ sinks: ['s'], pad: 'x'.repeat(1024 * 1024) }) }],
  ],
  ['no .so', 'functions', 'fn', [{ name: 'fn.yaml', data: 'a: 1' }]],
  [
    'two .so',
    'functions',
    'fn',
    [
      { name: 'fn.so', data: 'x' },
      { name: 'Fn@v2.so', data: 'y' },
    ],
  ],
  ['source without its yaml', 'sources', 'src', [{ name: 'Src.so', data: 'x' }]],
  [
    'good source with etc files',
    'sources',
    'src',
    [
      { name: 'Src.so', data: 'x' },
      { name: 'src.yaml', data: 'a: 1' },
      { name: 'etc/x.txt', data: 'x' },
    ],
  ],
  [
    'climbing entry',
    'sinks',
    'snk',
    [
      { name: 'Snk.so', data: 'x' },
      { name: '../../evil.sh', data: 'x' },
    ],
  ],
  [
    'absolute entry',
    'sinks',
    'snk',
    [
      { name: 'Snk.so', data: 'x' },
      { name: '/tmp/evil.sh', data: 'x' },
    ],
  ],
  [
    'Windows absolute entry',
    'sinks',
    'snk',
    [
      { name: 'Snk.so', data: 'x' },
      { name: 'C:\\evil.sh', data: 'x' },
    ],
  ],
  [
    'symlink',
    'sinks',
    'snk',
    [
      { name: 'Snk.so', data: 'x' },
      { name: 'etc/link', symlinkTarget: '/etc/passwd' },
    ],
  ],
  ['encrypted entry', 'sinks', 'snk', [{ name: 'Snk.so', data: 'x', encrypted: true }]],
  ['bzip2 entry', 'sinks', 'snk', [{ name: 'Snk.so', data: 'x', method: 'store' }], setMethod(12)],
  [
    'duplicate entries',
    'sinks',
    'snk',
    [
      { name: 'Snk.so', data: 'x' },
      { name: './Snk.so', data: 'y' },
    ],
  ],
  [
    'file and folder of one name',
    'sinks',
    'snk',
    [
      { name: 'Snk.so', data: 'x' },
      { name: 'etc', data: 'x' },
      { name: 'etc/a', data: 'y' },
    ],
  ],
  [
    'too many entries',
    'sinks',
    'snk',
    Array.from({ length: 51 }, (_, i) => ({ name: i === 0 ? 'Snk.so' : `etc/${i}`, data: 'x' })),
  ],
  [
    'a lying size over the limit',
    'sinks',
    'snk',
    [{ name: 'Snk.so', data: 'x', declaredSize: 20 * 1024 * 1024 }],
  ],
  [
    'CP437 name',
    'sinks',
    'snk',
    [
      { name: 'Snk.so', data: 'x' },
      { name: 'x', rawName: Buffer.from([0x82, 0x2e, 0x74, 0x78, 0x74]), data: 'x' },
    ],
  ],
  [
    'UTF-8 name',
    'sinks',
    'snk',
    [
      { name: 'Snk.so', data: 'x' },
      { name: 'etc/配置.txt', data: 'x' },
    ],
  ],
  ['capitalised native name', 'sinks', 'Snk', [{ name: 'Snk.so', data: 'x' }]],
  ['invalid portable name', 'portables', 'a b', [{ name: 'a b.json', data: manifest({ sinks: ['s'] }) }]],
  ['empty portable name', 'portables', '', [{ name: 'p.json', data: manifest({ sinks: ['s'] }) }]],
];

describe('inspectZip agrees with the host on built zips', () => {
  const installs = new Set([
    'good portable',
    'good source with etc files',
    'stored manifest',
    'CP437 name',
    'UTF-8 name',
  ]);
  test.each(BUILT)('%s', async (label, kind, name, entries, patch) => {
    const problems = await expectAgreement(
      kind,
      name,
      await writeTestZip(await runnable(kind, entries), patch),
    );
    expect(problems.length === 0, problems.join('\n')).toBe(installs.has(label));
  });

  test('a damaged manifest is reported as damaged', () => {
    const zip = buildZip([
      { name: 'p.json', data: manifest({ sinks: ['s'] }), crc32: 1 },
      { name: 'run', data: 'x' },
    ]);
    expect(inspectZip(zip, 'portables', 'p').problems).toEqual([
      "the zip entry 'p.json' is damaged: its checksum (CRC-32) does not match its data. The zip was probably " +
        'cut short or altered while downloading or copying — download or build it again',
    ]);
  });
});

describe('repackWithoutTopFolder', () => {
  test('strips the folder, keeps modes and data, and the result installs', async () => {
    const entries: TestZipEntry[] = [
      { name: 'p/' },
      { name: 'p/p.json', data: manifest({ sources: ['s'] }) },
      { name: 'p/run', data: await nodePluginScript(), mode: 0o755 },
      { name: 'p/sources/' },
      { name: 'p/sources/s.yaml', data: 'a: 1', mode: 0o600 },
      { name: 'p/lib/配置.txt', data: 'x'.repeat(5000) },
    ];
    const original = buildZip(entries);
    expect(inspectZip(original, 'portables').topFolder).toBe('p');
    const repacked = repackWithoutTopFolder(original);
    const listed = readZipDirectoryFromBytes(repacked).map((e) => [
      e.name,
      e.mode & 0o777,
      e.uncompressedSize,
    ]);
    expect(listed).toEqual([
      ['p.json', 0o644, Buffer.byteLength(manifest({ sources: ['s'] }))],
      ['run', 0o755, Buffer.byteLength(await nodePluginScript())],
      ['sources/', 0o755, 0],
      ['sources/s.yaml', 0o600, 4],
      ['lib/配置.txt', 0o644, 5000],
    ]);
    const inspection = inspectZip(repacked, 'portables');
    expect(inspection).toMatchObject({ name: 'p', topFolder: undefined, problems: [] });
    const path = join(zips, 'repacked.zip');
    await writeFile(path, repacked);
    expect(await hostVerdict('portables', 'p', path)).toEqual({ status: 201, problem: undefined });
  });

  test.skipIf(!hasCommand('zip') || !hasCommand('unzip'))(
    'repacks the runnable mirror.zip zipped as a folder with Info-ZIP, and it installs',
    async () => {
      const work = join(t.tempDir, 'info-zip');
      await mkdir(join(work, 'mirror'), { recursive: true });
      execFileSync('unzip', ['-q', join(FIXTURES, 'portable/mirror.zip'), '-d', join(work, 'mirror')]);
      execFileSync('zip', ['-qr', 'nested.zip', 'mirror'], { cwd: work });
      const nested = new Uint8Array(await readFile(join(work, 'nested.zip')));
      const before = inspectZip(nested, 'portables', undefined, { fileName: 'nested.zip' });
      expect(before.suggestedName).toBe('mirror');
      expect(before.topFolder).toBe('mirror');
      const verdict = await hostVerdict('portables', 'mirror', join(work, 'nested.zip'));
      expect(verdict.problem).toBe(before.problems[0]);
      const repacked = repackWithoutTopFolder(nested);
      expect(inspectZip(repacked, 'portables').problems).toEqual([]);
      const executable = readZipDirectoryFromBytes(repacked).find((entry) => entry.name === 'mirror2');
      expect(executable!.mode & 0o777).toBe(0o755);
      await writeFile(join(work, 'repacked.zip'), repacked);
      execFileSync('unzip', ['-tq', join(work, 'repacked.zip')]);
      expect(await hostVerdict('portables', 'mirror', join(work, 'repacked.zip'))).toEqual({
        status: 201,
        problem: undefined,
      });
      await rm(work, { recursive: true, force: true });
    },
  );

  test('refuses a zip without a single top folder', () => {
    expect(() =>
      repackWithoutTopFolder(
        buildZip([
          { name: 'a', data: 'x' },
          { name: 'b/c', data: 'y' },
        ]),
      ),
    ).toThrow(/one top-level folder/);
  });
});
