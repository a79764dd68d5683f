import { ErrorCode } from '../../shared/error-codes.js';

/**
 * An error a client should see, carrying eKuiper's code; the REST layer maps 1002 to 404 and the rest to 400,
 * as eKuiper does. `message` is the full text after any route prefix has been applied.
 */
export class PluginError extends Error {
  constructor(
    message: string,
    readonly code: ErrorCode = ErrorCode.Undefined,
  ) {
    super(message);
    this.name = 'PluginError';
  }

  /** Adds eKuiper's route prefix (`sources plugins create command error: …`) keeping the code. */
  withPrefix(prefix: string): PluginError {
    return new PluginError(`${prefix}: ${this.message}`, this.code);
  }

  static notFound(message: string): PluginError {
    return new PluginError(message, ErrorCode.NotFound);
  }
}

/** Wraps anything thrown into a PluginError with a prefix, so unexpected failures still answer in eKuiper's shape. */
export function asPluginError(error: unknown, prefix?: string): PluginError {
  const base = error instanceof PluginError ? error : new PluginError(errorText(error));
  return prefix === undefined ? base : base.withPrefix(prefix);
}

/** The message of anything thrown. */
export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
