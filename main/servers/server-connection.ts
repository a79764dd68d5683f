import { createAuthorizer, type ServerAuthorizer } from './auth/server-authorizer.js';
import type { ServerSecrets } from './secret-store.js';
import { ServerClient, type RawSend } from './server-client.js';
import type { StoredServer } from './server-file.js';
import type { CheckTarget } from './server-check.js';

/** A server's client with the authorizer it uses and the credential-free sender the check needs. */
export interface ServerConnection extends CheckTarget {
  client: ServerClient;
  authorizer: ServerAuthorizer;
  send: RawSend;
}

/**
 * Opens a client for a server with its secrets: its own connection pool and TLS settings, and the authorizer of
 * its auth type. The caller closes `client` when the server is edited or removed.
 */
export function connectServer(server: StoredServer, secrets: ServerSecrets): ServerConnection {
  let authorizer: ServerAuthorizer | undefined;
  let send: RawSend | undefined;
  const client = new ServerClient({
    id: server.id,
    kind: server.kind,
    url: server.url,
    tls: server.tls,
    timeoutMs: server.timeoutMs,
    authorizer: (raw) => {
      send = raw;
      authorizer = createAuthorizer(server.auth, secrets, raw);
      return authorizer;
    },
  });
  if (authorizer === undefined || send === undefined)
    throw new Error('ServerClient did not build its authorizer');
  return { kind: server.kind, auth: server.auth, client, authorizer, send };
}
