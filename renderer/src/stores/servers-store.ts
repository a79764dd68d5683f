import { create } from 'zustand';
import type { PluginOverview } from '../../../shared/plugin-dto';
import {
  LOCAL_SERVER_ID,
  type ServerCheck,
  type ServerInfo,
  type ServerInput,
} from '../../../shared/server-dto';
import { currentServer, rememberServerTimeouts, setCurrentServer } from '../api/server-scope';
import { serversApi } from '../api/servers-api';
import { noteConnectionError } from './connection-store';

/** One server's plugins as `GET /manager/servers/{id}/plugins` answered them: loaded on demand and kept. */
export interface ServerPlugins {
  status: 'loading' | 'ready' | 'error';
  /** The last answer; kept while a reload runs or after it failed. */
  plugins: PluginOverview[];
  error: string | undefined;
  /** When the last answer arrived (epoch ms). */
  loadedAt: number | undefined;
}

interface ServersState {
  /** Every server the host knows, `local` first, with its last health check. */
  servers: ServerInfo[];
  status: 'idle' | 'loading' | 'ready' | 'error';
  error: string | undefined;
  /** The server the window works on; every request without a server of its own goes there. */
  currentId: string;
  /** Servers whose check (`POST /manager/servers/{id}/check`) is running. */
  checking: Record<string, boolean>;
  /** Plugin lists by server id, for counts on the Servers page and anything else that compares servers. */
  plugins: Record<string, ServerPlugins>;
  /** Reads the list (and with it each server's health); a current server that is gone falls back to `local`. */
  load: () => Promise<void>;
  /** Works on `id` from now on (the caller reloads what the window shows). */
  select: (id: string) => void;
  /** Adds a server, then checks it in the background; answers the stored server (throws the host's 400). */
  add: (input: ServerInput) => Promise<ServerInfo>;
  /** Changes a server, then checks it again; secrets left out are kept. */
  update: (id: string, input: ServerInput) => Promise<ServerInfo>;
  /** Removes a server; the window leaves it first if it was the current one. */
  remove: (id: string) => Promise<void>;
  /** Checks a server now and keeps the answer as its health. */
  check: (id: string) => Promise<ServerCheck>;
  /** Loads a server's plugins unless they are loaded already (or `force`). */
  loadPlugins: (id: string, force?: boolean) => Promise<void>;
  /** Keeps a server's plugins the window has just read anyway (its Extensions page), so counts stay current. */
  notePlugins: (id: string, plugins: PluginOverview[]) => void;
}

let loadGeneration = 0;

/** A copy of a record by server id without `id`'s entry. */
function without<T>(record: Record<string, T>, id: string): Record<string, T> {
  return Object.fromEntries(Object.entries(record).filter(([key]) => key !== id));
}

/** A copy of `servers` with one server's health replaced. */
function withHealth(servers: ServerInfo[], id: string, health: ServerCheck): ServerInfo[] {
  return servers.map((server) => (server.id === id ? { ...server, health } : server));
}

/**
 * The servers the window can work on and which one it works on: one store that the header's switcher, the
 * Servers page, the connection banner, the capabilities and the fleet view all read. The host keeps the list
 * (so the desktop app, a browser and scripts see the same servers) and checks their health in the background;
 * this store only reads it, every 15 s while the window is visible (`startServersPolling`).
 */
