import { LOCAL_SERVER_ID } from '../../../shared/server-dto';
import { serverFromHash } from '../api/server-scope';
import { serverState, type ServerStanding } from '../lib/server-state';
import { useCapabilitiesStore } from './capabilities-store';
import { useManageStore } from './manage-store';
import { usePluginsStore } from './plugins-store';
import { loadRouteLists, switchRouteLists } from './route-list-store';
import { useServerConnectionStore } from './server-connection-store';
import { useServersStore } from './servers-store';
import { addressShows, hashOfPage, pageFromHash, useViewStore } from './view-store';

/**
 * Leaves what belonged to the previous server (the open drawer and dialogs, the lists, the prebuilt offer) and
 * loads the current one's, writing it into the address so a reload comes back to it.
 */
function showCurrentServer(): void {
  const server = useServersStore.getState().currentId;
  const view = useViewStore.getState();
  view.describe(undefined);
  view.askDelete(undefined);
  view.askCreateIn(undefined);
  const manage = useManageStore.getState();
  manage.askUpdate(undefined);
  manage.askRegister(undefined);
  void usePluginsStore.getState().switchTo(server);
  switchRouteLists(server);
  void useCapabilitiesStore.getState().probe(server);
  if (typeof window !== 'undefined' && !addressShows(window.location.hash, view.page)) {
    window.location.hash = hashOfPage(view.page, server);
  }
}

/** Switches the window to `server` and shows `page` there (one history entry). */
export function openServer(server: string, page = useViewStore.getState().page): void {
  useViewStore.setState({ page });
  if (useServersStore.getState().currentId === server) useViewStore.getState().setPage(page);
  else useServersStore.getState().select(server);
}

/** Reloads what the window shows of the current server: after its connection came back, or on request. */
export function reloadCurrentServer(): void {
  const server = useServersStore.getState().currentId;
  void usePluginsStore.getState().load();
  loadRouteLists();
  void useCapabilitiesStore.getState().probe(server);
}

/** Follows an address the user changed (typed, back button): its page, and its server (none: this computer). */
export function followAddress(hash: string): void {
  useViewStore.getState().setPage(pageFromHash(hash));
  const wanted = serverFromHash(hash) ?? LOCAL_SERVER_ID;
  const { servers, status, currentId, select } = useServersStore.getState();
  if (wanted === currentId) return;
  // An id the list does not have (a removed server, a typo) falls back to this computer.
  const known = status !== 'ready' || servers.some((server) => server.id === wanted);
  select(known ? wanted : LOCAL_SERVER_ID);
}

const BLOCKING: readonly ServerStanding[] = ['down', 'auth'];

/**
 * Keeps the window on the current server: switching reloads everything for the new one; a current server that
 * comes back (its check passes again) has its lists reloaded. Returns the function that stops following.
 */
export function followCurrentServer(): () => void {
  const server = useServersStore.getState().currentId;
  void useCapabilitiesStore.getState().probe(server);
  // Started from the remembered server: show it in the address too.
  if (typeof window !== 'undefined') {
    const { page } = useViewStore.getState();
    if (!addressShows(window.location.hash, page)) {
      window.history.replaceState(window.history.state, '', hashOfPage(page, server));
    }
  }
  const standing = () => {
    const { servers, currentId } = useServersStore.getState();
    return serverState(
      servers.find((known) => known.id === currentId),
      useServerConnectionStore.getState().problems[currentId],
    ).standing;
  };
  let last = standing();
  let lastServer = server;
  const onChange = () => {
    const { currentId } = useServersStore.getState();
    if (currentId !== lastServer) {
      lastServer = currentId;
      last = standing();
      showCurrentServer();
      return;
    }
    const now = standing();
    if (BLOCKING.includes(last) && !BLOCKING.includes(now)) reloadCurrentServer();
    last = now;
  };
  const stopServers = useServersStore.subscribe(onChange);
  const stopProblems = useServerConnectionStore.subscribe(onChange);
  return () => {
    stopServers();
    stopProblems();
  };
}
