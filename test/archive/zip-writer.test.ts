import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { inflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { buildZip, deflatedZeros } from '../support/zip-writer.js';
import { hasCommand, run, useTempDirs } from './helpers.js';

const tempDir = useTempDirs();

/** The test writer is only useful if real tools agree with what it writes. */
describe.skipIf(!hasCommand('unzip'))('buildZip output, as Info-ZIP unzip sees it', () => {
  async function save(zip: Buffer): Promise<string> {
    const path = join(await tempDir(), 'written.zip');
    await writeFile(path, zip);
    return path;
  }

  it.each([false, true])('passes unzip -t and lists modes, methods and kinds (zip64: %s)', async (zip64) => {
    const path = await save(
      buildZip(
        [
          { name: 'bin/', mode: 0o750 },
          { name: 'bin/tool', data: '#!/bin/sh\n'.repeat(50), mode: 0o755 },
          { name: 'stored.txt', data: 'stored', method: 'store' },
          { name: 'link', symlinkTarget: 'stored.txt' },
          { name: 'WIN.DLL', data: 'MZ', dosAttributesOnly: true },
        ],
        { zip64, comment: 'made by the test writer' },
      ),
    );
    expect(run('unzip', ['-tq', path])).toContain('No errors detected');
    const listing = run('unzip', ['-Zl', path]);
    expect(listing).toMatch(/^drwxr-x--- .* unx .* stor .* bin\/$/m);
    expect(listing).toMatch(/^-rwxr-xr-x .* unx\s+500 .* defN .* bin\/tool$/m);
    expect(listing).toMatch(/^-rw-r--r-- .* unx\s+6 .* stor .* stored\.txt$/m);
    expect(listing).toMatch(/^lrwxrwxrwx .* unx\s+10 .* link$/m);
    expect(listing).toMatch(/^-rw-a-- .* fat\s+2 .* WIN\.DLL$/m);
  });

  it('writes lying sizes that unzip notices', async () => {
    const path = await save(
      buildZip([{ name: 'liar.txt', data: 'twelve bytes', method: 'store', declaredSize: 5 }]),
    );
    expect(run('unzip', ['-Zl', path])).toMatch(/\s5 .* liar\.txt$/m);
    expect(() => run('unzip', ['-tq', path])).toThrow();
  });
});

describe('deflatedZeros', () => {
  it('is a valid deflate stream of exactly that many zeros', () => {
    const zeros = deflatedZeros(3 * 1024 * 1024);
    const inflated = inflateRawSync(zeros.data);
    expect(inflated.length).toBe(3 * 1024 * 1024);
    expect(inflated.every((byte) => byte === 0)).toBe(true);
    expect(zeros.data.length).toBeLessThan(4096);
    expect(zeros.crc32).toBe(0x79724fc6); // python3: zlib.crc32(bytes(3 * 1024 * 1024))
  });
});