export const useServersStore = create<ServersState>()((set, get) => ({
  servers: [],
  status: 'idle',
  error: undefined,
  currentId: currentServer(),
  checking: {},
  plugins: {},
  async load() {
    const generation = ++loadGeneration;
    if (get().status === 'idle') set({ status: 'loading' });
    try {
      const servers = await serversApi.list();
      if (generation !== loadGeneration) return;
      set({ servers, status: 'ready', error: undefined });
      const known = new Set(servers.map((server) => server.id));
      if (!known.has(get().currentId)) get().select(LOCAL_SERVER_ID);
      // Forget the plugin lists of servers that are gone.
      const plugins = Object.fromEntries(Object.entries(get().plugins).filter(([id]) => known.has(id)));
      if (Object.keys(plugins).length !== Object.keys(get().plugins).length) set({ plugins });
    } catch (error) {
      if (generation !== loadGeneration) return;
      noteConnectionError(error);
      set({ status: 'error', error: (error as Error).message });
    }
  },
  select(id) {
    if (id === get().currentId) return;
    setCurrentServer(id);
    set({ currentId: id });
  },
  async add(input) {
    const server = await serversApi.create(input);
    set({ servers: [...get().servers.filter((known) => known.id !== server.id), server] });
    void get()
      .check(server.id)
      .catch(() => undefined);
    return server;
  },
  async update(id, input) {
    const server = await serversApi.update(id, input);
    set({
      servers: get().servers.map((known) => (known.id === id ? server : known)),
      plugins: without(get().plugins, id),
    });
    void get()
      .check(id)
      .catch(() => undefined);
    return server;
  },
  async remove(id) {
    await serversApi.remove(id);
    if (get().currentId === id) get().select(LOCAL_SERVER_ID);
    set({
      servers: get().servers.filter((server) => server.id !== id),
      plugins: without(get().plugins, id),
    });
  },
  async check(id) {
    set({ checking: { ...get().checking, [id]: true } });
    try {
      const health = await serversApi.check(id);
      set({ servers: withHealth(get().servers, id, health) });
      return health;
    } catch (error) {
      noteConnectionError(error);
      throw error;
    } finally {
      set({ checking: without(get().checking, id) });
    }
  },
  notePlugins(id, plugins) {
    if (!get().servers.some((server) => server.id === id) && get().status === 'ready') return;
    set({
      plugins: {
        ...get().plugins,
        [id]: { status: 'ready', plugins, error: undefined, loadedAt: Date.now() },
      },
    });
  },
  async loadPlugins(id, force = false) {
    const known = get().plugins[id];
    if (!force && known !== undefined && known.status !== 'error') return;
    const put = (next: Partial<ServerPlugins>) => {
      const previous = get().plugins[id] ?? {
        status: 'loading',
        plugins: [],
        error: undefined,
        loadedAt: undefined,
      };
      set({ plugins: { ...get().plugins, [id]: { ...previous, ...next } } });
    };
    put({ status: 'loading' });
    try {
      const plugins = await serversApi.plugins(id);
      put({ status: 'ready', plugins, error: undefined, loadedAt: Date.now() });
    } catch (error) {
      noteConnectionError(error);
      put({ status: 'error', error: (error as Error).message });
    }
  },
}));

// The API layer waits for each server as long as the host may (see `requestTimeoutFor`).
useServersStore.subscribe((state, previous) => {
  if (state.servers !== previous.servers) rememberServerTimeouts(state.servers);
});

/** The server the window works on, as the list has it; undefined until the list has loaded. */
export function useCurrentServer(): ServerInfo | undefined {
  return useServersStore((state) => state.servers.find((server) => server.id === state.currentId));
}

/** The interval the window reads the server list at: the host checks health in the background meanwhile. */
export const SERVERS_POLL_MS = 15_000;

/**
 * Reads the server list now and every `intervalMs` while the window is visible (a hidden window asks nothing,
 * and reads at once when shown again). Returns the function that stops it.
 */
export function startServersPolling(intervalMs = SERVERS_POLL_MS): () => void {
  const visible = () => typeof document === 'undefined' || document.visibilityState !== 'hidden';
  const load = () => void useServersStore.getState().load();
  if (useServersStore.getState().status === 'idle') load();
  const timer = setInterval(() => {
    if (visible()) load();
  }, intervalMs);
  const onVisibility = () => {
    if (visible()) load();
  };
  document.addEventListener('visibilitychange', onVisibility);
  return () => {
    clearInterval(timer);
    document.removeEventListener('visibilitychange', onVisibility);
  };
}
