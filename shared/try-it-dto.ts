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

/**
 * What happened to one row fed to a sink. Only an acknowledgement proves the sink received a row; without one
 * the host knows no more than that the row was handed to the plugin's socket.
 */
export interface RowOutcome {
  index: number;
  /**
   * `ok`/`error`: the sink acknowledged it (`error` with the sink's message), whether or not acknowledgements
   * were awaited; `timeout`: handed over, no acknowledgement within the timeout; `handed`: handed to the
   * plugin's socket, not acknowledged, so whether the sink took it is unknown; `unsent`: the plugin's socket
   * did not take it (`message` says why on the first such row), and nothing after it was sent.
   */
  status: 'ok' | 'error' | 'timeout' | 'handed' | 'unsent';
  message?: string;
  /** Hand-over to acknowledgement (or to hand-over alone), in milliseconds. */
  ms: number;
}

export interface SinkFeedResult {
  rows: RowOutcome[];
  /**
   * How long the sink was kept running after the last row before it was stopped, so it could write what it
   * had taken: the drain period, or less once every row was acknowledged.
   */
  drainedMs: number;
  /** Set when acks were awaited and none came: most likely a sink built with the Go SDK, which never acks. */
  note?: string;
  /** With `note`: how long the first row waited for an acknowledgement, so the window can say it in its language. */
  noAckWithinMs?: number;
}

/** How long a sink keeps running after the last row unless the request says otherwise (see `drainMs`). */
export const DEFAULT_SINK_DRAIN_MS = 2000;

/** The host's caps on one try; the window's forms refuse more before sending. */
export const TRY_LIMITS = {
  maxMessages: 10_000,
  maxDurationMs: 10 * 60_000,
  maxRows: 10_000,
  maxAckTimeoutMs: 60_000,
  maxDrainMs: 60_000,
};
