import { create } from 'zustand';
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
}

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
}));
