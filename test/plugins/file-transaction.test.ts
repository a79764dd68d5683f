import type * as FsPromises from 'node:fs/promises';
import { chmod, mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { DataLayout } from '../../main/plugins/data-layout.js';
import { FileTransaction, recoverTransactions } from '../../main/plugins/file-transaction.js';
import { snapshotTree } from '../support/data-snapshot.js';

/**
 * Every rename the transaction code makes goes through `fsControl.rename`, so a test can make the Nth one
 * fail (an I/O error the code must roll back) or never return (the process died there: kill -9 or a power
 * cut leaves the disk exactly as it is at that moment, and nothing after it runs).
 */
type Decision = 'pass' | 'hang-before' | 'hang-after' | Error;
const fsControl = vi.hoisted(() => ({
  decide: (_from: string, _to: string): Decision => 'pass',
  renames: 0,
  /** Resolved when a call hangs, so the test knows the "crash" has happened. */
  crashed: undefined as (() => void) | undefined,
}));

vi.mock('node:fs/promises', async (importOriginal) => {
  const actual = await importOriginal<typeof FsPromises>();
  const rename = async (from: string, to: string): Promise<void> => {
    fsControl.renames++;
    const decision = fsControl.decide(from, to);
    if (decision instanceof Error) throw decision;
    if (decision === 'hang-before') {
      fsControl.crashed?.();
      return new Promise<void>(() => {});
    }
    await actual.rename(from, to);
    if (decision === 'hang-after') {
      fsControl.crashed?.();
      return new Promise<void>(() => {});
    }
  };
  return { ...actual, rename, default: { ...actual, rename } };
});

const made: string[] = [];
afterEach(async () => {
  fsControl.decide = () => 'pass';
  fsControl.crashed = undefined;
  await Promise.all(made.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});
beforeEach(() => {
  fsControl.renames = 0;
});

async function write(layout: DataLayout, relative: string, content: string, mode = 0o644): Promise<void> {
  const path = layout.path(relative);
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, content);
  await chmod(path, mode);
}

/**
 * A data folder with things to replace (a file, a folder, a path that does not exist yet), things to remove
 * (a file, a nested folder, a path that does not exist), and bystanders that must never move.
 */
async function makeLayout(): Promise<DataLayout> {
  const root = await mkdtemp(join(tmpdir(), 'ekm-tx-'));
  made.push(root);
  const layout = new DataLayout(join(root, 'data'));
  await layout.ensure();
  await write(layout, 'plugins/sources/Demo@v1.so', 'old library', 0o755);
  await write(layout, 'etc/sources/demo/a.txt', 'old a');
  await write(layout, 'etc/sources/demo/sub/b.txt', 'old b');
  await write(layout, 'data/sources/demo.json', 'old ui metadata');
  await write(layout, 'data/sources/demo/deep/c.txt', 'old c');
  await write(layout, 'plugins/sources/other.so', 'bystander');
  await write(layout, 'etc/sources/other.yaml', 'bystander config');
  return layout;
}

const REPLACE = ['plugins/sources/Demo@v1.so', 'etc/sources/demo', 'etc/sources/demo.yaml'];
const REMOVE = ['data/sources/demo.json', 'data/sources/demo', 'data/sources/missing.json'];

async function stage(transaction: FileTransaction): Promise<void> {
  const put = async (relative: string, content: string): Promise<void> => {
    const path = transaction.stagedPath(relative);
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, content);
  };
  await put('plugins/sources/Demo@v1.so', 'new library');
  await put('etc/sources/demo/a.txt', 'new a');
  await put('etc/sources/demo/other/z.txt', 'new z');
  await put('etc/sources/demo.yaml', 'new config');
  await mkdir(transaction.scratchPath('workspace'), { recursive: true });
  await writeFile(join(transaction.scratchPath('workspace'), 'install.sh'), 'exit 0');
}

async function stagingEntries(layout: DataLayout): Promise<string[]> {
  return readdir(layout.stagingDir);
}

async function journalPhase(transaction: FileTransaction): Promise<string> {
  const journal = JSON.parse(await readFile(join(transaction.dir, 'journal.json'), 'utf8')) as {
    phase: string;
  };
  return journal.phase;
}

