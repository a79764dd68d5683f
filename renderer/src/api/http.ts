import { apiBase, hostConnection } from './api-config';

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

/** The host answered with an error status; `message` is the host's own text (eKuiper's `{error, message}`). */
export class HostError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly code: number | undefined,
  ) {
    super(message);
    this.name = 'HostError';
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
  timeoutMs?: number;
  signal?: AbortSignal;
}

/** Reads eKuiper's error body (`{"error":1002,"message":"…"}`), or falls back to the raw text. */
export function parseError(status: number, text: string): HostError {
  // eKuiper answers a missing or wrong token with 401 and plain text (`missing_token`, `validate token error…`).
  if (status === 401) return new HostAuthError(text.trim() || 'missing_token');
  try {
    const parsed = JSON.parse(text) as { error?: unknown; message?: unknown };
    if (typeof parsed.message === 'string') {
      return new HostError(
        parsed.message,
        status,
        typeof parsed.error === 'number' ? parsed.error : undefined,
      );
    }
  } catch {
    // not JSON: use the text
  }
  return new HostError(text.trim() || `HTTP ${status}`, status, undefined);
}

/**
 * One request to the host with a timeout and the token, answering the body text. Network failures and timeouts
 * become `HostUnreachableError`, error statuses `HostError`, so callers can tell "host down" from "host said no".
 */
export async function requestText(path: string, options: RequestOptions = {}): Promise<string> {
  const { token } = hostConnection();
  const headers: Record<string, string> = {};
  if (token !== '') headers.Authorization = `Bearer ${token}`;
  if (options.body !== undefined) headers['Content-Type'] = 'application/json';
  const timeout = AbortSignal.timeout(options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  const signal = options.signal === undefined ? timeout : AbortSignal.any([timeout, options.signal]);
  let response: Response;
  try {
    response = await fetch(`${apiBase()}${path}`, {
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
  if (!response.ok) throw parseError(response.status, text);
  return text;
}

/** `requestText` for JSON answers. */
export async function requestJson<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const text = await requestText(path, options);
  return JSON.parse(text) as T;
}
