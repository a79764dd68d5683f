import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream, existsSync, readdirSync, statSync } from 'node:fs';
import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { ArchiveError } from '../../main/archive/archive-error.js';
import { extractInWorker } from '../../main/archive/extract-sync.js';
import { readZipDirectory, type ZipEntry } from '../../main/archive/zip-reader.js';
import { extractEntries, type ExtractionItem } from '../../main/archive/zip-extract.js';
import { buildZip, deflatedZeros, type TestZipEntry } from '../support/zip-writer.js';
import { expectArchiveError, useTempDirs } from './helpers.js';
import { writeLargeZip, type LargeEntryOptions, type LargeZip } from './large-zip.js';

const tempDir = useTempDirs();
const MIB = 1024 * 1024;
const MAX_INFLATED = 2048 * MIB;
const PROJECT = fileURLToPath(new URL('../../', import.meta.url));
const PROBE = fileURLToPath(new URL('./memory-probe.ts', import.meta.url));
const hasProcStatus = existsSync('/proc/self/status');

async function largeZip(options: LargeEntryOptions): Promise<{ zipPath: string; zip: LargeZip }> {
  const zipPath = join(await tempDir(), 'large.zip');
  return { zipPath, zip: writeLargeZip(zipPath, options) };
}

/** Every entry to `root/<name>`. */
async function itemsFor(zipPath: string, root: string): Promise<ExtractionItem[]> {
  const entries = await readZipDirectory(zipPath);
  return entries.map((entry) => ({ entry, destinations: [join(root, entry.name)] }));
}

/** Hashes a file as it is read, so a 200 MiB output is never held. */
async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path, { highWaterMark: MIB })) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

function listTree(root: string): string[] {
  if (!existsSync(root)) return [];
  return readdirSync(root, { recursive: true, encoding: 'utf8' }).sort();
}

interface ProbeResult {
  baselineKiB: number;
  peakKiB: number;
  bytesWritten?: number;
  error?: { code?: string; message: string };
}

/** Runs memory-probe.ts in a child process: a warm-up extraction, then `zipPath` into `root/out`. */
async function probeMemory(zipPath: string, root: string): Promise<ProbeResult> {
  const warmZipPath = join(root, 'warm.zip');
  await writeFile(warmZipPath, buildZip([{ name: 'warm.txt', data: 'warm-up '.repeat(10_000) }]));
  const args = JSON.stringify({ warmZipPath, zipPath, root, maxInflatedBytes: MAX_INFLATED });
  const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', PROBE, args], {
    cwd: PROJECT,
    encoding: 'utf8',
  });
  return JSON.parse(stdout) as ProbeResult;
}

describe('extracting large entries in chunks', () => {
  it.each(['store', 'deflate'] as const)(
    'round-trips a 100 MiB %s entry to two destinations, with its mode',
    async (method) => {
      const { zipPath, zip } = await largeZip({ sizeMiB: 100, method });
      expect(zip.compressedSize).toBeGreaterThan(40 * MIB);
      const [entry] = await readZipDirectory(zipPath);
      const root = await tempDir();
      const destinations = [join(root, 'etc/model.bin'), join(root, 'data/model.bin')];
      const { bytesWritten } = await extractEntries(
        zipPath,
        [{ entry: entry as ZipEntry, destinations, mode: 0o750 }],
        { root, maxInflatedBytes: MAX_INFLATED },
      );
      expect(bytesWritten).toBe(2 * zip.size);
      for (const destination of destinations) {
        expect(statSync(destination).size).toBe(zip.size);
        expect(await sha256File(destination)).toBe(zip.sha256);
        expect((await stat(destination)).mode & 0o777).toBe(0o750);
      }
    },
  );

  // Before streaming, the same probe measured +199 MiB (stored) and +504 MiB (deflated) for these zips;
  // streamed, about +1 MiB and +35 MiB (the latter is zlib's output chunks awaiting garbage collection,
  // and stays there for a 400 MiB entry too).
  it.skipIf(!hasProcStatus).each(['store', 'deflate'] as const)(
    "keeps the worker's peak memory far below a 200 MiB %s entry",
    async (method) => {
      const { zipPath, zip } = await largeZip({ sizeMiB: 200, method });
      const root = await tempDir();
      const result = await probeMemory(zipPath, root);
      expect(result.error).toBeUndefined();
      expect(result.bytesWritten).toBe(zip.size);
      const growthMiB = (result.peakKiB - result.baselineKiB) / 1024;
      expect(growthMiB).toBeLessThan(48);
      expect(await sha256File(join(root, 'out/model.bin'))).toBe(zip.sha256);
    },
  );
});

