import { spawn, type ChildProcess } from 'node:child_process';
import { hostMessage } from '../../shared/host-messages.js';
import type { LaunchPlan } from './launch-plan.js';
import type { PluginLog } from './plugin-log.js';

/** How a plugin process ended: an exit code or signal, or a failure to start at all. */
export interface ProcessEnd {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** Set when the program could not be started (ENOENT, EACCES…). */
  spawnError?: NodeJS.ErrnoException;
}

/** Says how a process ended, in a few words (a catalog message, so the window shows it in its language). */
export function describeEnd(end: ProcessEnd): string {
  if (end.spawnError !== undefined) return hostMessage('endNotStarted', { reason: end.spawnError.message });
  if (end.signal !== null) return hostMessage('processKilled', { signal: end.signal });
  if (end.code === 0) return hostMessage('endNormally');
  return hostMessage('endWithCode', { code: String(end.code) });
}

/** The log's note when process `pid` ended: "process 4242 exited with code 2". */
export function endNote(pid: number, end: ProcessEnd): string {
  if (end.spawnError !== undefined) {
    return hostMessage('noteProcessNotStarted', { pid, reason: end.spawnError.message });
  }
  if (end.signal !== null) return hostMessage('noteProcessKilled', { pid, signal: end.signal });
  if (end.code === 0) return hostMessage('noteProcessExitedNormally', { pid });
  return hostMessage('noteProcessExitedCode', { pid, code: String(end.code) });
}

/** One running plugin program, its output fed to the plugin's log. */
export class PluginProcess {
  readonly ended: Promise<ProcessEnd>;
  readonly startedAt = Date.now();
  private done: ProcessEnd | undefined;

  private constructor(private readonly child: ChildProcess) {
    this.ended = new Promise((resolve) => {
      let settled = false;
      const finish = (end: ProcessEnd): void => {
        if (settled) return;
        settled = true;
        this.done = end;
        resolve(end);
      };
      child.once('error', (error: NodeJS.ErrnoException) => {
        if (child.pid === undefined) finish({ code: null, signal: null, spawnError: error });
      });
      child.once('close', (code, signal) => finish({ code, signal }));
    });
  }

  /** Starts the plan; a program that cannot start shows as an `ended` with `spawnError`. */
  static spawn(plan: LaunchPlan, log: PluginLog): PluginProcess {
    const child = spawn(plan.command, plan.args, {
      cwd: plan.cwd,
      stdio: ['ignore', 'pipe', 'pipe'],
      windowsHide: true,
    });
    child.stdout?.on('data', (chunk: Buffer) => log.write('stdout', chunk));
    child.stderr?.on('data', (chunk: Buffer) => log.write('stderr', chunk));
    return new PluginProcess(child);
  }

  get pid(): number {
    return this.child.pid ?? 0;
  }

  get alive(): boolean {
    return this.done === undefined;
  }

  /** eKuiper's `process.Kill()`: SIGKILL, then waits for the exit so the caller sees a dead process. */
  async kill(): Promise<void> {
    if (this.done !== undefined) return;
    this.child.kill('SIGKILL');
    await this.ended;
  }
}
