import { hostMessage } from '../../shared/host-messages.js';
import type { IncomingHttpHeaders, ServerResponse as HttpResponse } from 'node:http';
import { Readable } from 'node:stream';
import type { FastifyInstance, FastifyReply, FastifyRequest, HTTPMethods } from 'fastify';
import { PluginError } from '../plugins/plugin-error.js';
import { ServerAuthError } from '../servers/auth/auth-types.js';
import { describeNetworkError } from '../servers/network-errors.js';
import type { ServerRequestBody, ServerResponse } from '../servers/server-client.js';
import type { ServerDirectory } from '../servers/server-directory.js';
import { changeTimeoutMs } from '../servers/timeouts.js';
import { apiPathProblem, parseForwardUrl } from './api-path.js';
import { endStreamsOnClose } from './event-stream.js';
import { sendError, sendStatusError } from './replies.js';

/** Request headers that reach the server: what describes the body and what the caller accepts back. */
const REQUEST_HEADERS = ['content-type', 'content-length', 'accept', 'accept-encoding', 'accept-language'];

/**
 * Answer headers passed back: the body's description and cache headers. Never hop-by-hop headers, cookies,
 * the server's CORS headers (the host answers its own) or anything about its credentials.
 */
const ANSWER_HEADERS = [
  'content-type',
  'content-length',
  'content-encoding',
  'content-disposition',
  'content-language',
  'cache-control',
  'etag',
  'last-modified',
  'expires',
  'vary',
  'x-content-type-options',
  'x-accel-buffering',
  // A redirect (a proxy sending http to https) says where to; without it a 3xx tells the caller nothing.
  'location',
];

/** An answer up to this size is read whole and sent in one write; larger ones stream. */
const WHOLE_ANSWER_BYTES = 256 * 1024;

/** Bodies up to this size are read first, so the request can be sent again after a re-login on a 401. */
const REPLAYABLE_BYTES = 1024 * 1024;

const METHODS: HTTPMethods[] = ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'PATCH'];

export interface ForwardRouteOptions {
  servers: ServerDirectory;
}

/**
 * `/manager/servers/{id}/api/{eKuiper path}`: any method, forwarded to that server's eKuiper API with its
 * credentials, bodies streamed both ways (a 200 MB upload to `/config/uploads` is never held in memory, Server-Sent
 * Events arrive as they are sent), the server's status, the headers that matter and its body unchanged. `local`
 * never arrives here: `rewriteLocalForward` routes it to the host's own routes.
 *
 * Written on `ServerClient` (undici) rather than `@fastify/reply-from`: each server has its own dispatcher with
 * its own TLS settings and credentials that may need a login and one retry after a 401, which `ServerClient`
 * already does for the fleet and connection checks; reply-from would need a second HTTP client configured per
 * server beside it. The routes live in their own plugin context whose content-type parser hands the request
 * stream through untouched, since the root's parsers buffer bodies and `@fastify/multipart` claims uploads.
 */
export async function registerForwardRoutes(
  app: FastifyInstance,
  options: ForwardRouteOptions,
): Promise<void> {
  await app.register((forwarding, _options, done) => {
    forwarding.removeAllContentTypeParsers();
    forwarding.addContentTypeParser('*', (_request, payload, done) => done(null, payload));
    const open = endStreamsOnClose(forwarding);
    const handler = (request: FastifyRequest, reply: FastifyReply) => forward(request, reply, options, open);
    for (const url of ['/manager/servers/:id/api', '/manager/servers/:id/api/*']) {
      forwarding.route({ method: METHODS, url, handler });
    }
    done();
  });
}

