import { ArchiveError } from './archive-error.js';
import { hostMessage } from './host-messages.js';
import type { ZipEntry } from './zip-directory.js';

/**
 * Caps that keep a hostile or broken zip from filling the disk or memory. They come from the settings
 * `maxZipEntries` and `maxZipInflatedBytes`, which the messages name so a user knows what to raise.
 */
export interface ZipLimits {
  maxEntries: number;
  maxInflatedBytes: number;
}

const METHOD_NAMES: Readonly<Record<number, string>> = {
  1: 'Shrink',
  6: 'Implode',
  9: 'Deflate64',
  12: 'bzip2',
  14: 'LZMA',
  93: 'Zstandard',
  95: 'XZ',
  98: 'PPMd',
  99: 'AES encryption',
};

/**
 * Refuses, from the central directory alone and before a byte is written, every zip we will not extract:
 * paths that leave the plugin folder, links, encryption, methods we cannot inflate, names that collide,
 * and declared sizes or counts over the limits. eKuiper silently skips some of these; we say why instead.
 */
export function assertSafeEntries(entries: readonly ZipEntry[], limits: ZipLimits): void {
  for (const error of safetyErrors(entries, limits)) throw error;
}

/**
 * Every refusal `assertSafeEntries` could make, in the order it checks, so the first is the one the host
 * answers: what the window lists before an upload.
 */
export function safetyProblems(entries: readonly ZipEntry[], limits: ZipLimits): ArchiveError[] {
  return [...safetyErrors(entries, limits)];
}

function* safetyErrors(entries: readonly ZipEntry[], limits: ZipLimits): Generator<ArchiveError> {
  if (entries.length > limits.maxEntries) yield tooManyEntriesError(entries.length, limits.maxEntries);
  let declaredTotal = 0;
  for (const entry of entries) {
    const problem = entryProblem(entry);
    if (problem !== undefined) yield problem;
    declaredTotal += entry.uncompressedSize;
  }
  if (declaredTotal > limits.maxInflatedBytes) yield tooLargeError(declaredTotal, limits.maxInflatedBytes);
  yield* collisions(entries);
}

/**
 * The canonical form of an entry name, used to match names and to find duplicates: forward slashes, no `./`
 * segments, no doubled slashes. A leading `/` and `..` segments are kept (the safety checks refuse them),
 * and so is a trailing `/`, which marks a folder.
 */
export function normaliseEntryName(name: string): string {
  const slashed = name.replaceAll('\\', '/');
  const absolute = slashed.startsWith('/');
  const folder = slashed.endsWith('/');
  const segments = slashed.split('/').filter((segment) => segment !== '' && segment !== '.');
  if (segments.length === 0) return absolute ? '/' : '';
  return (absolute ? '/' : '') + segments.join('/') + (folder ? '/' : '');
}

/** Shared with the reader, which can refuse from the end record's count before parsing a single entry. */
export function tooManyEntriesError(count: number, max: number): ArchiveError {
  return new ArchiveError('too-many-entries', hostMessage('zipTooManyEntries', { count, max }));
}

/** Shared with the extractor, which enforces the same cap on the bytes it actually inflates. */
export function tooLargeError(bytes: number, max: number): ArchiveError {
  let size = toMegabytes(bytes);
  let limit = toMegabytes(max);
  if (size === limit) {
    size += ` (${bytes} bytes)`;
    limit += ` (${max} bytes)`;
  }
  return new ArchiveError('too-large', hostMessage('zipTooLarge', { size, limit }));
}

/** "2048 MB", "10.5 MB": what people compare with the setting. */
function toMegabytes(bytes: number): string {
  return `${Number((bytes / (1024 * 1024)).toFixed(1))} MB`;
}

function entryProblem(entry: ZipEntry): ArchiveError | undefined {
  const shown = entry.rawName;
  if (entry.name.includes('\0')) {
    return new ArchiveError('corrupt', hostMessage('zipEntryNul', { entry: shown.replaceAll('\0', '\\0') }));
  }
  if (isAbsolute(entry.name)) {
    return new ArchiveError('absolute-path', hostMessage('zipEntryAbsolute', { entry: shown }));
  }
  const normalised = normaliseEntryName(entry.name);
  if (normalised.split('/').includes('..')) {
    return new ArchiveError('climbs-out', hostMessage('zipEntryClimbsOut', { entry: shown }));
  }
  if (normalised === '' && !entry.isDirectory) {
    return new ArchiveError('climbs-out', hostMessage('zipEntryNoName', { entry: shown }));
  }
  if (entry.isSymlink) {
    return new ArchiveError('symlink', hostMessage('zipEntrySymlink', { entry: shown }));
  }
  if (entry.isEncrypted) {
    return new ArchiveError('encrypted', hostMessage('zipEntryEncrypted', { entry: shown }));
  }
  if (entry.compressionMethod !== 0 && entry.compressionMethod !== 8) {
    const method = METHOD_NAMES[entry.compressionMethod] ?? `number ${entry.compressionMethod}`;
    return new ArchiveError('unsupported-method', hostMessage('zipEntryMethod', { entry: shown, method }));
  }
  return undefined;
}

/** `/x`, `//server/share` (and `\\server\share` once slashes are turned), `C:/x` and `C:x`. */
function isAbsolute(name: string): boolean {
  return name.startsWith('/') || /^[a-zA-Z]:/.test(name);
}

/**
 * Two entries that would write the same path, or a file that another entry needs as a folder: extraction
 * would silently keep only one of them, so the zip is refused. Repeated folder entries are harmless.
 */
function* collisions(entries: readonly ZipEntry[]): Generator<ArchiveError> {
  const kinds = new Map<string, boolean>();
  for (const entry of entries) {
    const key = normaliseEntryName(entry.name).replace(/\/$/, '');
    if (key === '') continue;
    const seenAsDirectory = kinds.get(key);
    if (seenAsDirectory !== undefined && !(seenAsDirectory && entry.isDirectory)) {
      yield duplicateError(entry.rawName, key);
    }
    kinds.set(key, entry.isDirectory);
  }
  const reported = new Set<string>();
  for (const key of kinds.keys()) {
    for (let slash = key.indexOf('/'); slash > 0; slash = key.indexOf('/', slash + 1)) {
      const parent = key.slice(0, slash);
      if (kinds.get(parent) === false && !reported.has(parent)) {
        reported.add(parent);
        yield new ArchiveError('duplicate-entry', hostMessage('zipFileAndFolder', { path: parent }));
      }
    }
  }
}

function duplicateError(shown: string, key: string): ArchiveError {
  return new ArchiveError('duplicate-entry', hostMessage('zipDuplicateEntry', { entry: shown, path: key }));
}
