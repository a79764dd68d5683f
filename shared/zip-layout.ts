import { hostMessage } from './host-messages.js';
import { FILE_NAME_MAX_BYTES } from './plugin-names.js';
import type { ZipEntry } from './zip-directory.js';
import { normaliseEntryName } from './zip-safety.js';

/** What the layout rules need to know about a zip entry; the host and the renderer both produce it. */
export interface ZipEntryInfo {
  /** Root-relative, forward slashes, no leading `./`. */
  name: string;
  isDirectory: boolean;
  /** Inflated size in bytes. */
  size: number;
}

/** The entries of a zip's directory as the layout rules see them: canonical names, inflated sizes. */
export function entryInfos(entries: readonly ZipEntry[]): ZipEntryInfo[] {
  return entries.map((entry) => ({
    name: normaliseEntryName(entry.name),
    isDirectory: entry.isDirectory,
    size: entry.uncompressedSize,
  }));
}

/** Files only, since zips made by different tools disagree on whether they list directories. */
export function fileEntries(entries: readonly ZipEntryInfo[]): ZipEntryInfo[] {
  return entries.filter((entry) => !entry.isDirectory);
}

/**
 * The single top-level folder that holds every file, if the zip was made by zipping a folder rather than
 * its contents — the most common packaging mistake, and one we can explain and repack.
 */
export function commonTopFolder(entries: readonly ZipEntryInfo[]): string | undefined {
  const files = fileEntries(entries);
  if (files.length === 0) return undefined;
  let folder: string | undefined;
  for (const file of files) {
    const slash = file.name.indexOf('/');
    if (slash <= 0) return undefined;
    const first = file.name.slice(0, slash);
    if (folder === undefined) folder = first;
    else if (folder !== first) return undefined;
  }
  return folder;
}

/** The teaching text for a zip whose files sit under one folder; `expected` names what eKuiper looks for. */
export function topFolderProblem(folder: string, expected: string): string {
  return hostMessage('zipTopFolder', { folder, expected });
}

const utf8 = new TextEncoder();

/**
 * The first file or folder name among `paths` (relative, forward slashes) too long for a file system, as the
 * problem to answer: a long plugin name plus a version (`Name@v1.0.0.so`) or a long entry in the zip would
 * otherwise fail halfway through extraction with ENAMETOOLONG. UTF-8 bytes are never fewer than NTFS's UTF-16
 * units, so the check holds on Windows too.
 */
export function longFileNameProblem(paths: readonly string[]): string | undefined {
  for (const path of paths) {
    for (const segment of path.split('/')) {
      const bytes = utf8.encode(segment).length;
      if (bytes > FILE_NAME_MAX_BYTES) {
        const shown = segment.length > 60 ? `${segment.slice(0, 30)}…${segment.slice(-20)}` : segment;
        return hostMessage('fileNameTooLong', { file: shown, bytes });
      }
    }
  }
  return undefined;
}

/** Lists up to a few names, so a message stays readable for zips of thousands of files. */
export function listNames(names: readonly string[], max = 5): string {
  if (names.length === 0) return 'nothing';
  const shown = names.slice(0, max).join(', ');
  return names.length > max ? `${shown} and ${names.length - max} more` : shown;
}
