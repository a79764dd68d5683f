import { open, type FileHandle } from 'node:fs/promises';
import { isUtf8 } from 'node:buffer';
import { crc32 } from 'node:zlib';
import { ArchiveError } from './archive-error.js';
import { decodeCp437 } from './cp437.js';
import { tooManyEntriesError } from './zip-safety.js';

/**
 * One file or folder listed in a zip's central directory: everything the safety checks, the layout rules and
 * the extractor need, with ZIP64 values already resolved.
 */
export interface ZipEntry {
  /** Decoded name with `\` turned into `/` (zips made on Windows); what callers match and check. */
  name: string;
  /** Decoded name exactly as stored, for messages that quote the zip. */
  rawName: string;
  isDirectory: boolean;
  compressedSize: number;
  uncompressedSize: number;
  /** 0 stored, 8 deflate; anything else is refused by the safety checks. */
  compressionMethod: number;
  crc32: number;
  localHeaderOffset: number;
  /** Unix permission and type bits when the zip was made on Unix (`versionMadeBy >> 8 === 3`), else 0. */
  mode: number;
  isSymlink: boolean;
  /** General-purpose flag bit 0: we cannot decrypt, so such entries are refused. */
  isEncrypted: boolean;
}

/** Limits applied while reading, before a hostile directory can make us allocate anything big. */
export interface ReadZipOptions {
  /** Refuse with `too-many-entries` from the count in the end record, before parsing any entry. */
  maxEntries?: number;
}

const EOCD_SIGNATURE = 0x06054b50;
const EOCD_SIZE = 22;
/** The end record plus the longest comment it can carry. */
const EOCD_SEARCH = EOCD_SIZE + 0xffff;
const ZIP64_LOCATOR_SIGNATURE = 0x07064b50;
const ZIP64_LOCATOR_SIZE = 20;
const ZIP64_EOCD_SIGNATURE = 0x06064b50;
const ZIP64_EOCD_SIZE = 56;
const CENTRAL_SIGNATURE = 0x02014b50;
const CENTRAL_SIZE = 46;
const ZIP64_EXTRA_ID = 0x0001;
const UNICODE_PATH_EXTRA_ID = 0x7075;
const FLAG_ENCRYPTED = 0x1;
const FLAG_UTF8 = 0x800;
const MADE_BY_UNIX = 3;
const MADE_BY_OSX = 19;
const S_IFMT = 0o170000;
const S_IFDIR = 0o040000;
const S_IFLNK = 0o120000;

/** Where the central directory is, as told by the (ZIP64) end record. */
interface DirectoryLocation {
  entryCount: number;
  size: number;
  offset: number;
}

/**
 * Lists a zip's entries from its central directory, which is read with a single `read` (yauzl's
 * entry-by-entry scan costs 120–250 ms on a 2,000-file plugin zip; this is a few milliseconds).
 * Anything that is not a readable zip directory — a 0-byte file, a text file, a truncated download —
 * throws `not-a-zip` with eKuiper's exact message.
 */
export async function readZipDirectory(zipPath: string, options: ReadZipOptions = {}): Promise<ZipEntry[]> {
  const handle = await open(zipPath, 'r');
  try {
    const fileSize = (await handle.stat()).size;
    if (fileSize < EOCD_SIZE) throw ArchiveError.notAZip();
    const tailStart = Math.max(0, fileSize - EOCD_SEARCH);
    const tail = await readExactly(handle, tailStart, fileSize - tailStart);
    const eocdAt = findEndRecord(tail);
    if (eocdAt < 0) throw ArchiveError.notAZip();
    const location = await locateDirectory(handle, tail, tailStart, eocdAt);
    const directoryEnd = location.offset + location.size;
    if (directoryEnd > tailStart + eocdAt || location.entryCount * CENTRAL_SIZE > location.size) {
      throw ArchiveError.notAZip();
    }
    if (options.maxEntries !== undefined && location.entryCount > options.maxEntries) {
      throw tooManyEntriesError(location.entryCount, options.maxEntries);
    }
    const directory =
      location.offset >= tailStart
        ? tail.subarray(location.offset - tailStart, directoryEnd - tailStart)
        : await readExactly(handle, location.offset, location.size);
    return parseCentralDirectory(directory, location.entryCount);
  } finally {
    await handle.close();
  }
}

/** Reads exactly `length` bytes or reports the file as not a zip (it is shorter than its own directory says). */
async function readExactly(handle: FileHandle, position: number, length: number): Promise<Buffer> {
  const buffer = Buffer.allocUnsafe(length);
  let done = 0;
  while (done < length) {
    const { bytesRead } = await handle.read(buffer, done, length - done, position + done);
    if (bytesRead === 0) throw ArchiveError.notAZip();
    done += bytesRead;
  }
  return buffer;
}

/** Scans backwards, as the comment may hold anything, for an end record whose comment fits the file. */
function findEndRecord(tail: Buffer): number {
  for (let at = tail.length - EOCD_SIZE; at >= 0; at--) {
    if (tail.readUInt32LE(at) !== EOCD_SIGNATURE) continue;
    const commentLength = tail.readUInt16LE(at + 20);
    if (at + EOCD_SIZE + commentLength <= tail.length) return at;
  }
  return -1;
}

