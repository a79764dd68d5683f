import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One zip a plugin repository serves; `hold` keeps the second half of the body back until `release()`. */
export interface RepoZip {
  path: string;
  bytes: Uint8Array;
  hold?: boolean;
}

/** A prebuilt-plugin repository on loopback, laid out as eKuiper's plugin hosts are. */
export interface PluginRepo {
  url: string;
  /** Paths requested so far, in order. */
  requests: string[];
  /** Sends the rest of every held download. */
  release(): void;
  close(): Promise<void>;
}

/**
 * Serves zips over real HTTP on 127.0.0.1 at `{url}{path}` (eKuiper's layout is
 * `/kuiper-plugins/{version}/{os}/{kind}/{name}_{arch}.zip`); anything else is a 404. A held zip sends its
 * headers and first half at once and the rest on `release()`, so a test can watch a download in progress
 * without depending on timing.
 */
export async function servePluginRepo(zips: readonly RepoZip[]): Promise<PluginRepo> {
  const byPath = new Map(zips.map((zip) => [zip.path, zip]));
  const requests: string[] = [];
  const held: Array<() => void> = [];
  let released = false;
  const server = createServer((request, response: ServerResponse) => {
    const path = new URL(request.url ?? '/', 'http://repo').pathname;
    requests.push(path);
    const zip = byPath.get(path);
    if (zip === undefined || request.method !== 'GET') {
      response.writeHead(404, { 'Content-Type': 'text/plain' }).end('404 page not found\n');
      return;
    }
    const body = Buffer.from(zip.bytes);
    response.writeHead(200, { 'Content-Type': 'application/zip', 'Content-Length': body.length });
    if (!zip.hold || released) {
      response.end(body);
      return;
    }
    const half = Math.floor(body.length / 2);
    response.write(body.subarray(0, half));
    held.push(() => response.end(body.subarray(half)));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const release = (): void => {
    released = true;
    for (const send of held.splice(0)) send();
  };
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    release,
    async close() {
      release();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
