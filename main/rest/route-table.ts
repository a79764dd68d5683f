import type { FastifyInstance, FastifyReply, FastifyRequest, HTTPMethods } from 'fastify';
import { sendError } from './replies.js';

export type Handler = (request: FastifyRequest, reply: FastifyReply) => Promise<FastifyReply> | FastifyReply;

const ALL_METHODS: HTTPMethods[] = ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'PATCH'];

/**
 * Registers a path with its handlers per method, their errors answered by `sendError`, and — as gorilla/mux
 * does for eKuiper — answers every other method with 405 and an empty body. Methods are registered one by one so a static path such as
 * `/plugins/sources/prebuild` takes only GET and lets DELETE fall through to `/plugins/sources/:name`,
 * exactly as eKuiper's router does.
 */
export function route(
  app: FastifyInstance,
  url: string,
  handlers: Partial<Record<HTTPMethods, Handler>>,
): void {
  for (const method of ALL_METHODS) {
    const handler = handlers[method];
    if (handler !== undefined)
      app.route({ method, url, handler: withNonEmptyParams(answeringErrors(handler)) });
  }
}

/** Handlers just throw: whatever they throw is answered in eKuiper's error shape (`sendError`). */
function answeringErrors(handler: Handler): Handler {
  return async (request, reply) => {
    try {
      return await handler(request, reply);
    } catch (error) {
      return sendError(reply, error);
    }
  };
}

/**
 * mux's `{name}` matches one or more characters, so `/plugins/sources/` is an unknown path (404 page not
 * found); Fastify's `:name` also matches the empty string, which must not reach the handler.
 */
function withNonEmptyParams(handler: Handler): Handler {
  return (request, reply) => {
    const params = request.params as Record<string, string> | undefined;
    if (params !== undefined && Object.values(params).some((value) => value === '')) {
      reply.callNotFound();
      return reply;
    }
    return handler(request, reply);
  };
}

/** The 405 half of `route`, for paths whose other methods are not claimed by a parametric sibling. */
export function methodNotAllowed(app: FastifyInstance, url: string, allowed: HTTPMethods[]): void {
  for (const method of ALL_METHODS) {
    if (!allowed.includes(method)) {
      app.route({ method, url, handler: withNonEmptyParams((_request, reply) => reply.code(405).send()) });
    }
  }
}
