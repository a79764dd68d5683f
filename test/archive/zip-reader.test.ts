import { lstatSync, readdirSync } from 'node:fs';
import { mkdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { NOT_A_ZIP_MESSAGE } from '../../main/archive/archive-error.js';
import { decodeCp437 } from '../../main/archive/cp437.js';
import { readZipDirectory, type ZipEntry } from '../../main/archive/zip-reader.js';
import { buildZip } from '../support/zip-writer.js';
import { FIXTURES, expectArchiveError, hasCommand, run, useTempDirs } from './helpers.js';

const tempDir = useTempDirs();
const hasUnzip = hasCommand('unzip');
const hasZip = hasCommand('zip');

function zipFilesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((item) => item.isFile() && item.name.endsWith('.zip'))
    .map((item) => join(item.parentPath, item.name))
    .sort();
}

/** `unzip -Zl` as data: the reference our reader must agree with. */
interface ListedEntry {
  permissions: string;
  system: string;
  size: number;
  compressedSize: number;
  method: number;
  name: string;
}

function unzipList(zipPath: string): ListedEntry[] {
  const line = /^(\S+)\s+\d+\.\d+\s+(\w+)\s+(\d+)\s+\S+\s+(\d+)\s+(\w+)\s+\S+\s+\S+ (.*)$/;
  return run('unzip', ['-Zl', zipPath])
    .split('\n')
    .map((text) => line.exec(text))
    .filter((match) => match !== null)
    .map(([, permissions = '', system = '', size = '', compressed = '', method = '', name = '']) => ({
      permissions,
      system,
      size: Number(size),
      compressedSize: Number(compressed),
      method: method === 'stor' ? 0 : method.startsWith('def') ? 8 : -1,
      name,
    }));
}

/** An `ls -l` style string, as `unzip -Zl` prints for Unix-made entries. */
function modeString(mode: number): string {
  const type = { 0o040000: 'd', 0o120000: 'l' }[mode & 0o170000] ?? '-';
  const bits = 'rwxrwxrwx'.replace(/./g, (letter, index: number) => (mode & (0o400 >> index) ? letter : '-'));
  return type + bits;
}

async function writeZip(name: string, data: Buffer): Promise<string> {
  const path = join(await tempDir(), name);
  await writeFile(path, data);
  return path;
}

describe('readZipDirectory on the shared fixtures', () => {
  const fixtures = zipFilesUnder(FIXTURES).filter((path) => lstatSync(path).size > 0);

  it('finds the fixtures', () => {
    expect(fixtures.map((path) => relative(FIXTURES, path))).toContain('portable/mirror.zip');
    expect(fixtures).toHaveLength(12);
  });

  it.skipIf(!hasUnzip).each(fixtures.map((path) => [relative(FIXTURES, path), path]))(
    'agrees with unzip -Zl on %s',
    async (_label, path) => {
      const entries = await readZipDirectory(path);
      const listed = unzipList(path);
      expect(entries.map((entry) => entry.name)).toEqual(listed.map((entry) => entry.name));
      entries.forEach((entry, index) => {
        const expected = listed[index];
        expect(entry.uncompressedSize).toBe(expected?.size);
        expect(entry.compressedSize).toBe(expected?.compressedSize);
        expect(entry.compressionMethod).toBe(expected?.method);
        expect(entry.isDirectory).toBe(entry.name.endsWith('/'));
        if (expected?.system === 'unx') expect(modeString(entry.mode)).toBe(expected.permissions);
        else expect(entry.mode).toBe(0);
      });
    },
  );

  it('reads portable/mirror.zip: Unix modes, mirror2 executable', async () => {
    const entries = await readZipDirectory(join(FIXTURES, 'portable/mirror.zip'));
    const byName = new Map(entries.map((entry) => [entry.name, entry]));
    expect(entries).toHaveLength(9);
    expect(byName.get('mirror2')).toMatchObject({
      mode: 0o100755,
      uncompressedSize: 4381442,
      compressedSize: 2347457,
      compressionMethod: 8,
      isDirectory: false,
      isSymlink: false,
      isEncrypted: false,
    });
    expect(byName.get('mirror.json')?.mode).toBe(0o100644);
    expect(byName.get('sources/')).toMatchObject({ isDirectory: true, mode: 0o040755, uncompressedSize: 0 });
  });

  it('reads functions/comp.zip: FAT-made, so no mode', async () => {
    const entries = await readZipDirectory(join(FIXTURES, 'ekuiper-testzips/functions/comp.zip'));
    expect(
      entries.map(({ name, uncompressedSize, isDirectory, mode }) => [
        name,
        uncompressedSize,
        isDirectory,
        mode,
      ]),
    ).toEqual([
      ['Comp.so', 3511480, false, 0],
      ['etc/', 0, true, 0],
      ['etc/bar.txt', 0, false, 0],
      ['etc/foo.txt', 0, false, 0],
    ]);
    expect(entries[0]?.compressedSize).toBe(1557604);
    expect(entries[0]?.localHeaderOffset).toBe(0);
  });
});

