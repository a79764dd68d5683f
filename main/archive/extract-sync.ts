import {
  chmodSync,
  closeSync,
  constants,
  copyFileSync,
  fstatSync,
  mkdirSync,
  openSync,
  readSync,
  rmSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { dirname, resolve, sep } from 'node:path';
import { crc32, createInflateRaw, inflateRawSync } from 'node:zlib';
import { hostMessage } from '../../shared/host-messages.js';
import {
  ArchiveError,
  damagedEntryError,
  isArchiveErrorCode,
  unsupportedMethodError,
} from './archive-error.js';
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
  /**
   * extractInWorker streams an entry whose compressed or declared size is above this many bytes instead of
   * holding it whole; default STREAM_ABOVE_BYTES. Tests lower it to run small lying entries through the
   * streaming path.
   */
  streamAboveBytes?: number;
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
 * Entries up to this size (compressed and declared) are read and inflated whole: the fast path for the
 * thousands of small files of a plugin, costing at most twice this in memory. Larger ones are streamed.
 */
export const STREAM_ABOVE_BYTES = 8 * 1024 * 1024;
/**
 * Read and inflate chunk of a streamed entry: one reused read buffer, and zlib output buffers that wait
 * for the garbage collector, so a streamed entry costs a few tens of MiB at most whatever its size.
 */
const STREAM_CHUNK = 1024 * 1024;

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
 * Extracts with synchronous calls only, each entry read and inflated whole: usable on the main thread for a
 * small entry (the install pipeline reads a plugin's manifest this way), but its memory grows with the
 * largest entry, so the worker runs extractInWorker instead. Every entry is verified (local header
 * signature, sizes, CRC) before it is written, so a file on disk is never longer than its declared size.
 * Returns the bytes written, copies included.
 */
export function extractSync(request: ExtractRequest): { bytesWritten: number } {
  const extraction = new Extraction(request);
  try {
    for (const item of request.items) {
      const file = extraction.begin(item);
      if (file !== undefined) extraction.writeWhole(file);
    }
    return { bytesWritten: extraction.bytesWritten };
  } finally {
    extraction.close();
  }
}

/**
 * What the extraction worker runs, where blocking is free. Entries up to `streamAboveBytes` take
 * extractSync's path: sync `readSync`/`inflateRawSync`/`writeFileSync` are several times faster than
 * streams for thousands of small files. Larger ones are copied or inflated in 1 MiB chunks with a running
 * size check and CRC, so a 1.5 GB model file costs about 1 MiB stored, or a few tens of MiB deflated (zlib's
 * output chunks waiting for the garbage collector), not its compressed plus its inflated size. A streamed
 * file cannot be verified before it is written: it never grows past its declared size, and when its data
 * turns out to be damaged it is removed before the error is thrown, so a failed entry leaves no file, as on
 * the sync path.
 */
export async function extractInWorker(request: ExtractRequest): Promise<{ bytesWritten: number }> {
  const threshold = request.streamAboveBytes ?? STREAM_ABOVE_BYTES;
  const extraction = new Extraction(request);
  try {
    for (const item of request.items) {
      const file = extraction.begin(item);
      if (file === undefined) continue;
      const { entry } = file;
      if (entry.compressedSize > threshold || entry.uncompressedSize > threshold) {
        await extraction.writeStreamed(file);
      } else {
        extraction.writeWhole(file);
      }
    }
    return { bytesWritten: extraction.bytesWritten };
  } finally {
    extraction.close();
  }
}

/** A file entry about to be written: resolved destinations (at least one) and its final mode. */
interface FileJob {
  entry: ZipEntry;
  destinations: string[];
  mode: number;
}

/** The state shared by both extraction paths: the open zip, the folders made, the running totals. */
class Extraction {
  bytesWritten = 0;
  private inflatedTotal = 0;
  private readonly fd: number;
  private readonly reader: EntryReader;
  private readonly writer: TreeWriter;
  private readonly maxInflatedBytes: number;

  constructor(request: ExtractRequest) {
    const root = assertDestinationsInsideRoot(request.items, request.root);
    this.maxInflatedBytes = request.maxInflatedBytes;
    this.fd = openSync(request.zipPath, 'r');
    try {
      this.writer = new TreeWriter(root);
      this.reader = new EntryReader(this.fd, fstatSync(this.fd).size);
    } catch (error) {
      closeSync(this.fd);
      throw error;
    }
  }

  /**
   * Makes a folder entry's folders; for a file entry, counts its declared size against maxInflatedBytes
   * (the actual size is held to the declared one) and returns what to write. Undefined: nothing to write.
   */
  begin(item: ExtractionItem): FileJob | undefined {
    const destinations = item.destinations.map((destination) => resolve(destination));
    if (item.entry.isDirectory) {
      for (const destination of destinations) this.writer.directory(destination);
      return undefined;
    }
    if (destinations.length === 0) return undefined;
    this.inflatedTotal += item.entry.uncompressedSize;
    if (this.inflatedTotal > this.maxInflatedBytes) {
      throw tooLargeError(this.inflatedTotal, this.maxInflatedBytes);
    }
    const mode = (item.mode ?? (item.entry.mode & 0o777 || DEFAULT_FILE_MODE)) & 0o777;
    return { entry: item.entry, destinations, mode };
  }

  writeWhole(file: FileJob): void {
    const data = this.reader.read(file.entry);
    this.bytesWritten += this.writer.file(file.destinations, data, file.mode);
  }

  async writeStreamed(file: FileJob): Promise<void> {
    // Header, bounds, method and a stored entry's sizes are checked before the file is created.
    const source = this.reader.open(file.entry);
    this.bytesWritten += await this.writer.streamedFile(file.destinations, file.mode, (write) =>
      source.streamTo(write),
    );
  }

  close(): void {
    closeSync(this.fd);
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

/** Reads, inflates and verifies one entry's data, whole or in chunks. */
class EntryReader {
  private readonly header = Buffer.alloc(LOCAL_SIZE);
  private scratch = Buffer.allocUnsafe(64 * 1024);

  constructor(
    private readonly fd: number,
    private readonly fileSize: number,
  ) {}

  read(entry: ZipEntry): Buffer {
    const dataStart = this.locate(entry);
    const size = entry.compressedSize;
    if (this.scratch.length < size) this.scratch = Buffer.allocUnsafe(size);
    const compressed = this.scratch.subarray(0, size);
    if (size > 0 && readSync(this.fd, compressed, 0, size, dataStart) !== size) {
      throw damagedEntryError(entry.rawName, hostMessage('damageCutShort'));
    }
    const data = this.decompress(entry, compressed);
    if (data.length !== entry.uncompressedSize) {
      throw damagedEntryError(
        entry.rawName,
        hostMessage('damageSizeMismatch', { actual: data.length, declared: entry.uncompressedSize }),
      );
    }
    if (crc32(data) !== entry.crc32) throw damagedEntryError(entry.rawName, hostMessage('damageChecksum'));
    return data;
  }

  /**
   * Checks everything that can be checked before a byte is inflated — local header, bounds, method, and for
   * a stored entry that its two sizes agree — and returns what streams the entry's verified data.
   */
  open(entry: ZipEntry): EntrySource {
    const dataStart = this.locate(entry);
    if (entry.compressionMethod === 0 && entry.compressedSize !== entry.uncompressedSize) {
      throw damagedEntryError(
        entry.rawName,
        hostMessage('damageSizeMismatch', {
          actual: entry.compressedSize,
          declared: entry.uncompressedSize,
        }),
      );
    }
    if (entry.compressionMethod !== 0) assertDeflate(entry);
    return {
      streamTo: async (write) => {
        const output = new CheckedOutput(entry, write);
        if (entry.compressionMethod === 0) {
          for (const chunk of this.chunks(entry, dataStart)) output.write(chunk);
        } else {
          await this.inflate(entry, dataStart, output);
        }
        output.finish();
      },
    };
  }

  /** Checks the local header and returns where the entry's data starts. */
  private locate(entry: ZipEntry): number {
    const shown = entry.rawName;
    const offset = entry.localHeaderOffset;
    if (
      offset + LOCAL_SIZE > this.fileSize ||
      readSync(this.fd, this.header, 0, LOCAL_SIZE, offset) !== LOCAL_SIZE ||
      this.header.readUInt32LE(0) !== LOCAL_SIGNATURE
    ) {
      throw damagedEntryError(shown, hostMessage('damageLocalHeader'));
    }
    const dataStart = offset + LOCAL_SIZE + this.header.readUInt16LE(26) + this.header.readUInt16LE(28);
    if (dataStart + entry.compressedSize > this.fileSize) {
      throw damagedEntryError(shown, hostMessage('damagePastEnd'));
    }
    return dataStart;
  }

  /**
   * The entry's compressed bytes in chunks of STREAM_CHUNK, all in one buffer: the consumer must be done
   * with a chunk before it asks for the next.
   */
  private *chunks(entry: ZipEntry, dataStart: number): Generator<Buffer> {
    const size = entry.compressedSize;
    const buffer = Buffer.allocUnsafe(Math.min(STREAM_CHUNK, size));
    for (let done = 0; done < size;) {
      const length = Math.min(STREAM_CHUNK, size - done);
      if (readSync(this.fd, buffer, 0, length, dataStart + done) !== length) {
        throw damagedEntryError(entry.rawName, hostMessage('damageCutShort'));
      }
      yield buffer.subarray(0, length);
      done += length;
    }
  }

  /**
   * Inflates through a zlib stream (Node has no synchronous incremental inflate), fed one chunk at a time
   * from the single reused read buffer: a write's callback means zlib has consumed the chunk. The output is
   * checked chunk by chunk as zlib produces it, and a chunk past the declared size destroys the stream.
   */
  private async inflate(entry: ZipEntry, dataStart: number, output: CheckedOutput): Promise<void> {
    const inflate = createInflateRaw({ chunkSize: STREAM_CHUNK });
    const ended = new Promise<void>((resolveEnd, rejectEnd) => {
      inflate.on('data', (chunk: Buffer) => {
        try {
          output.write(chunk);
        } catch (error) {
          inflate.destroy(error as Error);
        }
      });
      inflate.once('error', rejectEnd);
      inflate.once('end', resolveEnd);
    });
    // Observed below; this only keeps an early failure from counting as unhandled meanwhile.
    ended.catch(() => undefined);
    try {
      for (const chunk of this.chunks(entry, dataStart)) {
        const consumed = new Promise<void>((resolveWrite) => inflate.write(chunk, () => resolveWrite()));
        // A destroyed stream may never call back; its 'error' rejects `ended` instead.
        await Promise.race([consumed, ended]);
      }
      inflate.end();
      await ended;
    } catch (error) {
      inflate.destroy();
      if (isZlibError(error)) throw damagedEntryError(entry.rawName, hostMessage('damageCompressed'));
      throw error;
    }
  }

  private decompress(entry: ZipEntry, compressed: Buffer): Buffer {
    const declared = entry.uncompressedSize;
    if (entry.compressionMethod === 0) return compressed;
    assertDeflate(entry);
    try {
      // One byte over the declared size is enough to prove the header lies, and stops a zip bomb early.
      return inflateRawSync(compressed, {
        maxOutputLength: declared + 1,
        chunkSize: Math.min(Math.max(declared + 1, 64), MAX_CHUNK),
      });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') {
        throw damagedEntryError(entry.rawName, hostMessage('damageOverflow', { declared }));
      }
      throw damagedEntryError(entry.rawName, hostMessage('damageCompressed'));
    }
  }
}

/** Streams an entry's data, already checked against its header, to `write` in chunks. */
interface EntrySource {
  streamTo(write: (chunk: Buffer) => void): Promise<void>;
}

/**
 * Passes chunks on while counting them and updating the CRC: a chunk that would take the data past its
 * declared size is refused before it is written, and finish() checks the final size and CRC.
 */
class CheckedOutput {
  private written = 0;
  private crc = 0;

  constructor(
    private readonly entry: ZipEntry,
    private readonly sink: (chunk: Buffer) => void,
  ) {}

  write(chunk: Buffer): void {
    const declared = this.entry.uncompressedSize;
    if (this.written + chunk.length > declared)
      throw damagedEntryError(this.entry.rawName, hostMessage('damageOverflow', { declared }));
    this.sink(chunk);
    this.crc = crc32(chunk, this.crc);
    this.written += chunk.length;
  }

  finish(): void {
    const declared = this.entry.uncompressedSize;
    if (this.written !== declared) {
      throw damagedEntryError(
        this.entry.rawName,
        hostMessage('damageSizeMismatch', { actual: this.written, declared }),
      );
    }
    if (this.crc !== this.entry.crc32)
      throw damagedEntryError(this.entry.rawName, hostMessage('damageChecksum'));
  }
}

function assertDeflate(entry: ZipEntry): void {
  if (entry.compressionMethod === 8) return;
  throw unsupportedMethodError(entry.rawName, entry.compressionMethod);
}

/** zlib's stream errors carry codes such as Z_DATA_ERROR, or Z_BUF_ERROR for data that ends too soon. */
function isZlibError(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return !(error instanceof ArchiveError) && typeof code === 'string' && code.startsWith('Z_');
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

  /** Writes the first destination and copies it to the others; returns the bytes written, copies included. */
  file(destinations: readonly string[], data: Buffer, mode: number): number {
    const [first, ...others] = destinations as [string, ...string[]];
    this.directory(dirname(first));
    // 'wx': never follow or overwrite something already there; extraction targets a fresh folder.
    writeFileSync(first, data, { mode, flag: 'wx' });
    this.fixMode(first, mode);
    this.copy(first, others);
    return data.length * destinations.length;
  }

  /**
   * Creates the first destination ('wx', as file() does) and lets `fill` write it chunk by chunk; if `fill`
   * fails, the half-written file is removed and the error passed on. Then copies it to the others.
   */
  async streamedFile(
    destinations: readonly string[],
    mode: number,
    fill: (write: (chunk: Buffer) => void) => Promise<void>,
  ): Promise<number> {
    const [first, ...others] = destinations as [string, ...string[]];
    this.directory(dirname(first));
    const fd = openSync(first, 'wx', mode);
    let size = 0;
    let complete = false;
    try {
      // Written with writeSync on this thread: once a terminated worker stops running JavaScript, no write
      // is left in flight to land after the caller starts cleaning up.
      await fill((chunk) => {
        for (let done = 0; done < chunk.length;) done += writeSync(fd, chunk, done, chunk.length - done);
        size += chunk.length;
      });
      complete = true;
    } finally {
      closeSync(fd);
      if (!complete) removeQuietly(first);
    }
    this.fixMode(first, mode);
    this.copy(first, others);
    return size * destinations.length;
  }

  /** `copyFile` keeps the mode, and copies in the kernel without passing the data through memory. */
  private copy(first: string, others: readonly string[]): void {
    for (const destination of others) {
      this.directory(dirname(destination));
      copyFileSync(first, destination, constants.COPYFILE_EXCL);
    }
  }

  private fixMode(path: string, mode: number): void {
    if ((mode & ~this.umask) !== mode) chmodSync(path, mode);
  }
}

/** Best effort: a failure to remove must not hide the error that made the file worthless. */
function removeQuietly(path: string): void {
  try {
    rmSync(path, { force: true });
  } catch {
    // The caller owns the staging folder and removes it anyway.
  }
}
