import { SpError, isSpError } from './errors.js';
import type { Pipe } from './pipe.js';
import { SocketCore, type SocketOptions } from './socket-core.js';
import { Waiters } from './waiters.js';
import { Protocol } from './wire.js';

/** A request as REP holds it: where it came from, the backtrace to echo, and the body for the caller. */
interface PendingRequest {
  pipe: Pipe;
  backtrace: Buffer;
  body: Buffer;
}

/** nng and mangos drop requests that went through more hops than this. */
const maxHops = 8;

/**
 * Splits an SP request into backtrace and body: 4-byte words up to and including the first with the high bit set
 * (the request id). Undefined for a malformed request, which REP silently drops as nng does.
 */
export function splitBacktrace(payload: Buffer): { backtrace: Buffer; body: Buffer } | undefined {
  for (let hop = 0; hop < maxHops; hop++) {
    const end = (hop + 1) * 4;
    if (payload.length < end) return undefined;
    if ((payload.readUInt32BE(hop * 4) & 0x80000000) !== 0) {
      return { backtrace: payload.subarray(0, end), body: payload.subarray(end) };
    }
  }
  return undefined;
}

/**
 * The REP side of request/reply, as eKuiper's host uses it on the control and function channels (where the
 * plugin is the REQ side). `recv` returns the next request; `send` answers the last one received.
 *
 * Only the newest request of each peer is kept: a REQ peer that re-sends (an idle plugin repeats `handshake`
 * every few seconds) has cancelled its older requests, and a reply to them would be dropped. So an older unread
 * request is discarded when a newer one arrives from the same peer, and a received-but-unanswered request that
 * was superseded, or whose peer left, can no longer be answered: `send` then fails with `EPROTOSTATE`, like
 * sending with no request at all, and the caller reads the newer request first.
 */
export class RepSocket extends SocketCore {
  private unread: PendingRequest[] = [];
  private current: PendingRequest | undefined;
  private readonly receivers = new Waiters<Buffer>();

  private constructor(url: string, options: SocketOptions) {
    super(url, Protocol.rep, Protocol.req, options);
  }

  /** Listens on `url` (removing a stale socket file first); rejects with `EADDRINUSE` if someone is there. */
  static async listen(url: string, options: SocketOptions = {}): Promise<RepSocket> {
    const socket = new RepSocket(url, options);
    await socket.startListening();
    return socket;
  }

  /** Requests received and not yet read: at most one per peer, since older ones are superseded. */
  get pendingRequestCount(): number {
    return this.unread.length;
  }

  /** Waits for the next request (`ETIMEDOUT` after the timeout) and makes it the one `send` answers. */
  recv(timeoutMs: number = this.recvTimeoutMs): Promise<Buffer> {
    if (this.closed) return Promise.reject(this.closedError());
    this.current = undefined;
    const next = this.unread.shift();
    if (next !== undefined) {
      this.current = next;
      return Promise.resolve(next.body);
    }
    return this.receivers.wait(timeoutMs, () => this.timeoutError('No request arrived', timeoutMs));
  }

  /** Answers the request last returned by `recv`; `EPROTOSTATE` when there is none that can still be answered. */
  async send(data: Buffer | string, timeoutMs: number = this.sendTimeoutMs): Promise<void> {
    if (this.closed) throw this.closedError();
    const request = this.current;
    if (request === undefined || !this.pipes.has(request.pipe)) {
      this.current = undefined;
      throw new SpError(
        'EPROTOSTATE',
        `There is no request to answer on ${this.url}: receive one first (the last one was answered, ` +
          'replaced by a newer one, or its sender disconnected).',
      );
    }
    this.current = undefined;
    const body = typeof data === 'string' ? Buffer.from(data) : data;
    try {
      await this.sendWithin(request.pipe, Buffer.concat([request.backtrace, body]), timeoutMs);
    } catch (error) {
      if (this.closed || !isSpError(error, 'ECLOSED')) throw error;
      throw new SpError(
        'EPROTOSTATE',
        `The reply on ${this.url} was not delivered: its requester disconnected.`,
      );
    }
  }

  protected pipeAdded(): void {}

  protected pipeMessage(pipe: Pipe, payload: Buffer): void {
    const parts = splitBacktrace(payload);
    if (parts === undefined) return;
    const request: PendingRequest = { pipe, ...parts };
    if (this.current?.pipe === pipe) this.current = undefined;
    this.unread = this.unread.filter((older) => older.pipe !== pipe);
    if (this.receivers.size > 0) {
      this.current = request;
      this.receivers.resolveNext(request.body);
    } else {
      this.unread.push(request);
    }
  }

  protected pipeRemoved(pipe: Pipe): void {
    this.unread = this.unread.filter((request) => request.pipe !== pipe);
    if (this.current?.pipe === pipe) this.current = undefined;
  }

  protected onClosing(error: SpError): void {
    this.unread = [];
    this.current = undefined;
    this.receivers.rejectAll(error);
  }
}
