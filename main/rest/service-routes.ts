import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ServiceCreationRequest } from '../../shared/service-dto.js';
import { PluginError } from '../plugins/plugin-error.js';
import { assertId } from '../plugins/plugin-manager.js';
import type { ServiceManager } from '../services/service-manager.js';
import { decodeGoBody } from './go-json.js';
import { bodyText } from './plugin-routes.js';
import { sendJson, sendText } from './replies.js';
import { methodNotAllowed, route } from './route-table.js';

export interface ServiceRouteOptions {
  services: ServiceManager;
}

function pathName(request: FastifyRequest): string {
  return (request.params as { name: string }).name;
}

/**
 * eKuiper decodes `{"name","file"}` with Go's decoder. Its prefix is `Error decoding the %s service request
 * payload` with the `%s` never filled in (a bug in eKuiper's format string); the host answers the sentence it
 * meant, without the stray `%s`, since no script can usefully match a placeholder.
 */
function creationRequest(request: FastifyRequest): ServiceCreationRequest {
  const decoded = decodeGoBody(bodyText(request), 'ServiceCreationRequest');
  if (!decoded.ok) {
    throw new PluginError(`Invalid body: Error decoding the service request payload: ${decoded.error}`);
  }
  return {
    name: typeof decoded.body.name === 'string' ? decoded.body.name : '',
    file: typeof decoded.body.file === 'string' ? decoded.body.file : '',
  };
}

/**
 * eKuiper's `/services` routes (`internal/server/service_init.go`) with its statuses, texts and methods: the
 * list, create, describe, update and delete of services, and the list and describe of their functions.
 */
export function registerServiceRoutes(app: FastifyInstance, options: ServiceRouteOptions): void {
  const { services } = options;

  route(app, '/services', {
    GET: (_request, reply) => sendJson(reply, services.list()),
    POST: async (request, reply) => {
      const body = creationRequest(request);
      assertId(body.name);
      await services.create(body);
      return sendText(reply, 201, `service ${body.name} is created`);
    },
  });
  methodNotAllowed(app, '/services', ['GET', 'POST']);

  // Static, so it wins over `/services/:name` for GET; its other methods reach `/services/:name` as in mux.
  route(app, '/services/functions', { GET: (_request, reply) => sendJson(reply, services.listFunctions()) });

  route(app, '/services/functions/:name', {
    GET: (request, reply) => {
      const name = pathName(request);
      assertId(name);
      return sendJson(reply, services.describeFunction(name));
    },
  });
  methodNotAllowed(app, '/services/functions/:name', ['GET']);

  route(app, '/services/:name', {
    GET: (request, reply) => {
      const name = pathName(request);
      assertId(name);
      return sendJson(reply, services.describe(name));
    },
    PUT: async (request, reply) => {
      const name = pathName(request);
      assertId(name);
      // The path's name wins over the body's, as in eKuiper.
      const body = { ...creationRequest(request), name };
      await services.update(body);
      return sendText(reply, 200, `service ${name} is updated`);
    },
    DELETE: async (request, reply) => {
      const name = pathName(request);
      assertId(name);
      await services.delete(name);
      return sendText(reply, 200, `service ${name} is deleted`);
    },
  });
  methodNotAllowed(app, '/services/:name', ['GET', 'PUT', 'DELETE']);
}