async function forward(
  request: FastifyRequest,
  reply: FastifyReply,
  { servers }: ForwardRouteOptions,
  open: Set<() => void>,
): Promise<FastifyReply> {
  const target = parseForwardUrl(request.originalUrl);
  if (target === undefined) {
    reply.callNotFound();
    return reply;
  }
  const problem = apiPathProblem(target.path);
  if (problem !== undefined) {
    return sendStatusError(reply, 400, hostMessage('forwardInvalidPath', { path: target.path, problem }));
  }
  const info = servers.get(target.id);
  const client = servers.client(target.id);
  if (info === undefined || client === undefined) {
    return sendError(reply, PluginError.notFound(hostMessage('forwardNoServer', { id: target.id })));
  }

  const headers: Record<string, string> = {};
  for (const name of REQUEST_HEADERS) {
    const value = request.headers[name];
    if (typeof value === 'string') headers[name] = value;
  }
  let body: ServerRequestBody | undefined;
  if (request.body instanceof Readable) {
    const length = Number(request.headers['content-length']);
    if (Number.isFinite(length) && length <= REPLAYABLE_BYTES) {
      body = Buffer.concat(await request.body.toArray());
      delete headers['content-length'];
    } else {
      body = request.body;
    }
  }

  // No abort signal: a caller who leaves mid-upload breaks the body stream, which ends the request to the
  // server; one who leaves while waiting breaks the answer's pipe below, which ends the answer.
  const reads = request.method === 'GET' || request.method === 'HEAD';
  const timeoutMs = reads ? client.timeoutMs : changeTimeoutMs(client.timeoutMs);
  let answer: ServerResponse;
  try {
    answer = await client.request({
      method: request.method,
      path: `${target.path}${target.query}`,
      headers,
      ...(body === undefined ? {} : { body }),
      timeoutMs,
    });
  } catch (error) {
    if (error instanceof ServerAuthError) {
      // The server did answer: its login refused the account (NeuronEX's 401), or no secret is stored to send.
      // Said as the server's refusal with its status, as `GET /manager/servers/{id}/plugins` says it.
      return sendStatusError(
        reply,
        error.status !== undefined && error.status >= 400 ? error.status : 502,
        hostMessage('serverFailed', { name: info.name, reason: error.message }),
      );
    }
    const failure = describeNetworkError(error, { url: client.urlOf(target.path), timeoutMs });
    // A gateway that got no answer: 504 when the server took too long, 502 for everything else.
    return sendStatusError(
      reply,
      failure.problem === 'timeout' ? 504 : 502,
      hostMessage('forwardNoAnswer', { name: info.name, url: client.url, reason: failure.message }),
    );
  }

  const declared = answer.headers['content-length'];
  const small = declared !== undefined && Number(declared) >= 0 && Number(declared) <= WHOLE_ANSWER_BYTES;
  // A refusal without a length (a proxy's chunked error page) is read too, up to the same bound, so its text
  // can be masked like any other.
  const refusal = answer.status >= 400 && declared === undefined;
  let answerBody: Readable = answer.body;
  if (request.method !== 'HEAD' && (small || refusal)) {
    // Read whole before anything is sent, so a server that breaks off mid-body still gets a clear 502 rather
    // than a reset connection, and a small answer (a list, a describe) goes out in one write.
    let read: Buffer | Readable;
    try {
      read = await readUpTo(answer.body, WHOLE_ANSWER_BYTES);
    } catch (error) {
      const failure = describeNetworkError(error, { url: client.urlOf(target.path), timeoutMs });
      return sendStatusError(
        reply,
        502,
        hostMessage('forwardBrokenAnswer', { name: info.name, url: client.url, reason: failure.message }),
      );
    }
    if (Buffer.isBuffer(read)) {
      const headers = answerHeaders(answer.headers);
      let whole = read;
      if (answer.status >= 400) {
        // A refusal is text quoted from the server: one that echoes the credentials it was sent has them masked.
        const text = whole.toString('utf8');
        const scrubbed = answer.scrub(text);
        if (scrubbed !== text) whole = Buffer.from(scrubbed);
      }
      if (declared !== undefined || whole !== read) headers['content-length'] = String(whole.length);
      reply.hijack();
      reply.raw.writeHead(answer.status, { ...(reply.getHeaders() as Record<string, string>), ...headers });
      reply.raw.end(whole);
      return reply;
    }
    answerBody = read;
  }
  reply.hijack();
  const raw = reply.raw;
  raw.writeHead(answer.status, {
    ...(reply.getHeaders() as Record<string, string>),
    ...answerHeaders(answer.headers),
  });
  await streamAnswer(answerBody, raw, open);
  return reply;
}

/**
 * The whole body when it ends within `limit` bytes; otherwise a stream of what was read followed by the rest,
 * to be piped like any large answer. Fails when the server breaks off before the end.
 */
async function readUpTo(body: Readable, limit: number): Promise<Buffer | Readable> {
  const chunks: Buffer[] = [];
  let size = 0;
  const reader = body[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  for (;;) {
    const next = await reader.next();
    if (next.done === true) return Buffer.concat(chunks);
    chunks.push(next.value);
    size += next.value.length;
    if (size > limit) break;
  }
  return Readable.from(
    (async function* () {
      yield* chunks;
      for (let next = await reader.next(); next.done !== true; next = await reader.next()) yield next.value;
    })(),
    { objectMode: false },
  );
}

/**
 * Pipes a large or open-ended answer (an upload's echo, a download, Server-Sent Events) as it arrives, and ends
 * both sides when either breaks off. Plain `pipe` rather than `stream.pipeline`, which builds an AbortController
 * and a DOMException for every answer, a measurable share of a forwarded list request.
 */
function streamAnswer(body: Readable, raw: HttpResponse, open: Set<() => void>): Promise<void> {
  return new Promise<void>((resolve) => {
    let settled = false;
    const settle = (broken: boolean): void => {
      if (settled) return;
      settled = true;
      open.delete(stop);
      // Only a broken answer closes the connection; a finished one leaves it for the caller's next request.
      if (broken) {
        body.destroy();
        raw.destroy();
      }
      resolve();
    };
    const stop = (): void => settle(true);
    open.add(stop);
    body.once('error', stop);
    raw.once('error', stop);
    raw.once('finish', () => settle(false));
    raw.once('close', () => settle(!raw.writableFinished));
    body.pipe(raw);
  });
}

function answerHeaders(headers: ServerResponse['headers'] | IncomingHttpHeaders): Record<string, string> {
  const kept: Record<string, string> = {};
  for (const name of ANSWER_HEADERS) {
    const value = headers[name];
    if (typeof value === 'string') kept[name] = value;
    else if (Array.isArray(value)) kept[name] = value.join(', ');
  }
  return kept;
}
