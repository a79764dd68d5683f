import type { Authorizer } from '../server-client.js';

/**
 * Credentials that could not be used or were refused before any API call (a NeuronEX login that failed, a secret
 * that is not stored), worded for the user. Thrown by `ServerClient.request`, so the forwarding route and the
 * fleet can tell it from a network failure (`describeNetworkError` recognises it too).
 */
export class ServerAuthError extends Error {
  constructor(
    message: string,
    /** The server's status when it refused (401 on NeuronEX's login), absent when nothing was sent. */
    readonly status?: number,
  ) {
    super(message);
    this.name = 'ServerAuthError';
  }
}

/** An `Authorizer` that can also say what the server answered about the account and which values to keep secret. */
export interface ServerAuthorizer extends Authorizer {
  /** NeuronEX's role for the account (`Administrator`, `Viewer`) once logged in; undefined otherwise. */
  role(): string | undefined;
  /**
   * The secret values this authorizer holds or sends (token, password, the current login token), so that text
   * quoted from a server can be scrubbed of them before it is answered or logged.
   */
  secretValues(): string[];
  /** The error to give when a secret the type needs is not stored, known without asking the server. */
  missing(): ServerAuthError | undefined;
}

/** The secret a type needs, worded for the message when it is missing. */
export function missingSecret(what: string): ServerAuthError {
  return new ServerAuthError(
    `no ${what} is stored for this server (its secrets may have been lost or sealed by another program): ` +
      `edit the server and give the ${what} again`,
  );
}
