/**
 * Records every request the window makes through `fetch` (`METHOD path`, and with `bodies` the body text) on its
 * way to a real host, so a test can assert the exact addresses the API layer asked. Nothing is answered here:
 * each request goes on to the host unchanged.
 */
export interface RequestLog {
  /** `METHOD /path?query` (relative to `base`), in order; a test may empty it. */
  lines: string[];
  /** The fetch that was in place before, for a test's own requests that should not be recorded. */
  realFetch: typeof fetch;
  /** Puts the real fetch back. */
  stop(): void;
}

export function recordRequests(base: string, options: { bodies?: boolean } = {}): RequestLog {
  const realFetch = globalThis.fetch;
  const lines: string[] = [];
  globalThis.fetch = (input: RequestInfo | URL, init?: RequestInit) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const line = `${init?.method ?? 'GET'} ${url.slice(base.length)}`;
    const body = typeof init?.body === 'string' ? init.body : '';
    lines.push(options.bodies === true ? `${line} ${body}` : line);
    return realFetch(input, init);
  };
  return {
    lines,
    realFetch,
    stop: () => {
      globalThis.fetch = realFetch;
    },
  };
}
