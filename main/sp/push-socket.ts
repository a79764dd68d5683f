import { isSpError, type SpError } from './errors.js';
import type { Pipe } from './pipe.js';
import { SocketCore, type DialOptions, type SocketOptions } from './socket-core.js';
import { Waiters } from './waiters.js';
import { Protocol } from './wire.js';

/**
 * The PUSH side of a pipeline, as eKuiper's host uses it for sink data. Messages go round-robin to connected
 * peers that can take them; with none connected (or all applying back-pressure), `send` waits for one up to its
 * timeout and then fails with `ETIMEDOUT` — the way a sink learns that its plugin is gone.
 */
export class PushSocket extends SocketCore {
  /** Ready peers in round-robin order: the next to try is first. */
  private order: Pipe[] = [];
  private readonly senders = new Waiters<Pipe>();

  private constructor(url: string, options: SocketOptions) {
    super(url, Protocol.push, Protocol.pull, options);
  }

  /** Connects to a PULL listener, retrying a few times, and reconnects with back-off after drops. */
  static async dial(url: string, options: DialOptions = {}): Promise<PushSocket> {
    const socket = new PushSocket(url, options);
    await socket.startDialing(options);
    return socket;
  }

  /** Listens on `url` for PULL peers (removing a stale socket file first). */
  static async listen(url: string, options: SocketOptions = {}): Promise<PushSocket> {
    const socket = new PushSocket(url, options);
    await socket.startListening();
    return socket;
  }

  /**
   * Sends to the next peer able to take it, waiting for one up to the timeout (`ETIMEDOUT`). If the chosen peer
   * disconnects while the message is being written, the next peer gets it (still within the timeout). A send
   * that timed out on a slow peer may still be delivered later: the bytes cannot be taken back.
   */
  async send(data: Buffer | string, timeoutMs: number = this.sendTimeoutMs): Promise<void> {
    if (this.closed) throw this.closedError();
    const payload = typeof data === 'string' ? Buffer.from(data) : data;
    const deadline = Date.now() + timeoutMs;
    const remaining = (): number =>
      Number.isFinite(timeoutMs) ? Math.max(0, deadline - Date.now()) : timeoutMs;
    for (;;) {
      const pipe =
        this.takeWritablePipe() ??
        (await this.senders.wait(remaining(), () =>
          this.timeoutError(
            this.pipes.size === 0 ? 'Nothing connected to take the message' : 'No peer took the message',
            timeoutMs,
          ),
        ));
      try {
        await this.sendWithin(pipe, payload, remaining());
        return;
      } catch (error) {
        // The peer left mid-write: try the next one, unless the socket itself was closed.
        if (this.closed || !isSpError(error, 'ECLOSED')) throw error;
      }
    }
  }

  protected pipeAdded(pipe: Pipe): void {
    this.order.push(pipe);
    this.serveWaitingSenders();
  }

  protected pipeMessage(): void {
    // PULL peers never send; anything they do is ignored, as in nng.
  }

  protected override pipeDrained(): void {
    this.serveWaitingSenders();
  }

  protected pipeRemoved(pipe: Pipe): void {
    this.order = this.order.filter((other) => other !== pipe);
  }

  protected onClosing(error: SpError): void {
    this.order = [];
    this.senders.rejectAll(error);
  }

  /** The next writable peer in round-robin order, moved to the back; undefined when none can take a message. */
  private takeWritablePipe(): Pipe | undefined {
    const index = this.order.findIndex((pipe) => pipe.writable);
    if (index < 0) return undefined;
    const [pipe] = this.order.splice(index, 1) as [Pipe];
    this.order.push(pipe);
    return pipe;
  }

  private serveWaitingSenders(): void {
    while (this.senders.size > 0) {
      const pipe = this.takeWritablePipe();
      if (pipe === undefined) return;
      this.senders.resolveNext(pipe);
    }
  }
}
