import { describe, expect, it } from 'vitest';
import { readEventStream, type ServerEvent } from './event-stream';

/** A body that arrives in the given chunks, as a slow network delivers it. */
function body(chunks: string[]): ReadableStream<Uint8Array<ArrayBuffer>> {
  const encoder = new TextEncoder();
  return new ReadableStream({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(encoder.encode(chunk));
      controller.close();
    },
  });
}

async function events(chunks: string[]): Promise<ServerEvent[]> {
  const seen: ServerEvent[] = [];
  await readEventStream(body(chunks), (event) => seen.push(event));
  return seen;
}

describe('readEventStream', () => {
  it('reads named and unnamed events, whatever the chunk boundaries', async () => {
    const text = 'data: {"a":1}\n\nevent: end\ndata: {"reason":"count"}\n\n';
    const whole = await events([text]);
    expect(whole).toEqual([
      { event: 'message', data: '{"a":1}' },
      { event: 'end', data: '{"reason":"count"}' },
    ]);
    // Split at every character: the same events.
    expect(await events([...text])).toEqual(whole);
  });

  it('skips heartbeats, joins multi-line data, accepts CRLF, and flushes a last event without a blank line', async () => {
    expect(
      await events([': heartbeat\n\n', 'event: error\r\ndata: one\r\ndata: two\r\n\r\n', 'data: last']),
    ).toEqual([
      { event: 'error', data: 'one\ntwo' },
      { event: 'message', data: 'last' },
    ]);
  });
});
