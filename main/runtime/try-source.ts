import type { SourceEvent } from '../../shared/try-it-dto.js';
import { PullSocket, SpError } from '../sp/index.js';

export type { SourceEvent };
import type { Control } from './control-channel.js';
import { dataUrl } from './ipc-urls.js';
import type { PortableInstance } from './plugin-instance.js';
import { tryMeta } from './try-ids.js';

export interface SourceSampleOptions {
  dataSource: string;
  config: Record<string, unknown>;
  /** Stop after this many messages… */
  maxMessages: number;
  /** …or after this long, whichever comes first. */
  durationMs: number;
}

/** How often the sample checks for a stop request while no message arrives. */
const POLL_MS = 200;

/** Turns one data message into an event: `{message, meta}`, `{error}` (Python SDK), or undecodable bytes. */
function toEvent(data: Buffer, elapsedMs: number): SourceEvent {
  const text = data.toString('utf8');
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { type: 'error', error: `invalid data format, cannot decode '${text.slice(0, 200)}'`, elapsedMs };
  }
  if (typeof parsed === 'string') return { type: 'error', error: parsed, elapsedMs };
  if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) {
    const record = parsed as Record<string, unknown>;
    if ('error' in record && !('message' in record))
      return { type: 'error', error: String(record.error), elapsedMs };
    if ('message' in record)
      return { type: 'message', message: record.message, meta: record.meta ?? null, elapsedMs };
  }
  return { type: 'message', message: parsed, meta: null, elapsedMs };
}

/**
 * A source running for a try: eKuiper's order (PULL listener, then `start`), messages collected until the
 * count or the time is reached or the caller stops, then `stop` and the listener closed.
 */
export class SourceSample {
  private constructor(
    private readonly instance: PortableInstance,
    private readonly control: Control,
    private readonly pull: PullSocket,
    private readonly options: SourceSampleOptions,
  ) {}

  /** Starts the source; a refused config (the plugin's own message) or a dead plugin throws here. */
  static async open(
    instance: PortableInstance,
    symbol: string,
    options: SourceSampleOptions,
  ): Promise<SourceSample> {
    const meta = tryMeta('src');
    const control: Control = {
      symbolName: symbol,
      meta,
      pluginType: 'source',
      dataSource: options.dataSource,
      config: options.config,
    };
    const pull = await PullSocket.listen(dataUrl(meta));
    try {
      await instance.startSymbol(control);
    } catch (error) {
      await pull.close();
      throw error;
    }
    return new SourceSample(instance, control, pull, options);
  }

  /** Streams events until done; `signal` stops early (the client went away or pressed stop). */
  async run(onEvent: (event: SourceEvent) => void, signal?: AbortSignal): Promise<SourceEvent> {
    const started = performance.now();
    let messages = 0;
    let errors = 0;
    let reason: 'count' | 'time' | 'stopped' = 'time';
    try {
      for (;;) {
        if (signal?.aborted === true) {
          reason = 'stopped';
          break;
        }
        const left = this.options.durationMs - (performance.now() - started);
        if (left <= 0) break;
        let data: Buffer;
        try {
          data = await this.pull.recv(Math.min(POLL_MS, left));
        } catch (error) {
          if (error instanceof SpError && error.code === 'ETIMEDOUT') continue;
          throw error;
        }
        const event = toEvent(data, performance.now() - started);
        if (event.type === 'message') messages++;
        else errors++;
        onEvent(event);
        if (messages >= this.options.maxMessages) {
          reason = 'count';
          break;
        }
      }
    } finally {
      await this.close();
    }
    const end: SourceEvent = {
      type: 'end',
      reason,
      messages,
      errors,
      elapsedMs: performance.now() - started,
    };
    onEvent(end);
    return end;
  }

  /** Sends `stop` and closes the listener; safe to call twice. */
  async close(): Promise<void> {
    try {
      await this.instance.stopSymbol(this.control);
    } catch {
      // A plugin that died meanwhile has nothing left to stop.
    }
    await this.pull.close().catch(() => {});
  }
}
