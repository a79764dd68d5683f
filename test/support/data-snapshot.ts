import { createHash } from 'node:crypto';
import { lstat, readFile, readdir, readlink } from 'node:fs/promises';
import { join, relative } from 'node:path';

/**
 * Every file, folder and link under a folder with its content hash and mode, so a test can assert that a
 * failed request left the data folder exactly as it was. Staging leftovers show up too, on purpose.
 */
export async function snapshotTree(root: string): Promise<Record<string, string>> {
  const result: Record<string, string> = {};
  async function walk(dir: string): Promise<void> {
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const path = join(dir, entry.name);
      const key = relative(root, path);
      const info = await lstat(path);
      if (entry.isDirectory()) {
        result[`${key}/`] = 'dir';
        await walk(path);
      } else if (entry.isSymbolicLink()) {
        result[key] = `link:${await readlink(path)}`;
      } else {
        const hash = createHash('sha256')
          .update(await readFile(path))
          .digest('hex')
          .slice(0, 16);
        result[key] = `${(info.mode & 0o777).toString(8)}:${hash}`;
      }
    }
  }
  await walk(root);
  return result;
}
