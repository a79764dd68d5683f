import { create } from 'zustand';
import { ServerAuthError, type ServerUnreachableError } from '../api/http';
import type { ReportedProblem } from '../lib/server-state';

interface ServerConnectionState {
  /** The last failure of a request to each remote server, by id, until a check or a good answer clears it. */
  problems: Record<string, ReportedProblem>;
  /** A request found a remote server unreachable (502/504 from the host) or refusing its credentials (401). */
  report: (error: ServerUnreachableError | ServerAuthError) => void;
  /** The server answered again (a list loaded, a check passed). */
  clear: (server: string) => void;
}

/**
 * Failures of requests to remote servers, kept apart from the host's own connection (`connection-store.ts`):
 * a server on the other side of the network being down says nothing about this app's host, which answered.
 * The banner and the switcher read them with each server's health (`lib/server-state.ts`).
 */
export const useServerConnectionStore = create<ServerConnectionState>()((set, get) => ({
  problems: {},
  report(error) {
    const kind: ReportedProblem['kind'] =
      error instanceof ServerAuthError ? 'auth' : error.timedOut ? 'timeout' : 'unreachable';
    set({
      problems: { ...get().problems, [error.server]: { kind, message: error.message, at: Date.now() } },
    });
  },
  clear(server) {
    if (get().problems[server] === undefined) return;
    set({ problems: Object.fromEntries(Object.entries(get().problems).filter(([id]) => id !== server)) });
  },
}));
