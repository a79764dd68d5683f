import { zipSync, type Zippable } from 'fflate';

/** One file for the zip: its entry name, content and unix mode (0o644 or 0o755). */
export interface ZipFileInput {
  path: string;
  data: Uint8Array;
  mode: number;
}

/**
 * Every entry's time: 1980-01-01 00:00, the first moment a zip can hold. Built from local parts because fflate
 * writes the local time of the date it is given: this reads back as the same DOS time in every time zone.
 */
const FIXED_TIME = new Date(1980, 0, 1, 0, 0, 0);

/** PKZIP's "version made by" host for unix, so readers (eKuiper's Go `archive/zip` included) apply the modes. */
const UNIX_HOST = 3;

/** A regular file's type bits, above the permission bits, in a zip's external attributes. */
const REGULAR_FILE = 0o100000;

/**
 * Writes a zip that depends only on the files' names, contents and modes: entries in byte order of their
 * names, no folder entries, one fixed timestamp, unix modes in the external attributes and one Deflate
 * level (0 stores, for a check that only reads the directory). The same folder therefore gives the same bytes on any machine and at any time, and its SHA-256
 * identifies a build.
 */
export function deterministicZip(files: readonly ZipFileInput[], level: 0 | 6 = 6): Uint8Array {
  const sorted = [...files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const entries: Zippable = {};
  for (const file of sorted) {
    entries[file.path] = [
      file.data,
      { level, mtime: FIXED_TIME, os: UNIX_HOST, attrs: ((REGULAR_FILE | file.mode) << 16) >>> 0 },
    ];
  }
  return zipSync(entries);
}
