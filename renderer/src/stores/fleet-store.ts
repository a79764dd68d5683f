import { create } from 'zustand';
import type { ExtensionKind, FleetExtensionsAnswer } from '../../../shared/extension-fleet';
import type { FleetPluginsAnswer } from '../../../shared/server-dto';
import { fleetApi } from '../api/fleet-api';
import { NO_FLEET_FILTER, type FleetFilter } from '../lib/fleet-matrix';
import { askEachServer } from './ask-each-server';

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
  /** Per kind, the servers asked for their functions or services whose answer has not come yet. */
  extensionPending: Partial<Record<ExtensionKind, string[]>>;
  /**
   * Asks each server for its JavaScript functions or services again, each on its own; overlapping calls keep the
   * newest load's answers only.
   */
  loadExtensions: (kind: ExtensionKind) => Promise<void>;
}

export type FleetView = 'plugins' | ExtensionKind;

const extensionGeneration: Record<ExtensionKind, number> = { javascript: 0, services: 0 };

let loadGeneration = 0;

/** A server removed meanwhile is no longer a target. */
function keepListed(selected: readonly string[], listed: ReadonlySet<string>): string[] {
  return selected.filter((id) => listed.has(id));
}

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
    await askEachServer({
      current: () => generation === loadGeneration,
      ask: (id) => fleetApi.plugins([id]),
      entries: () => get().answer?.servers ?? [],
      write: ({ entries, pending, listed }) =>
        set({
          ...(entries === undefined ? {} : { answer: { servers: entries } }),
          ...(pending === undefined ? {} : { pending }),
          ...(listed === undefined ? {} : { selected: keepListed(get().selected, listed) }),
        }),
      finish: (outcome) =>
        set(outcome.ok ? { status: 'ready', error: undefined } : { status: 'error', error: outcome.error }),
    });
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
  extensionPending: {},
  async loadExtensions(kind) {
    const generation = ++extensionGeneration[kind];
    const status = (value: { status: 'loading' | 'ready' | 'error'; error?: string }) =>
      set({ extensionStatus: { ...get().extensionStatus, [kind]: value } });
    status({ status: 'loading' });
    await askEachServer({
      current: () => generation === extensionGeneration[kind],
      ask: (id) => fleetApi.extensions(kind, [id]),
      entries: () => get().extensions[kind]?.servers ?? [],
      write: ({ entries, pending, listed }) =>
        set({
          ...(entries === undefined
            ? {}
            : { extensions: { ...get().extensions, [kind]: { kind, servers: entries } } }),
          ...(pending === undefined
            ? {}
            : { extensionPending: { ...get().extensionPending, [kind]: pending } }),
          ...(listed === undefined ? {} : { selected: keepListed(get().selected, listed) }),
        }),
      finish: (outcome) =>
        status(outcome.ok ? { status: 'ready' } : { status: 'error', error: outcome.error }),
    });
  },
}));
