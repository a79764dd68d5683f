/** Reads a Server-Sent Events answer as it comes, event by event, for tests of streaming routes. */
export class EventStreamReader {
  private buffer = '';
  private readonly decoder = new TextDecoder();
  readonly events: Array<{ event: string; data: unknown }> = [];

  constructor(private readonly reader: ReadableStreamDefaultReader<Uint8Array>) {}

  static async open(url: string, body: unknown, signal: AbortSignal): Promise<EventStreamReader> {
    const response = await fetch(url, {
      method: 'POST',
      headers: { Accept: 'text/event-stream' },
      body: JSON.stringify(body),
      signal,
    });
    if (response.status !== 200 || response.body === null) {
      throw new Error(`expected an event stream, got ${response.status}: ${await response.text()}`);
    }
    return new EventStreamReader(response.body.getReader());
  }

  /** Opens a stream that is read with GET (`…/events` routes). */
  static async follow(url: string, signal: AbortSignal): Promise<EventStreamReader> {
    const response = await fetch(url, { headers: { Accept: 'text/event-stream' }, signal });
    if (response.status !== 200 || response.body === null) {
      throw new Error(`expected an event stream, got ${response.status}: ${await response.text()}`);
    }
    return new EventStreamReader(response.body.getReader());
  }

  /** Reads until an event matches (or the stream ends, which throws). */
  async until(
    match: (event: { event: string; data: unknown }) => boolean,
  ): Promise<{ event: string; data: unknown }> {
    for (;;) {
      const found = this.events.find(match);
      if (found !== undefined) return found;
      const { value, done } = await this.reader.read();
      if (done) throw new Error('the event stream ended first');
      this.buffer += this.decoder.decode(value, { stream: true });
      let end: number;
      while ((end = this.buffer.indexOf('\n\n')) >= 0) {
        const block = this.buffer.slice(0, end);
        this.buffer = this.buffer.slice(end + 2);
        let event = 'message';
        let data = '';
        for (const line of block.split('\n')) {
          if (line.startsWith('event: ')) event = line.slice(7);
          else if (line.startsWith('data: ')) data += line.slice(6);
        }
        if (data !== '') this.events.push({ event, data: JSON.parse(data) as unknown });
      }
    }
  }
}
