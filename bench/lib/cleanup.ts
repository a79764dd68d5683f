import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const children = new Set<ChildProcess>();
const roots = new Set<string>();

/** Remembers a child process so that `cleanUpNow` (on Ctrl-C or a crash) can stop it. */
export function trackChild(child: ChildProcess): ChildProcess {
  children.add(child);
  child.once('exit', () => children.delete(child));
  return child;
}

/** Stops every tracked child and removes every temp root, synchronously: safe in exit handlers. */
export function cleanUpNow(): void {
  for (const child of children) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
  children.clear();
  for (const root of roots) rmSync(root, { recursive: true, force: true });
  roots.clear();
}

/** A temp folder for one bench run; everything the bench writes lives under it. */
export class TempRoot {
  private counter = 0;

  private constructor(readonly path: string) {}

  /** Creates the root under the OS temp folder (same file system as the host's data folders). */
  static create(): TempRoot {
    const path = mkdtempSync(join(tmpdir(), 'ekuiper-bench-'));
    roots.add(path);
    return new TempRoot(path);
  }

  /** A new, empty, uniquely named folder under the root. */
  async folder(label: string): Promise<string> {
    const path = join(this.path, `${label}-${++this.counter}`);
    await mkdir(path, { recursive: true });
    return path;
  }

  /** Removes the root and everything in it. */
  async remove(): Promise<void> {
    await rm(this.path, { recursive: true, force: true });
    roots.delete(this.path);
  }
}

/** Cleans up on Ctrl-C, SIGTERM and uncaught errors, so an interrupted run leaves nothing behind. */
export function installCleanupHandlers(): void {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      cleanUpNow();
      process.exit(130);
    });
  }
  process.once('exit', cleanUpNow);
}
