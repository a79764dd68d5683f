import { openEventStream, readEventStream } from './event-stream';
import { requestJson } from './http';
import type { FunctionTrial, SinkFeedResult, SourceEvent } from '../../../shared/try-it-dto';

export {
  DEFAULT_SINK_DRAIN_MS,
  TRY_LIMITS,
  type FunctionTrial,
  type RowOutcome,
  type SourceEvent,
} from '../../../shared/try-it-dto';
/** The answer of a sink feed. */
export type FeedResult = SinkFeedResult;

/** How the process ended by itself: its exit status or signal, and the stderr lines that explain it ('' if none). */
export interface ProcessEndReport {
  code: number | null;
  signal: string | null;
  output: string;
}

/** A portable plugin's process as the host reports it (`GET /manager/portables/{name}/status`). */
export interface RuntimeStatus {
  /** `initializing`, `running`, `error` or `stop`; kept open so a newer host's state still shows. */
  status: string;
  errMsg: string;
  /** Running try-it sessions (and rules) per id. */
  refCount: Record<string, number>;
  /** The process id; 0 when none runs. */
  pid: number;
  /** Set after the process ended by itself (`stop` for status 0, `error` otherwise). */
  ended?: ProcessEndReport;
}

/** One line of a plugin's log: its stdout, its stderr, or the host's own note (started, exited…). */
export interface LogLine {
  time: number;
  /** `stdout`, `stderr` or `host`. */
  stream: string;
  text: string;
}

/** A source's `sources/{symbol}.yaml`, as the form prefills it; `file` is `''` when the source has none. */
export interface SourceConfigFile {
  file: string;
  config: Record<string, unknown>;
  sections: string[];
  all: Record<string, Record<string, unknown>>;
}

export interface SampleRequest {
  dataSource: string;
  config: Record<string, unknown>;
  maxMessages: number;
  durationMs: number;
}

export interface FeedRequest {
  config: Record<string, unknown>;
  rows: unknown[];
  requireAck: boolean;
  ackTimeoutMs: number;
  /** How long the sink keeps running after the last row unless every row is acknowledged sooner. */
  drainMs: number;
}

const base = (name: string) => `/manager/portables/${encodeURIComponent(name)}`;

/** A call may wait for the plugin's own timeout on top of the network: give it room beyond the host's. */
const TRY_TIMEOUT_MS = 70_000;

export const runtimeApi = {
  /** The plugin process: status, pid, last error, running sessions. */
  status: (name: string) => requestJson<RuntimeStatus>(`${base(name)}/status`, { timeoutMs: 5_000 }),
  /** Kills and starts the process; answers the new status, or throws the start error (the plugin's stderr). */
  restart: (name: string) =>
    requestJson<RuntimeStatus>(`${base(name)}/restart`, { method: 'POST', timeoutMs: TRY_TIMEOUT_MS }),
  /** Validate, then Exec, as a rule would. */
  callFunction: (name: string, symbol: string, args: unknown[], signal?: AbortSignal) =>
    requestJson<FunctionTrial>(`${base(name)}/functions/${encodeURIComponent(symbol)}/call`, {
      method: 'POST',
      body: { args },
      timeoutMs: TRY_TIMEOUT_MS,
      signal,
    }),
  /** The source's yaml, so the form starts from what a stream would get. */
  sourceConfig: (name: string, symbol: string) =>
    requestJson<SourceConfigFile>(`${base(name)}/sources/${encodeURIComponent(symbol)}/config`),
  /** Starts the sink, sends each row, waits for acknowledgements when asked, then the drain period. */
  feedSink: (name: string, symbol: string, body: FeedRequest, signal?: AbortSignal) =>
    requestJson<FeedResult>(`${base(name)}/sinks/${encodeURIComponent(symbol)}/feed`, {
      method: 'POST',
      body,
      // Every row may wait out its ack timeout in the worst case (the host stops waiting after the first).
      timeoutMs: TRY_TIMEOUT_MS + body.ackTimeoutMs + body.drainMs,
      signal,
    }),
};

const parsed = <T>(text: string): T | undefined => {
  try {
    return JSON.parse(text) as T;
  } catch {
    return undefined;
  }
};

/**
 * Follows a plugin's log: the last `lines` first, then every new line, until `signal` aborts. `onOpen` says the
 * host accepted (the log may be empty). Resolves when the stream ends (host closed, plugin deleted); the caller
 * decides whether to follow again.
 */
export async function followLog(
  name: string,
  lines: number,
  onLine: (line: LogLine) => void,
  signal: AbortSignal,
  onOpen?: () => void,
): Promise<void> {
  const response = await openEventStream(`${base(name)}/log?follow=1&lines=${lines}`, {}, signal);
  onOpen?.();
  await readEventStream(response.body as NonNullable<Response['body']>, ({ data }) => {
    const line = parsed<LogLine>(data);
    if (line !== undefined && typeof line.text === 'string') onLine(line);
  });
}

/**
 * Samples a source with its events streamed live. A config the plugin refuses throws `HostError` (422, the
 * plugin's message) before any event; aborting `signal` hangs up, which makes the host stop the source.
 */
export async function sampleSource(
  name: string,
  symbol: string,
  request: SampleRequest,
  onEvent: (event: SourceEvent) => void,
  signal: AbortSignal,
): Promise<void> {
  const response = await openEventStream(
    `${base(name)}/sources/${encodeURIComponent(symbol)}/sample`,
    { method: 'POST', body: JSON.stringify(request) },
    signal,
  );
  await readEventStream(response.body as NonNullable<Response['body']>, ({ event, data }) => {
    const value = parsed<SourceEvent>(data);
    if (value === undefined) return;
    if (event === 'message' || event === 'error' || event === 'end') onEvent(value);
  });
}
