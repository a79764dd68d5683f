import { noteConnectionError } from './connection-store';
import { useServersStore } from './servers-store';

export type LoadOutcome = { ok: true } | { ok: false; error: string | undefined };

/** One fleet list being loaded (plugins, JavaScript functions or services): how to ask and where it is kept. */
export interface EachServerLoad<Entry extends { server: string }> {
  /** Whether this load is still the newest: an older one's answers are dropped. */
  current: () => boolean;
  /** Asks one server (`?servers=<id>`); the answer has that server's entry. */
  ask: (id: string) => Promise<{ servers: Entry[] }>;
  /** The answers kept so far: a column shows its last answer until its fresh one comes. */
  entries: () => readonly Entry[];
  /** Keeps what changed: the answers, the servers still being asked, the servers listed now. */
  write: (change: { entries?: Entry[]; pending?: string[]; listed?: ReadonlySet<string> }) => void;
  /** The load is over: every server answered, or why not (the host's words). */
  finish: (outcome: LoadOutcome) => void;
}

/**
 * Reads the server list, then asks each server on its own rather than all in one request, so the matrix fills
 * in as servers answer and a slow or hanging one holds back only its own column (pending, marked as being asked)
 * instead of the whole page waiting for the slowest. Shared by every fleet list so they behave alike.
 */
export async function askEachServer<Entry extends { server: string }>(
  load: EachServerLoad<Entry>,
): Promise<void> {
  await useServersStore.getState().load();
  if (!load.current()) return;
  const servers = useServersStore.getState();
  if (servers.status === 'error' && servers.servers.length === 0) {
    load.write({ pending: [] });
    load.finish({ ok: false, error: servers.error });
    return;
  }
  const ids = servers.servers.map((server) => server.id);
  const listed = new Set(ids);
  let pending = ids;
  load.write({ entries: load.entries().filter((entry) => listed.has(entry.server)), pending, listed });
  let failure: unknown;
  await Promise.all(
    ids.map(async (id) => {
      try {
        const answer = await load.ask(id);
        if (!load.current()) return;
        const fresh = new Map(answer.servers.map((entry) => [entry.server, entry]));
        const kept = load.entries().filter((entry) => !fresh.has(entry.server));
        load.write({ entries: [...kept, ...fresh.values()] });
      } catch (error) {
        failure ??= error;
      } finally {
        if (load.current()) {
          pending = pending.filter((other) => other !== id);
          load.write({ pending });
        }
      }
    }),
  );
  if (!load.current()) return;
  if (failure === undefined) {
    load.finish({ ok: true });
  } else {
    noteConnectionError(failure);
    load.finish({ ok: false, error: (failure as Error).message });
  }
}
