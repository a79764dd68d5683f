import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { NOT_A_ZIP_MESSAGE } from '../../main/archive/archive-error.js';
import { readZipDirectory } from '../../main/archive/zip-reader.js';
import { readZipDirectoryFromBytes } from '../../shared/zip-directory.js';
import { ArchiveError } from '../../shared/archive-error.js';
import { FIXTURES, expectArchiveError, hasCommand, useTempDirs } from './helpers.js';

// A file that is not a zip answers eKuiper's "zip: not a valid zip file", then says what it is instead. The
// host (reading the file) and the window (reading the bytes before upload) word it the same.

const tempDir = useTempDirs();

/** Bytes that no classifier could call text or an archive: a hash chain, the same on every run. */
function noiseBytes(length: number): Buffer {
  const out: Buffer[] = [];
  let block = createHash('sha256').update('noise').digest();
  for (let size = 0; size < length; size += block.length) {
    out.push(block);
    block = createHash('sha256').update(block).digest();
  }
  return Buffer.concat(out).subarray(0, length);
}

/** The message both readers give for `bytes`, after checking they agree. */
async function verdict(name: string, bytes: Buffer): Promise<string> {
  const path = join(await tempDir(), name);
  await writeFile(path, bytes);
  const fromFile = (await expectArchiveError(readZipDirectory(path), 'not-a-zip')).message;
  let fromBytes = '';
  try {
    readZipDirectoryFromBytes(new Uint8Array(bytes));
  } catch (error) {
    expect(error).toBeInstanceOf(ArchiveError);
    fromBytes = (error as Error).message;
  }
  expect(fromBytes).toBe(fromFile);
  expect(fromFile.startsWith(`${NOT_A_ZIP_MESSAGE}: `)).toBe(true);
  return fromFile.slice(NOT_A_ZIP_MESSAGE.length + 2);
}

describe('what a file that is not a zip is instead', () => {
  it('empty: 0 bytes', async () => {
    expect(await verdict('empty.zip', Buffer.alloc(0))).toMatch(/^the file is empty \(0 bytes\)/);
  });

  it('eKuiper’s own invalidZip.zip is the empty case', async () => {
    const bytes = await readFile(join(FIXTURES, 'ekuiper-testzips/sources/invalidZip.zip'));
    expect(await verdict('invalidZip.zip', bytes)).toMatch(/^the file is empty/);
  });

  it('an HTML error page saved as .zip', async () => {
    const page =
      '\n<!DOCTYPE html>\n<html><head><title>404 Not Found</title></head><body>gone</body></html>\n';
    expect(await verdict('page.zip', Buffer.from(page))).toMatch(/^the file is an HTML page, not a zip/);
    const bare = '<html lang="en"><body>Sign in</body></html>';
    expect(await verdict('login.zip', Buffer.from(bare))).toMatch(/HTML page/);
  });

  it('a text file: its first characters quoted on one line, at most 40 of them', async () => {
    const text = 'plugin notes\n\tline two\r\nline three has more words than fit in the quote';
    expect(await verdict('notes.zip', Buffer.from(text))).toBe(
      'the file is text, not a zip; it begins “plugin notes line two line three has mor…”',
    );
    expect(await verdict('short.zip', Buffer.from('\uFEFFok\n'))).toBe(
      'the file is text, not a zip; it begins “ok”',
    );
    // Chinese text is text too, counted in characters rather than bytes.
    expect(await verdict('zh.zip', Buffer.from('这不是压缩包'.repeat(10)))).toBe(
      `the file is text, not a zip; it begins “${'这不是压缩包'.repeat(7).slice(0, 40)}…”`,
    );
  });

  it('other archive formats by their signatures', async () => {
    const gzip = gzipSync(Buffer.from('not a plugin'));
    expect(await verdict('a.zip', gzip)).toMatch(/^the file is a gzip \(\.gz, \.tgz\) archive, not a zip/);
    const rar = Buffer.concat([Buffer.from('Rar!\x1a\x07\x01\x00', 'latin1'), noiseBytes(64)]);
    expect(await verdict('b.zip', rar)).toMatch(/^the file is a RAR archive/);
    const sevenZip = Buffer.concat([Buffer.from([0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c]), noiseBytes(64)]);
    expect(await verdict('c.zip', sevenZip)).toMatch(/^the file is a 7-Zip archive/);
  });

  it.skipIf(!hasCommand('tar'))('a tar archive made by tar', async () => {
    const dir = await tempDir();
    await writeFile(join(dir, 'plugin.so'), noiseBytes(100));
    execFileSync('tar', ['-cf', join(dir, 'plugin.tar'), '-C', dir, 'plugin.so']);
    expect(await verdict('tar.zip', await readFile(join(dir, 'plugin.tar')))).toMatch(
      /^the file is a tar archive, not a zip/,
    );
  });

  it('random bytes', async () => {
    expect(await verdict('noise.zip', noiseBytes(4096))).toBe(
      'the file does not start with a zip signature and holds no zip directory (4096 bytes): it is another ' +
        'kind of file renamed to .zip, or damaged',
    );
  });

  it('a zip cut short, in its data or its directory', async () => {
    const whole = await readFile(join(FIXTURES, 'portable/mirror.zip'));
    for (const length of [whole.length >> 1, whole.length - 30]) {
      expect(await verdict(`cut-${length}.zip`, whole.subarray(0, length))).toMatch(
        /^the file starts like a zip but its end is missing or damaged: the download or copy was probably cut short \(\d/,
      );
    }
  });
});
