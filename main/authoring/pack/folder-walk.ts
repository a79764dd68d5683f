import { lstat, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { LeftOutFile, LeftOutReason } from '../../../shared/pack-dto.js';

/** A file found in a plugin folder that goes into the zip. */
export interface FolderFile {
  /** Relative to the plugin folder, forward slashes. */
  path: string;
  absolute: string;
  size: number;
  /** Whether any exec bit is set on disk (never on Windows). */
  executable: boolean;
}

export interface FolderWalk {
  /** Sorted by path (byte order), as the zip lists them. */
  files: FolderFile[];
  leftOut: LeftOutFile[];
  /** The walk stopped after this many files: more than a zip may hold (a folder far above the plugin's). */
  stoppedAt?: number;
}

/** Thrown inside the walk to stop it once it has found more files than a zip may hold. */
class TooManyFiles extends Error {}

/** Folders that are never part of a plugin: caches, version control, virtualenvs, dependencies, editors. */
export const LEFT_OUT_FOLDERS: Record<string, LeftOutReason> = {
  __pycache__: 'python-cache',
  '.git': 'git',
  '.hg': 'git',
  '.svn': 'git',
  venv: 'virtualenv',
  '.venv': 'virtualenv',
  node_modules: 'node-modules',
  '.idea': 'editor',
  '.vscode': 'editor',
};

/** Files that are never part of a plugin: compiled Python, editor swap and backup files, OS litter. */
export function leftOutFileReason(name: string): LeftOutReason | undefined {
  if (/\.py[co]$/.test(name)) return 'python-cache';
  if (/\.sw[a-p]$/.test(name) || name.endsWith('~')) return 'editor';
  if (name === '.DS_Store' || name === 'Thumbs.db' || name === 'desktop.ini' || name.startsWith('._')) {
    return 'os-file';
  }
  return undefined;
}

const byPath = (a: { path: string }, b: { path: string }): number =>
  a.path < b.path ? -1 : a.path > b.path ? 1 : 0;

/**
 * Every file of a plugin folder that belongs in its zip, and what was left out and why. Links to files are
 * followed (the zip gets the file, as `zip` without `-y` does: the host refuses links in zips); links to
 * folders are left out, since they may point anywhere, even back up the tree.
 */
export async function walkPluginFolder(folder: string, maxFiles = Infinity): Promise<FolderWalk> {
  const files: FolderFile[] = [];
  const leftOut: LeftOutFile[] = [];
  async function visit(absolute: string, relative: string): Promise<void> {
    let entries;
    try {
      entries = await readdir(absolute, { withFileTypes: true });
    } catch (error) {
      // A folder this user may not read (inside the plugin folder: left out, and said so; the root: refused).
      if (relative === '') throw error;
      leftOut.push({ path: `${relative}/`, reason: 'unreadable' });
      return;
    }
    if (relative !== '' && entries.some((entry) => entry.name === 'pyvenv.cfg' && entry.isFile())) {
      leftOut.push({ path: `${relative}/`, reason: 'virtualenv' });
      return;
    }
    for (const entry of entries) {
      const path = relative === '' ? entry.name : `${relative}/${entry.name}`;
      const full = join(absolute, entry.name);
      const folderReason = LEFT_OUT_FOLDERS[entry.name];
      let info = await lstat(full);
      if (info.isSymbolicLink()) {
        const target = await stat(full).catch(() => undefined);
        if (target === undefined || target.isDirectory()) {
          leftOut.push({ path: target === undefined ? path : `${path}/`, reason: 'folder-link' });
          continue;
        }
        info = target;
      }
      if (info.isDirectory()) {
        if (folderReason !== undefined) leftOut.push({ path: `${path}/`, reason: folderReason });
        else await visit(full, path);
        continue;
      }
      if (!info.isFile()) {
        leftOut.push({ path, reason: 'special-file' });
        continue;
      }
      const reason = leftOutFileReason(entry.name);
      if (reason !== undefined) {
        leftOut.push({ path, reason });
        continue;
      }
      files.push({ path, absolute: full, size: info.size, executable: (info.mode & 0o111) !== 0 });
      if (files.length > maxFiles) throw new TooManyFiles();
    }
  }
  let stoppedAt: number | undefined;
  try {
    await visit(folder, '');
  } catch (error) {
    if (!(error instanceof TooManyFiles)) throw error;
    stoppedAt = files.length;
  }
  files.sort(byPath);
  leftOut.sort(byPath);
  return stoppedAt === undefined ? { files, leftOut } : { files, leftOut, stoppedAt };
}

/**
 * Takes earlier builds of the plugin out of the walk: `<name>.zip`, `<name>-<version>.zip` and
 * `<name>@….zip` anywhere in the folder (a zip inside the zip would grow with every build).
 */
export function leaveOutBuiltZips(walk: FolderWalk, name: string): FolderWalk {
  const isBuild = (path: string): boolean => {
    const base = path.slice(path.lastIndexOf('/') + 1);
    if (!base.toLowerCase().endsWith('.zip')) return false;
    const stem = base.slice(0, -'.zip'.length);
    return stem === name || stem.startsWith(`${name}-`) || stem.startsWith(`${name}@`);
  };
  const builds = walk.files.filter((file) => isBuild(file.path));
  if (builds.length === 0) return walk;
  return {
    files: walk.files.filter((file) => !isBuild(file.path)),
    leftOut: [
      ...walk.leftOut,
      ...builds.map((file) => ({ path: file.path, reason: 'built-zip' as const })),
    ].sort(byPath),
  };
}
