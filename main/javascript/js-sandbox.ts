import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { unpackedPath } from '../archive/zip-extract.js';
import { hostMessage } from '../../shared/host-messages.js';
import { SANDBOX_WORKER_SOURCE } from './sandbox-worker-source.js';

/** What one script may use: QuickJS refuses past these with `out of memory`, `stack overflow`, `interrupted`. */
export interface SandboxLimits {
  memoryBytes: number;
  stackBytes: number;
  /** QuickJS's interrupt handler stops the script after this long. */
  deadlineMs: number;
  /**
   * How much longer the host waits before ending the worker itself: QuickJS checks its interrupt only between
   * bytecodes, and a script that makes the garbage collector thrash near the memory limit can stay inside one
   * allocation for seconds.
   */
  graceMs: number;
}

export const DEFAULT_SANDBOX_LIMITS: SandboxLimits = {
  memoryBytes: 32 * 1024 * 1024,
  stackBytes: 256 * 1024,
  deadlineMs: 500,
  graceMs: 500,
};

/** A script error as QuickJS reports it, with the line and column when it has them. */
export interface ScriptError {
  name: string;
  message: string;
  line?: number;
  column?: number;
}

/** A value QuickJS returned, in the only forms that cross the worker boundary without loss. */
export type SandboxValue = { number: number } | { undefined: true } | { json: string | undefined };

export type SandboxAnswer =
  | { stage: 'script'; error: ScriptError }
  | { stage: 'lookup' }
  | { stage: 'call'; error: ScriptError }
  | { stage: 'crash'; error: ScriptError }
  | { stage: 'stopped'; error: ScriptError }
  | { stage: 'done'; result?: SandboxValue; ms?: number };

interface SandboxRequest {
  id: string;
  script: string;
  /** The arguments as JSON text of an array; absent when only checking the script. */
  args?: string;
  argCount?: number;
}

interface Pending {
  seq: number;
  message: SandboxRequest & { seq: number; limits: SandboxLimits };
  resolve: (answer: SandboxAnswer) => void;
}

/**
 * Runs scripts in QuickJS (WebAssembly) on a worker thread, never in the host's own engine: the host's event loop
 * keeps answering while a script runs, QuickJS's limits stop runaway scripts with its own message, and a script
 * that still does not stop is ended with its worker (a fresh one starts for the next request). Requests run one at
 * a time, in order.
 */
export class JsSandbox {
  private worker: Worker | undefined;
  private ready: Promise<void> | undefined;
  private readonly queue: Pending[] = [];
  private running: Pending | undefined;
  private seq = 0;
  private closed = false;

  constructor(private readonly limits: SandboxLimits = DEFAULT_SANDBOX_LIMITS) {}

  /** Evaluates the script and, when `args` is given, calls the global function `id` with them. */
  run(request: SandboxRequest): Promise<SandboxAnswer> {
    if (this.closed) return Promise.reject(new Error('the JavaScript sandbox is closed'));
    return new Promise((resolve) => {
      const seq = ++this.seq;
      this.queue.push({ seq, message: { ...request, seq, limits: this.limits }, resolve });
      void this.next();
    });
  }

  /** Ends the worker; pending requests answer as stopped. */
  async close(): Promise<void> {
    this.closed = true;
    const worker = this.worker;
    this.worker = undefined;
    for (const pending of this.queue.splice(0)) pending.resolve(stopped('the host is shutting down'));
    this.running?.resolve(stopped('the host is shutting down'));
    this.running = undefined;
    if (worker !== undefined) await worker.terminate();
  }

  private async next(): Promise<void> {
    if (this.running !== undefined || this.closed) return;
    const pending = this.queue.shift();
    if (pending === undefined) return;
    this.running = pending;
    let worker: Worker;
    try {
      worker = await this.startedWorker();
    } catch (error) {
      this.finish(pending, crashed(error));
      return;
    }
    const backstop = setTimeout(() => {
      if (this.running !== pending) return;
      const seconds = (this.limits.deadlineMs + this.limits.graceMs) / 1000;
      this.finish(pending, stopped(hostMessage('jsSandboxEnded', { seconds })));
      this.discardWorker();
    }, this.limits.deadlineMs + this.limits.graceMs);
    const onMessage = (message: { seq?: number; answer?: SandboxAnswer }) => {
      if (message.seq !== pending.seq || message.answer === undefined) return;
      clearTimeout(backstop);
      worker.off('message', onMessage);
      if (message.answer.stage === 'crash') this.discardWorker();
      this.finish(pending, message.answer);
    };
    worker.on('message', onMessage);
    worker.postMessage(pending.message);
  }

  private finish(pending: Pending, answer: SandboxAnswer): void {
    if (this.running === pending) this.running = undefined;
    pending.resolve(answer);
    void this.next();
  }

  private discardWorker(): void {
    const worker = this.worker;
    this.worker = undefined;
    this.ready = undefined;
    if (worker !== undefined) void worker.terminate();
  }

  private startedWorker(): Promise<Worker> {
    if (this.worker !== undefined && this.ready !== undefined) {
      const worker = this.worker;
      return this.ready.then(() => worker);
    }
    const worker = new Worker(SANDBOX_WORKER_SOURCE, {
      eval: true,
      workerData: { quickjsUrl: quickjsUrl() },
      // The worker needs QuickJS's heap and its own; nothing more.
      resourceLimits: { maxOldGenerationSizeMb: 128 },
    });
    worker.unref();
    this.worker = worker;
    this.ready = new Promise<void>((resolve, reject) => {
      const onReady = (message: { ready?: boolean }) => {
        if (message.ready !== true) return;
        worker.off('message', onReady);
        resolve();
      };
      worker.on('message', onReady);
      // Kept for the worker's life: an error event with no listener would throw in the host.
      worker.on('error', reject);
      worker.once('exit', () => {
        if (this.worker === worker) {
          this.worker = undefined;
          this.ready = undefined;
          if (this.running !== undefined) this.finish(this.running, crashed('the sandbox worker exited'));
        }
        reject(new Error('the sandbox worker exited before it was ready'));
      });
    });
    const ready = this.ready;
    return ready.then(() => worker);
  }
}

let resolvedQuickjs: string | undefined;

/**
 * Where QuickJS is, as a URL the worker can import: resolved from this module, wherever the host runs from. A
 * worker loads from the real file system, so in the packaged app this is the `app.asar.unpacked` copy
 * (electron-builder's `asarUnpack`).
 */
function quickjsUrl(): string {
  resolvedQuickjs ??= pathToFileURL(
    unpackedPath(createRequire(import.meta.url).resolve('quickjs-emscripten')),
  ).href;
  return resolvedQuickjs;
}

function stopped(message: string): SandboxAnswer {
  return { stage: 'stopped', error: { name: '', message } };
}

function crashed(error: unknown): SandboxAnswer {
  return {
    stage: 'crash',
    error: {
      name: '',
      message: `the sandbox failed: ${error instanceof Error ? error.message : String(error)}`,
    },
  };
}
