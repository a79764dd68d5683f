import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { goJson } from './go-json.js';

/** How often an idle event stream carries a comment, so proxies and clients keep it open. */
export const HEARTBEAT_MS = 15_000;

/**
 * The open streams of one route group, ended before the server closes: a stream never goes idle, so
 * `close()` would otherwise wait for it forever.
 */
export function endStreamsOnClose(app: FastifyInstance): Set<() => void> {
  const streams = new Set<() => void>();
  app.addHook('preClose', (done) => {
    for (const end of [...streams]) end();
    done();
  });
  return streams;
}

/**
 * Opens a Server-Sent Events answer with heartbeats. `onEnd` runs once, whether the client went away, the
 * route ended it, or the server is closing (`streams`); sends after that are dropped.
 */
export function openEventStream(
  request: FastifyRequest,
  reply: FastifyReply,
  streams: Set<() => void>,
  onEnd: () => void,
  preamble = '',
): { send: (value: unknown, event?: string) => void; end: () => void } {
  reply.hijack();
  const raw = reply.raw;
  raw.writeHead(200, {
    ...(reply.getHeaders() as Record<string, string>),
    'Content-Type': 'text/event-stream; charset=utf-8',
    'Cache-Control': 'no-cache, no-transform',
    'X-Accel-Buffering': 'no',
    'X-Content-Type-Options': 'nosniff',
  });
  if (preamble !== '') raw.write(preamble);
  const heartbeat = setInterval(() => raw.write(': heartbeat\n\n'), HEARTBEAT_MS);
  heartbeat.unref();
  let open = true;
  const stop = (): void => {
    if (!open) return;
    open = false;
    clearInterval(heartbeat);
    streams.delete(end);
    onEnd();
  };
  const end = (): void => {
    stop();
    raw.end();
  };
  streams.add(end);
  request.raw.once('close', stop);
  raw.once('close', stop);
  return {
    send: (value, event) => {
      if (open) raw.write(`${event === undefined ? '' : `event: ${event}\n`}data: ${goJson(value)}\n\n`);
    },
    end,
  };
}
