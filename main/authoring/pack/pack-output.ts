import { randomBytes } from 'node:crypto';
import { mkdir, realpath, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { hostMessage } from '../../../shared/host-messages.js';
import type { PackResult } from '../../../shared/pack-dto.js';
import { PluginError } from '../../plugins/plugin-error.js';
import type { PackedFolder } from './pack-folder.js';

/** The zip's file name: `<name>-<version>.zip`, or `<name>.zip` when the manifest has no version. */
export function packFileName(name: string, version: string | undefined): string {
  const safeVersion = (version ?? '').replace(/[^A-Za-z0-9._-]/g, '_');
  return safeVersion === '' ? `${name}.zip` : `${name}-${safeVersion}.zip`;
}

/** The real path of `path`, or of its nearest existing parent with the rest appended (links resolved). */
async function realPathOf(path: string): Promise<string> {
  try {
    return await realpath(path);
  } catch {
    const parent = dirname(path);
    if (parent === path) return path;
    return join(await realPathOf(parent), basename(path));
  }
}

const isInside = (child: string, parent: string): boolean => {
  const rest = relative(parent, child);
  return rest === '' || (!rest.startsWith('..') && !isAbsolute(rest));
};

/**
 * Refuses an output path that is not a `.zip`, or that lies inside the plugin folder: a build written there
 * would change the folder it was made from (links resolved, so a way round through a link is caught too).
 */
export async function checkOutputPath(output: string, folder: string): Promise<string> {
  const path = resolve(output);
  if (!path.toLowerCase().endsWith('.zip') || basename(path) === '.zip') {
    throw new PluginError(hostMessage('packOutputNotZip', { output }));
  }
  if (isInside(await realPathOf(path), await realPathOf(folder))) {
    throw new PluginError(hostMessage('packOutputInside', { output: path, folder }));
  }
  return path;
}

/**
 * Writes a packaged folder's zip to `output` (a checked path, see `checkOutputPath`) whole or not at all: into
 * a temporary file beside it, then renamed over it, so a reader never sees half a zip.
 */
export async function writePackedZip(packed: PackedFolder, output: string): Promise<PackResult> {
  if (packed.zip === undefined || packed.sha256 === undefined) {
    throw new Error('writePackedZip needs a folder packaged without problems');
  }
  await mkdir(dirname(output), { recursive: true });
  const temporary = `${output}.${randomBytes(6).toString('hex')}.partial`;
  try {
    await writeFile(temporary, packed.zip);
    await rename(temporary, output);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
  const { zip, sha256, ...check } = packed;
  return { ...check, path: output, size: zip.length, sha256 };
}

/** The refusal for a folder with problems: every problem with its fix, in one eKuiper-shaped message. */
export function packRefusal(packed: PackedFolder): PluginError {
  const problems = packed.problems.map((problem) => `${problem.message} (${problem.fix})`).join('; ');
  return new PluginError(hostMessage('packRefused', { folder: packed.folder, problems }));
}
