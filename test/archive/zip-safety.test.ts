import { describe, expect, it } from 'vitest';
import type { ArchiveErrorCode } from '../../main/archive/archive-error.js';
import type { ZipEntry } from '../../main/archive/zip-reader.js';
import { assertSafeEntries, normaliseEntryName, type ZipLimits } from '../../main/archive/zip-safety.js';
import { expectArchiveError } from './helpers.js';

const LIMITS: ZipLimits = { maxEntries: 100, maxInflatedBytes: 10 * 1024 * 1024 };

function entry(name: string, overrides: Partial<ZipEntry> = {}): ZipEntry {
  return {
    name,
    rawName: name,
    isDirectory: name.endsWith('/'),
    compressedSize: 10,
    uncompressedSize: 20,
    compressionMethod: 8,
    crc32: 0,
    localHeaderOffset: 0,
    mode: 0o100644,
    isSymlink: false,
    isEncrypted: false,
    ...overrides,
  };
}

async function refused(entries: ZipEntry[], code: ArchiveErrorCode, limits = LIMITS): Promise<string> {
  return (await expectArchiveError(() => assertSafeEntries(entries, limits), code)).message;
}

describe('assertSafeEntries', () => {
  it('accepts an ordinary plugin zip', () => {
    const entries = [
      entry('Random.so'),
      entry('random.yaml', { compressionMethod: 0 }),
      entry('etc/'),
      entry('etc/'),
      entry('./etc/random.json'),
      entry('lib/libfoo.so.1'),
      entry('..data/x'),
      entry('a..b'),
    ];
    expect(() => assertSafeEntries(entries, LIMITS)).not.toThrow();
  });

  it.each(['/etc/passwd', 'C:/Windows/evil.dll', 'c:evil.dll', '//server/share/x', '/'])(
    'refuses the absolute path %s',
    async (name) => {
      const message = await refused([entry('ok.so'), entry(name)], 'absolute-path');
      expect(message).toContain(`'${name}'`);
      expect(message).toContain('relative to their root');
    },
  );

  it.each(['../evil.sh', 'etc/../../evil.sh', 'a/b/../../..', '..', 'x/..//y', './../y'])(
    'refuses %s, which climbs out',
    async (name) => {
      const message = await refused([entry(name)], 'climbs-out');
      expect(message).toBe(
        `the zip entry '${name}' climbs out of the plugin folder; eKuiper plugin zips hold only paths relative ` +
          'to their root — rebuild the zip from inside the plugin folder, for example: cd myplugin && ' +
          'zip -r ../myplugin.zip .',
      );
    },
  );

  it('quotes the raw Windows name when it climbs out', async () => {
    const message = await refused(
      [entry('..\\evil.bat'.replaceAll('\\', '/'), { rawName: '..\\evil.bat' })],
      'climbs-out',
    );
    expect(message).toContain("'..\\evil.bat'");
  });

  it('refuses a file with no name', async () => {
    await refused([entry('./', { isDirectory: false })], 'climbs-out');
    expect(() => assertSafeEntries([entry('./')], LIMITS)).not.toThrow();
  });

  it('refuses a NUL character in a name as corrupt', async () => {
    const message = await refused([entry('evil.so\0.txt')], 'corrupt');
    expect(message).toContain("'evil.so\\0.txt'");
  });

  it('refuses symlinks, with the fix', async () => {
    const message = await refused([entry('link', { isSymlink: true, mode: 0o120777 })], 'symlink');
    expect(message).toContain("'link' is a symbolic link");
    expect(message).toContain('without -y');
  });

  it('refuses encrypted entries, even stored ones', async () => {
    const message = await refused([entry('a.so', { isEncrypted: true, compressionMethod: 0 })], 'encrypted');
    expect(message).toContain('password');
  });

  it.each([
    [12, 'bzip2'],
    [14, 'LZMA'],
    [9, 'Deflate64'],
    [93, 'Zstandard'],
    [77, 'number 77'],
  ])('refuses compression method %i (%s)', async (method, label) => {
    const message = await refused([entry('a.so', { compressionMethod: method })], 'unsupported-method');
    expect(message).toContain(label);
    expect(message).toContain('Deflate');
  });

  it.each([
    ['a.so', 'a.so'],
    ['etc/x.yaml', './etc//x.yaml'],
    ['etc/x.yaml', 'etc\\x.yaml'.replaceAll('\\', '/')],
    ['lib', 'lib/'],
  ])('refuses %s next to %s', async (first, second) => {
    const message = await refused([entry(first), entry(second)], 'duplicate-entry');
    expect(message).toContain('more than once');
  });

  it('refuses a path that is both a file and a folder', async () => {
    const message = await refused([entry('lib'), entry('lib/libfoo.so')], 'duplicate-entry');
    expect(message).toContain("'lib'");
  });

  it('refuses more entries than maxEntries, naming the setting', async () => {
    const entries = Array.from({ length: 101 }, (_, index) => entry(`f${index}`));
    expect(() => assertSafeEntries(entries.slice(0, 100), LIMITS)).not.toThrow();
    const message = await refused(entries, 'too-many-entries');
    expect(message).toContain('101 entries');
    expect(message).toContain('100 allowed');
    expect(message).toContain('maxZipEntries');
  });

  it('refuses a declared total over maxInflatedBytes, in MB, naming the setting', async () => {
    const halfPlus = 5 * 1024 * 1024 + 1;
    expect(() =>
      assertSafeEntries([entry('a', { uncompressedSize: 5 * 1024 * 1024 })], LIMITS),
    ).not.toThrow();
    const message = await refused(
      [entry('a', { uncompressedSize: halfPlus }), entry('b', { uncompressedSize: halfPlus })],
      'too-large',
    );
    expect(message).toContain('10 MB (10485762 bytes), more than the 10 MB (10485760 bytes)');
    expect(message).toContain('maxZipInflatedBytes');
    const big = await refused([entry('bomb', { uncompressedSize: 2 ** 31 })], 'too-large');
    expect(big).toContain('2048 MB, more than the 10 MB');
  });
});

describe('normaliseEntryName', () => {
  it.each([
    ['a/b.so', 'a/b.so'],
    ['./a/./b.so', 'a/b.so'],
    ['a//b///c', 'a/b/c'],
    ['etc/', 'etc/'],
    ['./etc//', 'etc/'],
    ['a\\b.so', 'a/b.so'],
    ['/abs//x', '/abs/x'],
    ['../x', '../x'],
    ['./', ''],
    ['', ''],
  ])('%s → %s', (input, expected) => {
    expect(normaliseEntryName(input)).toBe(expected);
  });
});
