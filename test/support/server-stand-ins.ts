import { createServer, request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import type { ServerAuthInput, ServerInfo, ServerKind } from '../../shared/server-dto.js';
import type { TestHost } from './host-harness.js';
import { closeServer, forward, listenOnLoopback, sendGoError, type StandIn } from './stand-in-server.js';

/**
 * Adds a server (without credentials unless `auth` is given) to a host's server list (its real registry) and
 * waits for the check that adding starts, so no background request reaches the server later in the test.
 * Answers the stored server, its id made from `name`.
 */
export async function addServer(
  host: TestHost,
  name: string,
  url: string,
  options: { timeoutMs?: number; kind?: ServerKind; auth?: ServerAuthInput } = {},
): Promise<ServerInfo> {
  const info = await host.host.servers.add({
    name,
    kind: options.kind ?? 'ekuiper',
    url,
    auth: options.auth ?? { type: 'none' },
    ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
  });
  await host.host.servers.check(info.id);
  return info;
}

/** Whether `path` (query ignored) is one of `prefixes` or below it; a prefix ending in `/` matches below only. */
function underAny(path: string, prefixes: readonly string[]): boolean {
  const pathname = path.split('?')[0] ?? path;
  return prefixes.some((prefix) =>
    prefix.endsWith('/')
      ? pathname.startsWith(prefix)
      : pathname === prefix || pathname.startsWith(`${prefix}/`),
  );
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
 * that has only the plugin API; `lacks` does the same for other route prefixes, as an eKuiper built without a
 * component answers them (`/udf/javascript` without the `script` tag, `/services` in a core-only build).
 */
export async function frontProxy(
  target: string,
  options: { plainEkuiper?: boolean; lacks?: readonly string[] } = {},
): Promise<CountingProxy> {
  const missing = [...(options.plainEkuiper === true ? ['/manager/'] : []), ...(options.lacks ?? [])];
  const requests: string[] = [];
  const headers: IncomingHttpHeaders[] = [];
  const server = createServer((incoming, outgoing) => {
    const path = incoming.url ?? '/';
    requests.push(`${incoming.method} ${path}`);
    headers.push(incoming.headers);
    if (underAny(path, missing)) {
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