describe('readZipDirectory refuses what is not a zip', () => {
  it("starts with eKuiper's exact text for the 0-byte invalidZip.zip, then says it is empty", async () => {
    const error = await expectArchiveError(
      readZipDirectory(join(FIXTURES, 'ekuiper-testzips/sources/invalidZip.zip')),
      'not-a-zip',
    );
    expect(NOT_A_ZIP_MESSAGE).toBe('zip: not a valid zip file');
    expect(error.message.startsWith('zip: not a valid zip file: the file is empty (0 bytes)')).toBe(true);
  });

  it('refuses a text file, quoting its start', async () => {
    const path = await writeZip('notes.zip', Buffer.from('name: random\nversion: 1.0.0\n'.repeat(10)));
    expect((await expectArchiveError(readZipDirectory(path), 'not-a-zip')).message).toBe(
      `${NOT_A_ZIP_MESSAGE}: the file is text, not a zip; it begins “name: random version: 1.0.0 name: random…”`,
    );
  });

  it('refuses truncated zips, whether cut in the data or in the directory', async () => {
    const whole = await readFile(join(FIXTURES, 'portable/mirror.zip'));
    for (const length of [whole.length >> 1, whole.length - 30, whole.length - 200]) {
      const path = await writeZip(`cut-${length}.zip`, whole.subarray(0, length));
      const error = await expectArchiveError(readZipDirectory(path), 'not-a-zip');
      expect(error.message).toMatch(
        /^zip: not a valid zip file: the file starts like a zip but its end is missing/,
      );
    }
  });

  it('refuses an end record whose directory lies outside the file', async () => {
    const zip = buildZip([{ name: 'a.txt', data: 'abc' }]);
    zip.writeUInt32LE(0x7fff0000, zip.length - 6); // directory offset
    await expectArchiveError(readZipDirectory(await writeZip('bad-offset.zip', zip)), 'not-a-zip');
  });

  it('refuses from the end record count when maxEntries is given', async () => {
    const zip = buildZip(Array.from({ length: 20 }, (_, index) => ({ name: `f${index}.txt`, data: 'x' })));
    const path = await writeZip('many.zip', zip);
    expect(await readZipDirectory(path, { maxEntries: 20 })).toHaveLength(20);
    const error = await expectArchiveError(readZipDirectory(path, { maxEntries: 19 }), 'too-many-entries');
    expect(error.message).toContain('maxZipEntries');
  });
});

