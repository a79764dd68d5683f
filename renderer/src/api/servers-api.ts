import type { PluginOverview } from '../../../shared/plugin-dto';
import {
  LOCAL_SERVER_ID,
  type ServerCheck,
  type ServerInfo,
  type ServerInput,
} from '../../../shared/server-dto';
import { requestJson, requestText } from './http';

/** A connection test before saving: the settings as typed, and `id` to reuse a stored server's secrets. */
export type ServerTestInput = ServerInput & { id?: string };

/**
 * A check waits for the server as long as the server's own timeout allows, and a test of new settings up to the
 * longest timeout a form accepts: give both room beyond the window's usual ten seconds.
 */
const CHECK_TIMEOUT_MS = 11 * 60_000;

const serverUrl = (id: string) => `/manager/servers/${encodeURIComponent(id)}`;

/**
 * The host's list of servers (`/manager/servers…`). These routes belong to this app's own host whichever server
 * the window shows, so every call names `local`.
 */
export const serversApi = {
  /** Every server, `local` ("This computer") first, each with its last health check once one has run. */
  list: () => requestJson<ServerInfo[]>('/manager/servers', { server: LOCAL_SERVER_ID }),

  /** Adds a server; answers it with its `id` (a 400 names each field's problem). */
  create: (input: ServerInput) =>
    requestJson<ServerInfo>('/manager/servers', { method: 'POST', body: input, server: LOCAL_SERVER_ID }),

  /** Changes a server; secrets left out are kept. */
  update: (id: string, input: ServerInput) =>
    requestJson<ServerInfo>(serverUrl(id), { method: 'PUT', body: input, server: LOCAL_SERVER_ID }),

  /** Removes a server (not `local`). */
  remove: (id: string) =>
    requestText(serverUrl(id), { method: 'DELETE', server: LOCAL_SERVER_ID }).then(() => undefined),

  /** Checks a stored server now: reachable, credentials, version, OS, arch, latency. */
  check: (id: string) =>
    requestJson<ServerCheck>(`${serverUrl(id)}/check`, {
      method: 'POST',
      server: LOCAL_SERVER_ID,
      timeoutMs: CHECK_TIMEOUT_MS,
    }),

  /** Checks settings before they are saved (the form's Test connection). */
  test: (input: ServerTestInput) =>
    requestJson<ServerCheck>('/manager/servers/check', {
      method: 'POST',
      body: input,
      server: LOCAL_SERVER_ID,
      timeoutMs: CHECK_TIMEOUT_MS,
    }),

  /**
   * A server's plugins as the lists show them (`GET /manager/servers/{id}/plugins`; plain eKuiper servers: built
   * from its own routes, without install records). Asked as that server's request, so its failures (down,
   * credentials refused) are that server's, not the host's.
   */
  plugins: (id: string) =>
    requestJson<PluginOverview[]>('/manager/plugins', { server: id, timeoutMs: 60_000 }),
};
