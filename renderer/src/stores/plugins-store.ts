import { create } from 'zustand';
import type { InstallPhase } from '../../../shared/install-events';
import type { NativeKind, PluginKind, PluginOverview } from '../../../shared/plugin-dto';
import { requestLists, takeFirstOverview } from '../api/first-overview';
import { installApi, withInstallEvents } from '../api/install-api';
import { pluginApi, type PrebuiltList } from '../api/plugin-api';
import { currentServer } from '../api/server-scope';
import { useCapabilitiesStore } from './capabilities-store';
import { noteConnectionError } from './connection-store';
import { useServerConnectionStore } from './server-connection-store';
import { useServersStore } from './servers-store';

/** One kind's prebuilt offer: fetched on demand, because it may ask remote plugin hosts. */
export interface PrebuiltState {
  status: 'loading' | 'ready' | 'error';
  list: PrebuiltList;
  error: string | undefined;
}

/** One prebuilt plugin being installed (or just installed) from its download URL. */
export interface PrebuiltInstall {
  status: 'running' | 'done' | 'failed';
  /** `reinstall`: replaces an installed plugin of that name (`PUT`), else creates it (`POST`). */
  reinstall: boolean;
  phase: InstallPhase | undefined;
  /** Download progress, from the host's `download` events. */
  bytes: number | undefined;
  totalBytes: number | undefined;
  /** What install.sh printed so far. */
  output: string;
  /** The host's answer: its success text, or its error message. */
  message: string | undefined;
}

/** The key of a prebuilt install in `PluginsState.installs`. */
export const prebuiltKey = (kind: NativeKind, name: string) => `${kind}/${name}`;

interface PluginsState {
  /** The server these lists are of: everything here belongs to it, and switching servers starts afresh. */
  server: string;
  plugins: PluginOverview[];
  /** Registered function names (`GET /plugins/udfs`). */
  udfs: string[];
  status: 'idle' | 'loading' | 'ready' | 'error';
  error: string | undefined;
  prebuilt: Partial<Record<NativeKind, PrebuiltState>>;
  /** Reloads the overview and the UDF list; overlapping calls resolve with the newest answer only. */
  load: () => Promise<void>;
  /** Forgets the lists, prebuilt offers and installs of the previous server and loads those of the current one. */
  switchTo: (server: string) => Promise<void>;
  /** Deletes a plugin, reloads, and answers the host's message (throws the host's error). */
  remove: (kind: PluginKind, name: string, stop: boolean) => Promise<string>;
  loadPrebuilt: (kind: NativeKind) => Promise<void>;
  /** Prebuilt installs of this session by `prebuiltKey`, kept across tab switches. */
  installs: Record<string, PrebuiltInstall>;
  /**
   * Installs a prebuilt plugin from its URL (`POST /plugins/{kind}` with `{name, file: url}`, or `PUT` to
   * reinstall), following the host's progress, then reloads the lists. Resolves with the final state.
   */
  installPrebuilt: (
    kind: NativeKind,
    name: string,
    url: string,
    reinstall: boolean,
  ) => Promise<PrebuiltInstall>;
}

let loadGeneration = 0;

/** The state before anything of `server` has loaded: at start, and after switching to another server. */
function nothingLoaded(server: string) {
  return {
    server,
    plugins: [],
    udfs: [],
    status: 'idle',
    error: undefined,
    prebuilt: {},
    installs: {},
  } satisfies Partial<PluginsState>;
}

/**
 * What the current server has installed: the one copy every list, the drawer and the dialogs read. Each request
 * names the server the lists are of, so an answer that arrives after a switch is dropped, not shown as the new
 * server's.
 */
export const usePluginsStore = create<PluginsState>()((set, get) => ({
  ...nothingLoaded(currentServer()),
  async load() {
    const generation = ++loadGeneration;
    const { server } = get();
    if (get().status === 'idle') set({ status: 'loading' });
    try {
      const [plugins, udfs] = await (takeFirstOverview(server) ?? requestLists(server));
      if (generation !== loadGeneration || server !== get().server) return;
      set({ plugins, udfs, status: 'ready', error: undefined });
      useServerConnectionStore.getState().clear(server);
      useServersStore.getState().notePlugins(server, plugins);
    } catch (error) {
      if (generation !== loadGeneration || server !== get().server) return;
      // Unreachable: keep showing what was loaded; the banner explains and reloads on reconnect.
      if (noteConnectionError(error)) {
        if (get().status === 'loading') set({ status: 'error', error: (error as Error).message });
        return;
      }
      set({ status: 'error', error: (error as Error).message });
    }
  },
  async switchTo(server) {
    if (server === get().server && get().status !== 'idle') return get().load();
    ++loadGeneration;
    set(nothingLoaded(server));
    return get().load();
  },
  async remove(kind, name, stop) {
    try {
      const message = await pluginApi.remove(kind, name, stop, get().server);
      return message.trim();
    } catch (error) {
      noteConnectionError(error);
      throw error;
    } finally {
      if (!stop) await get().load();
      else set({ plugins: get().plugins.filter((p) => !(p.kind === kind && p.name === name)) });
    }
  },
  async installPrebuilt(kind, name, url, reinstall) {
    const key = prebuiltKey(kind, name);
    const { server } = get();
    let state: PrebuiltInstall = {
      status: 'running',
      reinstall,
      phase: undefined,
      bytes: undefined,
      totalBytes: undefined,
      output: '',
      message: undefined,
    };
    const put = (next: Partial<PrebuiltInstall>) => {
      state = { ...state, ...next };
      // The window moved to another server meanwhile: this install is no longer the lists' business.
      if (get().server === server) set({ installs: { ...get().installs, [key]: state } });
    };
    put({});
    try {
      const message = await withInstallEvents(
        { op: reinstall ? 'update' : 'create', kind, name },
        (event) =>
          put({
            phase: event.phase,
            ...(event.phase === 'download' ? { bytes: event.bytes, totalBytes: event.totalBytes } : {}),
            ...(event.output ? { output: state.output + event.output } : {}),
          }),
        () =>
          reinstall
            ? installApi.update(kind, name, { name, file: url }, server)
            : installApi.create(kind, { name, file: url }, server),
        server,
      );
      put({ status: 'done', phase: 'done', message });
    } catch (error) {
      noteConnectionError(error);
      put({ status: 'failed', phase: 'failed', message: (error as Error).message });
    }
    if (get().server === server) await get().load();
    return state;
  },
  async loadPrebuilt(kind) {
    const { server } = get();
    set({ prebuilt: { ...get().prebuilt, [kind]: { status: 'loading', list: {}, error: undefined } } });
    try {
      const list = await pluginApi.prebuilt(kind, server);
      useCapabilitiesStore.getState().notePrebuilt(server, undefined);
      if (get().server !== server) return;
      set({ prebuilt: { ...get().prebuilt, [kind]: { status: 'ready', list, error: undefined } } });
    } catch (error) {
      noteConnectionError(error);
      useCapabilitiesStore.getState().notePrebuilt(server, error);
      if (get().server !== server) return;
      set({
        prebuilt: {
          ...get().prebuilt,
          [kind]: { status: 'error', list: {}, error: (error as Error).message },
        },
      });
    }
  },
}));