describe('large entries that lie or are damaged', () => {
  /** Extracts into `root/plugin/`; a failed streamed entry leaves no file behind, only its folder. */
  async function expectLargeFailure(
    options: LargeEntryOptions,
    problem: string,
    tree: string[] = ['plugin'],
  ): Promise<ArchiveError> {
    const { zipPath } = await largeZip(options);
    const root = await tempDir();
    const entries = await readZipDirectory(zipPath);
    const error = await expectArchiveError(
      extractEntries(
        zipPath,
        entries.map((entry) => ({ entry, destinations: [join(root, 'plugin', entry.name)] })),
        { root, maxInflatedBytes: MAX_INFLATED },
      ),
      'corrupt',
    );
    expect(error.message).toContain("'model.bin'");
    expect(error.message).toContain(problem);
    expect(listTree(root)).toEqual(tree);
    return error;
  }

  it('removes a deflated entry that inflates past its declared 20 MiB', async () => {
    await expectLargeFailure(
      { sizeMiB: 24, method: 'deflate', declaredSize: 20 * MIB },
      `more than the ${20 * MIB} bytes its header declares`,
    );
  });

  it('refuses a deflated entry that inflates to less than it declares', async () => {
    await expectLargeFailure(
      { sizeMiB: 12, method: 'deflate', declaredSize: 20 * MIB },
      `it holds ${12 * MIB} bytes but its header declares ${20 * MIB}`,
    );
  });

  it('refuses a stored entry whose sizes disagree before creating its file', async () => {
    await expectLargeFailure(
      { sizeMiB: 12, method: 'store', declaredSize: 12 * MIB + 1 },
      `it holds ${12 * MIB} bytes but its header declares ${12 * MIB + 1}`,
      [],
    );
  });

  it.each([
    ['a flipped byte in a stored entry', { sizeMiB: 12, method: 'store', flipInBlock: 10 }],
    ['a wrong CRC in the headers of a deflated entry', { sizeMiB: 12, method: 'deflate', crc32: 0x12345678 }],
  ] as const)('reports %s as a CRC mismatch', async (_label, options) => {
    await expectLargeFailure(options, 'CRC-32');
  });

  it('refuses damaged deflate data in a large entry', async () => {
    await expectLargeFailure({ sizeMiB: 12, method: 'deflate', flipInBlock: 6 }, 'is damaged');
  });

  it('never lets a lying bomb (declares 20 MiB, inflates to 1 GiB) grow its file past 20 MiB', async () => {
    const zipPath = join(await tempDir(), 'bomb.zip');
    await writeFile(
      zipPath,
      buildZip([{ name: 'zeros.bin', precompressed: deflatedZeros(1024 * MIB), declaredSize: 20 * MIB }]),
    );
    const root = await tempDir();
    const output = join(root, 'zeros.bin');
    // In this process rather than a worker, so that a poller can watch the file between zlib's callbacks.
    let largest = 0;
    let polling = true;
    const poll = (): void => {
      if (existsSync(output)) largest = Math.max(largest, statSync(output).size);
      if (polling) setImmediate(poll);
    };
    setImmediate(poll);
    try {
      const error = await expectArchiveError(
        extractInWorker({
          zipPath,
          items: await itemsFor(zipPath, root),
          root,
          maxInflatedBytes: MAX_INFLATED,
        }),
        'corrupt',
      );
      expect(error.message).toContain(`more than the ${20 * MIB} bytes`);
    } finally {
      polling = false;
    }
    expect(largest).toBeGreaterThan(0);
    expect(largest).toBeLessThanOrEqual(20 * MIB);
    expect(listTree(root)).toEqual([]);
  });

  it('keeps the errno code when the destination exists, and leaves that file alone', async () => {
    const { zipPath } = await largeZip({ sizeMiB: 10, method: 'deflate' });
    const root = await tempDir();
    await writeFile(join(root, 'model.bin'), 'old');
    const failure: unknown = await extractEntries(zipPath, await itemsFor(zipPath, root), {
      root,
      maxInflatedBytes: MAX_INFLATED,
    }).catch((error: unknown) => error);
    expect(failure).not.toBeInstanceOf(ArchiveError);
    expect((failure as NodeJS.ErrnoException).code).toBe('EEXIST');
    expect(await readFile(join(root, 'model.bin'), 'utf8')).toBe('old');
  });

  it('stops writing once an abort during a large entry settles', async () => {
    const { zipPath } = await largeZip({ sizeMiB: 64, method: 'deflate' });
    const root = await tempDir();
    const abort = new AbortController();
    const extraction = extractEntries(zipPath, await itemsFor(zipPath, root), {
      root,
      maxInflatedBytes: MAX_INFLATED,
      signal: abort.signal,
    });
    const settled = extraction.then(
      () => 'finished',
      (error: unknown) => (error instanceof Error ? error.name : 'unknown'),
    );
    const output = join(root, 'model.bin');
    while (!existsSync(output) || statSync(output).size < 4 * MIB) {
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
    abort.abort();
    expect(await settled).toBe('AbortError');
    const atSettle = statSync(output).size;
    expect(atSettle).toBeLessThan(64 * MIB);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(statSync(output).size).toBe(atSettle);
  });
});

/** zip-extract.test.ts's small-entry cases, forced through the streaming path with streamAboveBytes 0. */
describe('the streaming path on small entries', () => {
  async function extractStreamed(entries: TestZipEntry[], root: string): Promise<{ bytesWritten: number }> {
    const zipPath = join(await tempDir(), 'small.zip');
    await writeFile(zipPath, buildZip(entries));
    return extractEntries(zipPath, await itemsFor(zipPath, root), {
      root,
      maxInflatedBytes: MIB,
      streamAboveBytes: 0,
    });
  }

  it('writes files byte for byte, empty ones and modes included', async () => {
    const binary = Buffer.from(Array.from({ length: 70_000 }, (_, index) => (index * 7919) % 251));
    const root = await tempDir();
    const { bytesWritten } = await extractStreamed(
      [
        { name: 'bin/run', data: binary, mode: 0o755 },
        { name: 'stored.txt', data: 'stored', method: 'store' },
        { name: 'empty.txt', data: '' },
        { name: 'empty-deflated.txt', data: '', method: 'deflate' },
      ],
      root,
    );
    expect(bytesWritten).toBe(binary.length + 6);
    expect((await readFile(join(root, 'bin/run'))).equals(binary)).toBe(true);
    expect((await stat(join(root, 'bin/run'))).mode & 0o777).toBe(0o755);
    expect(await readFile(join(root, 'stored.txt'), 'utf8')).toBe('stored');
    expect(statSync(join(root, 'empty.txt')).size).toBe(0);
    expect(statSync(join(root, 'empty-deflated.txt')).size).toBe(0);
  });

  it.each([
    ['a stored entry declaring more than it holds', { method: 'store', declaredSize: 100 }, 'declares 100'],
    ['a stored entry declaring less than it holds', { method: 'store', declaredSize: 3 }, 'declares 3'],
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
    ['a stored entry with a wrong CRC', { method: 'store', crc32: 1 }, 'CRC-32'],
    ['a deflated entry with a wrong CRC', { method: 'deflate', crc32: 1 }, 'CRC-32'],
  ] as const)('refuses %s as corrupt and leaves no file', async (_label, lie, text) => {
    const root = await tempDir();
    const error = await expectArchiveError(
      extractStreamed([{ name: 'liar.txt', data: 'the real content: 29 bytes...', ...lie }], root),
      'corrupt',
    );
    expect(error.message).toContain(text);
    expect(listTree(root)).toEqual([]);
  });

  it('refuses cut-short deflate data as damaged', async () => {
    const data = Buffer.from('a fairly compressible sentence, repeated. '.repeat(200));
    const whole = buildZip([{ name: 'text.txt', data }]);
    const [entry] = await readZipDirectory(await writeTemp(whole));
    const cut = { ...(entry as ZipEntry), compressedSize: (entry as ZipEntry).compressedSize - 20 };
    const root = await tempDir();
    const error = await expectArchiveError(
      extractInWorker({
        zipPath: await writeTemp(whole),
        items: [{ entry: cut, destinations: [join(root, 'text.txt')] }],
        root,
        maxInflatedBytes: MIB,
        streamAboveBytes: 0,
      }),
      'corrupt',
    );
    expect(error.message).toContain('compressed data is damaged');
    expect(listTree(root)).toEqual([]);
  });

  it('enforces the running maxInflatedBytes cap', async () => {
    const zipPath = await writeTemp(
      buildZip([
        { name: 'a.bin', data: Buffer.alloc(600) },
        { name: 'b.bin', data: Buffer.alloc(600) },
      ]),
    );
    const root = await tempDir();
    const error = await expectArchiveError(
      extractInWorker({
        zipPath,
        items: await itemsFor(zipPath, root),
        root,
        maxInflatedBytes: 1000,
        streamAboveBytes: 0,
      }),
      'too-large',
    );
    expect(error.message).toContain('maxZipInflatedBytes');
    expect(listTree(root)).toEqual(['a.bin']);
  });

  async function writeTemp(zip: Buffer): Promise<string> {
    const path = join(await tempDir(), 'temp.zip');
    await writeFile(path, zip);
    return path;
  }
});
