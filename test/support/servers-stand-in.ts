import {
  createServer,
  request as httpRequest,
  type IncomingMessage,
  type OutgoingHttpHeaders,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import type { PluginOverview } from '../../shared/plugin-dto.js';
import { PLUGIN_KINDS } from '../../shared/plugin-kinds.js';
import {
  DEFAULT_SERVER_TIMEOUT_MS,
  LOCAL_SERVER_ID,
  ekuiperApiBase,
  validateServerInput,
  type ServerAuthInput,
  type ServerAuthPublic,
  type ServerCheck,
  type ServerInfo,
  type ServerInput,
} from '../../shared/server-dto.js';

/*
 * A STAND-IN for the host's `/manager/servers…` routes (branches `servers` and `fleet`), so the window's server
 * switcher, Servers page and per-server API layer can be tested before those routes are merged. It sits in front
 * of a real host: `/manager/servers…` are answered here as `shared/server-dto.ts` documents them, everything else
 * (the page itself, the local API) is passed to that host unchanged. Delete this file once the real routes land
 * and point the tests at the real host.
 *
 * Only what the window's tests need: auth `none` and `bearer`; health checked when a server is added, changed or
 * checked, and in the background every few seconds; requests to a server forwarded with its credentials.
 */

interface StoredServer {
  info: ServerInfo;
  /** The bearer token (write-only: never answered). */
  token: string | undefined;
}

export interface ServersStandIn {
  /** Where the window (and tests) talk to: the stand-in in front of the local host. */
  url: string;
  /** Every request the stand-in received, `METHOD /path?query`, in order. */
  requests: string[];
  close(): Promise<void>;
}

const LOCAL_INFO: Omit<ServerInfo, 'url' | 'health'> = {
  id: LOCAL_SERVER_ID,
  name: 'This computer',
  kind: 'ekuiper',
  auth: { type: 'none' },
  tls: { insecureSkipVerify: false, caCert: '' },
  timeoutMs: DEFAULT_SERVER_TIMEOUT_MS,
  builtIn: true,
};

/** eKuiper's error shape with our statuses. */
function sendError(response: ServerResponse, status: number, code: number, message: string): void {
  response
    .writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8' })
    .end(`${JSON.stringify({ error: code, message })}\n`);
}

function sendJson(response: ServerResponse, value: unknown, status = 200): void {
  response.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(value));
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** Public auth: whether each secret is set, never the secret. */
function publicAuth(auth: ServerAuthInput, existing: StoredServer | undefined): ServerAuthPublic {
  switch (auth.type) {
    case 'none':
      return { type: 'none' };
    case 'bearer':
      return { type: 'bearer', tokenSet: auth.token !== undefined || existing?.token !== undefined };
    case 'ekuiper-jwt':
      return { type: 'ekuiper-jwt', issuer: auth.issuer, privateKeySet: true };
    case 'neuronex-login':
      return { type: 'neuronex-login', username: auth.username, passwordSet: true };
  }
}

/** A URL-safe id from the name (`Edge box 1` → `edge-box-1`), unique among `taken`. */
function idFor(name: string, taken: Set<string>): string {
  const base =
    name
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '') || 'server';
  let id = base === LOCAL_SERVER_ID ? `${base}-2` : base;
  for (let n = 2; taken.has(id); n++) id = `${base}-${n}`;
  return id;
}

interface Target {
  base: string;
  authorization: string | undefined;
  timeoutMs: number;
  name: string;
}

/** Plain words for a network failure, as the real host's client says them. */
function networkProblem(error: NodeJS.ErrnoException): Pick<ServerCheck, 'problem' | 'message'> {
  if (error.code === 'ECONNREFUSED') return { problem: 'refused', message: 'connection refused' };
  if (error.code === 'ENOTFOUND') return { problem: 'dns', message: 'the name does not resolve' };
  if (error.name === 'TimeoutError' || error.code === 'ETIMEDOUT') {
    return { problem: 'timeout', message: 'no answer in time' };
  }
  return { problem: 'network', message: error.message };
}