/** The data folder without the staging area, which holds the transaction's own files while it runs. */
async function dataState(layout: DataLayout): Promise<Record<string, string>> {
  const tree = await snapshotTree(layout.root);
  return Object.fromEntries(
    Object.entries(tree).filter(([key]) => !/^(plugins|etc|data)\/\.staging\/./.test(key)),
  );
}

/** What a complete commit produces, computed once from a clean run. */
async function expectedAfterState(): Promise<Record<string, string>> {
  const layout = await makeLayout();
  const transaction = await FileTransaction.begin(layout);
  await stage(transaction);
  await transaction.commit({ replace: REPLACE, remove: REMOVE });
  await transaction.finish();
  return snapshotTree(layout.root);
}

/**
 * Runs `action` until the rename numbered `step` (1-based, counted from now) "crashes" the process: that call
 * never returns, so nothing after it runs, as after kill -9. Returns false when the action completed before
 * reaching the step. Afterwards the disk works again, as for the next start.
 */
async function runUntilCrash(
  step: number,
  mode: 'hang-before' | 'hang-after',
  action: () => Promise<unknown>,
): Promise<boolean> {
  const start = fsControl.renames;
  const crashed = new Promise<'crashed'>((resolve) => (fsControl.crashed = () => resolve('crashed')));
  fsControl.decide = () => (fsControl.renames - start === step ? mode : 'pass');
  try {
    return (await Promise.race([crashed, action().then(() => 'completed' as const)])) === 'crashed';
  } finally {
    fsControl.decide = () => 'pass';
    fsControl.crashed = undefined;
  }
}

/** How many renames an action makes when nothing goes wrong. */
async function countRenames(action: () => Promise<unknown>): Promise<number> {
  const start = fsControl.renames;
  await action();
  return fsControl.renames - start;
}

/** Renames a commit makes after its journal write: the 2 replaced paths that exist move aside, the 3 staged
 * paths move in, the 2 removed paths that exist move aside. */
const COMMIT_MOVES = 2 + 3 + 2;

