import { randomUUID } from 'node:crypto';
import { cp, mkdir, readFile, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { DataLayout } from './data-layout.js';
import { stopLeftoverInstallScript } from './install-script.js';

type Phase = 'staging' | 'committing' | 'committed';

interface Journal {
  phase: Phase;
  /** Paths (relative to the data folder) installed from `new/`; whatever stood there is moved to `old/`. */
  replace: string[];
  /** Paths moved to `old/` and not replaced. */
  remove: string[];
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

/**
 * Rename, falling back to copy-and-delete across file systems. Staging each top-level folder inside itself
 * (see `areaPath`) keeps every commit a same-file-system rename, even when `etc/` or `data/` is a separate
 * mount as in eKuiper's Docker images; the fallback only serves mounts deeper than that.
 */
async function move(from: string, to: string): Promise<void> {
  await mkdir(dirname(to), { recursive: true });
  try {
    await rename(from, to);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EXDEV') throw error;
    await cp(from, to, { recursive: true, preserveTimestamps: true });
    await rm(from, { recursive: true, force: true });
  }
}

/** The top-level folders a transaction stages in, each inside itself so commits never cross a mount. */
export const STAGING_AREAS = ['plugins', 'etc', 'data'] as const;

/**
 * All-or-nothing changes to the data folder. A path `etc/x` is staged as `etc/.staging/<id>/new/etc/x` (and
 * likewise under `plugins/` and `data/`), then committed by renames; whatever it replaces or removes is kept
 * under `…/.staging/<id>/old/` until `finish()`. A journal in `plugins/.staging/<id>/`
 * records the phase, so `recoverTransactions` can undo a commit cut short by a crash (kill -9) and a
 * half-staged install never shows. Rollback is idempotent, so a crash during recovery is recovered too.
 */
export class FileTransaction {
  private journal: Journal = { phase: 'staging', replace: [], remove: [] };
  private readonly areaFolders = new Map<string, string>();

  private constructor(
    private readonly layout: DataLayout,
    readonly dir: string,
  ) {}

  /** Starts a transaction with a fresh staging folder. */
  static async begin(layout: DataLayout): Promise<FileTransaction> {
    const dir = join(layout.stagingDir, randomUUID());
    await mkdir(dir, { recursive: true });
    const transaction = new FileTransaction(layout, dir);
    await transaction.writeJournal();
    return transaction;
  }

  /** The transaction's id, which names its staging folder in every area. */
  get id(): string {
    return basename(this.dir);
  }

  /** Where a path relative to the data folder is staged. */
  stagedPath(relative: string): string {
    return this.areaPath('new', relative);
  }

  /** A scratch folder inside the transaction (downloads, install.sh workspace); removed with it. */
  scratchPath(name: string): string {
    return join(this.dir, 'scratch', name);
  }

  /**
   * Moves the staged paths into place and the removed ones aside. On any failure the data folder is put
   * back as it was before the error is rethrown.
   */
  async commit(change: { replace: string[]; remove: string[] }): Promise<void> {
    const replace = [...new Set(change.replace)];
    const remove = [...new Set(change.remove)].filter((path) => !replace.includes(path));
    for (const path of replace) {
      if (!(await exists(this.stagedPath(path)))) throw new Error(`nothing staged for ${path}`);
    }
    this.journal = { phase: 'committing', replace, remove };
    await this.writeJournal();
    try {
      for (const path of [...remove, ...replace]) {
        const target = this.layout.path(path);
        if (await exists(target)) await move(target, this.oldPath(path));
        if (replace.includes(path)) await move(this.stagedPath(path), target);
      }
    } catch (error) {
      await this.rollback();
      throw error;
    }
  }

  /** Undoes a commit (or a partial one): what was installed goes back to `new/`, what was moved aside returns. */
  async rollback(): Promise<void> {
    const { replace, remove } = this.journal;
    for (const path of [...remove, ...replace].reverse()) {
      const target = this.layout.path(path);
      if (replace.includes(path) && !(await exists(this.stagedPath(path))) && (await exists(target))) {
        await move(target, this.stagedPath(path));
      }
      if (await exists(this.oldPath(path))) await move(this.oldPath(path), target);
    }
    await this.discard();
  }

  /** Makes the commit final and drops what it replaced. */
  async finish(): Promise<void> {
    this.journal.phase = 'committed';
    await this.writeJournal();
    await this.discard();
  }

  /** Drops the staging folders of a transaction that never committed (or whose commit is final). */
  async discard(): Promise<void> {
    for (const area of STAGING_AREAS) {
      if (area !== 'plugins')
        await rm(join(this.layout.path(area), '.staging', this.id), { recursive: true, force: true });
    }
    await rm(this.dir, { recursive: true, force: true });
  }

  private oldPath(relative: string): string {
    return this.areaPath('old', relative);
  }

  /**
   * `etc/sources/x.yaml` → `<data>/etc/.staging/<id>/<side>/etc/sources/x.yaml`: on the file system of its
   * target, and ending like it, so an `install.sh` sees its final relative layout.
   */
  private areaPath(side: 'new' | 'old', relative: string): string {
    const slash = relative.indexOf('/');
    const top = slash < 0 ? relative : relative.slice(0, slash);
    const area = (STAGING_AREAS as readonly string[]).includes(top) ? top : 'plugins';
    // Called for every file a plugin installs: the folder part is joined once per area and side.
    const key = `${area}/${side}`;
    let folder = this.areaFolders.get(key);
    if (folder === undefined) {
      folder = join(this.layout.path(area), '.staging', this.id, side);
      this.areaFolders.set(key, folder);
    }
    return join(folder, relative);
  }

  private async writeJournal(): Promise<void> {
    const file = join(this.dir, 'journal.json');
    await writeFile(`${file}.tmp`, JSON.stringify(this.journal));
    await rename(`${file}.tmp`, file);
  }

  /** Re-opens a transaction left behind by a crash, to roll it back or drop it. */
  static async reopen(
    layout: DataLayout,
    dir: string,
  ): Promise<{ transaction: FileTransaction; phase: Phase }> {
    const transaction = new FileTransaction(layout, dir);
    let phase: Phase = 'staging';
    try {
      transaction.journal = JSON.parse(await readFile(join(dir, 'journal.json'), 'utf8')) as Journal;
      phase = transaction.journal.phase;
    } catch {
      // No readable journal: it crashed before committing anything.
    }
    return { transaction, phase };
  }
}

/**
 * Run at every start before plugins are scanned: commits cut short are rolled back, stagings dropped.
 * Returns how many transactions were cleaned up, for the log.
 */
export async function recoverTransactions(layout: DataLayout): Promise<number> {
  const ids = new Set<string>();
  for (const area of STAGING_AREAS) {
    try {
      for (const id of await readdir(join(layout.path(area), '.staging'))) ids.add(id);
    } catch {
      // No staging folder in this area: nothing was left there.
    }
  }
  for (const id of ids) {
    stopLeftoverInstallScript(join(layout.stagingDir, id));
    const { transaction, phase } = await FileTransaction.reopen(layout, join(layout.stagingDir, id));
    if (phase === 'committing') await transaction.rollback();
    else await transaction.discard();
  }
  return ids.size;
}
