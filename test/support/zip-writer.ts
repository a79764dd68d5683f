import { crc32, deflateRawSync } from 'node:zlib';

/**
 * One entry of a test zip. Everything a hostile or odd zip can say is expressible, because the point is to
 * test the reader and the safety checks against zips that `zip` would never make.
 */
export interface TestZipEntry {
  /** Written byte for byte as UTF-8 (flag bit 11 set when not ASCII): `../evil`, `/abs`, `C:\x` all work. */
  name: string;
  /** File content; ignored for folders (names ending in `/`). */
  data?: Buffer | string;
  /** Unix mode; the type bits default to file or folder. Ignored with `dosAttributesOnly`. */
  mode?: number;
  /** Default 'deflate' for files with data, 'store' otherwise. */
  method?: 'store' | 'deflate';
  /** Sets flag bit 0 (the data is not really encrypted; readers must refuse before looking). */
  encrypted?: boolean;
  /** Uncompressed size to write in the headers instead of the real one (a lying or bomb-like zip). */
  declaredSize?: number;
  /** Makes the entry a symbolic link (mode 0o120777) whose content is the target. */
  symlinkTarget?: string;
  /** As if made on Windows: "made by" FAT, DOS attributes only, so the entry has no Unix mode. */
  dosAttributesOnly?: boolean;
  /** Raw name bytes instead of `name` (for CP437 names); no UTF-8 flag unless `utf8Flag` is true. */
  rawName?: Buffer;
  /** Forces flag bit 11 on or off. */
  utf8Flag?: boolean;
  /** Adds an Info-ZIP Unicode Path field (0x7075); `crcOf` defaults to the stored name bytes. */
  unicodePath?: { name: string; crcOf?: Buffer };
  /** CRC-32 to write instead of the real one. */
  crc32?: number;
  /** Already-deflated data with its real size and CRC, for entries too big to build in memory. */
  precompressed?: { data: Buffer; size: number; crc32: number };
}

/** Whole-archive options. */
export interface BuildZipOptions {
  /** ZIP64 headers for every entry and a ZIP64 end record, even when the sizes would fit in 32 bits. */
  zip64?: boolean;
  /** Archive comment (the end record must still be found behind it). */
  comment?: string;
}

const UNIX = 3;
const FAT = 0;
const S_IFREG = 0o100000;
const S_IFDIR = 0o040000;
const S_IFLNK = 0o120000;
const DOS_DIRECTORY = 0x10;
const DOS_ARCHIVE = 0x20;
const U32_MAX = 0xffffffff;
/** 2021-09-26 16:05:00 in DOS format, so output is reproducible. */
const DOS_TIME = (16 << 11) | (5 << 5);
const DOS_DATE = ((2021 - 1980) << 9) | (9 << 5) | 26;

interface Prepared {
  nameBytes: Buffer;
  flags: number;
  method: number;
  crc: number;
  compressed: Buffer;
  size: number;
  madeBy: number;
  externalAttributes: number;
  extra: Buffer;
  zip64: boolean;
}

/**
 * Builds a zip in memory. Plain use is `buildZip([{ name: 'a.so', data: 'x' }, { name: 'etc/' }])`;
 * the other fields make the headers say whatever a test needs.
 */
export function buildZip(entries: readonly TestZipEntry[], options: BuildZipOptions = {}): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const prepared = prepare(entry, options.zip64 === true);
    const local = localRecord(prepared);
    centrals.push(centralRecord(prepared, offset));
    locals.push(local, prepared.compressed);
    offset += local.length + prepared.compressed.length;
  }
  const directory = Buffer.concat(centrals);
  const comment = Buffer.from(options.comment ?? '', 'utf8');
  const needsZip64 =
    options.zip64 === true || entries.length >= 0xffff || offset >= U32_MAX || directory.length >= U32_MAX;
  const tail = needsZip64
    ? [zip64End(entries.length, directory.length, offset), zip64Locator(offset + directory.length)]
    : [];
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(needsZip64 ? 0xffff : entries.length, 8);
  end.writeUInt16LE(needsZip64 ? 0xffff : entries.length, 10);
  end.writeUInt32LE(needsZip64 ? U32_MAX : directory.length, 12);
  end.writeUInt32LE(needsZip64 ? U32_MAX : offset, 16);
  end.writeUInt16LE(comment.length, 20);
  return Buffer.concat([...locals, directory, ...tail, end, comment]);
}

