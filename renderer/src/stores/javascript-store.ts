import { create } from 'zustand';
import { javascriptApi, type JsFunction } from '../api/javascript-api';
import { noteConnectionError } from './connection-store';
import { useJavascriptNamesStore } from './route-list-store';

/** What the Create/Edit dialog is about: a new function, or one already on the server. */
export type JsEditing = { mode: 'create' } | { mode: 'edit'; id: string };

interface JavascriptState {
  /** The server the details are of (the names store's); switching servers starts afresh. */
  server: string;
  /** Each function's description, script and aggregate flag, by id, as `GET /udf/javascript/{id}` answered. */
  functions: Record<string, JsFunction>;
  /** Describes that failed, by id, in the server's words. */
  failures: Record<string, string>;
  editing: JsEditing | undefined;
  describing: string | undefined;
  deleting: string | undefined;
  /** The list's filter text (kept across tab switches, as the plugin lists keep theirs). */
  filter: string;
  /** Fetches the details of the listed functions not known yet, a few at a time. */
  loadDetails: (names: readonly string[]) => Promise<void>;
  /** Creates (POST) or updates (PUT) a function, then reloads the list; answers the server's message. */
  save: (fn: JsFunction, mode: JsEditing['mode']) => Promise<string>;
  /** Deletes a function, then reloads the list; answers the server's message. */
  remove: (id: string) => Promise<string>;
  edit: (editing: JsEditing | undefined) => void;
  describe: (id: string | undefined) => void;
  askDelete: (id: string | undefined) => void;
  setFilter: (filter: string) => void;
}

/** Describes in flight at once: enough to fill a list quickly, few enough to leave the server room. */
const PARALLEL_DESCRIBES = 4;

/**
 * Runs a write: a connection failure reaches the banner, and the list is asked again whatever happened (a
 * refused write may still have changed the server, a stale list may have caused the refusal).
 */
async function written(write: () => Promise<string>): Promise<string> {
  try {
    return await write();
  } catch (error) {
    noteConnectionError(error);
    throw error;
  } finally {
    await useJavascriptNamesStore.getState().load();
  }
}

const fresh = (server: string) => ({
  server,
  functions: {},
  failures: {},
  editing: undefined,
  describing: undefined,
  deleting: undefined,
  filter: '',
});

/**
 * The current server's JavaScript functions in detail, and which of them the dialogs and the drawer are about.
 * eKuiper lists ids only, so the descriptions and aggregate flags the list shows come from one describe each.
 */
export const useJavascriptStore = create<JavascriptState>()((set, get) => {
  /** Starts afresh when the names store has moved to another server; answers the server the details are of. */
  const sameServer = (): string => {
    const server = useJavascriptNamesStore.getState().server;
    if (server !== get().server) set(fresh(server));
    return server;
  };
  const put = (server: string, fn: JsFunction) => {
    if (get().server !== server) return;
    const failures = { ...get().failures };
    delete failures[fn.id];
    set({ functions: { ...get().functions, [fn.id]: fn }, failures });
  };
  return {
    ...fresh(useJavascriptNamesStore.getState().server),
    async loadDetails(names) {
      const server = sameServer();
      const queue = names.filter((id) => get().functions[id] === undefined);
      const worker = async () => {
        for (let id = queue.shift(); id !== undefined; id = queue.shift()) {
          try {
            put(server, await javascriptApi.describe(id, server));
          } catch (error) {
            if (noteConnectionError(error) || get().server !== server) return;
            set({ failures: { ...get().failures, [id]: (error as Error).message } });
          }
        }
      };
      await Promise.all(Array.from({ length: PARALLEL_DESCRIBES }, worker));
    },
    async save(fn, mode) {
      const server = sameServer();
      return written(async () => {
        const message =
          mode === 'create' ? await javascriptApi.create(fn, server) : await javascriptApi.update(fn, server);
        put(server, fn);
        return message;
      });
    },
    async remove(id) {
      const server = sameServer();
      return written(async () => {
        const message = await javascriptApi.remove(id, server);
        if (get().server === server) {
          const functions = { ...get().functions };
          delete functions[id];
          set({ functions, describing: get().describing === id ? undefined : get().describing });
        }
        return message;
      });
    },
    edit: (editing) => set({ editing }),
    describe: (describing) => set({ describing }),
    askDelete: (deleting) => set({ deleting }),
    setFilter: (filter) => set({ filter }),
  };
});
