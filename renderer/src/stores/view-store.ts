import { create } from 'zustand';
import type { PluginKind } from '../../../shared/plugin-dto';
import type { SortState } from '../lib/plugin-rows';

/** The Extensions page's tabs: one per plugin kind plus the prebuilt offer. */
export type ExtensionsTab = PluginKind | 'prebuilt';

/** A plugin the drawer or the delete dialog is about. */
export interface PluginRef {
  kind: PluginKind;
  name: string;
}

interface ViewState {
  tab: ExtensionsTab;
  filters: Partial<Record<PluginKind, string>>;
  sorts: Partial<Record<PluginKind, SortState>>;
  describing: PluginRef | undefined;
  deleting: PluginRef | undefined;
  setTab: (tab: ExtensionsTab) => void;
  setFilter: (kind: PluginKind, filter: string) => void;
  /** Sorts by `column`; the same column again flips the direction. */
  toggleSort: (kind: PluginKind, column: SortState['column']) => void;
  describe: (ref: PluginRef | undefined) => void;
  askDelete: (ref: PluginRef | undefined) => void;
}

/** Default order: by name, as eKuiper lists them. */
export const DEFAULT_SORT: SortState = { column: 'name', direction: 'asc' };

/** Where the user is on the Extensions page (tab, filters, sorting, open drawer/dialog); not persisted. */
export const useViewStore = create<ViewState>()((set, get) => ({
  tab: 'portables',
  filters: {},
  sorts: {},
  describing: undefined,
  deleting: undefined,
  setTab: (tab) => set({ tab }),
  setFilter: (kind, filter) => set({ filters: { ...get().filters, [kind]: filter } }),
  toggleSort(kind, column) {
    const current = get().sorts[kind] ?? DEFAULT_SORT;
    const direction =
      current.column === column
        ? current.direction === 'asc'
          ? 'desc'
          : 'asc'
        : column === 'installed'
          ? 'desc'
          : 'asc';
    set({ sorts: { ...get().sorts, [kind]: { column, direction } } });
  },
  describe: (describing) => set({ describing }),
  askDelete: (deleting) => set({ deleting }),
}));
