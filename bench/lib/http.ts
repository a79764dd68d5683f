import http from 'node:http';

/** A small answer, read whole. */
export interface SimpleResponse {
  status: number;
  headers: Headers;
  body: Buffer;
  text(): string;
}

/** One request with fetch (control calls: installs, deletes, checks), the body read whole. */
export async function request(method: string, url: string, body?: unknown): Promise<SimpleResponse> {
  const init: RequestInit = { method };
  if (body !== undefined) {
    init.body = JSON.stringify(body);
    init.headers = { 'content-type': 'application/json' };
  }
  const response = await fetch(url, init);
  const bytes = Buffer.from(await response.arrayBuffer());
  return {
    status: response.status,
    headers: response.headers,
    body: bytes,
    text: () => bytes.toString('utf8'),
  };
}

/** Like `request`, but throws unless the status is `expected`. */
export async function expectStatus(
  expected: number,
  method: string,
  url: string,
  body?: unknown,
): Promise<SimpleResponse> {
  const response = await request(method, url, body);
  if (response.status !== expected) {
    throw new Error(
      `${method} ${url} answered ${response.status}, expected ${expected}: ${response.text().slice(0, 500)}`,
    );
  }
  return response;
}

/**
 * GET on a new connection (no keep-alive), for start-up polling: resolves with the status, or undefined
 * when nothing answers yet (connection refused, reset).
 */
export function probe(url: string, timeoutMs = 1000): Promise<number | undefined> {
  return new Promise((resolvePromise) => {
    const request = http.get(url, { agent: false, timeout: timeoutMs }, (response) => {
      response.resume();
      response.on('end', () => resolvePromise(response.statusCode));
      response.on('error', () => resolvePromise(undefined));
    });
    request.on('timeout', () => request.destroy());
    request.on('error', () => resolvePromise(undefined));
  });
}

/** Resolves after `ms` milliseconds. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolvePromise) => setTimeout(resolvePromise, ms));
}
