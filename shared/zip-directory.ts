import { ArchiveError, NOT_A_ZIP_HEAD_BYTES, explainNotAZip } from './archive-error.js';
import { decodeAscii, decodeCp437 } from './cp437.js';
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

/** Where the central directory is, as told by the (ZIP64) end record. */
export interface DirectoryLocation {
  entryCount: number;
  size: number;
  offset: number;
}

const EOCD_SIGNATURE = 0x06054b50;
export const EOCD_SIZE = 22;
/** The end record plus the longest comment it can carry: how much of a zip's tail to read to find it. */
export const EOCD_SEARCH = EOCD_SIZE + 0xffff;
const ZIP64_LOCATOR_SIGNATURE = 0x07064b50;
const ZIP64_LOCATOR_SIZE = 20;
const ZIP64_EOCD_SIGNATURE = 0x06064b50;
export const ZIP64_EOCD_SIZE = 56;
const CENTRAL_SIGNATURE = 0x02014b50;
const CENTRAL_SIZE = 46;
const ZIP64_EXTRA_ID = 0x0001;
export const UNICODE_PATH_EXTRA_ID = 0x7075;
const FLAG_ENCRYPTED = 0x1;
export const FLAG_UTF8 = 0x800;
const MADE_BY_UNIX = 3;
const MADE_BY_OSX = 19;
const S_IFMT = 0o170000;
const S_IFDIR = 0o040000;
const S_IFLNK = 0o120000;

