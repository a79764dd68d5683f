import type { SpError } from './errors.js';
import type { Pipe } from './pipe.js';
import { SocketCore, type DialOptions, type SocketOptions } from './socket-core.js';
import { Waiters } from './waiters.js';
import { Protocol } from './wire.js';

/** Messages buffered per peer before we stop reading from it (the peer's PUSH then blocks, as it should). */
const highWaterMessages = 256;

/**
 * The PULL side of a pipeline, as eKuiper's host uses it for source data and sink acks. Messages are fair-queued:
 * `recv` takes from each connected peer in turn, so one chatty source cannot starve another, and a peer whose
 * messages pile up is paused until they are read. Messages already received stay readable after their peer left.
 */
export class PullSocket extends SocketCore {
  /** Unread messages per peer, in round-robin order (the next peer to read from is first). */
  private readonly queues = new Map<Pipe, Buffer[]>();
  private readonly receivers = new Waiters<Buffer>();

  private constructor(url: string, options: SocketOptions) {
    super(url, Protocol.pull, Protocol.push, options);
  }

  /** Listens on `url` (removing a stale socket file first); rejects with `EADDRINUSE` if someone is there. */
  static async listen(url: string, options: SocketOptions = {}): Promise<PullSocket> {
    const socket = new PullSocket(url, options);
    await socket.startListening();
    return socket;
  }

  /** Connects to a PUSH listener (and reconnects after drops). */
  static async dial(url: string, options: DialOptions = {}): Promise<PullSocket> {
    const socket = new PullSocket(url, options);
    await socket.startDialing(options);
    return socket;
  }

  /** Messages received and not yet read, over all peers. */
  get bufferedMessageCount(): number {
    let count = 0;
    for (const queue of this.queues.values()) count += queue.length;
    return count;
  }

  /** Waits for the next message from any peer; `ETIMEDOUT` after the timeout. */
  recv(timeoutMs: number = this.recvTimeoutMs): Promise<Buffer> {
    if (this.closed) return Promise.reject(this.closedError());
    for (const [pipe, queue] of this.queues) {
      const message = queue.shift();
      this.queues.delete(pipe);
      if (message === undefined) continue;
      if (queue.length > 0 || this.pipes.has(pipe)) this.queues.set(pipe, queue);
      if (queue.length === highWaterMessages / 2) pipe.resume();
      return Promise.resolve(message);
    }
    return this.receivers.wait(timeoutMs, () => this.timeoutError('No message arrived', timeoutMs));
  }

  protected pipeAdded(pipe: Pipe): void {
    this.queues.set(pipe, []);
  }

  protected pipeMessage(pipe: Pipe, payload: Buffer): void {
    if (this.receivers.resolveNext(payload)) return;
    let queue = this.queues.get(pipe);
    if (queue === undefined) {
      queue = [];
      this.queues.set(pipe, queue);
    }
    queue.push(payload);
    if (queue.length >= highWaterMessages) pipe.pause();
  }

  protected pipeRemoved(pipe: Pipe): void {
    if (this.queues.get(pipe)?.length === 0) this.queues.delete(pipe);
  }

  protected onClosing(error: SpError): void {
    this.queues.clear();
    this.receivers.rejectAll(error);
  }
}