describe('FileTransaction', () => {
  test('begin creates a staging folder with a journal in phase staging, and paths inside it', async () => {
    const layout = await makeLayout();
    const transaction = await FileTransaction.begin(layout);
    expect(dirname(transaction.dir)).toBe(layout.stagingDir);
    expect(await journalPhase(transaction)).toBe('staging');
    // Each area stages inside itself, so a commit is a rename even when etc/ or data/ is another mount.
    expect(transaction.stagedPath('etc/sources/x.yaml')).toBe(
      join(layout.root, 'etc/.staging', transaction.id, 'new/etc/sources/x.yaml'),
    );
    expect(transaction.stagedPath('plugins/sinks/X.so')).toBe(
      join(transaction.dir, 'new/plugins/sinks/X.so'),
    );
    expect(transaction.scratchPath('download.zip')).toBe(join(transaction.dir, 'scratch/download.zip'));
    const other = await FileTransaction.begin(layout);
    expect(other.dir).not.toBe(transaction.dir);
    expect((await stagingEntries(layout)).sort()).toEqual(
      [transaction.dir, other.dir].map((dir) => dir.slice(layout.stagingDir.length + 1)).sort(),
    );
  });

  test('commit puts staged paths in place and keeps what they replace until finish', async () => {
    const layout = await makeLayout();
    const transaction = await FileTransaction.begin(layout);
    await stage(transaction);
    await transaction.commit({ replace: REPLACE, remove: REMOVE });
    expect(await journalPhase(transaction)).toBe('committing');
    expect(await readFile(layout.path('plugins/sources/Demo@v1.so'), 'utf8')).toBe('new library');
    expect(await readFile(layout.path('etc/sources/demo.yaml'), 'utf8')).toBe('new config');
    // A replaced folder is replaced whole: files only the old one had are gone from it.
    expect((await readdir(layout.path('etc/sources/demo'))).sort()).toEqual(['a.txt', 'other']);
    expect(await readFile(layout.path('etc/sources/demo/a.txt'), 'utf8')).toBe('new a');
    await expect(readFile(layout.path('data/sources/demo.json'))).rejects.toThrow(/ENOENT/);
    await expect(readdir(layout.path('data/sources/demo'))).rejects.toThrow(/ENOENT/);
    // What was replaced or removed waits under old/ (in its own area) until finish().
    const old = (area: string, rest: string): string =>
      join(layout.root, area, '.staging', transaction.id, 'old', area, rest);
    expect(await readFile(old('etc', 'sources/demo/sub/b.txt'), 'utf8')).toBe('old b');
    expect(await readFile(old('data', 'sources/demo.json'), 'utf8')).toBe('old ui metadata');

    await transaction.finish();
    expect(await stagingEntries(layout)).toEqual([]);
    const after = await snapshotTree(layout.root);
    expect(after['plugins/sources/other.so']).toBeDefined();
    expect(after['etc/sources/other.yaml']).toBeDefined();
    expect(after).toEqual(await expectedAfterState());
  });

  test('rollback after a commit restores the data folder exactly, modes included', async () => {
    const layout = await makeLayout();
    const before = await snapshotTree(layout.root);
    expect(before['plugins/sources/Demo@v1.so']).toMatch(/^755:/);
    const transaction = await FileTransaction.begin(layout);
    await stage(transaction);
    await transaction.commit({ replace: REPLACE, remove: REMOVE });
    expect(await snapshotTree(layout.root)).not.toEqual(before);
    await transaction.rollback();
    expect(await snapshotTree(layout.root)).toEqual(before);
    expect(await stagingEntries(layout)).toEqual([]);
  });

  test('discard drops the staging folder and touches nothing else', async () => {
    const layout = await makeLayout();
    const before = await snapshotTree(layout.root);
    const transaction = await FileTransaction.begin(layout);
    await stage(transaction);
    await transaction.discard();
    expect(await snapshotTree(layout.root)).toEqual(before);
    await transaction.discard();
    expect(await snapshotTree(layout.root)).toEqual(before);
  });

  test('commit refuses a path that was never staged before moving anything', async () => {
    const layout = await makeLayout();
    const before = await dataState(layout);
    const transaction = await FileTransaction.begin(layout);
    await stage(transaction);
    await expect(
      transaction.commit({ replace: [...REPLACE, 'etc/sources/unstaged.yaml'], remove: REMOVE }),
    ).rejects.toThrow('nothing staged for etc/sources/unstaged.yaml');
    expect(await dataState(layout)).toEqual(before);
    expect(await journalPhase(transaction)).toBe('staging');
  });

  test('a path both replaced and removed is replaced, not lost', async () => {
    const layout = await makeLayout();
    const transaction = await FileTransaction.begin(layout);
    await stage(transaction);
    await transaction.commit({ replace: REPLACE, remove: [...REMOVE, 'etc/sources/demo.yaml'] });
    await transaction.finish();
    expect(await readFile(layout.path('etc/sources/demo.yaml'), 'utf8')).toBe('new config');
  });

  test('an I/O error at any step of a commit is rolled back before it is reported', async () => {
    const layout = await makeLayout();
    const total = await countRenames(async () => {
      const transaction = await FileTransaction.begin(layout);
      await stage(transaction);
      await transaction.commit({ replace: REPLACE, remove: REMOVE });
      await transaction.rollback();
    });
    const before = await snapshotTree(layout.root);
    let failures = 0;
    for (let step = 1; step <= total; step++) {
      const transaction = await FileTransaction.begin(layout);
      await stage(transaction);
      const start = fsControl.renames;
      fsControl.decide = () =>
        fsControl.renames - start === step
          ? Object.assign(new Error('EIO: simulated'), { code: 'EIO' })
          : 'pass';
      const outcome = await transaction.commit({ replace: REPLACE, remove: REMOVE }).then(
        () => 'committed',
        (error: Error) => error.message,
      );
      fsControl.decide = () => 'pass';
      if (outcome === 'committed') await transaction.rollback();
      else failures++;
      // As the manager does after any failed install.
      await transaction.discard();
      expect(await snapshotTree(layout.root), `error at rename ${step}: ${outcome}`).toEqual(before);
    }
    // The error hit the journal write and every move of the commit.
    expect(failures).toBe(1 + COMMIT_MOVES);
  });
});