export function dataView(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** Scans backwards, as the comment may hold anything, for an end record whose comment fits the file. */
export function findEndRecord(tail: Uint8Array): number {
  const view = dataView(tail);
  for (let at = tail.length - EOCD_SIZE; at >= 0; at--) {
    if (view.getUint32(at, true) !== EOCD_SIGNATURE) continue;
    const commentLength = view.getUint16(at + 20, true);
    if (at + EOCD_SIZE + commentLength <= tail.length) return at;
  }
  return -1;
}

/**
 * Reads the end record found at `eocdAt` of `tail` (which starts at `tailStart` in the zip). When its fields
 * are saturated and a ZIP64 locator precedes it, answers where the ZIP64 end record lies instead: the caller
 * reads those `ZIP64_EOCD_SIZE` bytes and passes them to `parseZip64EndRecord`.
 */
export function readEndRecord(
  tail: Uint8Array,
  tailStart: number,
  eocdAt: number,
): { location: DirectoryLocation } | { zip64RecordAt: number } {
  const view = dataView(tail);
  const location: DirectoryLocation = {
    entryCount: view.getUint16(eocdAt + 10, true),
    size: view.getUint32(eocdAt + 12, true),
    offset: view.getUint32(eocdAt + 16, true),
  };
  const saturated =
    location.entryCount === 0xffff || location.size === 0xffffffff || location.offset === 0xffffffff;
  const locatorAt = eocdAt - ZIP64_LOCATOR_SIZE;
  if (!saturated || locatorAt < 0 || view.getUint32(locatorAt, true) !== ZIP64_LOCATOR_SIGNATURE) {
    return { location };
  }
  const recordOffset = safeNumber(view.getBigUint64(locatorAt + 8, true));
  if (recordOffset + ZIP64_EOCD_SIZE > tailStart + locatorAt) throw ArchiveError.notAZip();
  return { zip64RecordAt: recordOffset };
}

export function parseZip64EndRecord(record: Uint8Array): DirectoryLocation {
  const view = dataView(record);
  if (record.length < ZIP64_EOCD_SIZE || view.getUint32(0, true) !== ZIP64_EOCD_SIGNATURE) {
    throw ArchiveError.notAZip();
  }
  return {
    entryCount: safeNumber(view.getBigUint64(32, true)),
    size: safeNumber(view.getBigUint64(40, true)),
    offset: safeNumber(view.getBigUint64(48, true)),
  };
}

/**
 * Refuses a directory that cannot lie where the end record says (before `endRecordOffset`, big enough for
 * its entry count), and — before anything is parsed — one listing more entries than allowed.
 */
export function checkDirectoryLocation(
  location: DirectoryLocation,
  endRecordOffset: number,
  options: ReadZipOptions = {},
): void {
  const directoryEnd = location.offset + location.size;
  if (directoryEnd > endRecordOffset || location.entryCount * CENTRAL_SIZE > location.size) {
    throw ArchiveError.notAZip();
  }
  if (options.maxEntries !== undefined && location.entryCount > options.maxEntries) {
    throw tooManyEntriesError(location.entryCount, options.maxEntries);
  }
}

/**
 * Lists the entries of a zip held in memory (the window's dropped file): the same parser the host runs on
 * files, so both read every name, size and flag alike. Anything that is not a readable zip directory throws
 * `not-a-zip` with eKuiper's exact message.
 */
export function readZipDirectoryFromBytes(bytes: Uint8Array, options: ReadZipOptions = {}): ZipEntry[] {
  return explainingNotAZip(bytes, () => {
    const location = locateDirectoryInBytes(bytes, options);
    return parseCentralDirectory(
      bytes.subarray(location.offset, location.offset + location.size),
      location.entryCount,
    );
  });
}

/** `readZipDirectoryFromBytes` keeping each record's raw parts. */
export function readZipRecordsFromBytes(bytes: Uint8Array, options: ReadZipOptions = {}): CentralRecord[] {
  return explainingNotAZip(bytes, () => {
    const location = locateDirectoryInBytes(bytes, options);
    return parseCentralRecords(
      bytes.subarray(location.offset, location.offset + location.size),
      location.entryCount,
    );
  });
}

/** Runs a read of `bytes`, saying what the file is when it turns out not to be a zip. */
function explainingNotAZip<T>(bytes: Uint8Array, read: () => T): T {
  try {
    return read();
  } catch (error) {
    throw explainNotAZip(error, bytes.subarray(0, NOT_A_ZIP_HEAD_BYTES), bytes.length);
  }
}

function locateDirectoryInBytes(bytes: Uint8Array, options: ReadZipOptions): DirectoryLocation {
  if (bytes.length < EOCD_SIZE) throw ArchiveError.notAZip();
  const tailStart = Math.max(0, bytes.length - EOCD_SEARCH);
  const tail = bytes.subarray(tailStart);
  const eocdAt = findEndRecord(tail);
  if (eocdAt < 0) throw ArchiveError.notAZip();
  const end = readEndRecord(tail, tailStart, eocdAt);
  const location =
    'location' in end
      ? end.location
      : parseZip64EndRecord(bytes.subarray(end.zip64RecordAt, end.zip64RecordAt + ZIP64_EOCD_SIZE));
  checkDirectoryLocation(location, tailStart + eocdAt, options);
  return location;
}

/** ZIP64 fields are 64-bit; anything past 2^53 cannot be a real offset in a file we can read. */
function safeNumber(value: bigint): number {
  if (value > BigInt(Number.MAX_SAFE_INTEGER)) throw ArchiveError.notAZip();
  return Number(value);
}

/** One central directory record as stored, with its parsed entry: what a zip writer needs to copy it. */
export interface CentralRecord {
  entry: ZipEntry;
  /** The fixed 46-byte part of the record. */
  header: Uint8Array;
  nameBytes: Uint8Array;
  extra: Uint8Array;
}

/** Parses `entryCount` central directory records from the directory's bytes. */
export function parseCentralDirectory(directory: Uint8Array, entryCount: number): ZipEntry[] {
  const entries: ZipEntry[] = new Array<ZipEntry>(entryCount);
  walkDirectory(directory, entryCount, (index, view, at, nameBytes, extra) => {
    entries[index] = parseEntry(view, at, nameBytes, extra);
  });
  return entries;
}

/** `parseCentralDirectory` keeping each record's raw parts, for rewriting a zip (the window's repack). */
export function parseCentralRecords(directory: Uint8Array, entryCount: number): CentralRecord[] {
  const records: CentralRecord[] = [];
  walkDirectory(directory, entryCount, (_index, view, at, nameBytes, extra) => {
    records.push({
      entry: parseEntry(view, at, nameBytes, extra),
      header: directory.subarray(at, at + CENTRAL_SIZE),
      nameBytes,
      extra,
    });
  });
  return records;
}

function walkDirectory(
  directory: Uint8Array,
  entryCount: number,
  visit: (index: number, view: DataView, at: number, nameBytes: Uint8Array, extra: Uint8Array) => void,
): void {
  const view = dataView(directory);
  let at = 0;
  for (let index = 0; index < entryCount; index++) {
    if (at + CENTRAL_SIZE > directory.length || view.getUint32(at, true) !== CENTRAL_SIGNATURE) {
      throw ArchiveError.notAZip();
    }
    const nameLength = view.getUint16(at + 28, true);
    const extraLength = view.getUint16(at + 30, true);
    const commentLength = view.getUint16(at + 32, true);
    const nameStart = at + CENTRAL_SIZE;
    const extraStart = nameStart + nameLength;
    const next = extraStart + extraLength + commentLength;
    if (next > directory.length) throw ArchiveError.notAZip();
    visit(
      index,
      view,
      at,
      directory.subarray(nameStart, extraStart),
      directory.subarray(extraStart, extraStart + extraLength),
    );
    at = next;
  }
}

function parseEntry(view: DataView, at: number, nameBytes: Uint8Array, extra: Uint8Array): ZipEntry {
  const madeBy = view.getUint16(at + 4, true) >> 8;
  const flags = view.getUint16(at + 8, true);
  const externalAttributes = view.getUint32(at + 38, true);
  let compressedSize = view.getUint32(at + 20, true);
  let uncompressedSize = view.getUint32(at + 24, true);
  let localHeaderOffset = view.getUint32(at + 42, true);

  const zip64 = findExtra(extra, ZIP64_EXTRA_ID);
  let field = 0;
  const next64 = (): number => {
    if (!zip64 || field + 8 > zip64.length) throw ArchiveError.notAZip();
    const value = safeNumber(dataView(zip64).getBigUint64(field, true));
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
    compressionMethod: view.getUint16(at + 10, true),
    crc32: view.getUint32(at + 16, true),
    localHeaderOffset,
    mode,
    isSymlink: (mode & S_IFMT) === S_IFLNK,
    isEncrypted: (flags & FLAG_ENCRYPTED) !== 0,
  };
}

/** The data of the first extra field with this id, if any; a malformed tail is ignored like Info-ZIP does. */
export function findExtra(extra: Uint8Array, id: number): Uint8Array | undefined {
  const view = dataView(extra);
  let at = 0;
  while (at + 4 <= extra.length) {
    const size = view.getUint16(at + 2, true);
    const end = at + 4 + size;
    if (end > extra.length) return undefined;
    if (view.getUint16(at, true) === id) return extra.subarray(at + 4, end);
    at = end;
  }
  return undefined;
}

const utf8 = new TextDecoder('utf-8');
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

function isAscii(bytes: Uint8Array): boolean {
  for (let i = 0; i < bytes.length; i++) if ((bytes[i] ?? 0) >= 0x80) return false;
  return true;
}

/** UTF-8 text, or undefined when the bytes are not valid UTF-8. */
function strictUtf8Text(bytes: Uint8Array): string | undefined {
  try {
    return strictUtf8.decode(bytes);
  } catch {
    return undefined;
  }
}

/**
 * Decodes a name the way `unzip` shows it: UTF-8 when the zip says so (flag bit 11); else the Info-ZIP
 * Unicode Path field when its CRC still matches the stored name; else UTF-8 for names made on Unix that are
 * valid UTF-8 (Info-ZIP `zip` 3.0 writes them raw and unflagged, and eKuiper writes those bytes to disk);
 * else CP437, as the ZIP specification says.
 */
function decodeName(bytes: Uint8Array, flags: number, extra: Uint8Array, unixMade: boolean): string {
  if (isAscii(bytes) && findExtra(extra, UNICODE_PATH_EXTRA_ID) === undefined) return decodeAscii(bytes);
  if ((flags & FLAG_UTF8) !== 0) return utf8.decode(bytes);
  const unicodePath = findExtra(extra, UNICODE_PATH_EXTRA_ID);
  if (unicodePath && unicodePath.length >= 5 && unicodePath[0] === 1) {
    if (dataView(unicodePath).getUint32(1, true) === crc32(bytes))
      return utf8.decode(unicodePath.subarray(5));
  }
  if (unixMade) {
    const text = strictUtf8Text(bytes);
    if (text !== undefined) return text;
  }
  return decodeCp437(bytes);
}

let crcTable: Uint32Array | undefined;

/** CRC-32 (the zip polynomial), as `zlib.crc32` computes it, without Node. */
export function crc32(bytes: Uint8Array, initial = 0): number {
  if (crcTable === undefined) {
    crcTable = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[n] = c >>> 0;
    }
  }
  let crc = (initial ^ 0xffffffff) >>> 0;
  for (let i = 0; i < bytes.length; i++) crc = crcTable[(crc ^ bytes[i]!) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}
