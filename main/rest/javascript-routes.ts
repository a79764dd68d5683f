import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { JsFunctionManager } from '../javascript/js-function-manager.js';
import type { JsFunction } from '../javascript/js-function-store.js';
import { PluginError } from '../plugins/plugin-error.js';
import { assertId } from '../plugins/plugin-manager.js';
import { callArgs } from './call-args.js';
import { decodeGoBody } from './go-json.js';
import { bodyText } from './plugin-routes.js';
import { sendJson, sendText } from './replies.js';
import { methodNotAllowed, route } from './route-table.js';

export interface JavascriptRouteOptions {
  functions: JsFunctionManager;
}

function pathId(request: FastifyRequest): string {
  return (request.params as { id: string }).id;
}

/** eKuiper decodes the body into `js.Script` and then checks the body's id with ValidateID (no prefix). */
function scriptBody(request: FastifyRequest, prefix: string): JsFunction {
  const decoded = decodeGoBody(bodyText(request), 'Script');
  if (!decoded.ok) throw new PluginError(`${prefix}: ${decoded.error}`);
  const body = decoded.body;
  const fn: JsFunction = {
    id: typeof body.id === 'string' ? body.id : '',
    description: typeof body.description === 'string' ? body.description : '',
    script: typeof body.script === 'string' ? body.script : '',
    isAgg: body.isAgg === true,
  };
  assertId(fn.id);
  return fn;
}

/**
 * eKuiper's `/udf/javascript` routes (`internal/server/script_init.go`) with its statuses and texts, and the
 * host's own `Try it` call under `/manager/udf/javascript/{id}/call`.
 */
export function registerJavascriptRoutes(app: FastifyInstance, options: JavascriptRouteOptions): void {
  const { functions } = options;

  route(app, '/udf/javascript', {
    GET: (_request, reply) => sendJson(reply, functions.list()),
    POST: async (request, reply) => {
      const fn = scriptBody(request, 'Invalid body: Error decoding the new javascript function json');
      await functions.create(fn);
      return sendText(reply, 201, `javascript function ${fn.id} is created`);
    },
  });
  methodNotAllowed(app, '/udf/javascript', ['GET', 'POST']);

  route(app, '/udf/javascript/:id', {
    GET: (request, reply) => {
      const id = pathId(request);
      assertId(id);
      return sendJson(reply, functions.describe(id));
    },
    PUT: async (request, reply) => {
      assertId(pathId(request));
      const fn = scriptBody(request, 'Invalid body: Error decoding the javascript function json');
      await functions.update(fn);
      return sendText(reply, 200, `javascript function ${fn.id} is updated`);
    },
    DELETE: async (request, reply) => {
      const id = pathId(request);
      assertId(id);
      await functions.delete(id);
      return sendText(reply, 200, `javascript function ${id} is deleted`);
    },
  });
  methodNotAllowed(app, '/udf/javascript/:id', ['GET', 'PUT', 'DELETE']);

  const callUrl = '/manager/udf/javascript/:id/call';
  route(app, callUrl, {
    POST: async (request, reply) => {
      const id = pathId(request);
      assertId(id);
      return sendJson(reply, await functions.call(id, callArgs(request)));
    },
  });
  methodNotAllowed(app, callUrl, ['POST']);
}
