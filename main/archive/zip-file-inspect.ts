import { open, stat, type FileHandle } from 'node:fs/promises';
import { basename } from 'node:path';
import type { PluginKind } from '../../shared/plugin-kinds.js';
import {
  MANIFEST_LIMIT,
  inspectZipEntries,
  readEntryText,
  unreadableZip,
  type InspectOptions,
  type ZipInspection,
} from '../../shared/zip-inspect.js';
import { ArchiveError } from './archive-error.js';
import { readZipDirectory, type ZipEntry } from './zip-reader.js';

const LOCAL_SIZE = 30;

/**
 * `inspectZip` for a zip on disk, reading only its directory and the few `.json` entries that may be the
 * manifest, so a 200 MB plugin is checked with the window's own rules without holding it in memory.
 */
export async function inspectZipFile(
  path: string,
  kind: PluginKind,
  name?: string,
  options: InspectOptions = {},
): Promise<ZipInspection> {
  const fileOptions = { fileName: basename(path), ...options };
  const zipSize = (await stat(path)).size;
  let entries: ZipEntry[];
  try {
    entries = await readZipDirectory(path);
  } catch (error) {
    if (!(error instanceof ArchiveError)) throw error;
    return unreadableZip(zipSize, error, kind, name, fileOptions);
  }
  const texts = new Map<ZipEntry, string | ArchiveError>();
  if (kind === 'portables') {
    const handle = await open(path, 'r');
    try {
      for (const entry of entries.filter(mayBeManifest))
        texts.set(entry, await readSmallEntry(handle, entry));
    } finally {
      await handle.close();
    }
  }
  return inspectZipEntries(
    entries,
    zipSize,
    (entry) =>
      texts.get(entry) ?? new ArchiveError('corrupt', `the zip entry '${entry.rawName}' cannot be read here`),
    kind,
    name,
    fileOptions,
  );
}

/** A `.json` file at the root or one folder down: where the inspection looks for a portable manifest. */
function mayBeManifest(entry: ZipEntry): boolean {
  return !entry.isDirectory && entry.name.endsWith('.json') && entry.name.split('/').length <= 2;
}

/** Reads one entry's local header and data into a buffer of its own and decodes it with the shared reader. */
async function readSmallEntry(handle: FileHandle, entry: ZipEntry): Promise<string | ArchiveError> {
  if (entry.isEncrypted || entry.uncompressedSize > MANIFEST_LIMIT || entry.compressedSize > MANIFEST_LIMIT) {
    return readEntryText(new Uint8Array(0), entry);
  }
  const header = Buffer.alloc(LOCAL_SIZE);
  await handle.read(header, 0, LOCAL_SIZE, entry.localHeaderOffset);
  const length = LOCAL_SIZE + header.readUInt16LE(26) + header.readUInt16LE(28) + entry.compressedSize;
  const record = Buffer.alloc(length);
  const { bytesRead } = await handle.read(record, 0, length, entry.localHeaderOffset);
  return readEntryText(record.subarray(0, bytesRead), { ...entry, localHeaderOffset: 0 });
}