describe('recoverTransactions', () => {
  test('returns 0 and does nothing when there is nothing to recover', async () => {
    const layout = await makeLayout();
    const before = await snapshotTree(layout.root);
    expect(await recoverTransactions(layout)).toBe(0);
    expect(await snapshotTree(layout.root)).toEqual(before);
    await rm(layout.stagingDir, { recursive: true });
    expect(await recoverTransactions(layout)).toBe(0);
  });

  test('drops stagings that never committed: with a journal, without one, with a torn one', async () => {
    const layout = await makeLayout();
    const before = await dataState(layout);
    const staged = await FileTransaction.begin(layout);
    await stage(staged);
    const noJournal = join(layout.stagingDir, 'no-journal');
    await mkdir(join(noJournal, 'new/plugins/sources'), { recursive: true });
    await writeFile(join(noJournal, 'new/plugins/sources/Demo@v1.so'), 'half');
    const torn = join(layout.stagingDir, 'torn-journal');
    await mkdir(torn, { recursive: true });
    await writeFile(join(torn, 'journal.json'), '{"phase":"commi');
    expect(await recoverTransactions(layout)).toBe(3);
    expect(await stagingEntries(layout)).toEqual([]);
    expect(await snapshotTree(layout.root)).toEqual({ ...before, 'plugins/.staging/': 'dir' });
  });

  test('a crash at any rename of a commit is undone at the next start', async () => {
    const layout = await makeLayout();
    const before = await snapshotTree(layout.root);
    let crashes = 0;
    for (const mode of ['hang-before', 'hang-after'] as const) {
      for (let step = 1; ; step++) {
        const transaction = await FileTransaction.begin(layout);
        await stage(transaction);
        const crashed = await runUntilCrash(step, mode, () =>
          transaction.commit({ replace: REPLACE, remove: REMOVE }),
        );
        if (!crashed) {
          // The commit ran to its end before this step: every step has had its crash.
          await transaction.rollback();
          break;
        }
        crashes++;
        expect(await recoverTransactions(layout)).toBe(1);
        expect(await snapshotTree(layout.root), `crash ${mode} rename ${step}`).toEqual(before);
      }
    }
    // The journal write and every move, before and after each.
    expect(crashes).toBe(2 * (1 + COMMIT_MOVES));
  });

  test('a crash while finishing keeps the new state, never half of it', async () => {
    const after = await expectedAfterState();
    let crashes = 0;
    for (const mode of ['hang-before', 'hang-after'] as const) {
      for (let step = 1; ; step++) {
        const layout = await makeLayout();
        const before = await snapshotTree(layout.root);
        const transaction = await FileTransaction.begin(layout);
        await stage(transaction);
        await transaction.commit({ replace: REPLACE, remove: REMOVE });
        if (!(await runUntilCrash(step, mode, () => transaction.finish()))) break;
        crashes++;
        await recoverTransactions(layout);
        const state = await snapshotTree(layout.root);
        // The journal rename to 'committed' is the commit point: before it the change is undone, after it stands.
        expect(state, `crash ${mode} rename ${step} of finish`).toEqual(
          mode === 'hang-after' ? after : before,
        );
      }
    }
    expect(crashes).toBe(2);
  });

  test('recovery is idempotent: a crash at any step of recovery is recovered by the next start', async () => {
    const layout = await makeLayout();
    const before = await snapshotTree(layout.root);
    let crashesDuringRecovery = 0;
    for (let commitStep = 1; commitStep <= 1 + COMMIT_MOVES; commitStep++) {
      for (let recoveryStep = 1; ; recoveryStep++) {
        const transaction = await FileTransaction.begin(layout);
        await stage(transaction);
        expect(
          await runUntilCrash(commitStep, 'hang-after', () =>
            transaction.commit({ replace: REPLACE, remove: REMOVE }),
          ),
        ).toBe(true);
        const crashed = await runUntilCrash(recoveryStep, 'hang-after', () => recoverTransactions(layout));
        if (crashed) {
          crashesDuringRecovery++;
          expect(await recoverTransactions(layout)).toBe(1);
        }
        const label = `crash at commit rename ${commitStep}, recovery rename ${recoveryStep}`;
        expect(await snapshotTree(layout.root), label).toEqual(before);
        expect(await recoverTransactions(layout), label).toBe(0);
        if (!crashed) break;
      }
    }
    // Every move a recovery makes was interrupted at least once.
    expect(crashesDuringRecovery).toBeGreaterThanOrEqual(COMMIT_MOVES);
  });
});
