import type { DevelopEvent, DevelopSession } from '../../../shared/develop-dto';
import { LOCAL_SERVER_ID } from '../../../shared/server-dto';
import { openEventStream, readEventStream } from './event-stream';
import { requestJson } from './http';

/** A first build installs the plugin, which may wait for its init timeout: give it room. */
const START_TIMEOUT_MS = 90_000;

const path = (id: string) => `/manager/develop/${encodeURIComponent(id)}`;

/**
 * Develop mode runs on this app's host (the plugin folder is on this computer), whatever server the window
 * shows: every call names the local server.
 */
export const developApi = {
  list: () => requestJson<DevelopSession[]>('/manager/develop', { server: LOCAL_SERVER_ID }),
  /** Starts watching `folder`; answers once the first build is done. */
  start: (folder: string) =>
    requestJson<DevelopSession>('/manager/develop', {
      method: 'POST',
      body: { folder },
      server: LOCAL_SERVER_ID,
      timeoutMs: START_TIMEOUT_MS,
    }),
  get: (id: string) => requestJson<DevelopSession>(path(id), { server: LOCAL_SERVER_ID }),
  /** Stops watching; waits for a build under way. */
  stop: (id: string) =>
    requestJson<DevelopSession>(path(id), {
      method: 'DELETE',
      server: LOCAL_SERVER_ID,
      timeoutMs: START_TIMEOUT_MS,
    }),
};

/**
 * Follows a session's builds: what happened so far, then each event, until `signal` aborts or the session
 * stops (the host ends the stream after `stopped`).
 */
export async function followDevelopEvents(
  id: string,
  onEvent: (event: DevelopEvent) => void,
  signal: AbortSignal,
): Promise<void> {
  const response = await openEventStream(`${path(id)}/events`, {}, signal, LOCAL_SERVER_ID);
  await readEventStream(response.body as NonNullable<Response['body']>, ({ data }) => {
    try {
      const event = JSON.parse(data) as DevelopEvent;
      if (typeof event.type === 'string') onEvent(event);
    } catch {
      // not an event of ours: ignore
    }
  });
}
