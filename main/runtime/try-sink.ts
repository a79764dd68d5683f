import type { RowOutcome, SinkFeedResult } from '../../shared/try-it-dto.js';
import { PullSocket, PushSocket, SpError, isSpError } from '../sp/index.js';

export type { RowOutcome, SinkFeedResult };
import type { Control } from './control-channel.js';
import { ackUrl, dataUrl } from './ipc-urls.js';
import type { PortableInstance } from './plugin-instance.js';
import { tryMeta } from './try-ids.js';

export interface SinkFeedOptions {
  config: Record<string, unknown>;
  rows: unknown[];
  /** Wait for each row's acknowledgement (eKuiper's `requireAck`). */
  requireAck: boolean;
  /** How long to wait for one acknowledgement: Go SDK sinks never send any. */
  ackTimeoutMs: number;
  sendTimeoutMs: number;
  /**
   * How long the sink keeps running after the last row before it is stopped, unless every row was
   * acknowledged sooner: sinks often write in batches (eKuiper's `mirror` file sink every `interval`), and a
   * sink stopped at once loses what it had not written yet.
   */
  drainMs: number;
}

/** What an acknowledgement says: `{}` is fine, `{"error": …}` a refusal. */
function readAck(data: Buffer): { ok: true } | { ok: false; message: string } {
  const text = data.toString('utf8');
  try {
    const ack = JSON.parse(text) as unknown;
    if (typeof ack === 'object' && ack !== null && 'error' in ack)
      return { ok: false, message: String(ack.error) };
    return { ok: true };
  } catch {
    return { ok: false, message: `the acknowledgement '${text.slice(0, 200)}' is not JSON` };
  }
}

/**
 * The rows' outcomes as the facts come in. A row handed to the plugin's socket is `handed` — the host cannot
 * see whether the sink took it — until an acknowledgement says more. Acknowledgements arrive in row order (one
 * per row, the SDKs' contract), so each one belongs to the oldest row not yet matched, whether or not the host
 * was waiting for it: with `requireAck` off a sink that acknowledges anyway still gets its rows marked.
 */
class RowLedger {
  readonly rows: RowOutcome[] = [];
  private readonly handedAt: number[] = [];
  /** The oldest handed row no acknowledgement has been matched with yet. */
  private unmatched = 0;
  private anyUnsent = false;

  handed(index: number, started: number): void {
    this.handedAt[index] = started;
    this.rows[index] = { index, status: 'handed', ms: performance.now() - started };
  }

  /** Matches an acknowledgement with its row; one with no row left (a sink acknowledging twice) is dropped. */
  acknowledged(data: Buffer): void {
    const index = this.unmatched;
    if (index >= this.handedAt.length) return;
    this.unmatched++;
    const row = this.rows[index]!;
    // A row that timed out keeps saying so: its acknowledgement came after the host gave up waiting.
    if (row.status !== 'handed') return;
    const ack = readAck(data);
    const ms = performance.now() - this.handedAt[index]!;
    this.rows[index] = ack.ok
      ? { index, status: 'ok', ms }
      : { index, status: 'error', message: ack.message, ms };
  }

  /** True once `index` has its acknowledgement. */
  isMatched(index: number): boolean {
    return this.unmatched > index;
  }

  timedOut(index: number): void {
    this.rows[index] = {
      ...this.rows[index]!,
      status: 'timeout',
      ms: performance.now() - this.handedAt[index]!,
    };
  }

  /** Every row was handed over and acknowledged: nothing is left for the sink to take. */
  get allAcknowledged(): boolean {
    return !this.anyUnsent && this.unmatched === this.handedAt.length;
  }

  unsent(from: number, count: number, message: string): void {
    this.anyUnsent = true;
    for (let index = from; index < count; index++) {
      this.rows[index] = { index, status: 'unsent', message: index === from ? message : undefined, ms: 0 };
    }
  }
}

/** The next acknowledgement, or undefined when none came within `timeoutMs`. */
async function nextAck(acks: PullSocket, timeoutMs: number): Promise<Buffer | undefined> {
  try {
    return await acks.recv(timeoutMs);
  } catch (error) {
    if (isSpError(error, 'ETIMEDOUT')) return undefined;
    throw error;
  }
}

/**
 * Feeds rows to a sink as a rule would, in eKuiper's order: the host listens on the acknowledgement channel
 * (always, as eKuiper does: eKuiper's Python SDK dials it before it answers `start`, whatever `requireAck`
 * says), sends `start`, then dials the plugin's data listener and sends one JSON object per message, waiting
 * for each acknowledgement when asked. After the first missing acknowledgement the rest are sent without
 * waiting, so a sink that never acknowledges costs one timeout. Then the sink keeps running for the drain
 * period (cut short once every row is acknowledged) before the data channel closes and `stop` is sent.
 */
export async function feedSink(
  instance: PortableInstance,
  symbol: string,
  options: SinkFeedOptions,
): Promise<SinkFeedResult> {
  const meta = tryMeta('snk');
  const control: Control = {
    symbolName: symbol,
    meta,
    pluginType: 'sink',
    config: { ...options.config, requireAck: options.requireAck },
  };
  const acks = await PullSocket.listen(ackUrl(meta));
  let push: PushSocket | undefined;
  try {
    await instance.startSymbol(control);
    push = await PushSocket.dial(dataUrl(meta), { sendTimeoutMs: options.sendTimeoutMs });
    const ledger = new RowLedger();
    let waiting = options.requireAck;
    let missed = false;
    for (const [index, row] of options.rows.entries()) {
      const started = performance.now();
      try {
        await push.send(JSON.stringify(row), options.sendTimeoutMs);
      } catch (error) {
        if (!(error instanceof SpError)) throw error;
        ledger.unsent(index, options.rows.length, error.message);
        break;
      }
      ledger.handed(index, started);
      if (waiting) {
        const deadline = started + options.ackTimeoutMs;
        while (!ledger.isMatched(index)) {
          const data = await nextAck(acks, Math.max(0, deadline - performance.now()));
          if (data === undefined) break;
          ledger.acknowledged(data);
        }
        if (!ledger.isMatched(index)) {
          ledger.timedOut(index);
          waiting = false;
          missed = true;
        }
      }
      // Acknowledgements nobody waited for are matched as they come, and never pile up in the plugin.
      while (acks.bufferedMessageCount > 0) ledger.acknowledged(await acks.recv(0));
    }
    const drainStarted = performance.now();
    const drainEnd = drainStarted + options.drainMs;
    while (!ledger.allAcknowledged && performance.now() < drainEnd) {
      const data = await nextAck(acks, drainEnd - performance.now());
      if (data !== undefined) ledger.acknowledged(data);
    }
    const drainedMs = Math.round(performance.now() - drainStarted);
    const result: SinkFeedResult = { rows: ledger.rows, drainedMs };
    return missed
      ? {
          ...result,
          note:
            `no acknowledgement within ${options.ackTimeoutMs} ms: sinks built with eKuiper's Go SDK never ` +
            'acknowledge; the rows after the first were sent without waiting',
          noAckWithinMs: options.ackTimeoutMs,
        }
      : result;
  } finally {
    // eKuiper's clean-up order: the data channel, then `stop`; acknowledgements are heard until the end.
    await push?.close().catch(() => {});
    try {
      await instance.stopSymbol(control);
    } catch {
      // A plugin that died meanwhile has nothing left to stop.
    }
    await acks.close().catch(() => {});
  }
}
