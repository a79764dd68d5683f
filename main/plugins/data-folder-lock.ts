import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import type { DataLayout } from './data-layout.js';

const heldHere = new Set<string>();

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** A live process that is not a Node or Electron program cannot be a host: its pid was reused. */
function looksLikeHost(pid: number): boolean {
  try {
    const command = readFileSync(`/proc/${pid}/cmdline`, 'utf8').toLowerCase();
    return /node|electron|ekuiper/.test(command);
  } catch {
    return true; // No /proc (macOS, Windows): trust the pid.
  }
}

/** Thrown when another host already manages the data folder. */
export class DataFolderBusyError extends Error {}

/**
 * Claims the data folder for this host. Two hosts on one folder would undo each other's installs at start
 * (recovery) and drift apart in memory, so the second one refuses to start and says which process holds it.
 * A lock left by a crashed host (dead pid, or a pid since reused by another program) is taken over.
 * Returns the release function.
 */
export function lockDataFolder(layout: DataLayout): () => void {
  const file = layout.path('plugins/.host.lock');
  if (heldHere.has(file)) throw busy(layout, process.pid);
  try {
    const holder = JSON.parse(readFileSync(file, 'utf8')) as { pid?: unknown };
    const pid = typeof holder.pid === 'number' ? holder.pid : NaN;
    if (Number.isInteger(pid) && pid !== process.pid && isAlive(pid) && looksLikeHost(pid))
      throw busy(layout, pid);
  } catch (error) {
    if (error instanceof DataFolderBusyError) throw error;
    // No lock, or an unreadable one: nobody holds the folder.
  }
  writeFileSync(
    `${file}.${process.pid}`,
    JSON.stringify({ pid: process.pid, startedAt: new Date().toISOString() }),
  );
  renameSync(`${file}.${process.pid}`, file);
  heldHere.add(file);
  return () => {
    heldHere.delete(file);
    try {
      const holder = JSON.parse(readFileSync(file, 'utf8')) as { pid?: unknown };
      if (holder.pid === process.pid) rmSync(file, { force: true });
    } catch {
      // Already gone.
    }
  };
}

function busy(layout: DataLayout, pid: number): DataFolderBusyError {
  return new DataFolderBusyError(
    `the data folder ${layout.root} is in use by another eKuiper Extension Manager host (process ${pid}). ` +
      `Stop that one, or start this one with another --data-dir`,
  );
}
