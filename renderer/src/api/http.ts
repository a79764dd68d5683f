import { LOCAL_SERVER_ID } from '../../../shared/server-dto';
import { apiBase, hostConnection } from './api-config';
import { currentServer, isLocalServer, requestTimeoutFor, serverPath } from './server-scope';

/** The host could not be reached (refused, reset, DNS, timeout): the connection banner's business. */
export class HostUnreachableError extends Error {
  constructor(
    message: string,
    readonly timedOut: boolean,
  ) {
    super(message);
    this.name = 'HostUnreachableError';
  }
}

/**
 * The host answered with an error status; `message` is the host's own text (eKuiper's `{error, message}`), or,
 * for a request to another server, that server's text as the host passed it on. `server` is the server the
 * request was for (`local` for this app's own host).
 */
export class HostError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly code: number | undefined,
    readonly server: string = LOCAL_SERVER_ID,
  ) {
    super(message);
    this.name = 'HostError';
  }
}

/**
 * A remote server could not be reached through the host (the host answered 502, or 504 when the server did not
 * answer in time): that server's problem, not the host's, which answered.
 */
export class ServerUnreachableError extends HostError {
  readonly timedOut: boolean;

  constructor(message: string, status: number, code: number | undefined, server: string) {
    super(message, status, code, server);
    this.name = 'ServerUnreachableError';
    this.timedOut = status === 504;
  }
}

/**
 * A remote server refused the credentials the host sent it (its 401, passed on unchanged, with its own words such
 * as `missing_token` or `validate token error: …`). Unlike `HostAuthError`, the window's token is not in question.
 */
export class ServerAuthError extends HostError {
  constructor(message: string, server: string) {
    super(message, 401, undefined, server);
    this.name = 'ServerAuthError';
  }
}

/**
 * The host refused the request's token (401): none was sent and the host requires one (`missing`), or it does not
 * match. A state of its own: the host is there, but this window may not use it until it has the right token.
 */
export class HostAuthError extends HostError {
  readonly missing: boolean;

  constructor(message: string) {
    super(message, 401, undefined);
    this.name = 'HostAuthError';
    this.missing = message.trim() === 'missing_token';
  }
}

/** Default time a request may take before it counts as unreachable, so nothing in the window hangs. */
export const DEFAULT_TIMEOUT_MS = 10_000;

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'DELETE';
  body?: unknown;
  /** The server the request is for; the window's current server when absent (see `server-scope.ts`). */
  server?: string;
  timeoutMs?: number;
  signal?: AbortSignal;
}

/** The message of an error body: eKuiper's `{"error":1002,"message":"…"}`, else the raw text. */
function errorBody(status: number, text: string): { message: string; code: number | undefined } {
  try {
    const parsed = JSON.parse(text) as { error?: unknown; message?: unknown };
    if (typeof parsed.message === 'string') {
      return { message: parsed.message, code: typeof parsed.error === 'number' ? parsed.error : undefined };
    }
  } catch {
    // not JSON: use the text
  }
  return { message: text.trim() || `HTTP ${status}`, code: undefined };
}

/**
 * Turns an error answer into the error the window acts on. For this app's host a 401 refuses the window's token;
 * for a remote server it is that server refusing the host's credentials, and 502/504 say the host could not reach
 * it — each a different banner with a different fix.
 */
export function parseError(status: number, text: string, server: string = LOCAL_SERVER_ID): HostError {
  const remote = !isLocalServer(server);
  // eKuiper answers a missing or wrong token with 401 and plain text (`missing_token`, `validate token error…`).
  if (status === 401) {
    if (!remote) return new HostAuthError(text.trim() || 'missing_token');
    const body = errorBody(status, text);
    // NeuronEX answers a refused login with an empty `{}`: say what it means rather than nothing.
    return new ServerAuthError(text.trim() === '{}' ? 'HTTP 401 Unauthorized' : body.message, server);
  }
  const { message, code } = errorBody(status, text);
  if (remote && (status === 502 || status === 504)) {
    return new ServerUnreachableError(message, status, code, server);
  }
  return new HostError(message, status, code, server);
}

/** The URL on this app's host that reaches `path` on `server` (the current server when absent). */
export function requestUrl(path: string, server: string = currentServer()): string {
  return `${apiBase()}${serverPath(server, path)}`;
}

/** The headers every request to the host carries: the window's token, when it has one. */
export function authHeaders(): Record<string, string> {
  const { token } = hostConnection();
  return token === '' ? {} : { Authorization: `Bearer ${token}` };
}

/**
 * One request with a timeout and the token, answering the body text, to the server `options.server` names (the
 * current one by default). Network failures and timeouts become `HostUnreachableError`, error statuses
 * `HostError` (or the remote server's kinds of it), so callers can tell "host down" from "host said no".
 */
export async function requestText(path: string, options: RequestOptions = {}): Promise<string> {
  const server = options.server ?? currentServer();
  const headers = authHeaders();
  if (options.body !== undefined) headers['Content-Type'] = 'application/json';
  const timeout = AbortSignal.timeout(options.timeoutMs ?? requestTimeoutFor(server, DEFAULT_TIMEOUT_MS));
  const signal = options.signal === undefined ? timeout : AbortSignal.any([timeout, options.signal]);
  let response: Response;
  try {
    response = await fetch(requestUrl(path, server), {
      method: options.method ?? 'GET',
      headers,
      body: options.body === undefined ? null : JSON.stringify(options.body),
      signal,
      cache: 'no-store',
    });
  } catch (error) {
    if (options.signal?.aborted === true) throw error;
    const timedOut = timeout.aborted;
    throw new HostUnreachableError(timedOut ? 'timed out' : (error as Error).message, timedOut);
  }
  let text: string;
  try {
    text = await response.text();
  } catch (error) {
    throw new HostUnreachableError((error as Error).message, timeout.aborted);
  }
  if (!response.ok) throw parseError(response.status, text, server);
  return text;
}

/** `requestText` for JSON answers. */
export async function requestJson<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const text = await requestText(path, options);
  return JSON.parse(text) as T;
}
