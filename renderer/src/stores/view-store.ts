import { create } from 'zustand';
import type { PluginKind } from '../../../shared/plugin-dto';
import { LOCAL_SERVER_ID } from '../../../shared/server-dto';
import { currentServer, isLocalServer, serverFromHash } from '../api/server-scope';
import type { SortState } from '../lib/plugin-rows';

/** The Extensions page's tabs that are not plugin lists: eKuiper's external services and JavaScript functions. */
export type RouteTab = 'services' | 'javascript';

/** The Extensions page's tabs: one per plugin kind, external services, custom functions and the prebuilt offer. */
export type ExtensionsTab = PluginKind | RouteTab | 'prebuilt';

/** Whether a tab lists plugins of one kind (and so creates, filters and sorts plugins). */
export function isPluginTab(tab: ExtensionsTab): tab is PluginKind {
  return tab !== 'prebuilt' && tab !== 'services' && tab !== 'javascript';
}

/** The window's pages, reachable from the navigation and by address (`#/settings`). */
export type AppPage = 'extensions' | 'develop' | 'servers' | 'fleet' | 'settings';

const PAGES: readonly AppPage[] = ['extensions', 'develop', 'servers', 'fleet', 'settings'];

/** The page an address names (`#/settings`, `#/servers?server=edge-1`); anything else is the Extensions page. */
export function pageFromHash(hash: string): AppPage {
  const path = hash.replace(/^#\/?/, '').split('?')[0] ?? '';
  return PAGES.find((page) => page === path) ?? 'extensions';
}

/**
 * The address of a page on a server, so the browser's back button and a reload keep the user where they were:
 * `#/` and `#/settings` on this computer (today's addresses), `#/extensions?server=edge-1` on another server.
 */
export function hashOfPage(page: AppPage, server: string = currentServer()): string {
  if (isLocalServer(server)) return page === 'extensions' ? '#/' : `#/${page}`;
  return `#/${page}?server=${encodeURIComponent(server)}`;
}

/** Whether an address already names `page` on the current server (so showing it adds no history entry). */
export function addressShows(hash: string, page: AppPage): boolean {
  return pageFromHash(hash) === page && (serverFromHash(hash) ?? LOCAL_SERVER_ID) === currentServer();
}

/** A plugin the drawer or the delete dialog is about. */
export interface PluginRef {
  kind: PluginKind;
  name: string;
}

interface ViewState {
  page: AppPage;
  tab: ExtensionsTab;
  filters: Partial<Record<PluginKind, string>>;
  sorts: Partial<Record<PluginKind, SortState>>;
  describing: PluginRef | undefined;
  deleting: PluginRef | undefined;
  /**
   * The services or custom-functions tab whose Create dialog the toolbar asked for: the tab's panel opens its own
   * dialog and clears this when it closes.
   */
  creatingIn: RouteTab | undefined;
  /** Shows a page and records it in the address (one history entry per change). */
  setPage: (page: AppPage) => void;
  setTab: (tab: ExtensionsTab) => void;
  setFilter: (kind: PluginKind, filter: string) => void;
  /** Sorts by `column`; the same column again flips the direction. */
  toggleSort: (kind: PluginKind, column: SortState['column']) => void;
  describe: (ref: PluginRef | undefined) => void;
  askDelete: (ref: PluginRef | undefined) => void;
  askCreateIn: (tab: RouteTab | undefined) => void;
}

/** Default order: by name, as eKuiper lists them. */
export const DEFAULT_SORT: SortState = { column: 'name', direction: 'asc' };

/** Where the user is: the page, and on the Extensions page the tab, filters, sorting, open drawer/dialog. */
export const useViewStore = create<ViewState>()((set, get) => ({
  page: typeof window === 'undefined' ? 'extensions' : pageFromHash(window.location.hash),
  tab: 'portables',
  filters: {},
  sorts: {},
  describing: undefined,
  deleting: undefined,
  creatingIn: undefined,
  setPage(page) {
    if (typeof window !== 'undefined' && !addressShows(window.location.hash, page)) {
      window.location.hash = hashOfPage(page);
    }
    set({ page });
  },
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
  askCreateIn: (creatingIn) => set({ creatingIn }),
}));
