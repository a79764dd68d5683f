import type { FastifyInstance, FastifyRequest } from 'fastify';
import { PluginError } from '../plugins/plugin-error.js';
import { jsonErrorPlace } from '../servers/json-file.js';
import type { ServerRegistry } from '../servers/server-registry.js';
import { bodyText } from './plugin-routes.js';
import { sendJson, sendText } from './replies.js';
import { methodNotAllowed, route } from './route-table.js';

export interface ServerRouteOptions {
  servers: ServerRegistry;
}

/**
 * The JSON body of a server request; a body that is not JSON is the client's mistake, said plainly. The parser's
 * own message is not repeated: V8 quotes the text around the error, which may be a password.
 */
function jsonBody(request: FastifyRequest): unknown {
  const text = bodyText(request);
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new PluginError(
      text.trim() === ''
        ? 'invalid server: the body is empty; send the server as JSON'
        : `invalid server: the body is not JSON${jsonErrorPlace(error)}`,
    );
  }
}

function idOf(request: FastifyRequest): string {
  return (request.params as { id: string }).id;
}

/**
 * The servers the window and scripts manage, under `/manager/servers`: list, add, read, edit, remove, check
 * one, and test settings before saving them. Secrets go in and never come out. Behind the access guard like
 * every route; errors in eKuiper's shape (400/1000, 404/1002).
 */
export function registerServerRoutes(app: FastifyInstance, options: ServerRouteOptions): void {
  const { servers } = options;

  route(app, '/manager/servers', {
    GET: (_request, reply) => sendJson(reply, servers.list()),
    POST: async (request, reply) => sendJson(reply, await servers.add(jsonBody(request)), 201),
  });
  methodNotAllowed(app, '/manager/servers', ['GET', 'POST']);

  // Static, so it wins over `/manager/servers/:id` for POST; other methods fall through to the id's routes.
  route(app, '/manager/servers/check', {
    POST: async (request, reply) => sendJson(reply, await servers.checkSettings(jsonBody(request))),
  });

  route(app, '/manager/servers/:id', {
    GET: (request, reply) => {
      const server = servers.get(idOf(request));
      if (server === undefined) throw PluginError.notFound(`server ${idOf(request)} not found`);
      return sendJson(reply, server);
    },
    PUT: async (request, reply) => sendJson(reply, await servers.update(idOf(request), jsonBody(request))),
    DELETE: async (request, reply) => {
      const removed = await servers.remove(idOf(request));
      return sendText(reply, 200, `server ${removed.name} is deleted`);
    },
  });
  methodNotAllowed(app, '/manager/servers/:id', ['GET', 'PUT', 'DELETE']);

  route(app, '/manager/servers/:id/check', {
    POST: async (request, reply) => sendJson(reply, await servers.check(idOf(request))),
  });
  methodNotAllowed(app, '/manager/servers/:id/check', ['POST']);
}
