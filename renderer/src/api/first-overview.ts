import type { PluginOverview } from '../../../shared/plugin-dto';
import { pluginApi } from './plugin-api';

/** The overview and the UDF list, as the first load needs them. */
export type FirstOverview = [PluginOverview[], string[]];

let pending: Promise<FirstOverview> | undefined;

/** The overview and the UDF list, asked for together (`GET /manager/plugins` and `GET /plugins/udfs`). */
export function requestLists(): Promise<FirstOverview> {
  return Promise.all([pluginApi.overview(), pluginApi.udfs()]);
}

/**
 * Asks the host for the lists from the entry script, before the browser has even downloaded React and Mantine:
 * with thousands of plugins the host's answer and the app's code then travel side by side, instead of the request
 * waiting for the whole app to be parsed and evaluated first.
 */
export function startFirstOverview(): void {
  pending = requestLists();
  // Consumed (and its failure reported) by the store's first load; this only keeps an early failure from being
  // reported as unhandled before the app has mounted.
  pending.catch(() => undefined);
}

/** The early request, once: the store's first load takes it; later loads ask the host afresh. */
export function takeFirstOverview(): Promise<FirstOverview> | undefined {
  const taken = pending;
  pending = undefined;
  return taken;
}
