import { chmod, mkdir, mkdtemp, readFile, rm, symlink, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { checkFolder, packFolder } from '../../../main/authoring/pack/pack-folder.js';
import { checkOutputPath, packFileName, writePackedZip } from '../../../main/authoring/pack/pack-output.js';
import { readZipDirectoryFromBytes } from '../../../shared/zip-directory.js';
import { inspectZip } from '../../../shared/zip-inspect.js';
import { FIXTURES } from '../../support/host-harness.js';

let root: string;
let mirrorFiles: Record<string, Uint8Array>;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'ekm-pack-'));
  mirrorFiles = unzipSync(await readFile(join(FIXTURES, 'portable/mirror.zip')));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

/** `expect.stringMatching`, typed as the string it stands for. */
const matching = (pattern: RegExp): unknown => expect.stringMatching(pattern);

let counter = 0;
/** A fresh folder under the test's temp root, with these files (string or bytes; mode optional). */
async function folderWith(
  name: string,
  files: Record<string, string | Uint8Array | { data: string | Uint8Array; mode: number }>,
): Promise<string> {
  const folder = join(root, String(++counter), name);
  await mkdir(folder, { recursive: true });
  for (const [path, content] of Object.entries(files)) {
    const full = join(folder, path);
    await mkdir(dirname(full), { recursive: true });
    const isEntry = typeof content === 'object' && 'mode' in content;
    await writeFile(full, isEntry ? content.data : content);
    if (isEntry) await chmod(full, content.mode);
  }
  return folder;
}

const pythonManifest = (extra: Record<string, unknown> = {}) =>
  JSON.stringify({
    version: 'v1.0.0',
    language: 'python',
    executable: 'main.py',
    functions: ['upper'],
    ...extra,
  });

/** A small Python plugin that packages cleanly. */
const pythonPlugin = () => ({
  'pyfn.json': pythonManifest({ sources: ['count'] }),
  'main.py': 'print("hi")\n',
  'upper.py': 'def upper(x):\n    return x.upper()\n',
  'sources/count.yaml': 'default:\n  interval: 20\n',
  'functions/upper.json': '{"about":{}}',
});

/** The fixture's Go mirror as a folder: the binary without its exec bit, as a copy from Windows leaves it. */
const mirrorFolder = () =>
  folderWith('mirror', {
    'mirror.json': mirrorFiles['mirror.json']!,
    mirror2: { data: mirrorFiles.mirror2!, mode: 0o644 },
    'sources/random.yaml': mirrorFiles['sources/random.yaml']!,
    'sources/random.json': mirrorFiles['sources/random.json']!,
    'sinks/file.json': mirrorFiles['sinks/file.json']!,
    'functions/echo.json': mirrorFiles['functions/echo.json']!,
  });

