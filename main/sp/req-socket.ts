import { randomInt } from 'node:crypto';
import { SpError } from './errors.js';
import type { Pipe } from './pipe.js';
import { SocketCore, type DialOptions } from './socket-core.js';
import { Waiters } from './waiters.js';
import { Protocol } from './wire.js';

/** The one outstanding request: its id, the bytes to (re)send, where it went, and its reply once here. */
interface OutstandingRequest {
  id: number;
  payload: Buffer;
  sentOn: Pipe | undefined;
  reply: Buffer | undefined;
}

/**
 * The REQ side of request/reply, as a portable plugin uses it (the project's Node test plugins and tools).
 * Each request carries a fresh id (high bit set); only a reply with the current id is accepted. A new `send`
 * cancels the previous request, a `recv` timeout cancels it too (as in nng: send again before receiving), and a
 * request whose peer disconnected is re-sent once the dialer has reconnected.
 */
export class ReqSocket extends SocketCore {
  private nextId = randomInt(0, 0x7fffffff);
  private outstanding: OutstandingRequest | undefined;
  private readonly receivers = new Waiters<Buffer>();
  private readonly pipeWaiters = new Waiters<Pipe>();

  private constructor(url: string, options: DialOptions) {
    super(url, Protocol.req, Protocol.rep, options);
  }

  /** Connects to a REP listener, retrying `retries` times `retryDelayMs` apart, then reconnects after drops. */
  static async dial(url: string, options: DialOptions = {}): Promise<ReqSocket> {
    const socket = new ReqSocket(url, options);
    await socket.startDialing(options);
    return socket;
  }

  /** Sends a new request (cancelling any earlier one); waits up to the timeout for a connected peer. */
  async send(data: Buffer | string, timeoutMs: number = this.sendTimeoutMs): Promise<void> {
    if (this.closed) throw this.closedError();
    const id = (this.nextId | 0x80000000) >>> 0;
    this.nextId = (this.nextId + 1) & 0x7fffffff;
    const header = Buffer.alloc(4);
    header.writeUInt32BE(id);
    const body = typeof data === 'string' ? Buffer.from(data) : data;
    const request: OutstandingRequest = {
      id,
      payload: Buffer.concat([header, body]),
      sentOn: undefined,
      reply: undefined,
    };
    this.outstanding = request;
    const started = Date.now();
    const pipe =
      this.firstPipe() ??
      (await this.pipeWaiters.wait(timeoutMs, () => {
        if (this.outstanding === request) this.outstanding = undefined;
        return this.timeoutError('Nothing connected to take the request', timeoutMs);
      }));
    if (this.outstanding !== request || request.sentOn !== undefined) return;
    request.sentOn = pipe;
    const remaining = Number.isFinite(timeoutMs)
      ? Math.max(0, timeoutMs - (Date.now() - started))
      : timeoutMs;
    await this.sendWithin(pipe, request.payload, remaining);
  }

  /** Waits for the reply to the current request; `EPROTOSTATE` when there is none, `ETIMEDOUT` after the timeout. */
  recv(timeoutMs: number = this.recvTimeoutMs): Promise<Buffer> {
    if (this.closed) return Promise.reject(this.closedError());
    const request = this.outstanding;
    if (request === undefined) {
      return Promise.reject(
        new SpError('EPROTOSTATE', `There is no request waiting for a reply on ${this.url}: send one first.`),
      );
    }
    if (request.reply !== undefined) {
      this.outstanding = undefined;
      return Promise.resolve(request.reply);
    }
    return this.receivers.wait(timeoutMs, () => {
      if (this.outstanding === request) this.outstanding = undefined;
      return this.timeoutError('No reply arrived', timeoutMs);
    });
  }

  protected pipeAdded(pipe: Pipe): void {
    if (this.pipeWaiters.size > 0) {
      while (this.pipeWaiters.resolveNext(pipe));
      return; // The waiting send goes out on this pipe.
    }
    this.resendIfOrphaned();
  }

  protected pipeMessage(_pipe: Pipe, payload: Buffer): void {
    const request = this.outstanding;
    if (request === undefined || payload.length < 4 || payload.readUInt32BE(0) !== request.id) return;
    const reply = payload.subarray(4);
    if (this.receivers.resolveNext(reply)) this.outstanding = undefined;
    else request.reply = reply;
  }

  protected pipeRemoved(pipe: Pipe): void {
    if (this.outstanding?.sentOn === pipe && this.outstanding.reply === undefined) {
      this.outstanding.sentOn = undefined;
      this.resendIfOrphaned();
    }
  }

  protected onClosing(error: SpError): void {
    this.outstanding = undefined;
    this.receivers.rejectAll(error);
    this.pipeWaiters.rejectAll(error);
  }

  private firstPipe(): Pipe | undefined {
    for (const pipe of this.pipes) if (pipe.isReady) return pipe;
    return undefined;
  }

  /** Re-sends an unanswered request whose peer went away, on a pipe that is there now. */
  private resendIfOrphaned(): void {
    const request = this.outstanding;
    if (request === undefined || request.sentOn !== undefined || request.reply !== undefined) return;
    const pipe = this.firstPipe();
    if (pipe === undefined) return;
    request.sentOn = pipe;
    pipe.send(request.payload).catch(() => undefined);
  }
}
