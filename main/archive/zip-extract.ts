import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { dirname, join, resolve } from 'node:path';
import { Worker } from 'node:worker_threads';
import {
  assertDestinationsInsideRoot,
  deserialiseError,
  type ExtractReply,
  type ExtractRequest,
  type ExtractionItem,
} from './extract-sync.js';
import { tooLargeError } from './zip-safety.js';

export type { ExtractionItem } from './extract-sync.js';

/** Where and how much to extract. */
export interface ExtractOptions {
  /** Every destination must be strictly inside this folder (normally a fresh staging folder). */
  root: string;
  /** Cap on the bytes actually inflated (setting `maxZipInflatedBytes`), enforced as the worker goes. */
  maxInflatedBytes: number;
  /** Stops the worker; the promise settles only once the worker is gone, so the caller may then clean up. */
  signal?: AbortSignal;
  /**
   * Entries whose compressed or declared size is above this are streamed in 1 MiB chunks rather than read
   * whole (default STREAM_ABOVE_BYTES, 8 MiB); lowered only by tests, to exercise the streaming path.
   */
  streamAboveBytes?: number;
}

/**
 * Extracts the given entries off the main thread, so the REST server and the window stay responsive while
 * a 50 MB plugin unpacks. One short-lived Worker per call (tens of milliseconds to start and stop, small
 * next to writing a plugin's files): nothing idle to keep alive, no state shared between installs, and an
 * abort simply terminates it. Destinations are checked against `root` before the worker starts; size, CRC
 * and header checks happen in the worker, before each write for small entries and as the data streams for
 * large ones, whose file is removed again when they fail (see extractInWorker), so the worker's memory
 * stays bounded whatever the size of an entry.
 * Errors from the zip come back as ArchiveError with their code; file system errors keep their errno code.
 * Files written before a failure, and after an abort whatever was written so far (a large entry's file may
 * be half written), are left for the caller, who owns (and removes) the staging folder.
 */
export async function extractEntries(
  zipPath: string,
  items: ExtractionItem[],
  options: ExtractOptions,
): Promise<{ bytesWritten: number }> {
  options.signal?.throwIfAborted();
  const root = assertDestinationsInsideRoot(items, options.root);
  const declared = items.reduce(
    (sum, item) =>
      sum + (item.entry.isDirectory || item.destinations.length === 0 ? 0 : item.entry.uncompressedSize),
    0,
  );
  if (declared > options.maxInflatedBytes) throw tooLargeError(declared, options.maxInflatedBytes);
  const request: ExtractRequest = {
    zipPath: resolve(zipPath),
    items,
    root,
    maxInflatedBytes: options.maxInflatedBytes,
    streamAboveBytes: options.streamAboveBytes,
  };
  return runWorker(request, options.signal);
}

function runWorker(
  request: ExtractRequest,
  signal: AbortSignal | undefined,
): Promise<{ bytesWritten: number }> {
  const worker = startWorker(request);
  return new Promise((resolvePromise, rejectPromise) => {
    let settled = false;
    const settle = (outcome: () => void): void => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', onAbort);
      // Settle only once the thread is gone, so no write can land after the caller starts cleaning up.
      void worker.terminate().finally(outcome);
    };
    const onAbort = (): void => settle(() => rejectPromise(abortReason(signal)));
    worker.once('message', (reply: ExtractReply) => {
      if (reply.ok) settle(() => resolvePromise({ bytesWritten: reply.bytesWritten }));
      else settle(() => rejectPromise(deserialiseError(reply.error)));
    });
    worker.once('error', (error) => settle(() => rejectPromise(error)));
    worker.once('exit', (code) =>
      settle(() =>
        rejectPromise(new Error(`the zip extraction worker stopped unexpectedly (exit code ${code})`)),
      ),
    );
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** The signal's reason when it is an Error (AbortSignal.abort() gives an AbortError), else a new AbortError. */
function abortReason(signal: AbortSignal | undefined): Error {
  const reason: unknown = signal?.reason;
  return reason instanceof Error ? reason : new DOMException('The zip extraction was aborted', 'AbortError');
}

// Kept in constants: bundlers rewrite `new URL('literal', import.meta.url)` into asset imports.
const BUILT_WORKER = 'extract-worker.js';
const SOURCE_WORKER = './extract-worker.ts';

/**
 * Starts the worker script next to this module. Built by electron-vite, that is the separate
 * `out/main/extract-worker.js` entry. From TypeScript source (vitest, tsx) it is `extract-worker.ts`, loaded
 * through tsx: Node 20 does not apply hooks registered with `execArgv: ['--import', 'tsx']` to a worker's
 * entry module ("Unknown file extension .ts"), so a two-line bootstrap registers tsx's require hook inside
 * the worker and requires the source. tsx is resolved from this file, not from the current directory.
 */
function startWorker(request: ExtractRequest): Worker {
  if (import.meta.url.endsWith('.ts')) return startSourceWorker(request);
  return new Worker(unpackedPath(builtWorkerPath(fileURLToPath(import.meta.url))), { workerData: request });
}

/**
 * The built worker sits beside the entry points (`out/main/extract-worker.js`), while this code may be bundled
 * into an entry or into a shared chunk one folder below them (`out/main/chunks/`), depending on how many entries
 * share it. Look beside this module first, then one folder up.
 */
export function builtWorkerPath(
  modulePath: string,
  exists: (candidate: string) => boolean = existsSync,
): string {
  const here = dirname(modulePath);
  const candidates = [join(here, BUILT_WORKER), join(dirname(here), BUILT_WORKER)];
  return candidates.find((candidate) => exists(unpackedPath(candidate, exists))) ?? candidates[0]!;
}

/**
 * In the packaged app this module is read from `app.asar`, but a worker thread loads its script from the real
 * file system, so electron-builder's `asarUnpack` puts the worker and its chunks beside it in
 * `app.asar.unpacked`. Use that copy when it exists; everywhere else the path is returned unchanged.
 */
export function unpackedPath(path: string, exists: (candidate: string) => boolean = existsSync): string {
  const unpacked = path.replace(/([\\/])app\.asar([\\/])/, '$1app.asar.unpacked$2');
  return unpacked !== path && exists(unpacked) ? unpacked : path;
}

function startSourceWorker(request: ExtractRequest): Worker {
  const require = createRequire(import.meta.url);
  const bootstrap =
    `require(${JSON.stringify(require.resolve('tsx/cjs/api'))}).register();\n` +
    `require(${JSON.stringify(fileURLToPath(new URL(SOURCE_WORKER, import.meta.url)))});\n`;
  return new Worker(bootstrap, { eval: true, workerData: request });
}
