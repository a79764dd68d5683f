import { createServer, request as httpRequest, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { localServerInfo } from '../../main/servers/local-directory.js';
import { ServerClient } from '../../main/servers/server-client.js';
import type { ServerDirectory } from '../../main/servers/server-directory.js';
import {
  DEFAULT_SERVER_TIMEOUT_MS,
  LOCAL_SERVER_ID,
  type ServerCheck,
  type ServerInfo,
  type ServerKind,
} from '../../shared/server-dto.js';

/**
 * A server list for tests: `local` plus servers added by URL, each with a `ServerClient` without credentials, the
 * shape the host gets from its server registry.
 */
export class TestDirectory implements ServerDirectory {
  private readonly servers = new Map<string, { info: ServerInfo; client: ServerClient }>();
  /** The host's own URL, filled in once it listens. */
  localUrl = '';

  add(
    id: string,
    url: string,
    options: { name?: string; timeoutMs?: number; kind?: ServerKind; health?: ServerCheck } = {},
  ): ServerInfo {
    const timeoutMs = options.timeoutMs ?? DEFAULT_SERVER_TIMEOUT_MS;
    const kind = options.kind ?? 'ekuiper';
    const tls = { insecureSkipVerify: false, caCert: '' };
    const info: ServerInfo = {
      id,
      name: options.name ?? id,
      kind,
      url,
      auth: { type: 'none' },
      tls,
      timeoutMs,
      builtIn: false,
      ...(options.health === undefined ? {} : { health: options.health }),
    };
    const client = new ServerClient({
      id,
      kind,
      url,
      tls,
      timeoutMs,
      authorizer: () => ({ authorization: () => Promise.resolve(undefined) }),
    });
    void this.servers.get(id)?.client.close();
    this.servers.set(id, { info, client });
    return info;
  }

  list(): ServerInfo[] {
    return [localServerInfo(this.localUrl), ...[...this.servers.values()].map((server) => server.info)];
  }

  get(id: string): ServerInfo | undefined {
    return id === LOCAL_SERVER_ID ? localServerInfo(this.localUrl) : this.servers.get(id)?.info;
  }

  client(id: string): ServerClient | undefined {
    return this.servers.get(id)?.client;
  }

  async close(): Promise<void> {
    await Promise.all([...this.servers.values()].map((server) => server.client.close()));
  }
}

export interface StandIn {
  url: string;
  /** `METHOD path?query` of every request that arrived, in order. */
  requests: string[];
  /** Headers of every request that arrived, in order. */
  headers: IncomingHttpHeaders[];
  close(): Promise<void>;
}

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
}

/**
 * A counting proxy in front of a host, so a test knows exactly which requests reached it. With `plainEkuiper` it
 * answers `/manager/*` with eKuiper's own 404, so the host behind looks like a plain eKuiper server that has only
 * the plugin API.
 */
export async function frontProxy(target: string, options: { plainEkuiper?: boolean } = {}): Promise<StandIn> {
  const requests: string[] = [];
  const headers: IncomingHttpHeaders[] = [];
  const server = createServer((incoming, outgoing) => {
    requests.push(`${incoming.method} ${incoming.url}`);
    headers.push(incoming.headers);
    if (options.plainEkuiper === true && (incoming.url ?? '').startsWith('/manager/')) {
      outgoing.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('404 page not found\n');
      return;
    }
    const upstream = httpRequest(
      `${target}${incoming.url}`,
      { method: incoming.method, headers: { ...incoming.headers, host: new URL(target).host } },
      (answer) => {
        outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(outgoing);
      },
    );
    upstream.on('error', () => outgoing.destroy());
    incoming.pipe(upstream);
  });
  const url = await listen(server);
  return { url, requests, headers, close: () => closeServer(server) };
}

/** A server that accepts connections and requests and never answers. */
export async function hangingServer(): Promise<StandIn> {
  const requests: string[] = [];
  const headers: IncomingHttpHeaders[] = [];
  const server = createServer((incoming) => {
    requests.push(`${incoming.method} ${incoming.url}`);
    headers.push(incoming.headers);
  });
  const url = await listen(server);
  return { url, requests, headers, close: () => closeServer(server) };
}

/** The URL of a port on loopback where nothing listens (it was bound, then released). */
export async function downUrl(): Promise<string> {
  const server = createServer();
  const url = await listen(server);
  await closeServer(server);
  return url;
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
