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
  /**
   * Calls with the same id, instance and script share one engine and its global variables, as a rule's calls do;
   * a new instance starts a fresh engine.
   */
  instance?: string;
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
 * Requests sent to the worker ahead of their turn. The worker answers them in order; under load it then wakes
 * once for many calls instead of once per call, which on a busy machine costs more than the calls themselves.
 */
const MAX_IN_FLIGHT = 32;

/**
 * Runs scripts in QuickJS (WebAssembly) on a worker thread, never in the host's own engine: the host's event loop
 * keeps answering while a script runs, QuickJS's limits stop runaway scripts with its own message, and a script
 * that still does not stop is ended with its worker (a fresh one starts for the requests after it). Requests run
 * one at a time, in order.
 */
export class JsSandbox {
  /** The current worker, from its start on; `readyWorker` once QuickJS is loaded in it. */
  private worker: Worker | undefined;
  private readyWorker: Worker | undefined;
  private readonly queue: Pending[] = [];
  /** Sent to the current worker and not answered yet, in order: the first is the one running. */
  private readonly inFlight: Pending[] = [];
  private backstop: ReturnType<typeof setTimeout> | undefined;
  private seq = 0;
  private closed = false;

  constructor(private readonly limits: SandboxLimits = DEFAULT_SANDBOX_LIMITS) {}

  /** Evaluates the script and, when `args` is given, calls the global function `id` with them. */
  run(request: SandboxRequest): Promise<SandboxAnswer> {
    if (this.closed) return Promise.reject(new Error('the JavaScript sandbox is closed'));
    return new Promise((resolve) => {
      const seq = ++this.seq;
      this.queue.push({ seq, message: { ...request, seq, limits: this.limits }, resolve });
      this.pump();
    });
  }

  /** Ends the worker; pending requests answer as stopped. */
  async close(): Promise<void> {
    this.closed = true;
    this.clearBackstop();
    const worker = this.worker;
    this.worker = undefined;
    this.readyWorker = undefined;
    for (const pending of this.inFlight.splice(0).concat(this.queue.splice(0))) {
      pending.resolve(stopped('the host is shutting down'));
    }
    if (worker !== undefined) await worker.terminate();
  }

  /** Sends queued requests to a ready worker, starting one when there is none. */
  private pump(): void {
    if (this.closed || this.queue.length === 0) return;
    const worker = this.readyWorker;
    if (worker === undefined) {
      if (this.worker === undefined) this.startWorker();
      return;
    }
    while (this.inFlight.length < MAX_IN_FLIGHT && this.queue.length > 0) {
      const pending = this.queue.shift()!;
      this.inFlight.push(pending);
      worker.postMessage(pending.message);
      if (this.inFlight.length === 1) this.armBackstop();
    }
  }

  /** The worker began the first request in flight just now: it must answer within the deadline and grace. */
  private armBackstop(): void {
    this.clearBackstop();
    this.backstop = setTimeout(() => {
      this.backstop = undefined;
      const seconds = (this.limits.deadlineMs + this.limits.graceMs) / 1000;
      this.failWorker(stopped(hostMessage('jsSandboxEnded', { seconds })));
    }, this.limits.deadlineMs + this.limits.graceMs);
  }

  private clearBackstop(): void {
    if (this.backstop !== undefined) clearTimeout(this.backstop);
    this.backstop = undefined;
  }

  private answered(message: { seq?: number; answer?: SandboxAnswer }): void {
    const head = this.inFlight[0];
    if (head === undefined || message.seq !== head.seq || message.answer === undefined) return;
    if (message.answer.stage === 'crash') {
      this.failWorker(message.answer);
      return;
    }
    this.inFlight.shift();
    this.clearBackstop();
    if (this.inFlight.length > 0) this.armBackstop();
    head.resolve(message.answer);
    this.pump();
  }

  /**
   * The running request (or, before the worker was ready, the first waiting one) gets `answer`; the worker is
   * ended and the requests sent after it wait for the next worker, which starts at once.
   */
  private failWorker(answer: SandboxAnswer): void {
    const failed = this.inFlight.shift() ?? this.queue.shift();
    this.discardWorker();
    failed?.resolve(answer);
    this.pump();
  }

  private discardWorker(): void {
    this.clearBackstop();
    const worker = this.worker;
    this.worker = undefined;
    this.readyWorker = undefined;
    this.queue.unshift(...this.inFlight.splice(0));
    if (worker !== undefined) void worker.terminate();
  }

  private startWorker(): void {
    const worker = new Worker(SANDBOX_WORKER_SOURCE, {
      eval: true,
      workerData: { quickjsUrl: quickjsUrl() },
      // The worker needs QuickJS's heap and its own; nothing more.
      resourceLimits: { maxOldGenerationSizeMb: 128 },
    });
    worker.unref();
    this.worker = worker;
    worker.on('message', (message: { ready?: boolean; seq?: number; answer?: SandboxAnswer }) => {
      if (this.worker !== worker) return;
      if (message.ready === true) {
        this.readyWorker = worker;
        this.pump();
      } else {
        this.answered(message);
      }
    });
    // Kept for the worker's life: an error event with no listener would throw in the host.
    worker.on('error', (error) => {
      if (this.worker === worker) this.failWorker(crashed(error));
    });
    worker.once('exit', () => {
      if (this.worker !== worker) return;
      const when = this.readyWorker === worker ? '' : ' before it was ready';
      this.failWorker(crashed(new Error(`the sandbox worker exited${when}`)));
    });
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
