import { DEFAULT_SERVER_TIMEOUT_MS, LOCAL_SERVER_ID, type ServerInfo } from '../../shared/server-dto.js';
import type { ServerDirectory } from './server-directory.js';

/** The built-in server: the host itself, at `url` (known once it listens). */
export function localServerInfo(url: string): ServerInfo {
  return {
    id: LOCAL_SERVER_ID,
    name: 'This computer',
    kind: 'ekuiper',
    url,
    auth: { type: 'none' },
    tls: { insecureSkipVerify: false, caCert: '' },
    timeoutMs: DEFAULT_SERVER_TIMEOUT_MS,
    builtIn: true,
  };
}

/**
 * A directory that holds only `local`: what the host uses until it is given the server list, so the forwarding,
 * inventory and fleet routes work on the host itself from the start. `url` is read when asked, because the
 * host's port is known only after it listens.
 */
export function localOnlyDirectory(url: () => string): ServerDirectory {
  return {
    list: () => [localServerInfo(url())],
    get: (id) => (id === LOCAL_SERVER_ID ? localServerInfo(url()) : undefined),
    client: () => undefined,
  };
}
