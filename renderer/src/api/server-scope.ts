import { LOCAL_SERVER_ID, MAX_SERVER_TIMEOUT_MS } from '../../../shared/server-dto';

/**
 * Which server the window works on, and how a request for it is addressed. Kept here, below every store, so the
 * API layer can address requests without importing the stores that use it; the servers store changes it.
 *
 * `local` is this app's own host: its paths stay as they are (no prefix, today's speed). Any other server is
 * reached through the host: eKuiper's routes at `/manager/servers/{id}/api/…`, the plugin lists at
 * `/manager/servers/{id}/plugins`, and this app's own routes (`/manager/…`) at `/manager/servers/{id}/api/manager/…`,
 * which answer where the server is another of this app's hosts and 404 where it is a plain eKuiper.
 */

/** Where the chosen server is remembered between sessions (the address carries it too, see `serverFromHash`). */
export const SERVER_STORAGE_KEY = 'ekuiper-extension-manager.server';

/** The `server` parameter of an address such as `#/extensions?server=edge-1`; undefined when it has none. */
export function serverFromHash(hash: string): string | undefined {
  const query = hash.indexOf('?');
  if (query < 0) return undefined;
  const id = new URLSearchParams(hash.slice(query + 1)).get('server');
  return id === null || id.trim() === '' ? undefined : id.trim();
}

function rememberedServer(): string | undefined {
  try {
    const value = window.localStorage.getItem(SERVER_STORAGE_KEY);
    return value === null || value === '' ? undefined : value;
  } catch {
    // Storage disabled: the address alone carries the choice.
    return undefined;
  }
}

/** The server the window starts on: the address's, else the one remembered, else this computer. */
export function initialServer(): string {
  if (typeof window === 'undefined') return LOCAL_SERVER_ID;
  return serverFromHash(window.location.hash) ?? rememberedServer() ?? LOCAL_SERVER_ID;
}

let current = initialServer();

/** The server requests go to when they name none. */
export function currentServer(): string {
  return current;
}

/**
 * Makes `id` the server requests go to, and remembers it for the next start. Only the servers store calls this,
 * so the store's state and the requests never disagree.
 */
export function setCurrentServer(id: string): void {
  current = id;
  if (typeof window === 'undefined') return;
  try {
    if (id === LOCAL_SERVER_ID) window.localStorage.removeItem(SERVER_STORAGE_KEY);
    else window.localStorage.setItem(SERVER_STORAGE_KEY, id);
  } catch {
    // Storage disabled: the choice lasts as long as the window.
  }
}

/** Whether `id` is this app's own host rather than a server reached through it. */
export function isLocalServer(id: string): boolean {
  return id === LOCAL_SERVER_ID;
}

/**
 * The path on this app's host that reaches `path` on `server`. `path` is written as for the host itself
 * (`/plugins/sources`, `/manager/plugins`, `/manager/portables/x/log?follow=1`), so callers never build prefixes.
 */
export function serverPath(server: string, path: string): string {
  if (isLocalServer(server)) return path;
  const base = `/manager/servers/${encodeURIComponent(server)}`;
  const queryAt = path.indexOf('?');
  const pathname = queryAt < 0 ? path : path.slice(0, queryAt);
  // The lists: every server answers them there, our hosts with their install records, others built from eKuiper's.
  if (pathname === '/manager/plugins') return `${base}/plugins${path.slice(pathname.length)}`;
  return `${base}/api${path}`;
}

/**
 * How long the host may wait for each remote server (its `timeoutMs`), as the servers store last read them. The
 * window waits a little longer than the host, so a slow server is reported by the host in its own words (a 504
 * naming the server) rather than the window giving up first and taking this computer for down.
 */
const serverTimeouts = new Map<string, number>();

/** The host's answer comes after the server's timeout, plus the time to reach the host and back. */
const HOST_MARGIN_MS = 5_000;

/** Remembers each server's timeout; only the servers store calls this, with every server it read. */
export function rememberServerTimeouts(servers: ReadonlyArray<{ id: string; timeoutMs: number }>): void {
  serverTimeouts.clear();
  for (const server of servers) serverTimeouts.set(server.id, server.timeoutMs);
}

/**
 * How long the window waits for a request to `server` that names no timeout of its own: `fallback` for this
 * computer, and for another server at least its timeout plus the margin — the longest timeout a server may have
 * while the list is not read yet (the host still answers after the server's own).
 */
export function requestTimeoutFor(server: string, fallback: number): number {
  if (isLocalServer(server)) return fallback;
  const timeoutMs = serverTimeouts.get(server) ?? MAX_SERVER_TIMEOUT_MS;
  return Math.max(fallback, timeoutMs + HOST_MARGIN_MS);
}
