import { zipSync, type Zippable } from 'fflate';
import type { ScaffoldFile } from '../../../shared/scaffold-dto.js';

/** Every entry's time: fixed, so the same request gives the same bytes (fflate writes it as local DOS time). */
const FIXED_MTIME = new Date(2020, 0, 1, 0, 0, 0);
const UNIX = 3;
const REGULAR_FILE = 0o100644;
const EXECUTABLE_FILE = 0o100755;

/**
 * A scaffold as a zip a browser downloads: the files at the root (as eKuiper wants a plugin zip), sorted,
 * fixed timestamps, unix modes with the exec bit on scripts, so it unpacks ready to run and is deterministic.
 */
export function scaffoldZip(files: readonly ScaffoldFile[]): Uint8Array {
  const entries: Zippable = {};
  for (const file of [...files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))) {
    const data = typeof file.data === 'string' ? new TextEncoder().encode(file.data) : file.data;
    const mode = file.executable === true ? EXECUTABLE_FILE : REGULAR_FILE;
    entries[file.path] = [data, { mtime: FIXED_MTIME, os: UNIX, attrs: mode * 0x10000, level: 6 }];
  }
  return zipSync(entries);
}
