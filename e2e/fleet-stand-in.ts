/**
 * STAND-IN, to be deleted once the host's own `/manager/servers` and `/manager/fleet/plugins` routes (branch
 * `fleet`) are merged: the e2e and component tests then point at the real host instead.
 *
 * A loopback HTTP server in front of one of our hosts (the window's `local` server). It answers
 * `GET /manager/fleet/plugins` and `POST /manager/fleet/plugins` (JSON, or Server-Sent Events with
 * `Accept: text/event-stream`) with the shapes of `shared/server-dto.ts`, over the servers the host lists
 * (`GET /manager/servers`, real instances of our host added by the test); every other request (the page, the
 * plugin API, the server list itself) is passed to the local host unchanged. Minimal logic: no auth, no TLS, one
 * upload per server for a `file://` zip.
 */
import { randomUUID } from 'node:crypto';
import { createReadStream, statSync } from 'node:fs';
import {
  createServer,
  request as httpRequest,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import { basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { PluginOverview } from '../shared/plugin-dto.js';
import {
  LOCAL_SERVER_ID,
  type FleetPlugin,
  type FleetPluginRequest,
  type FleetProgressEvent,
  type FleetServerPlugins,
  type FleetServerResult,
  type ServerInfo,
} from '../shared/server-dto.js';

export interface FleetStandIn {
  /** Where the window opens: the local host's page and API, plus the fleet routes. */
  url: string;
  close(): Promise<void>;
}

interface KnownServer {
  id: string;
  name: string;
  url: string;
}

const LIST_TIMEOUT_MS = 5_000;

/** Why a request never got an answer, in the words Node's fetch hides in `cause`. */
function reachProblem(url: string, error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return `cannot reach ${url}: ${cause?.code ?? cause?.message ?? (error as Error).message}`;
}

/** The server's own text: eKuiper's `{"error","message"}` message, else the body. */
function answerText(text: string): string {
  try {
    const parsed = JSON.parse(text) as { message?: unknown };
    if (typeof parsed.message === 'string') return parsed.message;
  } catch {
    // plain text
  }
  return text.trim();
}

async function listPlugins(server: KnownServer): Promise<FleetServerPlugins> {
  try {
    const response = await fetch(`${server.url}/manager/plugins`, {
      signal: AbortSignal.timeout(LIST_TIMEOUT_MS),
    });
    if (!response.ok) {
      return { server: server.id, ok: false, message: answerText(await response.text()), plugins: [] };
    }
    const overview = (await response.json()) as PluginOverview[];
    const plugins = await Promise.all(
      overview.map(async (plugin): Promise<FleetPlugin> => {
        const row: FleetPlugin = { kind: plugin.kind, name: plugin.name, version: plugin.version };
        if (plugin.kind !== 'portables') return row;
        const status = await fetch(
          `${server.url}/plugins/portables/${encodeURIComponent(plugin.name)}/status`,
        );
        const body = (await status.json()) as { status?: string; errMsg?: string };
        return { ...row, status: body.status ?? '', errMsg: body.errMsg ?? '' };
      }),
    );
    return { server: server.id, ok: true, message: '', plugins };
  } catch (error) {
    return { server: server.id, ok: false, message: reachProblem(server.url, error), plugins: [] };
  }
}

/** Streams `path` to the server's `/config/uploads` as multipart, reporting bytes sent; answers the stored path. */
function upload(
  server: KnownServer,
  path: string,
  onBytes: (bytes: number, total: number) => void,
): Promise<{ status: number; text: string }> {
  const boundary = `----fleet${randomUUID()}`;
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="uploadFile"; filename="${basename(path)}"\r\n` +
      'Content-Type: application/zip\r\n\r\n',
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  const total = statSync(path).size;
  return new Promise((resolve, reject) => {
    const request = httpRequest(`${server.url}/config/uploads`, {
      method: 'POST',
      headers: {
        'Content-Type': `multipart/form-data; boundary=${boundary}`,
        'Content-Length': head.length + total + tail.length,
      },
    });
    request.on('error', reject);
    request.on('response', (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () =>
        resolve({ status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }),
      );
    });
    request.write(head);
    let sent = 0;
    const file = createReadStream(path, { highWaterMark: 64 * 1024 });
    file.on('data', (chunk) => {
      sent += chunk.length;
      onBytes(sent, total);
      if (!request.write(chunk)) file.pause();
    });
    request.on('drain', () => file.resume());
    file.on('end', () => request.end(tail));
    file.on('error', reject);
  });
}

async function call(
  server: KnownServer,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; text: string }> {
  const response = await fetch(`${server.url}${path}`, {
    method,
    ...(body === undefined
      ? {}
      : { body: JSON.stringify(body), headers: { 'Content-Type': 'application/json' } }),
  });
  return { status: response.status, text: await response.text() };
}

type Emit = (event: FleetProgressEvent) => void;

async function runOne(
  server: KnownServer,
  request: FleetPluginRequest,
  emit: Emit,
): Promise<FleetServerResult> {
  const started = Date.now();
  const result = (ok: boolean, status: number, message: string, plan?: FleetServerResult['plan']) => ({
    server: server.id,
    ok,
    status,
    message,
    ms: Date.now() - started,
    ...(plan === undefined ? {} : { plan }),
  });
  const { kind, name, action } = request;
  const pluginPath = `/plugins/${kind}/${encodeURIComponent(name)}`;
  try {
    if (request.dryRun === true) {
      const listed = await listPlugins(server);
      if (!listed.ok) return result(false, 0, listed.message);
      const found = listed.plugins.find((plugin) => plugin.kind === kind && plugin.name === name);
      const version = found?.version ? ` (version ${found.version})` : '';
      if (action === 'install') {
        return found
          ? result(false, 200, `skipped: ${name} is already installed${version}`, 'skip')
          : result(true, 200, `${name} will be installed`, 'create');
      }
      if (found === undefined) return result(false, 200, `skipped: ${name} is not installed`, 'skip');
      return action === 'update'
        ? result(true, 200, `the installed ${name}${version} will be replaced`, 'update')
        : result(true, 200, `${name} will be deleted`, 'delete');
    }
    if (action === 'delete') {
      emit({ type: 'phase', server: server.id, phase: 'delete' });
      const answer = await call(server, 'DELETE', pluginPath);
      return result(answer.status < 300, answer.status, answerText(answer.text));
    }
    let file = request.file ?? '';
    let uploaded: string | undefined;
    if (file === 'prebuilt') {
      const list = await call(server, 'GET', `/plugins/${kind}/prebuild`);
      if (list.status !== 200) return result(false, list.status, answerText(list.text));
      const url = (JSON.parse(list.text) as Record<string, string>)[name];
      if (url === undefined) return result(false, 404, `no prebuilt ${name} in this server's list`);
      file = url;
    } else if (file.startsWith('file://') && server.id !== LOCAL_SERVER_ID) {
      emit({ type: 'phase', server: server.id, phase: 'upload' });
      const answer = await upload(server, fileURLToPath(file), (bytes, totalBytes) =>
        emit({ type: 'upload', server: server.id, bytes, totalBytes }),
      );
      if (answer.status !== 201) return result(false, answer.status, answerText(answer.text));
      uploaded = answer.text.trim();
      file = `file://${uploaded}`;
    }
    emit({ type: 'phase', server: server.id, phase: 'install' });
    const body = { name, file, ...(request.functions === undefined ? {} : { functions: request.functions }) };
    const answer =
      action === 'install'
        ? await call(server, 'POST', `/plugins/${kind}`, body)
        : await call(server, 'PUT', pluginPath, body);
    if (uploaded !== undefined) {
      emit({ type: 'phase', server: server.id, phase: 'cleanup' });
      await call(server, 'DELETE', `/config/uploads/${encodeURIComponent(basename(uploaded))}`).catch(
        () => undefined,
      );
    }
    return result(answer.status < 300, answer.status, answerText(answer.text));
  } catch (error) {
    return result(false, 0, reachProblem(server.url, error));
  }
}

