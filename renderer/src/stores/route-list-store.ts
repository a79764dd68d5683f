import { create, type StoreApi, type UseBoundStore } from 'zustand';
import { requestJson } from '../api/http';
import { currentServer } from '../api/server-scope';
import { useCapabilitiesStore, type RouteCapability } from './capabilities-store';

/** The names one of eKuiper's optional list routes answered for the current server. */
export interface RouteListState {
  /** The server the names are of: everything here belongs to it, and switching servers starts afresh. */
  server: string;
  names: string[];
  /** `missing`: the server answered that it has no such route (its build lacks it); `names` is then empty. */
  status: 'idle' | 'loading' | 'ready' | 'missing' | 'error';
  error: string | undefined;
  /** Asks the route again; overlapping calls keep the newest answer only. */
  load: () => Promise<void>;
  /** Forgets the previous server's names and loads those of `server`. */
  switchTo: (server: string) => Promise<void>;
}

/**
 * A store for the names an optional eKuiper list route answers (`GET /services`, `GET /udf/javascript`). Its
 * answer is also the probe: the capability named `capability` is recorded per server from it, so the tab can
 * explain what a server lacks instead of showing an empty list.
 */
export function createRouteListStore(
  path: string,
  capability: RouteCapability,
): UseBoundStore<StoreApi<RouteListState>> {
  let generation = 0;
  return create<RouteListState>()((set, get) => ({
    server: currentServer(),
    names: [],
    status: 'idle',
    error: undefined,
    async load() {
      const mine = ++generation;
      const { server } = get();
      if (get().status === 'idle' || get().status === 'missing') set({ status: 'loading' });
      try {
        const names = await requestJson<unknown>(path, { server });
        useCapabilitiesStore.getState().noteRoute(server, capability, undefined);
        if (mine !== generation || server !== get().server) return;
        const list = Array.isArray(names)
          ? names.filter((name): name is string => typeof name === 'string')
          : [];
        set({ names: list, status: 'ready', error: undefined });
      } catch (error) {
        useCapabilitiesStore.getState().noteRoute(server, capability, error);
        // Not noted for the connection banner: the plugin lists report the server's reachability in one voice,
        // and these lists go through another route whose refusal is worded differently.
        if (mine !== generation || server !== get().server) return;
        const missing = useCapabilitiesStore.getState().byServer[server]?.[capability] === 'no';
        set({
          status: missing ? 'missing' : 'error',
          names: missing ? [] : get().names,
          error: (error as Error).message,
        });
      }
    },
    async switchTo(server) {
      if (server === get().server && get().status !== 'idle') return get().load();
      ++generation;
      set({ server, names: [], status: 'idle', error: undefined });
      return get().load();
    },
  }));
}

/** The current server's external services (`GET /services`), for the tab's badge and list. */
export const useServiceNamesStore = createRouteListStore('/services', 'services');

/** The current server's custom JavaScript functions (`GET /udf/javascript`), for the tab's badge and list. */
export const useJavascriptNamesStore = createRouteListStore('/udf/javascript', 'javascript');

const ROUTE_LISTS = [useServiceNamesStore, useJavascriptNamesStore];

/** Reloads both lists of the current server (refresh, reconnect); lists never loaded load for the first time. */
export function loadRouteLists(): void {
  for (const store of ROUTE_LISTS) void store.getState().load();
}

/** Moves both lists to `server` (the window switched servers). */
export function switchRouteLists(server: string): void {
  for (const store of ROUTE_LISTS) void store.getState().switchTo(server);
}
