import { spawn } from 'node:child_process';
import { readFileSync, readlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { hostMessage } from '../../shared/host-messages.js';
import { PluginError } from './plugin-error.js';

const OUTPUT_LIMIT = 64 * 1024;

/** Keeps the end of a long output: that is where scripts print why they failed. */
class OutputTail {
  private chunks: Buffer[] = [];
  private size = 0;
  private dropped = false;

  push(chunk: Buffer): void {
    this.chunks.push(chunk);
    this.size += chunk.length;
    while (this.size > OUTPUT_LIMIT && this.chunks.length > 1) {
      this.size -= this.chunks.shift()!.length;
      this.dropped = true;
    }
  }

  text(): string {
    const text = Buffer.concat(this.chunks).toString('utf8').trimEnd();
    return this.dropped ? `…${text.slice(-OUTPUT_LIMIT)}` : text;
  }
}

/** 500 → `500 ms`, 300000 → `300 s`: Math.round alone would call a 400 ms limit `0 s`. */
function formatLimit(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${Math.round(ms / 100) / 10} s`;
}

export interface InstallScriptResult {
  output: string;
  durationMs: number;
}

/**
 * Runs a plugin's `install.sh` as eKuiper does (`/bin/sh install.sh <shellParas…>` in the plugin's folder),
 * but with a timeout that stops the whole process group, and with its output kept: on failure the error
 * carries it, so the user sees why without digging through logs.
 */
export async function runInstallScript(
  cwd: string,
  shellParas: readonly string[],
  timeoutMs: number,
  options: { pidFolder?: string; onOutput?: (chunk: string) => void; signal?: AbortSignal } = {},
): Promise<InstallScriptResult> {
  const { onOutput } = options;
  const started = Date.now();
  const output = new OutputTail();
  const child = spawn('/bin/sh', ['install.sh', ...shellParas], {
    cwd,
    detached: process.platform !== 'win32',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // Recorded so that a host killed mid-install can stop the script's process group at its next start.
  if (options.pidFolder !== undefined && child.pid !== undefined) {
    writeFileSync(join(options.pidFolder, SCRIPT_PID_FILE), String(child.pid));
  }
  const collect = (chunk: Buffer): void => {
    output.push(chunk);
    onOutput?.(chunk.toString('utf8'));
  };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  let timedOut = false;
  const stopGroup = (): void => {
    try {
      if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
    } catch {
      child.kill('SIGKILL');
    }
  };
  const timer = setTimeout(() => {
    timedOut = true;
    stopGroup();
  }, timeoutMs);
  // An abandoned install (its client went away) needs the script no more.
  options.signal?.addEventListener('abort', stopGroup, { once: true });
  const result = await new Promise<{ code: number | null; signal: NodeJS.Signals | null; error?: Error }>(
    (resolve) => {
      child.on('error', (error) => resolve({ code: null, signal: null, error }));
      child.on('close', (code, signal) => resolve({ code, signal }));
    },
  );
  clearTimeout(timer);
  options.signal?.removeEventListener('abort', stopGroup);
  options.signal?.throwIfAborted();
  const durationMs = Date.now() - started;
  const text = output.text();
  const shown =
    text === '' ? hostMessage('installScriptSilent') : hostMessage('installScriptOutput', { text });
  if (timedOut) {
    throw new PluginError(
      hostMessage('installScriptTimedOut', { limit: formatLimit(timeoutMs), output: shown }),
    );
  }
  if (result.error !== undefined) {
    throw new PluginError(hostMessage('installScriptNotStarted', { reason: result.error.message }));
  }
  if (result.code !== 0) {
    const how =
      result.signal !== null
        ? hostMessage('processKilled', { signal: result.signal })
        : hostMessage('installScriptExited', { code: String(result.code) });
    throw new PluginError(hostMessage('installScriptFailed', { how, output: shown }));
  }
  return { output: text, durationMs };
}

const SCRIPT_PID_FILE = 'install-script.pid';

/**
 * Stops an `install.sh` left running by a host that was killed mid-install (it runs in its own process
 * group, so it outlives the host). Only a process still working inside the abandoned staging folder is
 * stopped, so a pid since reused by another program is never touched. Linux only (it reads /proc).
 */
export function stopLeftoverInstallScript(transactionDir: string): void {
  let pid: number;
  try {
    pid = Number(readFileSync(join(transactionDir, SCRIPT_PID_FILE), 'utf8'));
  } catch {
    return;
  }
  if (!Number.isInteger(pid) || pid <= 0) return;
  try {
    if (!readlinkSync(`/proc/${pid}/cwd`).startsWith(transactionDir)) return;
    process.kill(-pid, 'SIGKILL');
  } catch {
    // Gone already, or not ours to stop.
  }
}
