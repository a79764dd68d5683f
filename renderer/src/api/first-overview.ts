import type { PluginOverview } from '../../../shared/plugin-dto';
import { pluginApi } from './plugin-api';
import { currentServer } from './server-scope';

/** The overview and the UDF list, as the first load needs them. */
export type FirstOverview = [PluginOverview[], string[]];

let pending: { server: string; lists: Promise<FirstOverview> } | undefined;

/**
 * The overview and the UDF list of `server`, asked for together (`GET /manager/plugins` and `GET /plugins/udfs`,
 * or a remote server's equivalents).
 */
export function requestLists(server: string = currentServer()): Promise<FirstOverview> {
  return Promise.all([pluginApi.overview(server), pluginApi.udfs(server)]);
}

/**
 * Asks the host for the lists from the entry script, before the browser has even downloaded React and Mantine:
 * with thousands of plugins the host's answer and the app's code then travel side by side, instead of the request
 * waiting for the whole app to be parsed and evaluated first.
 */
export function startFirstOverview(): void {
  const server = currentServer();
  pending = { server, lists: requestLists(server) };
  // Consumed (and its failure reported) by the store's first load; this only keeps an early failure from being
  // reported as unhandled before the app has mounted.
  pending.lists.catch(() => undefined);
}

/**
 * The early request, once, if it was for `server`: the store's first load takes it; later loads (and loads for
 * another server) ask afresh.
 */
export function takeFirstOverview(server: string): Promise<FirstOverview> | undefined {
  const taken = pending;
  pending = undefined;
  return taken?.server === server ? taken.lists : undefined;
}
