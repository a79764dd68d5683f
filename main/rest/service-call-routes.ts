import type { FastifyInstance } from 'fastify';
import { assertId } from '../plugins/plugin-manager.js';
import { callTargetOf } from '../services/call/call-target.js';
import { invokeServiceFunction } from '../services/call/service-invoker.js';
import type { ServiceManager } from '../services/service-manager.js';
import { callArgs } from './call-args.js';
import { sendJson } from './replies.js';
import { methodNotAllowed, route } from './route-table.js';

export interface ServiceCallRouteOptions {
  services: ServiceManager;
}

/**
 * Try it for service functions: `POST /manager/services/functions/{name}/call` with `{"args":[…]}` calls the
 * function as a rule would and answers the whole exchange. A call that fails is still a 200 (`ok: false` and
 * why): the call ran. A function no service provides is eKuiper's 404; a bad name or body, its 400.
 */
export function registerServiceCallRoutes(app: FastifyInstance, options: ServiceCallRouteOptions): void {
  const { services } = options;
  const callUrl = '/manager/services/functions/:name/call';
  route(app, callUrl, {
    POST: async (request, reply) => {
      const name = (request.params as { name: string }).name;
      assertId(name);
      const args = callArgs(request);
      // eKuiper's 404 for a missing function (`describe function <name> error: not found`).
      services.describeFunction(name);
      const target = callTargetOf(services.resolveFunction(name)!);
      return sendJson(reply, await invokeServiceFunction(target, args));
    },
  });
  methodNotAllowed(app, callUrl, ['POST']);
}
