import {
  chmodSync,
  closeSync,
  constants,
  copyFileSync,
  fstatSync,
  mkdirSync,
  openSync,
  readSync,
  writeFileSync,
} from 'node:fs';
import { dirname, resolve, sep } from 'node:path';
import { crc32, inflateRawSync } from 'node:zlib';
import { ArchiveError, isArchiveErrorCode } from './archive-error.js';
import type { ZipEntry } from './zip-reader.js';
import { tooLargeError } from './zip-safety.js';

/** One entry to extract and every place it goes (eKuiper copies some files to both `etc/` and `data/`). */
export interface ExtractionItem {
  entry: ZipEntry;
  /** Absolute file paths, or folder paths for directory entries; all must lie inside the extraction root. */
  destinations: string[];
  /** Overrides the entry's mode, e.g. 0o755 for a portable plugin's executable zipped on Windows. */
  mode?: number;
}

/** What the main thread hands the worker (structured-cloned, so plain data only). */
export interface ExtractRequest {
  zipPath: string;
  items: ExtractionItem[];
  root: string;
  maxInflatedBytes: number;
}

/** An error flattened for `postMessage`; `code` is an ArchiveErrorCode or a Node errno code such as ENOSPC. */
export interface SerialisedError {
  name: string;
  message: string;
  code?: string;
}

/** The worker's single answer. */
export type ExtractReply = { ok: true; bytesWritten: number } | { ok: false; error: SerialisedError };

const LOCAL_SIGNATURE = 0x04034b50;
const LOCAL_SIZE = 30;
const DIRECTORY_MODE = 0o755;
const DEFAULT_FILE_MODE = 0o644;
/** zlib's output chunk: one chunk for most entries, without trusting a huge declared size with memory. */
const MAX_CHUNK = 8 * 1024 * 1024;

/**
 * Refuses, before anything is written, a destination that is not strictly inside `root`. Destinations are
 * computed by the caller from entry names, so this is the last line against a path-joining bug.
 * Returns the resolved root.
 */
export function assertDestinationsInsideRoot(items: readonly ExtractionItem[], root: string): string {
  const resolvedRoot = resolve(root);
  const prefix = resolvedRoot.endsWith(sep) ? resolvedRoot : resolvedRoot + sep;
  for (const item of items) {
    for (const destination of item.destinations) {
      const resolved = resolve(destination);
      if (!resolved.startsWith(prefix) || resolved.length === prefix.length) {
        throw new ArchiveError(
          'write-outside-root',
          `the zip entry '${item.entry.rawName}' was to be written to '${resolved}', which is outside the ` +
            `extraction folder '${resolvedRoot}'; nothing was extracted. This is a fault in the installer, ` +
            'not in the zip — please report it with the plugin zip attached',
        );
      }
    }
  }
  return resolvedRoot;
}

/**
 * Extracts with synchronous calls only: meant to run inside the extraction worker, where blocking is free
 * and sync `readSync`/`inflateRawSync`/`writeFileSync` are several times faster than streams for thousands
 * of small files. Every entry is verified (local header signature, sizes, CRC) before it is written, so a
 * file on disk is never longer than its declared size. Returns the bytes written, copies included.
 */
export function extractSync(request: ExtractRequest): { bytesWritten: number } {
  const root = assertDestinationsInsideRoot(request.items, request.root);
  const fd = openSync(request.zipPath, 'r');
  try {
    const writer = new TreeWriter(root);
    const reader = new EntryReader(fd, fstatSync(fd).size);
    let inflatedTotal = 0;
    let bytesWritten = 0;
    for (const item of request.items) {
      const destinations = item.destinations.map((destination) => resolve(destination));
      if (item.entry.isDirectory) {
        for (const destination of destinations) writer.directory(destination);
        continue;
      }
      if (destinations.length === 0) continue;
      inflatedTotal += item.entry.uncompressedSize;
      if (inflatedTotal > request.maxInflatedBytes) {
        throw tooLargeError(inflatedTotal, request.maxInflatedBytes);
      }
      const data = reader.read(item.entry);
      const mode = (item.mode ?? (item.entry.mode & 0o777 || DEFAULT_FILE_MODE)) & 0o777;
      bytesWritten += writer.file(destinations, data, mode);
    }
    return { bytesWritten };
  } finally {
    closeSync(fd);
  }
}

/** Flattens any thrown value so the main thread can rebuild an ArchiveError with the same code. */
export function serialiseError(error: unknown): SerialisedError {
  if (error instanceof ArchiveError) return { name: error.name, message: error.message, code: error.code };
  if (error instanceof Error) {
    const code = (error as NodeJS.ErrnoException).code;
    return { name: error.name, message: error.message, ...(typeof code === 'string' ? { code } : {}) };
  }
  return { name: 'Error', message: String(error) };
}

