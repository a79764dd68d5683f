import type { FastifyInstance, FastifyRequest } from 'fastify';
import { EXTENSION_KINDS, checkExtensionRequest } from '../../shared/extension-fleet.js';
import { hostMessage } from '../../shared/host-messages.js';
import type { FleetContext } from '../fleet/fleet-action.js';
import { serverApi } from '../fleet/fleet-inventory.js';
import { prepareExtensionAction, runExtensionAction } from '../fleet/extension-action.js';
import { listFleetExtensions } from '../fleet/extension-inventory.js';
import { exportExtensions, importExtensions, readImportFile } from '../fleet/extension-transfer.js';
import { PluginError } from '../plugins/plugin-error.js';
import { failureOf } from '../servers/server-answer.js';
import { abortWhenClientLeaves } from './client-gone.js';
import { endStreamsOnClose } from './event-stream.js';
import { answerFleetRun, fleetBody, fleetServerIds } from './fleet-routes.js';
import { bodyText } from './plugin-routes.js';
import { sendJson, sendStatusError } from './replies.js';
import { methodNotAllowed, route } from './route-table.js';

function serverOf(request: FastifyRequest, context: FleetContext) {
  const id = (request.params as { id: string }).id;
  const info = context.servers.get(id);
  const api = serverApi(context.servers, context.local, id);
  if (info === undefined || api === undefined)
    throw PluginError.notFound(hostMessage('forwardNoServer', { id }));
  return { info, api };
}

/**
 * The fleet routes of JavaScript functions and services — which server has which (`GET /manager/fleet/{kind}`)
 * and create, update or delete on many servers (`POST`, JSON or progress events as for plugins) — and the export
 * and import of one server's functions and services (`/manager/servers/{id}/extensions/export|import`).
 */
export function registerExtensionFleetRoutes(app: FastifyInstance, context: FleetContext): void {
  const { servers, local } = context;
  const streams = endStreamsOnClose(app);

  for (const kind of EXTENSION_KINDS) {
    const url = `/manager/fleet/${kind}`;
    route(app, url, {
      GET: async (request, reply) => {
        const ids = fleetServerIds(request, servers);
        return sendJson(reply, await listFleetExtensions(kind, ids, servers, local));
      },
      POST: async (request, reply) => {
        const checked = checkExtensionRequest(
          kind,
          fleetBody(request),
          (id) => servers.get(id) !== undefined,
        );
        if (!checked.ok) throw new PluginError(`invalid fleet request: ${checked.problem}`);
        const fleetRequest = checked.request;
        const cancelled = abortWhenClientLeaves(reply);
        const zip = await prepareExtensionAction(fleetRequest, context);
        return answerFleetRun(request, reply, streams, (onEvent) =>
          runExtensionAction(fleetRequest, zip, context, onEvent, cancelled),
        );
      },
    });
    methodNotAllowed(app, url, ['GET', 'POST']);
  }

  const exportUrl = '/manager/servers/:id/extensions/export';
  route(app, exportUrl, {
    GET: async (request, reply) => {
      const { info, api } = serverOf(request, context);
      try {
        const file = await exportExtensions(info, api, context);
        const day = new Date().toISOString().slice(0, 10);
        return sendJson(
          reply.header('Content-Disposition', `attachment; filename="${info.id}-extensions-${day}.json"`),
          file,
        );
      } catch (error) {
        const failure = failureOf(error, info);
        const status = failure.status >= 400 ? failure.status : 502;
        return sendStatusError(
          reply,
          status,
          hostMessage('serverFailed', { name: info.name, reason: failure.message }),
        );
      }
    },
  });
  methodNotAllowed(app, exportUrl, ['GET']);

  const importUrl = '/manager/servers/:id/extensions/import';
  route(app, importUrl, {
    POST: async (request, reply) => {
      const { info, api } = serverOf(request, context);
      const dryRun = (request.query as { dryRun?: unknown }).dryRun;
      if (dryRun !== undefined && dryRun !== 'true' && dryRun !== 'false') {
        throw new PluginError('invalid import request: dryRun must be true or false');
      }
      const entries = readImportFile(bodyText(request));
      return sendJson(reply, await importExtensions(entries, info, api, context, dryRun === 'true'));
    },
  });
  methodNotAllowed(app, importUrl, ['POST']);
}
