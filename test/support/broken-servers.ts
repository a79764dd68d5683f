/**
 * Servers that fail the ways real ones do, for connection checks, forwarding and fleet tests: nobody listening,
 * a server that accepts and never answers, and an HTTP server that is not eKuiper. Each is started by one
 * function answering `{ url, close() }`.
 */
import { createServer as createHttpServer } from 'node:http';
import { createServer as createNetServer, type Socket } from 'node:net';
import { closeServer, listenOnLoopback, type StandIn } from './stand-in-server.js';

/** A name that never resolves (`.invalid` is reserved for that, RFC 2606). */
export const UNRESOLVABLE_URL = 'http://nonexistent.invalid:9081';

/** An address where nothing listens: a port the system just handed out and took back. */
export async function downServerUrl(): Promise<string> {
  const probe = createNetServer();
  const port = await listenOnLoopback(probe);
  await closeServer(probe);
  return `http://127.0.0.1:${port}`;
}

/** Accepts connections and never says a word: requests to it time out waiting for headers. */
export async function startSilentServer(): Promise<StandIn> {
  const sockets = new Set<Socket>();
  const server = createNetServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
  });
  const port = await listenOnLoopback(server);
  return {
    url: `http://127.0.0.1:${port}`,
    async close() {
      for (const socket of sockets) socket.destroy();
      await closeServer(server);
    },
  };
}

/**
 * An HTTP server that is not eKuiper: a web page at `/` (`page`), some other JSON API's answer there (`json`), or
 * 404 for everything (`not-found`).
 */
export async function startForeignWebServer(
  answer: 'page' | 'json' | 'not-found' = 'page',
): Promise<StandIn> {
  const server = createHttpServer((request, response) => {
    request.resume();
    if (answer === 'json' && (request.url === '/' || request.url === '')) {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end('{"status":"ok","service":"metrics"}');
      return;
    }
    if (answer === 'page' && (request.url === '/' || request.url === '')) {
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      response.end(
        '<!doctype html><html><head><title>Router admin</title></head><body>Welcome</body></html>',
      );
      return;
    }
    response.writeHead(404, { 'content-type': 'text/plain' });
    response.end('Not Found');
  });
  const port = await listenOnLoopback(server);
  return { url: `http://127.0.0.1:${port}`, close: () => closeServer(server) };
}
