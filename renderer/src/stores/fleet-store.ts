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
  /** Servers asked for their plugins whose answer has not come yet (a slow server holds only its own column). */
  pending: string[];
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
  pending: [],
  selected: [],
  filter: NO_FLEET_FILTER,
  async load() {
    const generation = ++loadGeneration;
    set({ status: 'loading' });
    await useServersStore.getState().load();
    if (generation !== loadGeneration) return;
    const servers = useServersStore.getState();
    if (servers.status === 'error' && servers.servers.length === 0) {
      set({ status: 'error', error: servers.error, pending: [] });
      return;
    }
    // Each server is asked on its own, so the matrix fills in as servers answer and a slow or hanging one holds
    // back only its own column (marked as being asked) instead of the whole page.
    const ids = servers.servers.map((server) => server.id);
    const listed = new Set(ids);
    set({
      answer: { servers: (get().answer?.servers ?? []).filter((entry) => listed.has(entry.server)) },
      pending: ids,
      selected: get().selected.filter((id) => listed.has(id)),
    });
    let failure: unknown;
    await Promise.all(
      ids.map(async (id) => {
        try {
          const answer = await fleetApi.plugins([id]);
          if (generation !== loadGeneration) return;
          const fresh = new Map(answer.servers.map((entry) => [entry.server, entry]));
          const kept = (get().answer?.servers ?? []).filter((entry) => !fresh.has(entry.server));
          set({ answer: { servers: [...kept, ...fresh.values()] } });
        } catch (error) {
          failure ??= error;
        } finally {
          if (generation === loadGeneration) set({ pending: get().pending.filter((other) => other !== id) });
        }
      }),
    );
    if (generation !== loadGeneration) return;
    if (failure === undefined) {
      set({ status: 'ready', error: undefined });
    } else {
      noteConnectionError(failure);
      set({ status: 'error', error: (failure as Error).message });
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
