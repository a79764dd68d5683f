import { spawn, type ChildProcess } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { trackChild } from './cleanup.js';
import { PROJECT_ROOT, stopChild } from './host-process.js';

/** What the baseline server answers. */
export interface BareServerOptions {
  bodyFile: string;
  status: number;
  headers: Record<string, string>;
}

/** A running baseline server child. */
export interface BareServer {
  url: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

/** Headers a server sets per connection or per response; the baseline lets Node write its own. */
const OWN_HEADERS = new Set(['connection', 'keep-alive', 'date', 'content-length', 'transfer-encoding']);

/** The response headers worth copying from the host to the baseline (content type and the like). */
export function copyableHeaders(headers: Headers): Record<string, string> {
  const copy: Record<string, string> = {};
  headers.forEach((value, key) => {
    if (!OWN_HEADERS.has(key.toLowerCase())) copy[key] = value;
  });
  return copy;
}

/**
 * Starts the baseline server in its own process, answering `body` with `headers` to every request at the
 * path the caller will load (any path works).
 */
export async function startBareServer(
  workDir: string,
  body: Buffer,
  status: number,
  headers: Record<string, string>,
): Promise<BareServer> {
  const bodyFile = join(workDir, 'bare-body');
  await writeFile(bodyFile, body);
  const options: BareServerOptions = { bodyFile, status, headers };
  return startBareChild('bare-server.ts', JSON.stringify(options));
}

/**
 * Starts the baseline proxy in its own process, forwarding every request to the same path on `targetUrl`
 * (see bare-proxy.ts).
 */
export function startBareProxy(targetUrl: string): Promise<BareServer> {
  return startBareChild('bare-proxy.ts', targetUrl);
}

/** Spawns one of the baseline children and waits for the port it prints. */
async function startBareChild(script: string, argument: string): Promise<BareServer> {
  const child = trackChild(
    spawn(process.execPath, ['--import', 'tsx', join(PROJECT_ROOT, 'bench/lib', script), argument], {
      cwd: PROJECT_ROOT,
      stdio: ['ignore', 'pipe', 'inherit'],
    }),
  );
  const port = await new Promise<number>((resolvePromise, reject) => {
    let out = '';
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk;
      const match = /listening (\d+)/.exec(out);
      if (match !== null) resolvePromise(Number(match[1]));
    });
    child.once('exit', (code) => reject(new Error(`the baseline server exited with ${code}`)));
  });
  return { url: `http://127.0.0.1:${port}`, child, stop: () => stopChild(child) };
}
