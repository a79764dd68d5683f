import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isAlive } from './process-helpers.js';

/**
 * A lock shared by every vitest worker on the machine. Real plugins dial fixed socket names
 * (`/tmp/plugin_mirror.ipc`), so test files that run eKuiper's `mirror` take this lock and run one at a time,
 * while every other file still runs in parallel. A lock whose holder died is taken over.
 */
export async function acquireTestLock(name: string, limitMs = 10 * 60_000): Promise<() => Promise<void>> {
  const dir = join(tmpdir(), `ekm-test-lock-${name}`);
  const deadline = Date.now() + limitMs;
  for (;;) {
    try {
      await mkdir(dir);
      await writeFile(join(dir, 'pid'), String(process.pid));
      return () => rm(dir, { recursive: true, force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const holder = Number.parseInt(await readFile(join(dir, 'pid'), 'utf8').catch(() => ''), 10);
    if (Number.isSafeInteger(holder) && holder > 0 && !isAlive(holder)) {
      await rm(dir, { recursive: true, force: true });
      continue;
    }
    if (Date.now() > deadline) throw new Error(`gave up waiting for the test lock ${name}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** How long a file's beforeAll may wait for the lock (another file may hold it through its whole run). */
export const LOCK_WAIT_MS = 10 * 60_000;
