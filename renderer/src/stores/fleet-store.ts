import { create } from 'zustand';
import type { ExtensionKind, FleetExtensionsAnswer } from '../../../shared/extension-fleet';
import type { FleetPluginsAnswer } from '../../../shared/server-dto';
import { fleetApi } from '../api/fleet-api';
import { NO_FLEET_FILTER, type FleetFilter } from '../lib/fleet-matrix';
import { noteConnectionError } from './connection-store';
import { useServersStore } from './servers-store';

interface FleetState {
  /** Every server's plugins, as last asked (the server list itself is the servers store's). */
  answer: FleetPluginsAnswer | undefined;
  status: 'idle' | 'loading' | 'ready' | 'error';
  /** Why the last load failed (the host's words). */
  error: string | undefined;
  /** Server ids ticked in the matrix's column headers: the targets bulk actions start with. */
  selected: string[];
  filter: FleetFilter;
  /**
   * Asks every server for its plugins again, and reads the server list (names, health) with it; overlapping
   * calls keep the newest answer only.
   */
  load: () => Promise<void>;
  toggleServer: (id: string) => void;
  setSelected: (ids: string[]) => void;
  setFilter: (change: Partial<FleetFilter>) => void;
  /** Which matrix the page shows: plugins, external services or custom functions. */
  view: FleetView;
  setView: (view: FleetView) => void;
  /** Every server's JavaScript functions and services, as last asked. */
  extensions: Partial<Record<ExtensionKind, FleetExtensionsAnswer>>;
  extensionStatus: Partial<Record<ExtensionKind, { status: 'loading' | 'ready' | 'error'; error?: string }>>;
  /** Asks every server for its JavaScript functions or services again; the newest answer wins. */
  loadExtensions: (kind: ExtensionKind) => Promise<void>;
}

export type FleetView = 'plugins' | ExtensionKind;

const extensionGeneration: Record<ExtensionKind, number> = { javascript: 0, services: 0 };

let loadGeneration = 0;

/**
 * The Fleet page's data: which plugins each server has, and what the user ticked and filtered. Kept in a store
 * rather than the page, so going to another page and back shows the last answer at once while a fresh one is
 * asked for.
 */
export const useFleetStore = create<FleetState>()((set, get) => ({
  answer: undefined,
  status: 'idle',
  error: undefined,
  selected: [],
  filter: NO_FLEET_FILTER,
  async load() {
    const generation = ++loadGeneration;
    set({ status: 'loading' });
    try {
      const [answer] = await Promise.all([fleetApi.plugins(), useServersStore.getState().load()]);
      if (generation !== loadGeneration) return;
      const known = new Set(answer.servers.map((entry) => entry.server));
      // A server removed meanwhile is no longer a target.
      set({
        answer,
        status: 'ready',
        error: undefined,
        selected: get().selected.filter((id) => known.has(id)),
      });
    } catch (error) {
      if (generation !== loadGeneration) return;
      noteConnectionError(error);
      set({ status: 'error', error: (error as Error).message });
    }
  },
  toggleServer(id) {
    const selected = get().selected;
    set({ selected: selected.includes(id) ? selected.filter((s) => s !== id) : [...selected, id] });
  },
  setSelected: (selected) => set({ selected }),
  setFilter: (change) => set({ filter: { ...get().filter, ...change } }),
  view: 'plugins',
  setView: (view) => set({ view }),
  extensions: {},
  extensionStatus: {},
  async loadExtensions(kind) {
    const generation = ++extensionGeneration[kind];
    const status = (value: { status: 'loading' | 'ready' | 'error'; error?: string }) =>
      set({ extensionStatus: { ...get().extensionStatus, [kind]: value } });
    status({ status: 'loading' });
    try {
      const [answer] = await Promise.all([fleetApi.extensions(kind), useServersStore.getState().load()]);
      if (generation !== extensionGeneration[kind]) return;
      const known = new Set(answer.servers.map((entry) => entry.server));
      set({
        extensions: { ...get().extensions, [kind]: answer },
        selected: get().selected.filter((id) => known.has(id)),
      });
      status({ status: 'ready' });
    } catch (error) {
      if (generation !== extensionGeneration[kind]) return;
      noteConnectionError(error);
      status({ status: 'error', error: (error as Error).message });
    }
  },
}));
