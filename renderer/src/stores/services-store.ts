import { create } from 'zustand';
import type { ServiceInfo } from '../../../shared/service-dto';
import { serviceApi } from '../api/service-api';
import { noteConnectionError } from './connection-store';
import { useServiceNamesStore } from './route-list-store';

/** One service as the list shows it: eKuiper's describe answer, or why it could not be read. */
export interface ServiceEntry {
  name: string;
  info: ServiceInfo | undefined;
  error: string | undefined;
}

interface ServicesState {
  /** The server the answers are of. */
  server: string | undefined;
  /** The names they were read for (`GET /services`, from the names store). */
  names: readonly string[] | undefined;
  services: ServiceEntry[];
  /** `loading` only until the first answers of a server: a reload keeps the rows on screen. */
  status: 'idle' | 'loading' | 'ready';
  /**
   * Reads each service's describe answer for the names `GET /services` gave (eKuiper lists names only); the
   * newest call wins, and answers already read for the same server are shown meanwhile.
   */
  describeAll: (server: string, names: readonly string[]) => Promise<void>;
  /** Deletes a service on `server`, reloads the names (and so the rows), and answers the server's message. */
  remove: (server: string, name: string) => Promise<string>;
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

let generation = 0;

/**
 * The external services of the current server with what each one's describe answer says (interfaces, protocol,
 * address, functions), for the list, the drawer and the dialogs. The names come from the tab's names store,
 * which also tells whether the server has `/services` at all.
 */
export const useServicesStore = create<ServicesState>()((set, get) => ({
  server: undefined,
  names: undefined,
  services: [],
  status: 'idle',
  async describeAll(server, names) {
    const mine = ++generation;
    if (get().server !== server) set({ server, services: [], status: 'loading' });
    else if (get().status === 'idle') set({ status: 'loading' });
    const services = await mapLimited(names, DESCRIBE_CONCURRENCY, async (name) => {
      try {
        return { name, info: await serviceApi.describe(name, server), error: undefined };
      } catch (error) {
        noteConnectionError(error);
        return { name, info: undefined, error: (error as Error).message };
      }
    });
    if (mine !== generation) return;
    set({ server, names, services, status: 'ready' });
  },
  async remove(server, name) {
    try {
      return await serviceApi.remove(name, server);
    } catch (error) {
      noteConnectionError(error);
      throw error;
    } finally {
      await useServiceNamesStore.getState().load();
    }
  },
}));
