import type { FastifyInstance, FastifyRequest } from 'fastify';
import { NATIVE_KINDS, type NativeKind } from '../../shared/plugin-kinds.js';
import { PluginError } from '../plugins/plugin-error.js';
import { assertId, type PluginManager } from '../plugins/plugin-manager.js';
import { prebuiltPlugins } from '../plugins/prebuilt-plugins.js';
import type { InstallRequest } from '../plugins/install-staging.js';
import type { SettingsSource } from '../settings/host-settings.js';
import { abortWhenClientLeaves } from './client-gone.js';
import { decodeGoBody, goJson, type GoBodyName } from './go-json.js';
import { sendJson, sendJsonBody, sendText } from './replies.js';
import { methodNotAllowed, route } from './route-table.js';

export interface PluginRouteOptions {
  manager: PluginManager;
  settings: SettingsSource;
  /** `DELETE …?stop=1`: called after the answer is sent, as eKuiper exits a second after answering. */
  onStopRequested: () => void;
}

/** The body as text, whatever Content-Type the client sent: eKuiper decodes JSON regardless of it. */
export function bodyText(request: FastifyRequest): string {
  const body = request.body;
  if (Buffer.isBuffer(body)) return body.toString('utf8');
  return typeof body === 'string' ? body : '';
}

function name(request: FastifyRequest): string {
  return (request.params as { name: string }).name;
}

function installRequest(request: FastifyRequest, struct: GoBodyName, what: string): InstallRequest {
  const decoded = decodeGoBody(bodyText(request), struct);
  if (!decoded.ok)
    throw new PluginError(`Invalid body: Error decoding the ${what} plugin json: ${decoded.error}`);
  const body = decoded.body;
  const result: InstallRequest = {
    name: (body.name as string | undefined) ?? '',
    file: (body.file as string | undefined) ?? '',
    shellParas: (body.shellParas as string[] | undefined) ?? [],
  };
  if (body.functions !== undefined) result.functions = body.functions as string[];
  return result;
}

function bodyStruct(kind: NativeKind): GoBodyName {
  return kind === 'functions' ? 'FuncPlugin' : 'IOPlugin';
}

/**
 * Serialises a list answer once per revision of what it lists: lists are read far more often than they change,
 * and sorting and encoding thousands of names on every request was most of the cost of `GET /plugins/sinks`.
 */
export function cachedList(source: { readonly revision: number }, list: () => unknown): () => Buffer {
  let revision = -1;
  let body = Buffer.alloc(0);
  return () => {
    if (revision !== source.revision) {
      body = Buffer.from(goJson(list()), 'utf8');
      revision = source.revision;
    }
    return body;
  };
}

/** Every route of eKuiper's plugin API (reference §2.1, §2.2), answering in its shapes and texts. */
export function registerPluginRoutes(app: FastifyInstance, options: PluginRouteOptions): void {
  const { manager, settings } = options;

  for (const kind of NATIVE_KINDS) {
    const nativeList = cachedList(manager, () => manager.listNative(kind));
    route(app, `/plugins/${kind}/prebuild`, {
      GET: async (_request, reply) => {
        return sendJson(reply, await prebuiltPlugins(kind, settings.read()));
      },
    });
    route(app, `/plugins/${kind}`, {
      GET: (_request, reply) => sendJsonBody(reply, nativeList()),
      POST: async (request, reply) => {
        const body = installRequest(request, bodyStruct(kind), kind);
        return sendText(reply, 201, await manager.createNative(kind, body, abortWhenClientLeaves(reply)));
      },
    });
    methodNotAllowed(app, `/plugins/${kind}`, ['GET', 'POST']);
    route(app, `/plugins/${kind}/:name`, {
      GET: (request, reply) => {
        return sendJson(reply, manager.describeNative(kind, name(request)));
      },
      DELETE: async (request, reply) => {
        const stop = (request.query as Record<string, string | undefined>).stop === '1';
        const text = await manager.deleteNative(kind, name(request), stop);
        if (stop) reply.raw.once('finish', options.onStopRequested);
        return sendText(reply, 200, text);
      },
      PUT: async (request, reply) => {
        // eKuiper checks the URL name before it decodes the body.
        assertId(name(request));
        const body = installRequest(request, bodyStruct(kind), kind);
        return sendText(
          reply,
          200,
          await manager.updateNative(kind, name(request), body, abortWhenClientLeaves(reply)),
        );
      },
    });
    methodNotAllowed(app, `/plugins/${kind}/:name`, ['GET', 'DELETE', 'PUT']);
  }

  route(app, '/plugins/functions/:name/register', {
    POST: async (request, reply) => {
      // eKuiper's order: the name, then whether the plugin exists, then the body.
      manager.requireFunctionPlugin(name(request));
      const decoded = decodeGoBody(bodyText(request), 'functionList');
      if (!decoded.ok)
        throw new PluginError(`Invalid body: Error decoding the function list json: ${decoded.error}`);
      const functions = (decoded.body.functions as string[] | undefined) ?? [];
      return sendText(reply, 200, await manager.registerFunctions(name(request), functions));
    },
  });
  methodNotAllowed(app, '/plugins/functions/:name/register', ['POST']);

  const udfList = cachedList(manager, () => manager.listUdfs());
  route(app, '/plugins/udfs', { GET: (_request, reply) => sendJsonBody(reply, udfList()) });
  methodNotAllowed(app, '/plugins/udfs', ['GET']);
  route(app, '/plugins/udfs/:name', {
    GET: (request, reply) => {
      return sendJson(reply, manager.describeUdf(name(request)));
    },
  });
  methodNotAllowed(app, '/plugins/udfs/:name', ['GET']);

  const portableList = cachedList(manager, () => manager.listPortables());
  route(app, '/plugins/portables', {
    GET: (_request, reply) => sendJsonBody(reply, portableList()),
    POST: async (request, reply) => {
      const body = installRequest(request, 'IOPlugin', 'portable');
      return sendText(reply, 201, await manager.createPortable(body, abortWhenClientLeaves(reply)));
    },
  });
  methodNotAllowed(app, '/plugins/portables', ['GET', 'POST']);
  route(app, '/plugins/portables/:name', {
    GET: (request, reply) => {
      return sendJson(reply, manager.describePortable(name(request)));
    },
    DELETE: async (request, reply) => {
      return sendText(reply, 200, await manager.deletePortable(name(request)));
    },
    PUT: async (request, reply) => {
      const body = installRequest(request, 'IOPlugin', 'portable');
      return sendText(
        reply,
        200,
        await manager.updatePortable(name(request), body, abortWhenClientLeaves(reply)),
      );
    },
  });
  methodNotAllowed(app, '/plugins/portables/:name', ['GET', 'DELETE', 'PUT']);
  route(app, '/plugins/portables/:name/status', {
    GET: (request, reply) => {
      return sendJson(reply, manager.portableStatus(name(request)));
    },
  });
  methodNotAllowed(app, '/plugins/portables/:name/status', ['GET']);
}
