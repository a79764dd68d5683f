import { create } from 'zustand';
import type { ServiceInfo } from '../../../shared/service-dto';
import { HostError } from '../api/http';
import { currentServer } from '../api/server-scope';
import { serviceApi } from '../api/service-api';
import { noteConnectionError } from './connection-store';

/** One service as the list shows it: eKuiper's describe answer, or why it could not be read. */
export interface ServiceEntry {
  name: string;
  info: ServiceInfo | undefined;
  error: string | undefined;
}

interface ServicesState {
  /** The server this list is of; switching servers starts afresh. */
  server: string;
  services: ServiceEntry[];
  /** `missing`: the server has no `/services` routes (an eKuiper built without the service component). */
  status: 'idle' | 'loading' | 'ready' | 'error' | 'missing';
  error: string | undefined;
  /** Reads the names, then each service's describe answer; overlapping calls keep the newest answer only. */
  load: () => Promise<void>;
  /** Forgets the previous server's list and loads the current one's. */
  switchTo: (server: string) => Promise<void>;
  /** Deletes a service on the list's server, reloads, and answers the server's message (throws its error). */
  remove: (name: string) => Promise<string>;
}

/** How many describe requests run at once: a long list loads quickly without flooding a small edge server. */
const DESCRIBE_CONCURRENCY = 6;

/** `items` mapped through `work`, at most `limit` at a time, in their order. */
async function mapLimited<T, R>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/**
 * A 404 to `GET /services` that is not eKuiper's JSON error: the routes are not there (an eKuiper `core`
 * build answers mux's `404 page not found`), which the tab explains instead of calling it a failure.
 */
export function routesMissing(error: unknown): boolean {
  return (
    error instanceof HostError && (error.status === 404 || error.status === 405) && error.code === undefined
  );
}

let generation = 0;

/**
 * The external services of the current server: eKuiper lists only names, so each one's describe answer is
 * read too (interfaces, protocol, address, functions) for the list, the drawer and the dialogs.
 */
export const useServicesStore = create<ServicesState>()((set, get) => ({
  server: currentServer(),
  services: [],
  status: 'idle',
  error: undefined,
  async load() {
    const mine = ++generation;
    const { server } = get();
    if (get().status === 'idle' || get().status === 'missing') set({ status: 'loading' });
    try {
      const names = await serviceApi.list(server);
      const services = await mapLimited(names, DESCRIBE_CONCURRENCY, async (name) => {
        try {
          return { name, info: await serviceApi.describe(name, server), error: undefined };
        } catch (error) {
          noteConnectionError(error);
          return { name, info: undefined, error: (error as Error).message };
        }
      });
      if (mine !== generation || server !== get().server) return;
      set({ services, status: 'ready', error: undefined });
    } catch (error) {
      if (mine !== generation || server !== get().server) return;
      if (routesMissing(error)) {
        set({ services: [], status: 'missing', error: undefined });
        return;
      }
      // Unreachable: keep what was shown; the connection banner explains and reloads on reconnect.
      if (noteConnectionError(error) && get().status !== 'loading') return;
      set({ status: 'error', error: (error as Error).message });
    }
  },
  async switchTo(server) {
    if (server === get().server && get().status !== 'idle') return get().load();
    ++generation;
    set({ server, services: [], status: 'idle', error: undefined });
    return get().load();
  },
  async remove(name) {
    try {
      return await serviceApi.remove(name, get().server);
    } catch (error) {
      noteConnectionError(error);
      throw error;
    } finally {
      await get().load();
    }
  },
}));
