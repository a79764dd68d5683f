import { open, type FileHandle } from 'node:fs/promises';
import { ArchiveError, NOT_A_ZIP_HEAD_BYTES, explainNotAZip } from './archive-error.js';
import {
  EOCD_SEARCH,
  EOCD_SIZE,
  ZIP64_EOCD_SIZE,
  checkDirectoryLocation,
  findEndRecord,
  parseCentralDirectory,
  parseZip64EndRecord,
  readEndRecord,
  type ReadZipOptions,
  type ZipEntry,
} from '../../shared/zip-directory.js';

export type { ReadZipOptions, ZipEntry };

/**
 * Lists a zip's entries from its central directory, which is read with a single `read` (yauzl's
 * entry-by-entry scan costs 120–250 ms on a 2,000-file plugin zip; this is a few milliseconds). The parsing
 * is `shared/zip-directory.ts`, which the window also runs on a dropped zip's bytes.
 * Anything that is not a readable zip directory — a 0-byte file, a text file, a truncated download —
 * throws `not-a-zip` with eKuiper's exact message, followed by what the file is instead.
 */
export async function readZipDirectory(zipPath: string, options: ReadZipOptions = {}): Promise<ZipEntry[]> {
  const handle = await open(zipPath, 'r');
  let fileSize = 0;
  try {
    fileSize = (await handle.stat()).size;
    if (fileSize < EOCD_SIZE) throw ArchiveError.notAZip();
    const tailStart = Math.max(0, fileSize - EOCD_SEARCH);
    const tail = await readExactly(handle, tailStart, fileSize - tailStart);
    const eocdAt = findEndRecord(tail);
    if (eocdAt < 0) throw ArchiveError.notAZip();
    const end = readEndRecord(tail, tailStart, eocdAt);
    const location =
      'location' in end
        ? end.location
        : parseZip64EndRecord(await readExactly(handle, end.zip64RecordAt, ZIP64_EOCD_SIZE));
    checkDirectoryLocation(location, tailStart + eocdAt, options);
    const directoryEnd = location.offset + location.size;
    const directory =
      location.offset >= tailStart
        ? tail.subarray(location.offset - tailStart, directoryEnd - tailStart)
        : await readExactly(handle, location.offset, location.size);
    return parseCentralDirectory(directory, location.entryCount);
  } catch (error) {
    if (!(error instanceof ArchiveError) || error.code !== 'not-a-zip') throw error;
    // Says what the file is instead (empty, a web page, text, another archive, cut short).
    const head = Buffer.alloc(Math.min(fileSize, NOT_A_ZIP_HEAD_BYTES));
    if (head.length > 0) await handle.read(head, 0, head.length, 0).catch(() => undefined);
    throw explainNotAZip(error, head, fileSize);
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
