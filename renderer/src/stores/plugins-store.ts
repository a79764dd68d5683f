import { create } from 'zustand';
import type { NativeKind, PluginKind, PluginOverview } from '../../../shared/plugin-dto';
import { pluginApi, type PrebuiltList } from '../api/plugin-api';
import { noteConnectionError } from './connection-store';

/** One kind's prebuilt offer: fetched on demand, because it may ask remote plugin hosts. */
export interface PrebuiltState {
  status: 'loading' | 'ready' | 'error';
  list: PrebuiltList;
  error: string | undefined;
}

interface PluginsState {
  plugins: PluginOverview[];
  /** Registered function names (`GET /plugins/udfs`). */
  udfs: string[];
  status: 'idle' | 'loading' | 'ready' | 'error';
  error: string | undefined;
  prebuilt: Partial<Record<NativeKind, PrebuiltState>>;
  /** Reloads the overview and the UDF list; overlapping calls resolve with the newest answer only. */
  load: () => Promise<void>;
  /** Deletes a plugin, reloads, and answers the host's message (throws the host's error). */
  remove: (kind: PluginKind, name: string, stop: boolean) => Promise<string>;
  loadPrebuilt: (kind: NativeKind) => Promise<void>;
}

let loadGeneration = 0;

/** What the host has installed: the one copy every list, the drawer and the dialogs read. */
export const usePluginsStore = create<PluginsState>()((set, get) => ({
  plugins: [],
  udfs: [],
  status: 'idle',
  error: undefined,
  prebuilt: {},
  async load() {
    const generation = ++loadGeneration;
    if (get().status === 'idle') set({ status: 'loading' });
    try {
      const [plugins, udfs] = await Promise.all([pluginApi.overview(), pluginApi.udfs()]);
      if (generation !== loadGeneration) return;
      set({ plugins, udfs, status: 'ready', error: undefined });
    } catch (error) {
      if (generation !== loadGeneration) return;
      // Unreachable: keep showing what was loaded; the banner explains and reloads on reconnect.
      if (noteConnectionError(error)) {
        if (get().status === 'loading') set({ status: 'error', error: (error as Error).message });
        return;
      }
      set({ status: 'error', error: (error as Error).message });
    }
  },
  async remove(kind, name, stop) {
    try {
      const message = await pluginApi.remove(kind, name, stop);
      return message.trim();
    } catch (error) {
      noteConnectionError(error);
      throw error;
    } finally {
      if (!stop) await get().load();
      else set({ plugins: get().plugins.filter((p) => !(p.kind === kind && p.name === name)) });
    }
  },
  async loadPrebuilt(kind) {
    set({ prebuilt: { ...get().prebuilt, [kind]: { status: 'loading', list: {}, error: undefined } } });
    try {
      const list = await pluginApi.prebuilt(kind);
      set({ prebuilt: { ...get().prebuilt, [kind]: { status: 'ready', list, error: undefined } } });
    } catch (error) {
      noteConnectionError(error);
      set({
        prebuilt: {
          ...get().prebuilt,
          [kind]: { status: 'error', list: {}, error: (error as Error).message },
        },
      });
    }
  },
}));