async function checkTarget(target: Target): Promise<ServerCheck> {
  const checkedAt = new Date().toISOString();
  const started = performance.now();
  const unreachable = (error: unknown): ServerCheck => {
    const cause = ((error as { cause?: unknown }).cause ?? error) as NodeJS.ErrnoException;
    const { problem, message } = networkProblem(cause);
    return {
      ok: false,
      reachable: false,
      authOk: null,
      version: '',
      os: '',
      arch: '',
      upTimeSeconds: null,
      latencyMs: null,
      message: `cannot reach ${target.name} at ${target.base}: ${message}`,
      ...(problem === undefined ? {} : { problem }),
      checkedAt,
    };
  };
  let info: { version?: string; os?: string; arch?: string; upTimeSeconds?: number };
  try {
    const response = await fetch(`${target.base}/`, { signal: AbortSignal.timeout(target.timeoutMs) });
    info = (await response.json()) as typeof info;
  } catch (error) {
    return unreachable(error);
  }
  const latencyMs = Math.round(performance.now() - started);
  const facts = {
    reachable: true,
    version: info.version ?? '',
    os: info.os ?? '',
    arch: info.arch ?? '',
    upTimeSeconds: info.upTimeSeconds ?? null,
    latencyMs,
    checkedAt,
  };
  try {
    const headers: Record<string, string> = {};
    if (target.authorization !== undefined) headers.Authorization = target.authorization;
    const response = await fetch(`${target.base}/plugins/sources`, {
      headers,
      signal: AbortSignal.timeout(target.timeoutMs),
    });
    const text = await response.text();
    if (response.status === 401) {
      return {
        ...facts,
        ok: false,
        authOk: false,
        problem: 'auth',
        message: `${target.name} refused the credentials: ${text.trim()}`,
      };
    }
    return { ...facts, ok: true, authOk: true, message: `eKuiper ${facts.version}` };
  } catch (error) {
    return unreachable(error);
  }
}

/** Builds the lists of a server without this app's overview route from eKuiper's own list routes. */
async function overviewFromEkuiper(target: Target): Promise<PluginOverview[]> {
  const headers: Record<string, string> = {};
  if (target.authorization !== undefined) headers.Authorization = target.authorization;
  const rows: PluginOverview[] = [];
  for (const kind of PLUGIN_KINDS) {
    const response = await fetch(`${target.base}/plugins/${kind}`, { headers });
    if (!response.ok) throw new Error(`${kind}: HTTP ${response.status}`);
    const list = (await response.json()) as unknown[];
    for (const item of list) {
      if (typeof item === 'string') {
        rows.push({
          kind,
          name: item,
          version: '',
          functions: kind === 'functions' ? [item] : [],
          sources: kind === 'sources' ? [item] : [],
          sinks: kind === 'sinks' ? [item] : [],
          record: null,
        });
      } else {
        const portable = item as {
          name: string;
          version?: string;
          language?: string;
          sources?: string[];
          sinks?: string[];
          functions?: string[];
        };
        rows.push({
          kind,
          name: portable.name,
          version: portable.version ?? '',
          functions: portable.functions ?? [],
          sources: portable.sources ?? [],
          sinks: portable.sinks ?? [],
          ...(portable.language === undefined ? {} : { language: portable.language }),
          record: null,
        });
      }
    }
  }
  return rows;
}

/**
 * Passes a request on to `base` + `path`, streaming both ways, answering the target's status, headers and body.
 * The target sees a request from this machine (no Origin, its own Host), as the real host's client sends it.
 */
function forward(
  request: IncomingMessage,
  response: ServerResponse,
  target: Target,
  path: string,
  onFailure: (error: NodeJS.ErrnoException) => void,
): void {
  const url = new URL(`${target.base}${path}`);
  const headers: OutgoingHttpHeaders = {};
  for (const [key, value] of Object.entries(request.headers)) {
    if (['host', 'origin', 'referer', 'connection', 'authorization'].includes(key)) continue;
    if (key.startsWith('sec-fetch-')) continue;
    headers[key] = value;
  }
  if (target.authorization !== undefined) headers.authorization = target.authorization;
  const upstream = httpRequest(url, { method: request.method, headers, timeout: target.timeoutMs });
  upstream.on('response', (answer) => {
    response.writeHead(answer.statusCode ?? 502, answer.headers);
    answer.pipe(response);
  });
  upstream.on('timeout', () =>
    upstream.destroy(Object.assign(new Error('timed out'), { code: 'ETIMEDOUT' })),
  );
  upstream.on('error', (error: NodeJS.ErrnoException) => {
    if (response.headersSent) response.destroy();
    else onFailure(error);
  });
  response.on('close', () => {
    if (!response.writableFinished) upstream.destroy();
  });
  request.pipe(upstream);
}