describe('a deterministic zip', () => {
  test('the same folder gives the same bytes twice, and after its files are touched', async () => {
    const folder = await folderWith('pyfn', pythonPlugin());
    const first = await packFolder(folder);
    const second = await packFolder(folder);
    expect(first.problems).toEqual([]);
    expect(first.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(Buffer.from(second.zip!).equals(Buffer.from(first.zip!))).toBe(true);
    const later = new Date(Date.now() + 86_400_000);
    for (const file of first.files) await utimes(join(folder, file.path), later, later);
    const touched = await packFolder(folder);
    expect(touched.sha256).toBe(first.sha256);
    await writeFile(join(folder, 'upper.py'), 'def upper(x):\n    return x.lower()\n');
    expect((await packFolder(folder)).sha256).not.toBe(first.sha256);
  });

  test('entries sorted, no folder entries, one fixed time, unix modes', async () => {
    const folder = await folderWith('pyfn', {
      ...pythonPlugin(),
      'tools/run.sh': { data: '#!/bin/sh\n', mode: 0o755 },
    });
    const packed = await packFolder(folder);
    const entries = readZipDirectoryFromBytes(packed.zip!);
    const names = entries.map((entry) => entry.name);
    expect(names).toEqual([...names].sort());
    expect(entries.every((entry) => !entry.isDirectory)).toBe(true);
    const modes = Object.fromEntries(entries.map((entry) => [entry.name, entry.mode]));
    expect(modes['main.py']).toBe(0o100755); // the executable
    expect(modes['tools/run.sh']).toBe(0o100755); // has an exec bit on disk
    expect(modes['upper.py']).toBe(0o100644);
    // DOS time 1980-01-01 00:00: date 0x0021, time 0, in every central header.
    const view = new DataView(packed.zip!.buffer, packed.zip!.byteOffset);
    let at = packed.zip!.length - 22;
    at = view.getUint32(at + 16, true);
    for (let index = 0; index < entries.length; index++) {
      expect(view.getUint16(at + 12, true)).toBe(0);
      expect(view.getUint16(at + 14, true)).toBe(0x21);
      at +=
        46 + view.getUint16(at + 28, true) + view.getUint16(at + 30, true) + view.getUint16(at + 32, true);
    }
  });

  test('the Go executable without its exec bit gets 0755 in the zip, and the user is told', async () => {
    const folder = await mirrorFolder();
    const packed = await packFolder(folder);
    expect(packed.problems).toEqual([]);
    expect(packed.binary).toEqual({ format: 'elf', os: 'linux', arch: 'amd64' });
    expect(packed.warnings).toEqual([
      {
        code: 'exec-bit-set',
        message:
          'mirror2 has no exec bit in the folder; the zip gives it one (mode 0755) so eKuiper can start it',
      },
    ]);
    const entry = readZipDirectoryFromBytes(packed.zip!).find((item) => item.name === 'mirror2')!;
    expect(entry.mode).toBe(0o100755);
    expect(inspectZip(packed.zip!, 'portables', 'mirror').problems).toEqual([]);
  });
});

describe('left out of the zip', () => {
  test('caches, version control, virtualenvs, dependencies, editor and OS files, earlier builds', async () => {
    const folder = await folderWith('pyfn', {
      ...pythonPlugin(),
      '__pycache__/upper.cpython-311.pyc': 'x',
      'lib/helper.pyc': 'x',
      'lib/helper.py': 'x = 1\n',
      '.git/HEAD': 'ref: refs/heads/main\n',
      'venv/bin/python': 'x',
      '.venv/lib/x.py': 'x',
      'env311/pyvenv.cfg': 'home = /usr/bin\n',
      'env311/lib/site.py': 'x',
      'node_modules/a/index.js': 'x',
      '.idea/workspace.xml': 'x',
      '.vscode/settings.json': '{}',
      '.upper.py.swp': 'x',
      'upper.py~': 'x',
      '.DS_Store': 'x',
      'lib/Thumbs.db': 'x',
      'pyfn.zip': 'old',
      'dist/pyfn-v0.9.0.zip': 'older',
      'data/other.zip': 'kept: not a build of this plugin',
    });
    const packed = await packFolder(folder);
    expect(packed.problems).toEqual([]);
    expect(packed.leftOut).toEqual([
      { path: '.DS_Store', reason: 'os-file' },
      { path: '.git/', reason: 'git' },
      { path: '.idea/', reason: 'editor' },
      { path: '.upper.py.swp', reason: 'editor' },
      { path: '.venv/', reason: 'virtualenv' },
      { path: '.vscode/', reason: 'editor' },
      { path: '__pycache__/', reason: 'python-cache' },
      { path: 'dist/pyfn-v0.9.0.zip', reason: 'built-zip' },
      { path: 'env311/', reason: 'virtualenv' },
      { path: 'lib/Thumbs.db', reason: 'os-file' },
      { path: 'lib/helper.pyc', reason: 'python-cache' },
      { path: 'node_modules/', reason: 'node-modules' },
      { path: 'pyfn.zip', reason: 'built-zip' },
      { path: 'upper.py~', reason: 'editor' },
      { path: 'venv/', reason: 'virtualenv' },
    ]);
    expect(Object.keys(unzipSync(packed.zip!)).sort()).toEqual([
      'data/other.zip',
      'functions/upper.json',
      'lib/helper.py',
      'main.py',
      'pyfn.json',
      'sources/count.yaml',
      'upper.py',
    ]);
  });

  test('a link to a file is packaged as the file; a link to a folder is left out', async () => {
    const folder = await folderWith('pyfn', pythonPlugin());
    await writeFile(join(root, 'shared.py'), 'SHARED = 1\n');
    await symlink(join(root, 'shared.py'), join(folder, 'shared.py'));
    await symlink(root, join(folder, 'up'));
    const packed = await packFolder(folder);
    expect(packed.leftOut).toEqual([{ path: 'up/', reason: 'folder-link' }]);
    expect(new TextDecoder().decode(unzipSync(packed.zip!)['shared.py'])).toBe('SHARED = 1\n');
    expect(readZipDirectoryFromBytes(packed.zip!).every((entry) => !entry.isSymlink)).toBe(true);
  });
});

describe('hand-made mistakes, in the host’s words with a fix', () => {
  test('the folder above the plugin folder (it holds only the plugin folder)', async () => {
    const folder = await folderWith(
      'work',
      Object.fromEntries(Object.entries(pythonPlugin()).map(([path, data]) => [`pyfn/${path}`, data])),
    );
    const check = await checkFolder(folder);
    expect(check.problems).toEqual([
      {
        code: 'top-folder',
        message:
          "missing or invalid json file pyfn.json, found 5 files in total: the files sit under the folder 'pyfn/', " +
          "but eKuiper looks for pyfn.json at the root of the zip. Zip the folder's contents rather than the folder " +
          '(for example: cd pyfn && zip -r ../pyfn.zip .)',
        fix: `choose the folder ${join(folder, 'pyfn')} itself: it holds the manifest pyfn.json`,
      },
    ]);
    expect((await packFolder(folder)).zip).toBeUndefined();
  });

  test('the manifest file named otherwise than its "name"', async () => {
    const folder = await folderWith('pyfn', {
      ...pythonPlugin(),
      'pyfn.json': pythonManifest({ name: 'pyfunc' }),
    });
    const check = await checkFolder(folder);
    expect(check.problems).toEqual([
      {
        code: 'manifest-name',
        message:
          "invalid plugin, expect name 'pyfn' but got 'pyfunc': the manifest pyfn.json declares the plugin 'pyfunc'. " +
          'Install it under that name, or change "name" in the manifest',
        fix: 'rename pyfn.json to pyfunc.json, or set "name" in it to "pyfn"',
      },
    ]);
  });

  test('the Go executable missing: the build command for the chosen server', async () => {
    const folder = await folderWith('gofn', {
      'gofn.json': JSON.stringify({ language: 'go', executable: 'gofn', functions: ['echo'] }),
      'main.go': 'package main\n',
    });
    const check = await checkFolder(folder, {
      target: { id: 'e', name: 'edge-1', os: 'linux', arch: 'arm64' },
    });
    expect(check.problems).toEqual([
      {
        code: 'executable-missing',
        message:
          "missing gofn: the manifest names 'gofn' as the executable, but the zip has no such file (its root holds " +
          'gofn.json, main.go)',
        fix: 'build the executable into the folder, for example: GOOS=linux GOARCH=arm64 go build -o gofn .',
      },
    ]);
  });

  test('the Python executable missing', async () => {
    const files: Record<string, string> = pythonPlugin();
    delete files['main.py'];
    const check = await checkFolder(await folderWith('pyfn', files));
    expect(check.problems.map((problem) => [problem.code, problem.fix])).toEqual([
      [
        'executable-missing',
        'create main.py in the folder, or set "executable" in pyfn.json to the Python file that calls plugin.start',
      ],
    ]);
  });

  test('every missing sources/<s>.yaml, each named (the host stops at the first)', async () => {
    const files: Record<string, string> = pythonPlugin();
    delete files['sources/count.yaml'];
    const folder = await folderWith('pyfn', {
      ...files,
      'pyfn.json': pythonManifest({ sources: ['count', 'tick'] }),
    });
    const check = await checkFolder(folder);
    expect(check.problems).toEqual([
      {
        code: 'source-config-missing',
        message:
          'missing sources/count.yaml: every source the manifest declares needs its default configuration in the ' +
          "zip (add sources/count.yaml for the source 'count')",
        fix: 'create sources/count.yaml in the folder with a default section, for example: default: {}',
      },
      {
        code: 'source-config-missing',
        message:
          'missing sources/tick.yaml: every source the manifest declares needs its default configuration in the ' +
          "zip (add sources/tick.yaml for the source 'tick')",
        fix: 'create sources/tick.yaml in the folder with a default section, for example: default: {}',
      },
    ]);
  });

  test('a metadata file for a symbol the manifest does not declare', async () => {
    const folder = await folderWith('pyfn', { ...pythonPlugin(), 'sinks/print.json': '{}' });
    const check = await checkFolder(folder);
    expect(check.problems).toEqual([
      expect.objectContaining({
        code: 'foreign-symbol-file',
        message: matching(/^sinks\/print\.json does not belong to a sink this plugin declares/),
        fix: "declare 'print' in pyfn.json, or delete sinks/print.json from the folder",
      }),
    ]);
  });

  test('no manifest; a native .so folder; a broken manifest; a bad name; not a folder', async () => {
    const none = await checkFolder(await folderWith('empty', { 'main.py': 'x' }));
    expect(none.problems).toEqual([
      expect.objectContaining({
        code: 'no-manifest',
        message:
          'missing or invalid json file empty.json, found 1 files in total: a portable plugin zip needs its manifest ' +
          'empty.json at the root',
        fix: matching(/^add empty\.json at the folder's root, for example \{"version"/),
      }),
    ]);
    const native = await checkFolder(
      await folderWith('random', { 'Random.so': 'x', 'random.yaml': 'default:\n' }),
    );
    expect(native.problems).toEqual([
      expect.objectContaining({
        code: 'native-plugin',
        message:
          'the folder holds the native plugin libraries Random.so; native .so plugins are not packaged here',
      }),
    ]);
    const broken = await checkFolder(
      await folderWith('pyfn', {
        ...pythonPlugin(),
        'pyfn.json': '{"language":"rust","executable":"x","functions":["f"]}',
      }),
    );
    expect(broken.problems).toEqual([
      {
        code: 'manifest',
        message: 'invalid plugin, language \'rust\' is not supported: use "go" or "python"',
        fix: 'correct pyfn.json as the message says',
      },
    ]);
    const badName = await checkFolder(await folderWith('my plugin', { 'my plugin.json': pythonManifest() }));
    expect(badName.problems[0]).toMatchObject({
      code: 'name',
      message:
        "id 'my plugin' contains invalid characters: only alphanumeric, hyphens and underscores are allowed",
    });
    const missing = await checkFolder(join(root, 'nowhere'));
    expect(missing.problems).toEqual([
      {
        code: 'not-a-folder',
        message: `the folder ${join(root, 'nowhere')} does not exist or cannot be read`,
        fix: 'give the path of the plugin folder: the one holding the manifest <name>.json',
      },
    ]);
  });

  test("a Go executable that is not a program, and one built for another server's architecture", async () => {
    const folder = await folderWith('gofn', {
      'gofn.json': JSON.stringify({ language: 'go', executable: 'gofn', functions: ['echo'] }),
      gofn: { data: '#!/bin/sh\necho hi\n', mode: 0o755 },
    });
    expect((await checkFolder(folder)).warnings).toEqual([
      {
        code: 'binary-unknown',
        message:
          "gofn is not a program this app recognises (ELF, PE or Mach-O); eKuiper starts a Go plugin's executable " +
          'directly, so build it with go build',
      },
    ]);
    const mirror = await mirrorFolder();
    const arm = await checkFolder(mirror, {
      target: { id: 'e', name: 'edge-1', os: 'linux', arch: 'arm64' },
    });
    expect(arm.target).toEqual({ server: 'e', name: 'edge-1', os: 'linux', arch: 'arm64', matches: false });
    expect(arm.warnings).toContainEqual({
      code: 'target-mismatch',
      message: 'built for linux/amd64; edge-1 runs linux/arm64: rebuild with GOOS=linux GOARCH=arm64',
    });
    const amd = await checkFolder(mirror, { target: { id: 'l', name: 'local', os: 'linux', arch: 'amd64' } });
    expect(amd.target?.matches).toBe(true);
    const unknown = await checkFolder(mirror, { target: { id: 'x', name: 'far', os: '', arch: '' } });
    expect(unknown.target?.matches).toBeUndefined();
    expect(unknown.warnings.map((warning) => warning.code)).toContain('target-unknown');
  });

  test('the host’s other zip rules still apply to the packaged files (the unpacked size limit)', async () => {
    const folder = await folderWith('pyfn', pythonPlugin());
    const check = await checkFolder(folder, { limits: { maxEntries: 20_000, maxInflatedBytes: 10 } });
    expect(check.problems).toEqual([
      {
        code: 'zip-rule',
        message: matching(
          /^the zip unpacks to 0 MB \(\d+ bytes\), more than the 0 MB \(10 bytes\) allowed by the setting maxZipInflatedBytes/,
        ),
        fix: 'change the folder as the message says, then package it again',
      },
    ]);
  });

  test('a folder with more files than a zip may hold is not read through (a folder far above the plugin)', async () => {
    const folder = await folderWith('pyfn', pythonPlugin());
    const check = await checkFolder(folder, { limits: { maxEntries: 3, maxInflatedBytes: 1 << 30 } });
    expect(check.problems).toEqual([
      {
        code: 'zip-rule',
        message: matching(/^the zip lists 4\+ entries, more than the 3 allowed by the setting maxZipEntries/),
        fix: 'give the path of the plugin folder: the one holding the manifest <name>.json',
      },
    ]);
    expect(check.files).toEqual([]);
  });
});

describe('writing the zip', () => {
  test('named <name>-<version>.zip, written whole, never inside the plugin folder', async () => {
    const folder = await folderWith('pyfn', pythonPlugin());
    const packed = await packFolder(folder);
    expect(packFileName('pyfn', 'v1.0.0')).toBe('pyfn-v1.0.0.zip');
    expect(packFileName('pyfn', '')).toBe('pyfn.zip');
    const output = await checkOutputPath(join(dirname(folder), 'dist', 'pyfn-v1.0.0.zip'), folder);
    const result = await writePackedZip(packed, output);
    expect(result).toMatchObject({ path: output, size: packed.zip!.length, sha256: packed.sha256 });
    expect(Buffer.from(await readFile(output)).equals(Buffer.from(packed.zip!))).toBe(true);
    await expect(checkOutputPath(join(folder, 'out', 'pyfn.zip'), folder)).rejects.toThrow(
      /would be written inside the plugin folder/,
    );
    await symlink(folder, join(root, 'via-link'));
    await expect(checkOutputPath(join(root, 'via-link', 'pyfn.zip'), folder)).rejects.toThrow(
      /would be written inside the plugin folder/,
    );
    await expect(checkOutputPath(join(root, 'pyfn.tar'), folder)).rejects.toThrow(
      /must be a file name ending in \.zip/,
    );
  });
});