/** Deflated bytes of `size` zeros, built from a repeated block so that gigabytes cost milliseconds. */
export function deflatedZeros(size: number): { data: Buffer; size: number; crc32: number } {
  const block = 1024 * 1024;
  if (size % block !== 0) throw new Error('deflatedZeros: size must be a multiple of 1 MiB');
  const zeros = Buffer.alloc(block);
  // A sync-flushed, non-final segment ends on a byte boundary and only refers back to zeros, so copies of
  // it can follow each other; an empty final block (0x03 0x00) closes the stream.
  const segment = deflateRawSync(zeros, { finishFlush: 2 /* Z_SYNC_FLUSH */ });
  const count = size / block;
  const parts = new Array<Buffer>(count).fill(segment);
  let crc = 0;
  for (let i = 0; i < count; i++) crc = crc32(zeros, crc);
  return { data: Buffer.concat([...parts, Buffer.from([0x03, 0x00])]), size, crc32: crc };
}

function prepare(entry: TestZipEntry, forceZip64: boolean): Prepared {
  const isDirectory = entry.name.endsWith('/');
  const content = entry.symlinkTarget ?? entry.data ?? '';
  const raw = Buffer.isBuffer(content) ? content : Buffer.from(content, 'utf8');
  const method =
    (entry.method ?? (raw.length > 0 && !isDirectory ? 'deflate' : 'store')) === 'deflate' ? 8 : 0;
  const pre = entry.precompressed;
  const compressed = pre ? pre.data : method === 8 ? deflateRawSync(raw) : raw;
  const realSize = pre ? pre.size : raw.length;
  const nameBytes = entry.rawName ?? Buffer.from(entry.name, 'utf8');
  const utf8 = entry.utf8Flag ?? (entry.rawName === undefined && /[^\x20-\x7e]/.test(entry.name));
  const size = entry.declaredSize ?? realSize;
  const zip64 = forceZip64 || size >= U32_MAX || compressed.length >= U32_MAX;
  let unixMode = entry.mode ?? (isDirectory ? 0o755 : 0o644);
  if ((unixMode & 0o170000) === 0) unixMode |= isDirectory ? S_IFDIR : S_IFREG;
  if (entry.symlinkTarget !== undefined) unixMode = S_IFLNK | 0o777;
  const dos = entry.dosAttributesOnly === true;
  return {
    nameBytes,
    flags: (entry.encrypted ? 0x1 : 0) | (utf8 ? 0x800 : 0),
    method: pre ? 8 : method,
    crc: entry.crc32 ?? (pre ? pre.crc32 : crc32(raw)),
    compressed,
    size,
    madeBy: ((dos ? FAT : UNIX) << 8) | (zip64 ? 45 : 20),
    externalAttributes: dos
      ? isDirectory
        ? DOS_DIRECTORY
        : DOS_ARCHIVE
      : ((unixMode << 16) | (isDirectory ? DOS_DIRECTORY : 0)) >>> 0,
    extra: entry.unicodePath ? unicodePathField(entry.unicodePath, nameBytes) : Buffer.alloc(0),
    zip64,
  };
}

function unicodePathField(field: { name: string; crcOf?: Buffer }, nameBytes: Buffer): Buffer {
  const utf8 = Buffer.from(field.name, 'utf8');
  const header = Buffer.alloc(9);
  header.writeUInt16LE(0x7075, 0);
  header.writeUInt16LE(5 + utf8.length, 2);
  header.writeUInt8(1, 4);
  header.writeUInt32LE(crc32(field.crcOf ?? nameBytes), 5);
  return Buffer.concat([header, utf8]);
}