describe('readZipDirectory on hand-built zips', () => {
  it('reads an empty zip and a zip with a comment', async () => {
    expect(await readZipDirectory(await writeZip('empty.zip', buildZip([])))).toEqual([]);
    const commented = buildZip([{ name: 'a.txt', data: 'a' }], { comment: 'PK\u0005\u0006 made for a test' });
    const entries = await readZipDirectory(await writeZip('comment.zip', commented));
    expect(entries.map((entry) => entry.name)).toEqual(['a.txt']);
  });

  it('reads ZIP64 sizes and offsets from the extra field', async () => {
    const data = Buffer.from('ZIP64 payload '.repeat(100));
    const zip = buildZip(
      [
        { name: 'first.txt', data: 'one' },
        { name: 'second.bin', data },
      ],
      { zip64: true },
    );
    const [first, second] = await readZipDirectory(await writeZip('z64.zip', zip));
    expect(first).toMatchObject({ name: 'first.txt', uncompressedSize: 3, localHeaderOffset: 0 });
    expect(second?.uncompressedSize).toBe(data.length);
    expect(second?.localHeaderOffset).toBeGreaterThan(30);
    expect(second?.compressedSize).toBeLessThan(data.length);
  });

  it('reads flags, methods and CRCs as written', async () => {
    const entries = await readZipDirectory(
      await writeZip(
        'flags.zip',
        buildZip([
          { name: 'secret.txt', data: 'x', encrypted: true, method: 'store' },
          { name: 'link', symlinkTarget: '/etc/passwd' },
          { name: 'deflated.txt', data: 'hello hello hello', crc32: 0xdeadbeef },
        ]),
      ),
    );
    expect(entries[0]).toMatchObject({ isEncrypted: true, compressionMethod: 0, isSymlink: false });
    expect(entries[1]).toMatchObject({ isSymlink: true, mode: 0o120777, isEncrypted: false });
    expect(entries[2]).toMatchObject({ compressionMethod: 8, crc32: 0xdeadbeef, uncompressedSize: 17 });
  });

  it('turns backslashes into slashes and keeps the raw name', async () => {
    const zip = buildZip([{ name: 'etc\\sources\\random.yaml', data: 'a: 1', dosAttributesOnly: true }]);
    const [entry] = await readZipDirectory(await writeZip('windows.zip', zip));
    expect(entry?.name).toBe('etc/sources/random.yaml');
    expect(entry?.rawName).toBe('etc\\sources\\random.yaml');
    expect(entry?.mode).toBe(0);
  });

  it('decodes names: UTF-8 flag, CP437, Unicode Path field (only with a matching CRC)', async () => {
    const cp437Name = Buffer.from([0x82, 0x74, 0x82, 0x2e, 0x74, 0x78, 0x74]); // "été.txt" in CP437
    const zip = buildZip([
      { name: 'données/été.txt', data: 'utf8' },
      { name: 'ignored', rawName: cp437Name, dosAttributesOnly: true, data: 'cp437' },
      {
        name: 'ignored',
        rawName: Buffer.from('e?te?.txt'),
        unicodePath: { name: '中文.txt' },
        dosAttributesOnly: true,
      },
      {
        name: 'ignored',
        rawName: Buffer.from('stale.txt'),
        unicodePath: { name: 'renamed.txt', crcOf: Buffer.from('other') },
        dosAttributesOnly: true,
      },
    ]);
    const names = (await readZipDirectory(await writeZip('names.zip', zip))).map((entry) => entry.name);
    expect(names).toEqual(['données/été.txt', 'été.txt', '中文.txt', 'stale.txt']);
  });

  it('decodes the whole CP437 upper half like Python and iconv do', () => {
    const bytes = Uint8Array.from({ length: 256 }, (_, index) => index);
    const decoded = decodeCp437(bytes);
    expect([...decoded]).toHaveLength(256);
    expect(decoded.slice(0, 128)).toBe(Buffer.from(bytes.subarray(0, 128)).toString('latin1'));
    expect(decoded.slice(128, 144)).toBe('ÇüéâäàåçêëèïîìÄÅ');
    expect(decoded.slice(176, 180)).toBe('░▒▓│');
    expect(decoded.slice(224, 256)).toBe('αßΓπΣσµτΦΘΩδ∞φε∩≡±≥≤⌠⌡÷≈°∙·√ⁿ²■\u00a0');
  });
});

describe.skipIf(!hasZip)('readZipDirectory on zips made by Info-ZIP zip', () => {
  async function makeTree(): Promise<string> {
    const source = await tempDir();
    await mkdir(join(source, 'sub/deeper'), { recursive: true });
    await mkdir(join(source, 'empty'));
    await mkdir(join(source, '中文'));
    await writeFile(join(source, 'été.txt'), 'accents\n');
    await writeFile(join(source, '中文/文件.txt'), 'hanzi\n');
    await writeFile(join(source, 'sub/deeper/run.sh'), '#!/bin/sh\necho hi\n', { mode: 0o755 });
    await writeFile(join(source, 'sub/big.txt'), 'compress me '.repeat(1000));
    await symlink('été.txt', join(source, 'link'));
    return source;
  }

  it('reads UTF-8 names, folders, modes and a -y symlink exactly as on disk', async () => {
    const source = await makeTree();
    const zipPath = join(await tempDir(), 'tree.zip');
    run('zip', ['-q', '-r', '-y', zipPath, '.'], source);
    const entries = await readZipDirectory(zipPath);
    const names = entries.map((entry) => entry.name).sort();
    expect(names).toEqual(
      [
        'empty/',
        'link',
        'sub/',
        'sub/big.txt',
        'sub/deeper/',
        'sub/deeper/run.sh',
        'été.txt',
        '中文/',
        '中文/文件.txt',
      ].sort(),
    );
    for (const entry of entries) {
      const onDisk = lstatSync(join(source, entry.name));
      expect(entry.mode, entry.name).toBe(onDisk.mode);
      expect(entry.isDirectory, entry.name).toBe(onDisk.isDirectory());
      expect(entry.isSymlink, entry.name).toBe(onDisk.isSymbolicLink());
      if (onDisk.isFile()) expect(entry.uncompressedSize).toBe(onDisk.size);
    }
    const byName = new Map<string, ZipEntry>(entries.map((entry) => [entry.name, entry]));
    expect(byName.get('link')?.isSymlink).toBe(true);
    expect(byName.get('sub/big.txt')?.compressionMethod).toBe(8);
  });

  it('sees zip -P encryption', async () => {
    const source = await makeTree();
    const zipPath = join(await tempDir(), 'secret.zip');
    run('zip', ['-q', '-P', 'secret', zipPath, 'été.txt', 'sub/big.txt'], source);
    const entries = await readZipDirectory(zipPath);
    expect(entries.map((entry) => [entry.name, entry.isEncrypted])).toEqual([
      ['été.txt', true],
      ['sub/big.txt', true],
    ]);
  });
});
