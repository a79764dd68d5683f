import { hostMessage } from '../../shared/host-messages.js';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ServerDirectory } from '../servers/server-directory.js';
import { checkFleetRequest } from '../../shared/fleet-rules.js';
import type { FleetPluginAnswer, FleetProgressEvent, FleetServerResult } from '../../shared/server-dto.js';
import { prepareFleetAction, runFleetAction, type FleetContext } from '../fleet/fleet-action.js';
import { listFleetPlugins, serverApi } from '../fleet/fleet-inventory.js';
import { PluginError, errorText } from '../plugins/plugin-error.js';
import { remoteInventory } from '../servers/remote-inventory.js';
import { failureOf } from '../servers/server-answer.js';
import { abortWhenClientLeaves } from './client-gone.js';
import { endStreamsOnClose, openEventStream } from './event-stream.js';
import { bodyText } from './plugin-routes.js';
import { sendJson, sendStatusError } from './replies.js';
import { methodNotAllowed, route } from './route-table.js';

/**
 * The servers a fleet list asks: `?servers=a,b` (each id once, every one known — else a 400 naming the unknown),
 * or every listed server.
 */
export function fleetServerIds(request: FastifyRequest, servers: ServerDirectory): string[] {
  const query = (request.query as { servers?: unknown }).servers;
  let ids = servers.list().map((server) => server.id);
  if (typeof query === 'string' && query.trim() !== '') {
    ids = [
      ...new Set(
        query
          .split(',')
          .map((id) => id.trim())
          .filter((id) => id !== ''),
      ),
    ];
    const unknown = ids.filter((id) => servers.get(id) === undefined);
    if (unknown.length > 0) {
      throw new PluginError(
        `invalid fleet request: no server has the id ${unknown.map((id) => `'${id}'`).join(', ')} ` +
          '(GET /manager/servers lists the servers and their ids)',
      );
    }
  }
  return ids;
}

/** A fleet request's JSON body; one that is not JSON is a 400 before anything runs. */
export function fleetBody(request: FastifyRequest): unknown {
  try {
    return JSON.parse(bodyText(request));
  } catch (error) {
    throw new PluginError(`invalid fleet request: the body is not JSON: ${errorText(error)}`);
  }
}

/**
 * Answers a fleet run as JSON (`{"results":[…]}`) or, with `Accept: text/event-stream`, as its progress events.
 * A caller that goes away (the window's dialog closed, a script interrupted) cancels what has not started: the
 * servers already running finish (stopping halfway would leave them in between, uploads behind), the others are
 * not started, and the events are dropped: `run` gets that from the route's `abortWhenClientLeaves(reply)`, taken
 * before the zip was obtained, so a caller gone while it downloaded starts no server at all.
 */
export async function answerFleetRun(
  request: FastifyRequest,
  reply: FastifyReply,
  streams: ReturnType<typeof endStreamsOnClose>,
  run: (onEvent?: (event: FleetProgressEvent) => void) => Promise<FleetServerResult[]>,
): Promise<FastifyReply> {
  if (!(request.headers.accept ?? '').includes('text/event-stream')) {
    const answer: FleetPluginAnswer = { results: await run() };
    return sendJson(reply, answer);
  }
  const stream = openEventStream(request, reply, streams, () => {});
  await run((event) => stream.send(event));
  stream.end();
  return reply;
}

function unknownServer(id: string): PluginError {
  return PluginError.notFound(hostMessage('forwardNoServer', { id }));
}

/**
 * A server's plugins (`GET /manager/servers/{id}/plugins`) and the fleet routes: every server's plugins at once
 * (`GET /manager/fleet/plugins`) and install, update or delete on many servers (`POST /manager/fleet/plugins`),
 * answered as JSON or, with `Accept: text/event-stream`, as progress events ending in the same results.
 */
export function registerFleetRoutes(app: FastifyInstance, context: FleetContext): void {
  const { servers, local } = context;

  route(app, '/manager/servers/:id/plugins', {
    GET: async (request, reply) => {
      const id = (request.params as { id: string }).id;
      const api = serverApi(servers, local, id);
      if (api === undefined) throw unknownServer(id);
      try {
        return sendJson(reply, await remoteInventory(api));
      } catch (error) {
        const info = servers.get(id)!;
        const failure = failureOf(error, info);
        // The server's refusal keeps its status; a server that could not be reached is a bad gateway.
        const status = failure.status >= 400 ? failure.status : 502;
        return sendStatusError(
          reply,
          status,
          hostMessage('serverFailed', { name: info.name, reason: failure.message }),
        );
      }
    },
  });
  methodNotAllowed(app, '/manager/servers/:id/plugins', ['GET']);

  const streams = endStreamsOnClose(app);
  route(app, '/manager/fleet/plugins', {
    GET: async (request, reply) =>
      sendJson(reply, await listFleetPlugins(fleetServerIds(request, servers), servers, local)),
    POST: async (request, reply) => {
      const checked = checkFleetRequest(fleetBody(request), (id) => servers.get(id) !== undefined);
      if (!checked.ok) throw new PluginError(`invalid fleet request: ${checked.problem}`);
      const fleetRequest = checked.request;
      const cancelled = abortWhenClientLeaves(reply);
      const zip = await prepareFleetAction(fleetRequest, context);
      return answerFleetRun(request, reply, streams, (onEvent) =>
        runFleetAction(fleetRequest, zip, context, onEvent, cancelled),
      );
    },
  });
  methodNotAllowed(app, '/manager/fleet/plugins', ['GET', 'POST']);
}
