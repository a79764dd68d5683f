/**
 * Why an SP socket operation failed. Callers branch on the code (for example the portable runtime retries on
 * `EPROTOSTATE` and reports `EADDRINUSE` as "another eKuiper is running"); the message is for people.
 */
export type SpErrorCode =
  | 'ETIMEDOUT'
  | 'EPROTOSTATE'
  | 'ECLOSED'
  | 'EADDRINUSE'
  | 'ECONNREFUSED'
  | 'EBADHEADER'
  | 'EMSGSIZE'
  | 'EINVAL';

/** An error from the nanomsg SP layer, with a code to branch on and a message a user can act on. */
export class SpError extends Error {
  constructor(
    readonly code: SpErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'SpError';
  }
}

/** True when `error` is an SpError with the given code, so callers need no casts. */
export function isSpError(error: unknown, code?: SpErrorCode): error is SpError {
  return error instanceof SpError && (code === undefined || error.code === code);
}

/** Formats a timeout the way people read it ("5 s", "300 ms"). */
export function describeMs(ms: number): string {
  return ms >= 1000 && ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`;
}

export function closedError(url: string): SpError {
  return new SpError('ECLOSED', `The connection on ${url} is closed.`);
}

export function addressInUseError(path: string): SpError {
  return new SpError(
    'EADDRINUSE',
    `Another program is already listening on ${path}. A real eKuiper or NeuronEX is probably running with the ` +
      'same plugin; stop it (or remove the plugin there) and try again.',
  );
}
