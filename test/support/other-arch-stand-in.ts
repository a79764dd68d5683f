import { createServer } from 'node:http';
import { closeServer, forward, listenOnLoopback, sendJsonAnswer, type StandIn } from './stand-in-server.js';

/**
 * An eKuiper server on another machine type: one of our hosts behind a front that answers `GET /` with the
 * `os` and `arch` given (say linux/arm64), and forwards everything else. Packaging compares a Go executable with
 * what the server says it runs; installs through it still reach a real host.
 */
export async function otherArchServer(upstream: string, os: string, arch: string): Promise<StandIn> {
  const server = createServer((request, response) => {
    const path = request.url ?? '/';
    if (request.method === 'GET' && (path === '/' || path.startsWith('/?'))) {
      sendJsonAnswer(response, 200, { version: '2.4.0', os, arch, upTimeSeconds: 60 });
      return;
    }
    forward(upstream, path, request, response);
  });
  const port = await listenOnLoopback(server);
  return { url: `http://127.0.0.1:${port}`, close: () => closeServer(server) };
}
