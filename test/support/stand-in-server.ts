/**
 * The plumbing the test stand-ins share (eKuiper with JWT auth, NeuronEX, a TLS front, broken servers): listen on
 * 127.0.0.1 port 0, forward a request to one of our hosts, and stop without waiting on idle connections. Every
 * stand-in is started by one function answering `{ url, close() }`.
 */
import { request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Server as NetServer } from 'node:net';

/** What every stand-in answers: where it listens and how to stop it. */
export interface StandIn {
  url: string;
  close(): Promise<void>;
}

/** Listens on 127.0.0.1, a port the system picks; answers the port. */
export async function listenOnLoopback(server: Server | NetServer): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: '127.0.0.1', port: 0 }, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return (server.address() as AddressInfo).port;
}

/** Stops a server and drops its open connections (an idle keep-alive must not hold a test's teardown). */
export async function closeServer(server: Server | NetServer): Promise<void> {
  const closing = new Promise<void>((resolve) => server.close(() => resolve()));
  if ('closeAllConnections' in server) server.closeAllConnections();
  await closing;
}

/** A whole request body, for stand-ins that read JSON (logins). */
export async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** A plain-text answer as Go's `http.Error` writes it: the text and a newline, `nosniff`. */
export function sendGoError(response: ServerResponse, status: number, text: string): void {
  response.writeHead(status, {
    'content-type': 'text/plain; charset=utf-8',
    'x-content-type-options': 'nosniff',
  });
  response.end(`${text}\n`);
}

export function sendJsonAnswer(response: ServerResponse, status: number, value: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(JSON.stringify(value));
}

/**
 * Forwards a request to `upstream` (one of our hosts) at `path`, streaming both bodies, as a reverse proxy
 * would. The stand-in's own credentials (`Authorization`) stay with it; the upstream's answer goes back as is.
 */
export function forward(
  upstream: string,
  path: string,
  request: IncomingMessage,
  response: ServerResponse,
): void {
  const target = new URL(path, upstream);
  const headers = { ...request.headers, host: target.host };
  delete headers.authorization;
  const outgoing = httpRequest(target, { method: request.method, headers }, (answer) => {
    response.writeHead(answer.statusCode ?? 502, answer.headers);
    answer.pipe(response);
  });
  outgoing.on('error', (error) => {
    if (!response.headersSent)
      sendGoError(response, 502, `stand-in could not reach its host: ${error.message}`);
    else response.destroy();
  });
  request.pipe(outgoing);
}
