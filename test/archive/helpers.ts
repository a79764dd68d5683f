import { execFileSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach } from 'vitest';
import { ArchiveError, type ArchiveErrorCode } from '../../main/archive/archive-error.js';

/** The shared, read-only fixtures (`/work/shared/fixtures` next to the project). */
export const FIXTURES = fileURLToPath(new URL('../../../shared/fixtures/', import.meta.url));

/** Whether a command-line tool is on PATH; tests that compare with Info-ZIP skip without it. */
export function hasCommand(command: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Runs a tool and returns its stdout. */
export function run(command: string, args: readonly string[], cwd?: string): string {
  return execFileSync(command, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

/** A fresh temp folder per call, removed after the current test. */
export function useTempDirs(): () => Promise<string> {
  const made: string[] = [];
  afterEach(async () => {
    await Promise.all(made.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
  });
  return async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ekm-archive-'));
    made.push(dir);
    return dir;
  };
}

/** Awaits a promise (or runs a function) that must fail with an ArchiveError of `code`; returns the error. */
export async function expectArchiveError(
  action: Promise<unknown> | (() => unknown),
  code: ArchiveErrorCode,
): Promise<ArchiveError> {
  try {
    await (typeof action === 'function' ? action() : action);
  } catch (error) {
    if (!(error instanceof ArchiveError)) throw error;
    if (error.code !== code) {
      throw new Error(`expected ${code}, got ${error.code}: ${error.message}`, { cause: error });
    }
    return error;
  }
  throw new Error(`expected an ArchiveError '${code}', but nothing was thrown`);
}
