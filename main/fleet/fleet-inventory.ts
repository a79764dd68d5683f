import { hostMessage } from '../../shared/host-messages.js';
import type { PluginOverview } from '../../shared/plugin-dto.js';
import {
  LOCAL_SERVER_ID,
  type FleetPlugin,
  type FleetPluginsAnswer,
  type FleetServerPlugins,
} from '../../shared/server-dto.js';
import { boundedParallel } from '../servers/bounded-parallel.js';
import type { ServerApi } from '../servers/local-server-api.js';
import { DESCRIBE_PARALLEL, remoteInventory } from '../servers/remote-inventory.js';
import { failureOf } from '../servers/server-answer.js';
import type { ServerDirectory } from '../servers/server-directory.js';

/** Servers asked at once for the fleet view: each is a handful of requests, so all of a usual fleet at once. */
const SERVERS_PARALLEL = 16;

/** The API of a server by id: the host itself for `local`, else the server's client; undefined when unknown. */
export function serverApi(servers: ServerDirectory, local: ServerApi, id: string): ServerApi | undefined {
  if (id === LOCAL_SERVER_ID) return local;
  return servers.get(id) === undefined ? undefined : servers.client(id);
}

/**
 * Every listed server's plugins with their versions, and each portable plugin's process status (`running`,
 * `error` with eKuiper's `errMsg`), in one answer for the fleet view: servers are asked in parallel, and a server
 * that does not answer is listed with the reason rather than left out, so drift and outages both show.
 */
export async function listFleetPlugins(
  ids: readonly string[],
  servers: ServerDirectory,
  local: ServerApi,
): Promise<FleetPluginsAnswer> {
  const rows = await boundedParallel(ids, SERVERS_PARALLEL, async (server): Promise<FleetServerPlugins> => {
    const api = serverApi(servers, local, server);
    if (api === undefined)
      return { server, ok: false, message: hostMessage('fleetNoServer', { id: server }), plugins: [] };
    try {
      const inventory = await remoteInventory(api);
      const plugins = await boundedParallel(inventory, DESCRIBE_PARALLEL, (row) => fleetPlugin(api, row));
      const count = plugins.length;
      return { server, ok: true, message: `${count} plugin${count === 1 ? '' : 's'}`, plugins };
    } catch (error) {
      // A list that is not JSON (a web page answering every path) is not eKuiper: say so, not the parser's words.
      const message =
        error instanceof SyntaxError
          ? hostMessage('fleetInventoryNotJson', { problem: error.message })
          : failureOf(error, servers.get(server)).message;
      return { server, ok: false, message, plugins: [] };
    }
  });
  return { servers: rows };
}

/** One row of the fleet view; portable plugins carry their process status when the server reports one. */
async function fleetPlugin(api: ServerApi, row: PluginOverview): Promise<FleetPlugin> {
  const plugin: FleetPlugin = { kind: row.kind, name: row.name, version: row.version };
  if (row.kind !== 'portables') return plugin;
  const answer = await api.request({
    method: 'GET',
    path: `/plugins/portables/${encodeURIComponent(row.name)}/status`,
  });
  if (answer.status !== 200) {
    await answer.dump();
    return plugin;
  }
  // eKuiper sends this JSON as text/plain (reference §1.3): parse the text.
  const status = await answer
    .text()
    .then((text) => JSON.parse(text) as { status?: unknown; errMsg?: unknown })
    .catch(() => ({ status: undefined, errMsg: undefined }));
  if (typeof status.status === 'string') plugin.status = status.status;
  if (typeof status.errMsg === 'string' && status.errMsg !== '') plugin.errMsg = status.errMsg;
  return plugin;
}
