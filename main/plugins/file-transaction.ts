import { randomUUID } from 'node:crypto';
import { cp, mkdir, readFile, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { DataLayout } from './data-layout.js';

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

/** Rename, falling back to copy-and-delete when `etc/` or `data/` is a mount of another file system. */
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

/**
 * All-or-nothing changes to the data folder. Files are staged under `plugins/.staging/<id>/new/`, then
 * committed by renames; whatever they replace or remove is kept under `old/` until `finish()`. A journal
 * records the phase, so `recoverTransactions` can undo a commit cut short by a crash (kill -9) and a
 * half-staged install never shows. Rollback is idempotent, so a crash during recovery is recovered too.
 */
export class FileTransaction {
  private journal: Journal = { phase: 'staging', replace: [], remove: [] };

  private constructor(
    private readonly layout: DataLayout,
    readonly dir: string,
  ) {}

  /** Starts a transaction with a fresh staging folder. */
  static async begin(layout: DataLayout): Promise<FileTransaction> {
    const dir = join(layout.stagingDir, randomUUID());
    await mkdir(join(dir, 'new'), { recursive: true });
    const transaction = new FileTransaction(layout, dir);
    await transaction.writeJournal();
    return transaction;
  }

  /** Where a path relative to the data folder is staged. */
  stagedPath(relative: string): string {
    return join(this.dir, 'new', ...relative.split('/'));
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

  /** Drops the staging folder of a transaction that never committed. */
  async discard(): Promise<void> {
    await rm(this.dir, { recursive: true, force: true });
  }

  private oldPath(relative: string): string {
    return join(this.dir, 'old', ...relative.split('/'));
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
  let entries: string[];
  try {
    entries = await readdir(layout.stagingDir);
  } catch {
    return 0;
  }
  for (const entry of entries) {
    const { transaction, phase } = await FileTransaction.reopen(layout, join(layout.stagingDir, entry));
    if (phase === 'committing') await transaction.rollback();
    else await transaction.discard();
  }
  return entries.length;
}
