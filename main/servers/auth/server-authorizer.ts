import type { RawSend } from '../server-client.js';
import type { ServerSecrets } from '../secret-store.js';
import type { StoredAuth } from '../server-file.js';
import { ekuiperJwtAuthorizer } from './ekuiper-jwt.js';
import { neuronexLoginAuthorizer } from './neuronex-login.js';
import { missingSecret, type ServerAuthorizer } from './auth-types.js';

export { ServerAuthError, type ServerAuthorizer } from './auth-types.js';

/** `Authorization` is never set. */
function noAuthorizer(): ServerAuthorizer {
  return {
    authorization: () => Promise.resolve(undefined),
    role: () => undefined,
    secretValues: () => [],
    missing: () => undefined,
  };
}

/**
 * A fixed token as `Authorization: Bearer <token>`. A token pasted with its `Bearer ` prefix is sent once
 * prefixed, not twice.
 */
function bearerAuthorizer(token: string | undefined): ServerAuthorizer {
  const bare = token?.replace(/^bearer\s+/i, '');
  return {
    authorization: () =>
      bare === undefined || bare === ''
        ? Promise.reject(missingSecret('token'))
        : Promise.resolve(`Bearer ${bare}`),
    role: () => undefined,
    secretValues: () => (bare === undefined || bare === '' ? [] : [bare]),
    missing: () => (bare === undefined || bare === '' ? missingSecret('token') : undefined),
  };
}

/**
 * The authorizer for a server's authentication type: the one place that knows every type, so `ServerClient`,
 * the connection check and the fleet never branch on it. `send` reaches the server without credentials (the
 * NeuronEX login uses it).
 */
export function createAuthorizer(auth: StoredAuth, secrets: ServerSecrets, send: RawSend): ServerAuthorizer {
  switch (auth.type) {
    case 'none':
      return noAuthorizer();
    case 'bearer':
      return bearerAuthorizer(secrets.token);
    case 'ekuiper-jwt':
      return ekuiperJwtAuthorizer(auth.issuer, secrets.privateKey);
    case 'neuronex-login':
      return neuronexLoginAuthorizer(auth.username, secrets.password, send);
  }
}