/** The inverse of serialiseError, on the main thread. */
export function deserialiseError(error: SerialisedError): Error {
  if (error.name === 'ArchiveError' && isArchiveErrorCode(error.code)) {
    return new ArchiveError(error.code, error.message);
  }
  const rebuilt = new Error(error.message);
  rebuilt.name = error.name;
  return error.code === undefined ? rebuilt : Object.assign(rebuilt, { code: error.code });
}

/** Reads, inflates and verifies one entry's data. */
class EntryReader {
  private readonly header = Buffer.alloc(LOCAL_SIZE);
  private scratch = Buffer.allocUnsafe(64 * 1024);

  constructor(
    private readonly fd: number,
    private readonly fileSize: number,
  ) {}

  read(entry: ZipEntry): Buffer {
    const shown = entry.rawName;
    const offset = entry.localHeaderOffset;
    if (
      offset + LOCAL_SIZE > this.fileSize ||
      readSync(this.fd, this.header, 0, LOCAL_SIZE, offset) !== LOCAL_SIZE ||
      this.header.readUInt32LE(0) !== LOCAL_SIGNATURE
    ) {
      throw corrupt(shown, 'its local header is missing or damaged');
    }
    const dataStart = offset + LOCAL_SIZE + this.header.readUInt16LE(26) + this.header.readUInt16LE(28);
    const size = entry.compressedSize;
    if (dataStart + size > this.fileSize) throw corrupt(shown, 'its data runs past the end of the file');
    if (this.scratch.length < size) this.scratch = Buffer.allocUnsafe(size);
    const compressed = this.scratch.subarray(0, size);
    if (size > 0 && readSync(this.fd, compressed, 0, size, dataStart) !== size) {
      throw corrupt(shown, 'its data is cut short');
    }
    const data = this.decompress(entry, compressed);
    if (data.length !== entry.uncompressedSize) {
      throw corrupt(shown, `it holds ${data.length} bytes but its header declares ${entry.uncompressedSize}`);
    }
    if (crc32(data) !== entry.crc32) throw corrupt(shown, 'its checksum (CRC-32) does not match its data');
    return data;
  }

  private decompress(entry: ZipEntry, compressed: Buffer): Buffer {
    const declared = entry.uncompressedSize;
    if (entry.compressionMethod === 0) return compressed;
    if (entry.compressionMethod !== 8) {
      throw new ArchiveError(
        'unsupported-method',
        `the zip entry '${entry.rawName}' uses compression method ${entry.compressionMethod}, which cannot be ` +
          'extracted; rebuild the zip with Deflate compression',
      );
    }
    try {
      // One byte over the declared size is enough to prove the header lies, and stops a zip bomb early.
      return inflateRawSync(compressed, {
        maxOutputLength: declared + 1,
        chunkSize: Math.min(Math.max(declared + 1, 64), MAX_CHUNK),
      });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') {
        throw corrupt(entry.rawName, `it inflates to more than the ${declared} bytes its header declares`);
      }
      throw corrupt(entry.rawName, 'its compressed data is damaged');
    }
  }
}

/** Creates folders (once each) and files with the right modes, even under a restrictive umask. */
class TreeWriter {
  private readonly made = new Set<string>();
  private readonly umask = process.umask();

  constructor(root: string) {
    mkdirSync(root, { recursive: true });
    this.made.add(root);
  }

  /** `path` must be resolved and inside the root, which ends the walk up. */
  directory(path: string): void {
    if (this.made.has(path)) return;
    const parent = dirname(path);
    if (parent !== path) this.directory(parent);
    try {
      mkdirSync(path, { mode: DIRECTORY_MODE });
      this.fixMode(path, DIRECTORY_MODE);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    this.made.add(path);
  }

  /** Writes the first destination and copies it to the others (`copyFile` keeps the mode). */
  file(destinations: readonly string[], data: Buffer, mode: number): number {
    let written = 0;
    let first: string | undefined;
    for (const destination of destinations) {
      this.directory(dirname(destination));
      if (first === undefined) {
        // 'wx': never follow or overwrite something already there; extraction targets a fresh folder.
        writeFileSync(destination, data, { mode, flag: 'wx' });
        this.fixMode(destination, mode);
        first = destination;
      } else {
        copyFileSync(first, destination, constants.COPYFILE_EXCL);
      }
      written += data.length;
    }
    return written;
  }

  private fixMode(path: string, mode: number): void {
    if ((mode & ~this.umask) !== mode) chmodSync(path, mode);
  }
}

function corrupt(shown: string, problem: string): ArchiveError {
  return new ArchiveError(
    'corrupt',
    `the zip entry '${shown}' is damaged: ${problem}. The zip was probably cut short or altered while ` +
      'downloading or copying — download or build it again',
  );
}
