import { randomBytes } from 'node:crypto';
import { chmod, mkdir, readdir, rename, rm, rmdir, stat, writeFile } from 'node:fs/promises';
import { dirname, isAbsolute, join } from 'node:path';
import { hostMessage } from '../../../shared/host-messages.js';
import type { ScaffoldFile } from '../../../shared/scaffold-dto.js';
import { PluginError, errorText } from '../../plugins/plugin-error.js';

/** What is at the target: nothing, an empty folder (used), or something the scaffold must not touch. */
async function targetState(folder: string): Promise<'absent' | 'empty'> {
  let info;
  try {
    info = await stat(folder);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 'absent';
    throw new PluginError(hostMessage('scaffoldWriteFailed', { folder, reason: errorText(error) }));
  }
  if (!info.isDirectory()) throw new PluginError(hostMessage('scaffoldFolderIsFile', { folder }));
  if ((await readdir(folder)).length > 0)
    throw new PluginError(hostMessage('scaffoldFolderNotEmpty', { folder }));
  return 'empty';
}

/**
 * Writes a scaffold as the new folder `folder` (absolute), creating missing parents. It never writes over
 * anything: an existing folder must be empty. The files are written into a hidden sibling first and renamed
 * into place, so a failure leaves neither a half-written plugin nor the parents it created.
 */
export async function writeScaffold(folder: string, files: readonly ScaffoldFile[]): Promise<string[]> {
  if (!isAbsolute(folder)) throw new PluginError(hostMessage('scaffoldFolderRelative', { folder }));
  await targetState(folder);
  const parent = dirname(folder);
  let createdParent: string | undefined;
  const staging = join(parent, `.scaffold-${randomBytes(4).toString('hex')}`);
  try {
    createdParent = await mkdir(parent, { recursive: true });
    await mkdir(staging);
    for (const file of files) {
      const path = join(staging, ...file.path.split('/'));
      await mkdir(dirname(path), { recursive: true });
      await writeFile(path, file.data);
      if (file.executable === true) await chmod(path, 0o755);
    }
    // Checked again just before the rename: something may have appeared while the files were written.
    if ((await targetState(folder)) === 'empty') await rmdir(folder);
    await rename(staging, folder);
  } catch (error) {
    await rm(staging, { recursive: true, force: true }).catch(() => {});
    if (createdParent !== undefined)
      await rm(createdParent, { recursive: true, force: true }).catch(() => {});
    if (error instanceof PluginError) throw error;
    throw new PluginError(hostMessage('scaffoldWriteFailed', { folder, reason: errorText(error) }));
  }
  return files.map((file) => file.path);
}
