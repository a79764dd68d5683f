import { createHash } from 'node:crypto';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { readFile, readdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { deflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { ArchiveError } from '../../main/archive/archive-error.js';
import { extractSync } from '../../main/archive/extract-sync.js';
import { readZipDirectory, type ZipEntry } from '../../main/archive/zip-reader.js';
import { extractEntries, type ExtractionItem } from '../../main/archive/zip-extract.js';
import { assertSafeEntries, normaliseEntryName } from '../../main/archive/zip-safety.js';
import { buildZip, deflatedZeros, type TestZipEntry } from '../support/zip-writer.js';
import { FIXTURES, expectArchiveError, hasCommand, run, useTempDirs } from './helpers.js';

const tempDir = useTempDirs();
const MB = 1024 * 1024;
const LIMITS = { maxEntries: 10_000, maxInflatedBytes: 512 * MB };

async function zipFile(entries: TestZipEntry[], options?: { zip64?: boolean }): Promise<string> {
  const path = join(await tempDir(), 'test.zip');
  await writeFile(path, buildZip(entries, options));
  return path;
}

/** Every entry to `root/<normalised name>`, as the install pipeline does for a portable plugin. */
function itemsFor(entries: readonly ZipEntry[], root: string): ExtractionItem[] {
  return entries.map((entry) => ({ entry, destinations: [join(root, normaliseEntryName(entry.name))] }));
}

async function extractAll(zipPath: string, root: string): Promise<{ bytesWritten: number }> {
  const entries = await readZipDirectory(zipPath);
  assertSafeEntries(entries, LIMITS);
  return extractEntries(zipPath, itemsFor(entries, root), {
    root,
    maxInflatedBytes: LIMITS.maxInflatedBytes,
  });
}

/** Hashes, because vitest compares big Buffers byte by byte and slowly. */
async function sha256(path: string): Promise<string> {
  return createHash('sha256')
    .update(await readFile(path))
    .digest('hex');
}

function listTree(root: string): string[] {
  if (!existsSync(root)) return [];
  return readdirSync(root, { recursive: true, encoding: 'utf8' }).sort();
}

describe('extractEntries round trip', () => {
  it('writes every file byte for byte, with folders and modes', async () => {
    const binary = Buffer.from(Array.from({ length: 70_000 }, (_, index) => (index * 7919) % 251));
    const zipPath = await zipFile([
      { name: 'mirror.json', data: '{"name":"mirror"}' },
      { name: 'mirror2', data: binary, mode: 0o755 },
      { name: 'etc/' },
      { name: 'etc/sources/random.yaml', data: 'default:\n  interval: 1000\n', method: 'store' },
      { name: 'empty.txt', data: '' },
      { name: 'readonly.txt', data: 'ro', mode: 0o444 },
      { name: 'données/été.txt', data: 'utf-8 names' },
    ]);
    const root = await tempDir();
    const { bytesWritten } = await extractAll(zipPath, root);

    expect((await readFile(join(root, 'mirror2'))).equals(binary)).toBe(true);
    expect(await readFile(join(root, 'mirror.json'), 'utf8')).toBe('{"name":"mirror"}');
    expect(await readFile(join(root, 'etc/sources/random.yaml'), 'utf8')).toBe(
      'default:\n  interval: 1000\n',
    );
    expect((await stat(join(root, 'empty.txt'))).size).toBe(0);
    expect(await readFile(join(root, 'données/été.txt'), 'utf8')).toBe('utf-8 names');
    expect((await stat(join(root, 'mirror2'))).mode & 0o777).toBe(0o755);
    expect((await stat(join(root, 'mirror.json'))).mode & 0o777).toBe(0o644);
    expect((await stat(join(root, 'readonly.txt'))).mode & 0o777).toBe(0o444);
    expect((await stat(join(root, 'etc'))).mode & 0o777).toBe(0o755);
    expect(bytesWritten).toBe(17 + binary.length + 26 + 0 + 2 + 11);
    expect(listTree(root)).toEqual(
      [
        'données',
        'données/été.txt',
        'empty.txt',
        'etc',
        'etc/sources',
        'etc/sources/random.yaml',
        'mirror.json',
      ]
        .concat(['mirror2', 'readonly.txt'])
        .sort(),
    );
  });

  it('copies an entry to every destination and extracts only the items asked for', async () => {
    const zipPath = await zipFile([
      { name: 'random.yaml', data: 'interval: 1' },
      { name: 'skipped.txt', data: 'not asked for' },
    ]);
    const [yaml] = await readZipDirectory(zipPath);
    const root = await tempDir();
    const destinations = [join(root, 'etc/sources/random.yaml'), join(root, 'data/sources/random.yaml')];
    const result = await extractEntries(zipPath, [{ entry: yaml as ZipEntry, destinations, mode: 0o600 }], {
      root,
      maxInflatedBytes: MB,
    });
    expect(result.bytesWritten).toBe(22);
    for (const destination of destinations) {
      expect(await readFile(destination, 'utf8')).toBe('interval: 1');
      expect((await stat(destination)).mode & 0o777).toBe(0o600);
    }
    expect(listTree(root)).toEqual([
      'data',
      'data/sources',
      'data/sources/random.yaml',
      'etc',
      'etc/sources',
      'etc/sources/random.yaml',
    ]);
  });

  it('gives a FAT-made executable the exec bit it is asked for, and 0644 otherwise', async () => {
    const zipPath = await zipFile([
      { name: 'mirror2', data: '#!/bin/sh\necho mirror\n', dosAttributesOnly: true },
      { name: 'mirror2.json', data: '{}', dosAttributesOnly: true },
    ]);
    const [binary, manifest] = await readZipDirectory(zipPath);
    expect(binary?.mode).toBe(0);
    const root = await tempDir();
    await extractEntries(
      zipPath,
      [
        { entry: binary as ZipEntry, destinations: [join(root, 'mirror2')], mode: 0o755 },
        { entry: manifest as ZipEntry, destinations: [join(root, 'mirror2.json')] },
      ],
      { root, maxInflatedBytes: MB },
    );
    expect((await stat(join(root, 'mirror2'))).mode & 0o777).toBe(0o755);
    expect((await stat(join(root, 'mirror2.json'))).mode & 0o777).toBe(0o644);
    expect(run(join(root, 'mirror2'), [])).toBe('mirror\n');
  });

  it('gives the real Windows-zipped mirror2 (ekuiper-testzips/portables/mirror.zip) its exec bit', async () => {
    const zipPath = join(FIXTURES, 'ekuiper-testzips/portables/mirror.zip');
    const entries = await readZipDirectory(zipPath);
    const binary = entries.find((entry) => entry.name === 'mirror2');
    expect(binary?.mode).toBe(0);
    const root = await tempDir();
    const destination = join(root, 'mirror2');
    await extractEntries(zipPath, [{ entry: binary as ZipEntry, destinations: [destination], mode: 0o755 }], {
      root,
      maxInflatedBytes: 16 * MB,
    });
    const written = await readFile(destination);
    expect(written.length).toBe(4381442);
    expect(written.subarray(0, 4).toString('latin1')).toBe('\x7fELF');
    expect((await stat(destination)).mode & 0o777).toBe(0o755);
  });

  it('restores modes a restrictive umask would drop', async () => {
    const zipPath = await zipFile([{ name: 'bin/run', data: 'x', mode: 0o775 }]);
    const root = await tempDir();
    const previous = process.umask(0o077);
    try {
      await extractAll(zipPath, root);
    } finally {
      process.umask(previous);
    }
    expect((await stat(join(root, 'bin/run'))).mode & 0o777).toBe(0o775);
    expect((await stat(join(root, 'bin'))).mode & 0o777).toBe(0o755);
  });

  it('round-trips a ZIP64 archive', async () => {
    const data = Buffer.from('ZIP64 '.repeat(50_000));
    const zipPath = await zipFile(
      [
        { name: 'a/', mode: 0o750 },
        { name: 'a/big.txt', data },
        { name: 'b.bin', data: Buffer.from([1, 2, 3]), method: 'store', mode: 0o700 },
      ],
      { zip64: true },
    );
    const root = await tempDir();
    await extractAll(zipPath, root);
    expect((await readFile(join(root, 'a/big.txt'))).equals(data)).toBe(true);
    expect(await readFile(join(root, 'b.bin'))).toEqual(Buffer.from([1, 2, 3]));
    expect((await stat(join(root, 'b.bin'))).mode & 0o777).toBe(0o700);
  });

  it.skipIf(!hasCommand('unzip'))('extracts portable/mirror.zip exactly as unzip does', async () => {
    const zipPath = join(FIXTURES, 'portable/mirror.zip');
    const ours = await tempDir();
    const theirs = await tempDir();
    await extractAll(zipPath, ours);
    run('unzip', ['-q', zipPath, '-d', theirs]);
    const files = listTree(theirs);
    expect(listTree(ours)).toEqual(files);
    expect(files).toContain('mirror2');
    for (const file of files) {
      const [mine, reference] = await Promise.all([stat(join(ours, file)), stat(join(theirs, file))]);
      expect(mine.mode, file).toBe(reference.mode);
      if (mine.isFile()) expect(await sha256(join(ours, file)), file).toBe(await sha256(join(theirs, file)));
    }
  });

  it('extracts a fixture whose files are listed after their folder in a FAT zip (comp.zip)', async () => {
    const root = await tempDir();
    const { bytesWritten } = await extractAll(join(FIXTURES, 'ekuiper-testzips/functions/comp.zip'), root);
    expect(bytesWritten).toBe(3511480);
    expect(listTree(root)).toEqual(['Comp.so', 'etc', 'etc/bar.txt', 'etc/foo.txt']);
    expect(statSync(join(root, 'Comp.so')).size).toBe(3511480);
  });
});

describe('extractEntries refuses damaged and hostile zips', () => {
  it('reports a flipped data byte as a CRC mismatch and writes nothing', async () => {
    const zip = buildZip([{ name: 'hello.txt', data: 'hello world, hello zip', method: 'store' }]);
    const at = zip.indexOf('hello world');
    zip.writeUInt8(zip.readUInt8(at) ^ 0x01, at);
    const zipPath = join(await tempDir(), 'flipped.zip');
    await writeFile(zipPath, zip);
    const root = await tempDir();
    const error = await expectArchiveError(extractAll(zipPath, root), 'corrupt');
    expect(error.message).toContain("'hello.txt'");
    expect(error.message).toContain('CRC-32');
    expect(listTree(root)).toEqual([]);
  });

  it('reports damaged deflate data as corrupt', async () => {
    const data = Buffer.from('a fairly compressible sentence, repeated. '.repeat(200));
    const zip = buildZip([{ name: 'text.txt', data }]);
    const compressed = deflateRawSync(data);
    const at = zip.indexOf(compressed);
    expect(at).toBeGreaterThan(0);
    for (let i = 0; i < 8; i++) zip[at + 10 + i] = 0xff;
    const zipPath = join(await tempDir(), 'damaged.zip');
    await writeFile(zipPath, zip);
    await expectArchiveError(extractAll(zipPath, await tempDir()), 'corrupt');
  });

  it.each([
    [
      'a stored entry declaring more than it holds',
      { method: 'store', declaredSize: 100 },
      'header declares 100',
    ],
    [
      'a stored entry declaring less than it holds',
      { method: 'store', declaredSize: 3 },
      'header declares 3',
    ],
    [
      'a deflated entry declaring more than it holds',
      { method: 'deflate', declaredSize: 5000 },
      'declares 5000',
    ],
    [
      'a deflated entry declaring less than it holds',
      { method: 'deflate', declaredSize: 10 },
      'more than the 10',
    ],
  ] as const)('refuses %s as corrupt', async (_label, lie, text) => {
    const zipPath = await zipFile([{ name: 'liar.txt', data: 'the real content: 29 bytes...', ...lie }]);
    const root = await tempDir();
    const error = await expectArchiveError(extractAll(zipPath, root), 'corrupt');
    expect(error.message).toContain(text);
    expect(listTree(root)).toEqual([]);
  });

  it('refuses a local header without its signature', async () => {
    const zipPath = await zipFile([{ name: 'a.txt', data: 'x'.repeat(1000) }]);
    const entries = await readZipDirectory(zipPath);
    const damaged = await readFile(zipPath);
    damaged.writeUInt32LE(0x12345678, 0);
    await writeFile(zipPath, damaged);
    const root = await tempDir();
    const error = await expectArchiveError(
      extractEntries(zipPath, itemsFor(entries, root), { root, maxInflatedBytes: MB }),
      'corrupt',
    );
    expect(error.message).toContain('local header');
  });

  it('refuses data that runs past the end of the file', async () => {
    const zipPath = await zipFile([{ name: 'a.txt', data: 'x'.repeat(1000) }]);
    const [entry] = await readZipDirectory(zipPath);
    const cut = { ...(entry as ZipEntry), compressedSize: statSync(zipPath).size };
    const root = await tempDir();
    const error = await expectArchiveError(
      extractEntries(zipPath, itemsFor([cut], root), { root, maxInflatedBytes: MB }),
      'corrupt',
    );
    expect(error.message).toContain('past the end');
  });

  it('refuses an honest 2 GB zip bomb from its declared size alone, instantly', async () => {
    const bomb = deflatedZeros(2048 * MB);
    const zipPath = await zipFile([{ name: 'zeros.bin', precompressed: bomb }]);
    expect(statSync(zipPath).size).toBeLessThan(4 * MB);
    const started = performance.now();
    const entries = await readZipDirectory(zipPath);
    expect(entries[0]?.uncompressedSize).toBe(2048 * MB);
    const error = await expectArchiveError(() => assertSafeEntries(entries, LIMITS), 'too-large');
    expect(error.message).toContain('2048 MB, more than the 512 MB');
    const root = await tempDir();
    await expectArchiveError(
      extractEntries(zipPath, itemsFor(entries, root), { root, maxInflatedBytes: 512 * MB }),
      'too-large',
    );
    expect(performance.now() - started).toBeLessThan(200);
    expect(listTree(root)).toEqual([]);
  });

  it('stops a lying bomb (declares 1 KB, inflates to 50 MB) fast, writing nothing', async () => {
    const bomb = deflatedZeros(50 * MB);
    const zipPath = await zipFile([
      { name: 'small.txt', data: 'fine' },
      { name: 'zeros.bin', precompressed: { ...bomb }, declaredSize: 1024 },
    ]);
    const entries = await readZipDirectory(zipPath);
    expect(entries[1]?.uncompressedSize).toBe(1024);
    expect(() => assertSafeEntries(entries, LIMITS)).not.toThrow();
    const root = await tempDir();
    const started = performance.now();
    const error = await expectArchiveError(
      extractEntries(zipPath, itemsFor(entries, root), { root, maxInflatedBytes: LIMITS.maxInflatedBytes }),
      'corrupt',
    );
    expect(performance.now() - started).toBeLessThan(1500);
    expect(error.message).toContain('more than the 1024 bytes');
    expect(listTree(root)).toEqual(['small.txt']);
  });

  it('enforces maxInflatedBytes on what it extracts, before and inside the worker', async () => {
    const zipPath = await zipFile([
      { name: 'a.bin', data: Buffer.alloc(600) },
      { name: 'b.bin', data: Buffer.alloc(600) },
    ]);
    const entries = await readZipDirectory(zipPath);
    const root = await tempDir();
    await expectArchiveError(
      extractEntries(zipPath, itemsFor(entries, root), { root, maxInflatedBytes: 1000 }),
      'too-large',
    );
    expect(listTree(root)).toEqual([]);
    // The worker's own running total, for callers that bypass the up-front check.
    const error = await expectArchiveError(
      () => extractSync({ zipPath, items: itemsFor(entries, root), root, maxInflatedBytes: 1000 }),
      'too-large',
    );
    expect(error.message).toContain('maxZipInflatedBytes');
    expect(listTree(root)).toEqual(['a.bin']);
  });

  it.each([
    ['a sibling folder', (root: string) => `${root}-evil/x.so`],
    ['the parent', (root: string) => join(root, '../x.so')],
    ['an absolute path', () => '/tmp/ekm-evil.so'],
    ['the root itself', (root: string) => root],
  ])('refuses a destination in %s before writing anything', async (_label, destination) => {
    const zipPath = await zipFile([
      { name: 'good.so', data: 'good' },
      { name: 'evil.so', data: 'evil' },
    ]);
    const [good, evil] = await readZipDirectory(zipPath);
    const root = await tempDir();
    const error = await expectArchiveError(
      extractEntries(
        zipPath,
        [
          { entry: good as ZipEntry, destinations: [join(root, 'good.so')] },
          { entry: evil as ZipEntry, destinations: [destination(root)] },
        ],
        { root, maxInflatedBytes: MB },
      ),
      'write-outside-root',
    );
    expect(error.message).toContain("'evil.so'");
    expect(listTree(root)).toEqual([]);
    expect(existsSync(`${root}-evil`)).toBe(false);
    expect(existsSync('/tmp/ekm-evil.so')).toBe(false);
  });

  it('keeps the errno code of file system errors and never overwrites', async () => {
    const zipPath = await zipFile([{ name: 'a.txt', data: 'new' }]);
    const root = await tempDir();
    await writeFile(join(root, 'a.txt'), 'old');
    const failure: unknown = await extractAll(zipPath, root).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(Error);
    expect(failure).not.toBeInstanceOf(ArchiveError);
    expect((failure as NodeJS.ErrnoException).code).toBe('EEXIST');
    expect(await readFile(join(root, 'a.txt'), 'utf8')).toBe('old');
  });
});

describe('extractEntries worker lifecycle', () => {
  it('does not start when already aborted', async () => {
    const zipPath = await zipFile([{ name: 'a.txt', data: 'a' }]);
    const root = await tempDir();
    const entries = await readZipDirectory(zipPath);
    const abort = new AbortController();
    abort.abort();
    await expect(
      extractEntries(zipPath, itemsFor(entries, root), { root, maxInflatedBytes: MB, signal: abort.signal }),
    ).rejects.toMatchObject({ name: 'AbortError' });
    expect(listTree(root)).toEqual([]);
  });

  it('stops the worker on abort: nothing is written once the promise settles', async () => {
    const count = 6000;
    const zipPath = await zipFile(
      Array.from({ length: count }, (_, index) => ({
        name: `d${index % 50}/f${index}.txt`,
        data: `file ${index}`,
      })),
    );
    const entries = await readZipDirectory(zipPath);
    const root = await tempDir();
    const abort = new AbortController();
    const extraction = extractEntries(zipPath, itemsFor(entries, root), {
      root,
      maxInflatedBytes: MB,
      signal: abort.signal,
    });
    const settled = extraction.then(
      () => 'finished',
      (error: unknown) => (error instanceof Error ? error.name : 'unknown'),
    );
    while ((await readdir(root)).length === 0) await new Promise((resolve) => setTimeout(resolve, 1));
    abort.abort();
    expect(await settled).toBe('AbortError');
    const atSettle = listTree(root).length;
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(listTree(root).length).toBe(atSettle);
    expect(atSettle).toBeLessThan(count + 50);
  });
});
