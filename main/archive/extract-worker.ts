/**
 * Entry point of the extraction worker thread (built by electron-vite as `out/main/extract-worker.js`).
 * It does one extraction from `workerData`, posts a single ExtractReply and ends; all the work is in
 * extract-sync.ts so that it can be read and tested on its own.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { extractInWorker, serialiseError, type ExtractReply, type ExtractRequest } from './extract-sync.js';

void extractInWorker(workerData as ExtractRequest).then(
  (result) => post({ ok: true, ...result }),
  (error: unknown) => post({ ok: false, error: serialiseError(error) }),
);

function post(reply: ExtractReply): void {
  parentPort?.postMessage(reply);
}
