import { hostMessage } from '../../../shared/host-messages.js';
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
   * The secret values this authorizer sends on API requests (a token, the current login token), so that text
   * quoted from a server can be scrubbed of them before it is answered or logged. Not a NeuronEX password: it goes
   * only to the login, which masks it in its own quotes, and NeuronEX's default `0000` masked in every message
   * would turn `port 30000` into `port 3•••`.
   */
  secretValues(): string[];
  /** The error to give when a secret the type needs is not stored, known without asking the server. */
  missing(): ServerAuthError | undefined;
}

const MISSING = {
  'private key': 'secretMissingPrivateKey',
  password: 'secretMissingPassword',
  token: 'secretMissingToken',
} as const;

/** The secret a type needs is not stored: what to do about it. */
export function missingSecret(what: keyof typeof MISSING): ServerAuthError {
  return new ServerAuthError(hostMessage(MISSING[what]));
}
