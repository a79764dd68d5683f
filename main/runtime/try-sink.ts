import type { RowOutcome, SinkFeedResult } from '../../shared/try-it-dto.js';
import { PullSocket, PushSocket, SpError } from '../sp/index.js';

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
}

function ackOutcome(data: Buffer, index: number, ms: number): RowOutcome {
  const text = data.toString('utf8');
  try {
    const ack = JSON.parse(text) as unknown;
    if (typeof ack === 'object' && ack !== null && 'error' in ack) {
      return { index, status: 'error', message: String(ack.error), ms };
    }
    return { index, status: 'ok', ms };
  } catch {
    return { index, status: 'error', message: `the acknowledgement '${text.slice(0, 200)}' is not JSON`, ms };
  }
}

/**
 * Feeds rows to a sink as a rule would (eKuiper's order: ack listener, `start`, then the data PUSH dials the
 * plugin's listener), one JSON object per message, waiting for each acknowledgement when asked. After the
 * first missing ack the rest are sent without waiting, so a sink that never acks costs one timeout.
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
  const acks = options.requireAck ? await PullSocket.listen(ackUrl(meta)) : undefined;
  let push: PushSocket | undefined;
  try {
    await instance.startSymbol(control);
    push = await PushSocket.dial(dataUrl(meta), { sendTimeoutMs: options.sendTimeoutMs });
    const rows: RowOutcome[] = [];
    let acking = options.requireAck;
    let missed = false;
    for (const [index, row] of options.rows.entries()) {
      const started = performance.now();
      await push.send(JSON.stringify(row), options.sendTimeoutMs);
      if (!acking || acks === undefined) {
        rows.push({ index, status: 'sent', ms: performance.now() - started });
        continue;
      }
      try {
        const data = await acks.recv(options.ackTimeoutMs);
        rows.push(ackOutcome(data, index, performance.now() - started));
      } catch (error) {
        if (!(error instanceof SpError) || error.code !== 'ETIMEDOUT') throw error;
        rows.push({ index, status: 'timeout', ms: performance.now() - started });
        acking = false;
        missed = true;
      }
    }
    return missed
      ? {
          rows,
          note:
            `no acknowledgement within ${options.ackTimeoutMs} ms: sinks built with eKuiper's Go SDK never ` +
            'acknowledge; the rows after the first were sent without waiting',
          noAckWithinMs: options.ackTimeoutMs,
        }
      : { rows };
  } finally {
    try {
      await instance.stopSymbol(control);
    } catch {
      // A plugin that died meanwhile has nothing left to stop.
    }
    await push?.close().catch(() => {});
    await acks?.close().catch(() => {});
  }
}