async function runFleet(
  servers: KnownServer[],
  request: FleetPluginRequest,
  emit: Emit,
): Promise<FleetServerResult[]> {
  for (const server of servers) emit({ type: 'queued', server: server.id });
  const results: FleetServerResult[] = [];
  const queue = [...servers];
  const workers = Array.from({ length: Math.max(1, Math.min(request.concurrency ?? 4, 16)) }, async () => {
    for (let server = queue.shift(); server !== undefined; server = queue.shift()) {
      const one = await runOne(server, request, emit);
      results.push(one);
      emit({ type: 'result', result: one });
    }
  });
  await Promise.all(workers);
  const order = servers.map((server) => server.id);
  results.sort((a, b) => order.indexOf(a.server) - order.indexOf(b.server));
  emit({ type: 'done', results });
  return results;
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

function sendJson(response: ServerResponse, status: number, value: unknown): void {
  response.writeHead(status, { 'Content-Type': 'application/json' }).end(`${JSON.stringify(value)}\n`);
}

function sendError(response: ServerResponse, status: number, message: string): void {
  sendJson(response, status, { error: status === 404 ? 1002 : 1000, message });
}

function forward(localUrl: string, request: IncomingMessage, response: ServerResponse): void {
  const upstream = httpRequest(
    `${localUrl}${request.url ?? '/'}`,
    { method: request.method, headers: request.headers },
    (answer) => {
      response.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(response);
    },
  );
  upstream.on('error', (error) => {
    if (!response.headersSent) sendError(response, 502, error.message);
    else response.destroy();
  });
  request.pipe(upstream);
}

/** Starts the stand-in in front of the host at `localUrl` (the `local` server). */
export async function startFleetStandIn(localUrl: string): Promise<FleetStandIn> {
  /** The servers the host lists, `local` at the host's own address. */
  async function knownServers(): Promise<KnownServer[]> {
    const listed = (await (await fetch(`${localUrl}/manager/servers`)).json()) as ServerInfo[];
    return listed.map(({ id, name, url }) => ({ id, name, url: id === LOCAL_SERVER_ID ? localUrl : url }));
  }

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<boolean> {
    const url = new URL(request.url ?? '/', 'http://stand-in');
    if (url.pathname !== '/manager/fleet/plugins') return false;
    const servers = await knownServers();
    const chosen = (ids: string[] | undefined): KnownServer[] | string => {
      if (ids === undefined) return servers;
      const unknown = ids.filter((id) => !servers.some((server) => server.id === id));
      if (unknown.length > 0) return `no server with id ${unknown.join(', ')}`;
      return servers.filter((server) => ids.includes(server.id));
    };
    if (request.method === 'GET') {
      const ids = url.searchParams.get('servers');
      const targets = chosen(ids === null ? undefined : ids.split(',').filter((id) => id !== ''));
      if (typeof targets === 'string') sendError(response, 404, targets);
      else sendJson(response, 200, { servers: await Promise.all(targets.map(listPlugins)) });
      return true;
    }
    if (request.method !== 'POST') return false;
    const body = JSON.parse((await readBody(request)) || '{}') as FleetPluginRequest;
    if (
      !['install', 'update', 'delete'].includes(body.action) ||
      !body.kind ||
      !body.name ||
      !Array.isArray(body.servers)
    ) {
      sendError(response, 400, 'give action (install, update or delete), kind, name and servers');
      return true;
    }
    if (body.action !== 'delete' && body.dryRun !== true && !body.file) {
      sendError(response, 400, 'give file: an http(s) URL, a file:// path or prebuilt');
      return true;
    }
    const targets = chosen(body.servers);
    if (typeof targets === 'string') {
      sendError(response, 404, targets);
      return true;
    }
    if ((request.headers.accept ?? '').includes('text/event-stream')) {
      response.writeHead(200, {
        'Content-Type': 'text/event-stream; charset=utf-8',
        'Cache-Control': 'no-cache',
      });
      await runFleet(targets, body, (event) => response.write(`data: ${JSON.stringify(event)}\n\n`));
      response.end();
    } else {
      sendJson(response, 200, { results: await runFleet(targets, body, () => undefined) });
    }
    return true;
  }

  const server: Server = createServer((request, response) => {
    handle(request, response).then(
      (handled) => {
        if (!handled) forward(localUrl, request, response);
      },
      (error: unknown) => {
        if (!response.headersSent) sendError(response, 400, (error as Error).message);
        else response.end();
      },
    );
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
