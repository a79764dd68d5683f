/**
 * The answers of the try-it API (`/manager/portables/{name}/…`), shared by the host that sends them and the
 * window that shows them, so the two cannot drift apart.
 */

/** The answer of a function try: the function's own result or error, and how long each step took. */
export interface FunctionTrial {
  /** False when Validate or Exec answered `state: false`; `error` then holds the function's message. */
  ok: boolean;
  /** Which step answered last: a Validate failure never reaches Exec. */
  stage: 'validate' | 'exec';
  result?: unknown;
  error?: string;
  validateMs: number;
  /** Round trip of the Exec call (0 if Validate refused). */
  execMs: number;
}

/** One event of a source sample, as the API streams it. */
export type SourceEvent =
  | { type: 'message'; message: unknown; meta: unknown; elapsedMs: number }
  | { type: 'error'; error: string; elapsedMs: number }
  | {
      type: 'end';
      reason: 'count' | 'time' | 'stopped';
      messages: number;
      errors: number;
      elapsedMs: number;
    };

/** What happened to one row fed to a sink. */
export interface RowOutcome {
  index: number;
  /** `ok`/`error`: the sink acknowledged; `timeout`: no ack in time; `sent`: acks were not awaited. */
  status: 'ok' | 'error' | 'timeout' | 'sent';
  message?: string;
  /** Send to acknowledgement, in milliseconds. */
  ms: number;
}

export interface SinkFeedResult {
  rows: RowOutcome[];
  /** Set when acks were awaited and none came: most likely a sink built with the Go SDK, which never acks. */
  note?: string;
  /** With `note`: how long the first row waited for an acknowledgement, so the window can say it in its language. */
  noAckWithinMs?: number;
}

/** The host's caps on one try; the window's forms refuse more before sending. */
export const TRY_LIMITS = {
  maxMessages: 10_000,
  maxDurationMs: 10 * 60_000,
  maxRows: 10_000,
  maxAckTimeoutMs: 60_000,
};