/** ZIP64 extended information: the fields whose 32-bit slot holds 0xFFFFFFFF, in the spec's order. */
function zip64Field(values: readonly number[]): Buffer {
  const field = Buffer.alloc(4 + 8 * values.length);
  field.writeUInt16LE(0x0001, 0);
  field.writeUInt16LE(8 * values.length, 2);
  values.forEach((value, index) => field.writeBigUInt64LE(BigInt(value), 4 + 8 * index));
  return field;
}

function localRecord(entry: Prepared): Buffer {
  const extra = Buffer.concat([
    entry.zip64 ? zip64Field([entry.size, entry.compressed.length]) : Buffer.alloc(0),
    entry.extra,
  ]);
  const header = Buffer.alloc(30);
  header.writeUInt32LE(0x04034b50, 0);
  header.writeUInt16LE(entry.zip64 ? 45 : 20, 4);
  header.writeUInt16LE(entry.flags, 6);
  header.writeUInt16LE(entry.method, 8);
  header.writeUInt16LE(DOS_TIME, 10);
  header.writeUInt16LE(DOS_DATE, 12);
  header.writeUInt32LE(entry.crc, 14);
  header.writeUInt32LE(entry.zip64 ? U32_MAX : entry.compressed.length, 18);
  header.writeUInt32LE(entry.zip64 ? U32_MAX : entry.size, 22);
  header.writeUInt16LE(entry.nameBytes.length, 26);
  header.writeUInt16LE(extra.length, 28);
  return Buffer.concat([header, entry.nameBytes, extra]);
}

function centralRecord(entry: Prepared, offset: number): Buffer {
  const extra = Buffer.concat([
    entry.zip64 ? zip64Field([entry.size, entry.compressed.length, offset]) : Buffer.alloc(0),
    entry.extra,
  ]);
  const header = Buffer.alloc(46);
  header.writeUInt32LE(0x02014b50, 0);
  header.writeUInt16LE(entry.madeBy, 4);
  header.writeUInt16LE(entry.zip64 ? 45 : 20, 6);
  header.writeUInt16LE(entry.flags, 8);
  header.writeUInt16LE(entry.method, 10);
  header.writeUInt16LE(DOS_TIME, 12);
  header.writeUInt16LE(DOS_DATE, 14);
  header.writeUInt32LE(entry.crc, 16);
  header.writeUInt32LE(entry.zip64 ? U32_MAX : entry.compressed.length, 20);
  header.writeUInt32LE(entry.zip64 ? U32_MAX : entry.size, 24);
  header.writeUInt16LE(entry.nameBytes.length, 28);
  header.writeUInt16LE(extra.length, 30);
  header.writeUInt32LE(entry.externalAttributes, 38);
  header.writeUInt32LE(entry.zip64 ? U32_MAX : offset, 42);
  return Buffer.concat([header, entry.nameBytes, extra]);
}

function zip64End(count: number, directorySize: number, directoryOffset: number): Buffer {
  const record = Buffer.alloc(56);
  record.writeUInt32LE(0x06064b50, 0);
  record.writeBigUInt64LE(44n, 4);
  record.writeUInt16LE((UNIX << 8) | 45, 12);
  record.writeUInt16LE(45, 14);
  record.writeBigUInt64LE(BigInt(count), 24);
  record.writeBigUInt64LE(BigInt(count), 32);
  record.writeBigUInt64LE(BigInt(directorySize), 40);
  record.writeBigUInt64LE(BigInt(directoryOffset), 48);
  return record;
}

function zip64Locator(recordOffset: number): Buffer {
  const locator = Buffer.alloc(20);
  locator.writeUInt32LE(0x07064b50, 0);
  locator.writeBigUInt64LE(BigInt(recordOffset), 8);
  locator.writeUInt32LE(1, 16);
  return locator;
}
