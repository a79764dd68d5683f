import type { ServerInfo } from '../../shared/server-dto.js';
import type { ServerClient } from './server-client.js';

/**
 * The servers the host knows, as the forwarding route and the fleet need them: the list (the built-in `local`
 * first) and a client per remote server. The server list (`main/servers/server-registry.ts`) implements it; tests
 * can give a small one of their own.
 */
export interface ServerDirectory {
  /** Every server, `local` first, with its last health check. */
  list(): ServerInfo[];
  /** One server, or undefined when no server has that id. */
  get(id: string): ServerInfo | undefined;
  /** The client for a remote server; undefined for `local` (the host itself) and for unknown ids. */
  client(id: string): ServerClient | undefined;
}
