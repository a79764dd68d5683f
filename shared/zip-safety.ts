import { ArchiveError } from './archive-error.js';
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

const REBUILD_HINT =
  'rebuild the zip from inside the plugin folder, for example: cd myplugin && zip -r ../myplugin.zip .';

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
  return new ArchiveError(
    'too-many-entries',
    `the zip lists ${count} entries, more than the ${max} allowed by the setting maxZipEntries; ` +
      'a plugin zip rarely needs that many files — check that it does not include build folders or ' +
      'dependencies by mistake, or raise maxZipEntries if they really belong to the plugin',
  );
}

/** Shared with the extractor, which enforces the same cap on the bytes it actually inflates. */
export function tooLargeError(bytes: number, max: number): ArchiveError {
  let size = toMegabytes(bytes);
  let limit = toMegabytes(max);
  if (size === limit) {
    size += ` (${bytes} bytes)`;
    limit += ` (${max} bytes)`;
  }
  return new ArchiveError(
    'too-large',
    `the zip unpacks to ${size}, more than the ${limit} allowed by the setting maxZipInflatedBytes; ` +
      'leave large data files out of the plugin zip, or raise maxZipInflatedBytes if the plugin really ' +
      'needs them',
  );
}

/** "2048 MB", "10.5 MB": what people compare with the setting. */
function toMegabytes(bytes: number): string {
  return `${Number((bytes / (1024 * 1024)).toFixed(1))} MB`;
}

function entryProblem(entry: ZipEntry): ArchiveError | undefined {
  const shown = entry.rawName;
  if (entry.name.includes('\0')) {
    return new ArchiveError(
      'corrupt',
      `the zip entry '${shown.replaceAll('\0', '\\0')}' has a NUL character in its name, which no file system ` +
        `accepts; the zip is damaged — ${REBUILD_HINT}`,
    );
  }
  if (isAbsolute(entry.name)) {
    return new ArchiveError(
      'absolute-path',
      `the zip entry '${shown}' has an absolute path; eKuiper plugin zips hold only paths relative to their ` +
        `root — ${REBUILD_HINT}`,
    );
  }
  const normalised = normaliseEntryName(entry.name);
  if (normalised.split('/').includes('..')) {
    return new ArchiveError(
      'climbs-out',
      `the zip entry '${shown}' climbs out of the plugin folder; eKuiper plugin zips hold only paths relative ` +
        `to their root — ${REBUILD_HINT}`,
    );
  }
  if (normalised === '' && !entry.isDirectory) {
    return new ArchiveError(
      'climbs-out',
      `the zip entry '${shown}' is a file without a name inside the plugin folder; ${REBUILD_HINT}`,
    );
  }
  if (entry.isSymlink) {
    return new ArchiveError(
      'symlink',
      `the zip entry '${shown}' is a symbolic link; links could point outside the plugin folder, so they ` +
        'are not installed — replace the link with the file it points to (zip without -y) and rebuild the zip',
    );
  }
  if (entry.isEncrypted) {
    return new ArchiveError(
      'encrypted',
      `the zip entry '${shown}' is password-protected; plugins are installed unattended, so the zip must ` +
        'not be encrypted — rebuild it without a password (no -P or -e option)',
    );
  }
  if (entry.compressionMethod !== 0 && entry.compressionMethod !== 8) {
    const method = METHOD_NAMES[entry.compressionMethod] ?? `number ${entry.compressionMethod}`;
    return new ArchiveError(
      'unsupported-method',
      `the zip entry '${shown}' is compressed with the ${method} method; eKuiper and this manager read ` +
        'only stored and Deflate entries — rebuild the zip with the standard zip tool or your ' +
        'archiver\'s "Deflate" (ZIP) setting',
    );
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
        yield new ArchiveError(
          'duplicate-entry',
          `the zip holds '${parent}' as a file and also files inside a folder '${parent}/'; a path cannot be ` +
            'both — rename one of them and rebuild the zip',
        );
      }
    }
  }
}

function duplicateError(shown: string, key: string): ArchiveError {
  return new ArchiveError(
    'duplicate-entry',
    `the zip holds '${shown}' more than once (as '${key}'); only one copy could be installed and it is not ` +
      'clear which — rebuild the zip so that each path appears once',
  );
}
