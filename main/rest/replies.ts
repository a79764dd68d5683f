import type { FastifyReply } from 'fastify';
import { ErrorCode } from '../../shared/error-codes.js';
import { PluginError, asPluginError } from '../plugins/plugin-error.js';
import { errorMessageJson, goJson } from './go-json.js';

const TEXT = 'text/plain; charset=utf-8';

/** eKuiper's plain-text successes (`… is created`), no trailing newline. */
export function sendText(reply: FastifyReply, status: number, text: string): FastifyReply {
  return reply.code(status).type(TEXT).send(text);
}

/** eKuiper's `jsonResponse`: `application/json`, Go's encoding, no trailing newline. */
export function sendJson(reply: FastifyReply, value: unknown, status = 200): FastifyReply {
  // A Buffer, not a string: Fastify appends `; charset=utf-8` to a JSON type sent with a string payload,
  // and eKuiper sends `application/json` with no charset.
  return reply
    .code(status)
    .header('Content-Type', 'application/json')
    .send(Buffer.from(goJson(value), 'utf8'));
}

/** `sendJson` for an answer already encoded (cached list answers). */
export function sendJsonBody(reply: FastifyReply, body: Buffer): FastifyReply {
  return reply.code(200).header('Content-Type', 'application/json').send(body);
}

/**
 * eKuiper's `handleError`: 404 for code 1002, else 400; `text/plain`, `nosniff`, the JSON body followed by a
 * newline; the message quoted as Go's `%q` quotes it (`<` stays `<`, unlike in JSON successes) but always
 * valid JSON (see `errorMessageJson`). Anything that
 * is not a PluginError still answers in this shape rather than as a 500.
 */
export function sendError(reply: FastifyReply, error: unknown, prefix?: string): FastifyReply {
  const failure = error instanceof PluginError && prefix === undefined ? error : asPluginError(error, prefix);
  const status = failure.code === ErrorCode.NotFound ? 404 : 400;
  return reply
    .code(status)
    .type(TEXT)
    .header('X-Content-Type-Options', 'nosniff')
    .send(`{"error":${failure.code},"message":${errorMessageJson(failure.message)}}\n`);
}

/** An error in eKuiper's shape with a status eKuiper never uses (403 for refused origins, for example). */
export function sendStatusError(reply: FastifyReply, status: number, message: string): FastifyReply {
  return reply
    .code(status)
    .type(TEXT)
    .header('X-Content-Type-Options', 'nosniff')
    .send(`${goJson({ error: ErrorCode.Undefined, message })}\n`);
}
