import { createServer, request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import type { ServerInfo, ServerKind } from '../../shared/server-dto.js';
import type { TestHost } from './host-harness.js';
import { closeServer, forward, listenOnLoopback, sendGoError, type StandIn } from './stand-in-server.js';

/**
 * Adds a server without credentials to a host's server list (its real registry) and waits for the check that
 * adding starts, so no background request reaches the server later in the test. Answers the stored server, its
 * id made from `name`.
 */
export async function addServer(
  host: TestHost,
  name: string,
  url: string,
  options: { timeoutMs?: number; kind?: ServerKind } = {},
): Promise<ServerInfo> {
  const info = await host.host.servers.add({
    name,
    kind: options.kind ?? 'ekuiper',
    url,
    auth: { type: 'none' },
    ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
  });
  await host.host.servers.check(info.id);
  return info;
}

export interface CountingProxy extends StandIn {
  /** `METHOD path?query` of every request that arrived, in order. */
  requests: string[];
  /** Headers of every request that arrived, in order. */
  headers: IncomingHttpHeaders[];
}

/**
 * A counting proxy in front of a server, so a test knows exactly which requests reached it. With `plainEkuiper` it
 * answers `/manager/*` with eKuiper's own 404, so one of our hosts behind it looks like a plain eKuiper server
 * that has only the plugin API. `withoutRoutes` (`['/udf/javascript', '/services']`) answers those routes with
 * the same 404, as an eKuiper built without the `script` or `service` tag does.
 */
export async function frontProxy(
  target: string,
  options: { plainEkuiper?: boolean; withoutRoutes?: readonly string[] } = {},
): Promise<CountingProxy> {
  const requests: string[] = [];
  const headers: IncomingHttpHeaders[] = [];
  const server = createServer((incoming, outgoing) => {
    const path = incoming.url ?? '/';
    requests.push(`${incoming.method} ${path}`);
    headers.push(incoming.headers);
    const missing = options.withoutRoutes?.some((route) => path === route || path.startsWith(`${route}/`));
    if ((options.plainEkuiper === true && path.startsWith('/manager/')) || missing === true) {
      incoming.resume();
      sendGoError(outgoing, 404, '404 page not found');
      return;
    }
    forward(target, path, incoming, outgoing);
  });
  const port = await listenOnLoopback(server);
  return { url: `http://127.0.0.1:${port}`, requests, headers, close: () => closeServer(server) };
}

/** A raw HTTP request whose path is sent exactly as written (fetch would normalise `..` and `%2e%2e`). */
export function rawRequest(
  url: string,
  method: string,
  path: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; text: string; headers: IncomingHttpHeaders }> {
  const target = new URL(url);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { hostname: target.hostname, port: target.port, method, path, headers, agent: false },
      (answer) => {
        let text = '';
        answer.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
        answer.on('end', () => resolve({ status: answer.statusCode ?? 0, text, headers: answer.headers }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}
