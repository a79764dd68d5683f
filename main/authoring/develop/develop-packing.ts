import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { ZipLimits } from '../../../shared/zip-safety.js';
import { LEFT_OUT_FOLDERS, leftOutFileReason } from '../pack/folder-walk.js';
import { packFolder } from '../pack/pack-folder.js';
import type { FolderBuild, FolderBuilder } from './folder-build.js';
import type { IgnoredPath } from './folder-watcher.js';

/**
 * Packs a folder for develop mode with the Package part's `packFolder` — the same walk, checks and
 * deterministic zip — so what develop mode installs is byte for byte what Package would write, and its SHA-256
 * says whether a save changed anything. `limits` are the host's zip limits.
 */
export function developPacker(limits: () => ZipLimits): FolderBuilder {
  return async (folder) => {
    const packed = await packFolder(folder, { limits: limits() });
    const build: FolderBuild = {
      problems: packed.problems.map((problem) =>
        // A problem may be only its fix (a plugin folder one level down): the fix then says it all.
        problem.message === '' ? { message: problem.fix } : { message: problem.message, fix: problem.fix },
      ),
    };
    if (packed.name !== undefined) build.plugin = packed.name;
    if (packed.version !== undefined) build.version = packed.version;
    if (packed.zip !== undefined) build.zip = packed.zip;
    if (packed.sha256 !== undefined) build.sha256 = packed.sha256;
    return build;
  };
}

/**
 * What the watcher ignores: what packaging leaves out (caches, version control, virtualenvs, dependencies,
 * editor and OS files), so saving there never starts a build. `folder` is the watched folder, for the
 * virtualenv rule (any folder holding `pyvenv.cfg`).
 */
export function leftOutByPackaging(folder: string): IgnoredPath {
  return (path, isDirectory) => {
    const name = path.slice(path.lastIndexOf('/') + 1);
    if (isDirectory) {
      return (
        Object.hasOwn(LEFT_OUT_FOLDERS, name) || existsSync(join(folder, ...path.split('/'), 'pyvenv.cfg'))
      );
    }
    // A file inside a left-out folder is reached only when chokidar did not stat the folder first.
    if (path.split('/').some((part) => Object.hasOwn(LEFT_OUT_FOLDERS, part))) return true;
    return leftOutFileReason(name) !== undefined;
  };
}