async function locateDirectory(
  handle: FileHandle,
  tail: Buffer,
  tailStart: number,
  eocdAt: number,
): Promise<DirectoryLocation> {
  const location: DirectoryLocation = {
    entryCount: tail.readUInt16LE(eocdAt + 10),
    size: tail.readUInt32LE(eocdAt + 12),
    offset: tail.readUInt32LE(eocdAt + 16),
  };
  const saturated =
    location.entryCount === 0xffff || location.size === 0xffffffff || location.offset === 0xffffffff;
  const locatorAt = eocdAt - ZIP64_LOCATOR_SIZE;
  if (!saturated || locatorAt < 0 || tail.readUInt32LE(locatorAt) !== ZIP64_LOCATOR_SIGNATURE)
    return location;

  const recordOffset = safeNumber(tail.readBigUInt64LE(locatorAt + 8));
  if (recordOffset + ZIP64_EOCD_SIZE > tailStart + locatorAt) throw ArchiveError.notAZip();
  const record = await readExactly(handle, recordOffset, ZIP64_EOCD_SIZE);
  if (record.readUInt32LE(0) !== ZIP64_EOCD_SIGNATURE) throw ArchiveError.notAZip();
  return {
    entryCount: safeNumber(record.readBigUInt64LE(32)),
    size: safeNumber(record.readBigUInt64LE(40)),
    offset: safeNumber(record.readBigUInt64LE(48)),
  };
}

/** ZIP64 fields are 64-bit; anything past 2^53 cannot be a real offset in a file we can read. */
function safeNumber(value: bigint): number {
  if (value > BigInt(Number.MAX_SAFE_INTEGER)) throw ArchiveError.notAZip();
  return Number(value);
}

function parseCentralDirectory(directory: Buffer, entryCount: number): ZipEntry[] {
  const entries: ZipEntry[] = new Array<ZipEntry>(entryCount);
  let at = 0;
  for (let index = 0; index < entryCount; index++) {
    if (at + CENTRAL_SIZE > directory.length || directory.readUInt32LE(at) !== CENTRAL_SIGNATURE) {
      throw ArchiveError.notAZip();
    }
    const nameLength = directory.readUInt16LE(at + 28);
    const extraLength = directory.readUInt16LE(at + 30);
    const commentLength = directory.readUInt16LE(at + 32);
    const nameStart = at + CENTRAL_SIZE;
    const extraStart = nameStart + nameLength;
    const next = extraStart + extraLength + commentLength;
    if (next > directory.length) throw ArchiveError.notAZip();
    entries[index] = parseEntry(
      directory.subarray(at, CENTRAL_SIZE + at),
      directory.subarray(nameStart, extraStart),
      directory.subarray(extraStart, extraStart + extraLength),
    );
    at = next;
  }
  return entries;
}

function parseEntry(header: Buffer, nameBytes: Buffer, extra: Buffer): ZipEntry {
  const madeBy = header.readUInt16LE(4) >> 8;
  const flags = header.readUInt16LE(8);
  const externalAttributes = header.readUInt32LE(38);
  let compressedSize = header.readUInt32LE(20);
  let uncompressedSize = header.readUInt32LE(24);
  let localHeaderOffset = header.readUInt32LE(42);

  const zip64 = findExtra(extra, ZIP64_EXTRA_ID);
  let field = 0;
  const next64 = (): number => {
    if (!zip64 || field + 8 > zip64.length) throw ArchiveError.notAZip();
    const value = safeNumber(zip64.readBigUInt64LE(field));
    field += 8;
    return value;
  };
  if (uncompressedSize === 0xffffffff) uncompressedSize = next64();
  if (compressedSize === 0xffffffff) compressedSize = next64();
  if (localHeaderOffset === 0xffffffff) localHeaderOffset = next64();

  const unixMade = madeBy === MADE_BY_UNIX;
  const mode = unixMade ? externalAttributes >>> 16 : 0;
  const rawName = decodeName(nameBytes, flags, extra, unixMade || madeBy === MADE_BY_OSX);
  const name = rawName.replaceAll('\\', '/');
  return {
    name,
    rawName,
    isDirectory: name.endsWith('/') || (mode & S_IFMT) === S_IFDIR,
    compressedSize,
    uncompressedSize,
    compressionMethod: header.readUInt16LE(10),
    crc32: header.readUInt32LE(16),
    localHeaderOffset,
    mode,
    isSymlink: (mode & S_IFMT) === S_IFLNK,
    isEncrypted: (flags & FLAG_ENCRYPTED) !== 0,
  };
}

/** The data of the first extra field with this id, if any; a malformed tail is ignored like Info-ZIP does. */
function findExtra(extra: Buffer, id: number): Buffer | undefined {
  let at = 0;
  while (at + 4 <= extra.length) {
    const size = extra.readUInt16LE(at + 2);
    const end = at + 4 + size;
    if (end > extra.length) return undefined;
    if (extra.readUInt16LE(at) === id) return extra.subarray(at + 4, end);
    at = end;
  }
  return undefined;
}

/**
 * Decodes a name the way `unzip` shows it: UTF-8 when the zip says so (flag bit 11); else the Info-ZIP
 * Unicode Path field when its CRC still matches the stored name; else UTF-8 for names made on Unix that are
 * valid UTF-8 (Info-ZIP `zip` 3.0 writes them raw and unflagged, and eKuiper writes those bytes to disk);
 * else CP437, as the ZIP specification says.
 */
function decodeName(bytes: Buffer, flags: number, extra: Buffer, unixMade: boolean): string {
  if ((flags & FLAG_UTF8) !== 0) return bytes.toString('utf8');
  const unicodePath = findExtra(extra, UNICODE_PATH_EXTRA_ID);
  if (unicodePath && unicodePath.length >= 5 && unicodePath[0] === 1) {
    if (unicodePath.readUInt32LE(1) === crc32(bytes)) return unicodePath.subarray(5).toString('utf8');
  }
  if (unixMade && isUtf8(bytes)) return bytes.toString('utf8');
  return decodeCp437(bytes);
}
