import { authHeaders, HostUnreachableError, parseError, requestUrl } from './http';
import { currentServer } from './server-scope';

/** One Server-Sent Event: its `event:` name (`message` when absent) and its `data:` text. */
export interface ServerEvent {
  event: string;
  data: string;
}

/**
 * Reads a Server-Sent Events body event by event (blank line ends one; `:` lines are comments, the host's
 * heartbeats). Written here rather than with `EventSource`, which can neither POST nor send the token header.
 */
export async function readEventStream(
  body: NonNullable<Response['body']>,
  onEvent: (event: ServerEvent) => void,
): Promise<void> {
  const reader = body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  let event = 'message';
  let data: string[] = [];
  const flushLine = (line: string) => {
    if (line === '') {
      if (data.length > 0) onEvent({ event, data: data.join('\n') });
      event = 'message';
      data = [];
    } else if (line.startsWith(':')) {
      // comment (heartbeat)
    } else {
      const colon = line.indexOf(':');
      const field = colon < 0 ? line : line.slice(0, colon);
      const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
      if (field === 'event') event = value;
      else if (field === 'data') data.push(value);
    }
  };
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += value;
    let newline = buffer.indexOf('\n');
    while (newline >= 0) {
      flushLine(buffer.slice(0, newline).replace(/\r$/, ''));
      buffer = buffer.slice(newline + 1);
      newline = buffer.indexOf('\n');
    }
  }
  if (buffer !== '') flushLine(buffer.replace(/\r$/, ''));
  flushLine('');
}

/**
 * Opens an event stream with fetch and the token on `server` (the current one when absent); a refusal before the
 * stream starts throws `HostError`.
 */
export async function openEventStream(
  path: string,
  init: RequestInit,
  signal: AbortSignal,
  server: string = currentServer(),
): Promise<Response> {
  const headers: Record<string, string> = { ...authHeaders(), Accept: 'text/event-stream' };
  if (init.body !== undefined) headers['Content-Type'] = 'application/json';
  let response: Response;
  try {
    response = await fetch(requestUrl(path, server), { ...init, headers, signal, cache: 'no-store' });
  } catch (error) {
    if (signal.aborted) throw error;
    throw new HostUnreachableError((error as Error).message, false);
  }
  if (!response.ok || response.body === null) {
    throw parseError(response.status, await response.text(), server);
  }
  return response;
}