/**
 * Starts the stand-in on 127.0.0.1 (port 0) in front of the host at `localUrl`. The built-in `local` server is
 * that host; more servers are added with `POST /manager/servers`, as the window does.
 */
export async function startServersStandIn(
  localUrl: string,
  options: { healthEveryMs?: number } = {},
): Promise<ServersStandIn> {
  const servers = new Map<string, StoredServer>();
  const requests: string[] = [];
  let localHealth: ServerCheck | undefined;

  const targetOf = (stored: StoredServer | undefined, id: string): Target =>
    stored === undefined
      ? {
          base: localUrl,
          authorization: undefined,
          timeoutMs: DEFAULT_SERVER_TIMEOUT_MS,
          name: 'this computer',
        }
      : {
          base: ekuiperApiBase(stored.info.kind, stored.info.url),
          authorization:
            stored.info.auth.type === 'bearer' && stored.token !== undefined
              ? `Bearer ${stored.token}`
              : undefined,
          timeoutMs: stored.info.timeoutMs,
          name: stored.info.name || id,
        };

  const refresh = async (id: string): Promise<ServerCheck | undefined> => {
    if (id === LOCAL_SERVER_ID) {
      localHealth = await checkTarget(targetOf(undefined, id));
      return localHealth;
    }
    const stored = servers.get(id);
    if (stored === undefined) return undefined;
    const health = await checkTarget(targetOf(stored, id));
    if (servers.get(id) === stored) stored.info = { ...stored.info, health };
    return health;
  };
  const list = (): ServerInfo[] => [
    { ...LOCAL_INFO, url: localUrl, ...(localHealth === undefined ? {} : { health: localHealth }) },
    ...[...servers.values()].map((stored) => stored.info),
  ];
  const invalid = (response: ServerResponse, problems: Array<{ field: string; message: string }>) =>
    sendError(
      response,
      400,
      1000,
      `invalid server: ${problems.map((problem) => `${problem.field}: ${problem.message}`).join('; ')}`,
    );
  const store = (id: string, input: ServerInput, existing: StoredServer | undefined): StoredServer => {
    const token = input.auth.type === 'bearer' ? (input.auth.token ?? existing?.token) : undefined;
    const stored: StoredServer = {
      info: {
        id,
        name: input.name,
        kind: input.kind,
        url: input.url,
        auth: publicAuth(input.auth, existing),
        tls: { insecureSkipVerify: input.tls?.insecureSkipVerify ?? false, caCert: input.tls?.caCert ?? '' },
        timeoutMs: input.timeoutMs ?? DEFAULT_SERVER_TIMEOUT_MS,
        builtIn: false,
      },
      token,
    };
    servers.set(id, stored);
    return stored;
  };

  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const url = new URL(request.url ?? '/', 'http://stand-in');
    const method = request.method ?? 'GET';
    requests.push(`${method} ${url.pathname}${url.search}`);
    const path = url.pathname;
    if (path !== '/manager/servers' && !path.startsWith('/manager/servers/')) {
      forward(request, response, targetOf(undefined, LOCAL_SERVER_ID), `${path}${url.search}`, (error) =>
        sendError(response, 502, 1000, `the local host does not answer: ${error.message}`),
      );
      return;
    }
    const parts = path.split('/').slice(3).map(decodeURIComponent);
    const [id, sub, ...rest] = parts;
    if (id === undefined || id === '') {
      if (method === 'GET') return sendJson(response, list());
      if (method !== 'POST') return sendError(response, 405, 1000, 'method not allowed');
      const checked = validateServerInput(JSON.parse((await readBody(request)) || 'null'));
      if (!checked.ok) return invalid(response, checked.problems);
      const created = store(idFor(checked.input.name, new Set(servers.keys())), checked.input, undefined);
      await refresh(created.info.id);
      return sendJson(response, servers.get(created.info.id)?.info, 201);
    }
    if (id === 'check' && sub === undefined && method === 'POST') {
      const body = JSON.parse((await readBody(request)) || 'null') as (ServerInput & { id?: string }) | null;
      const existing = body?.id === undefined ? undefined : servers.get(body.id);
      const checked = validateServerInput(body, existing?.info);
      if (!checked.ok) return invalid(response, checked.problems);
      const { input } = checked;
      const token = input.auth.type === 'bearer' ? (input.auth.token ?? existing?.token) : undefined;
      return sendJson(
        response,
        await checkTarget({
          base: ekuiperApiBase(input.kind, input.url),
          authorization: token === undefined ? undefined : `Bearer ${token}`,
          timeoutMs: input.timeoutMs ?? DEFAULT_SERVER_TIMEOUT_MS,
          name: input.name,
        }),
      );
    }
    const stored = servers.get(id);
    if (id !== LOCAL_SERVER_ID && stored === undefined) {
      return sendError(response, 404, 1002, `there is no server '${id}'; see GET /manager/servers`);
    }
    if (sub === undefined) {
      if (method === 'GET')
        return sendJson(
          response,
          list().find((server) => server.id === id),
        );
      if (id === LOCAL_SERVER_ID) {
        return sendError(response, 400, 1000, 'the built-in server local (this computer) cannot be changed');
      }
      if (method === 'DELETE') {
        servers.delete(id);
        response.writeHead(200, { 'Content-Type': 'text/plain' }).end(`server ${id} is removed`);
        return;
      }
      if (method === 'PUT') {
        const checked = validateServerInput(JSON.parse((await readBody(request)) || 'null'), stored?.info);
        if (!checked.ok) return invalid(response, checked.problems);
        store(id, checked.input, stored);
        await refresh(id);
        return sendJson(response, servers.get(id)?.info);
      }
      return sendError(response, 405, 1000, 'method not allowed');
    }
    const target = targetOf(stored, id);
    if (sub === 'check' && method === 'POST') return sendJson(response, await refresh(id));
    if (sub === 'plugins' && method === 'GET') {
      try {
        const headers: Record<string, string> = {};
        if (target.authorization !== undefined) headers.Authorization = target.authorization;
        const own = await fetch(`${target.base}/manager/plugins`, { headers });
        if (own.status === 401) {
          response.writeHead(401, { 'Content-Type': 'text/plain' }).end(await own.text());
          return;
        }
        if (own.ok) return sendJson(response, await own.json());
        return sendJson(response, await overviewFromEkuiper(target));
      } catch (error) {
        const cause = ((error as { cause?: unknown }).cause ?? error) as NodeJS.ErrnoException;
        return sendError(
          response,
          502,
          1000,
          `cannot reach ${target.name}: ${networkProblem(cause).message}`,
        );
      }
    }
    if (sub === 'api') {
      const apiPath = `/${rest.map(encodeURIComponent).join('/')}${url.search}`;
      forward(request, response, target, apiPath, (error) => {
        const { problem, message } = networkProblem(error);
        const status = problem === 'timeout' ? 504 : 502;
        sendError(response, status, 1000, `cannot reach ${target.name} at ${target.base}: ${message}`);
      });
      return;
    }
    sendError(response, 404, 1002, `no route ${method} ${path}`);
  };

  const server: Server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      if (!response.headersSent) sendError(response, 400, 1000, (error as Error).message);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await refresh(LOCAL_SERVER_ID);
  const timer = setInterval(() => {
    for (const id of [LOCAL_SERVER_ID, ...servers.keys()]) void refresh(id);
  }, options.healthEveryMs ?? 3_000);
  timer.unref();
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    async close() {
      clearInterval(timer);
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/**
 * A plain eKuiper made from one of our hosts: the same eKuiper API, but none of this app's own routes
 * (`/manager/…` answer eKuiper's 404), so the window's capability decisions can be tested against it.
 */
export async function startPlainEkuiper(targetUrl: string): Promise<{ url: string; close(): Promise<void> }> {
  const target: Target = { base: targetUrl, authorization: undefined, timeoutMs: 30_000, name: 'eKuiper' };
  const server = createServer((request, response) => {
    const path = request.url ?? '/';
    if (path.startsWith('/manager/') || path === '/manager') {
      response.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('404 page not found\n');
      return;
    }
    forward(request, response, target, path, (error) => sendError(response, 502, 1000, error.message));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
