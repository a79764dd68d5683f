import type { Socket } from 'node:net';
import { SpError, closedError } from './errors.js';
import { FrameDecoder, checkHeader, encodeFrame, encodeHeader, headerLength } from './wire.js';

/** What a pipe reports to the socket that owns it. */
export interface PipeEvents {
  /** The peer's header checked out; called before any message of this pipe is delivered. */
  onReady(pipe: Pipe): void;
  onMessage(pipe: Pipe, payload: Buffer): void;
  /** The socket may drain again after back-pressure (see `Pipe.writable`). */
  onDrain(pipe: Pipe): void;
  /** Closed for good. `error` says why when it was not a plain close (bad header, oversized frame, I/O error). */
  onClose(pipe: Pipe, error: SpError | undefined, wasReady: boolean): void;
}

export interface PipeOptions {
  /** Own SP protocol id, sent in the connection header. */
  protocol: number;
  /** The protocol id the peer must announce. */
  peerProtocol: number;
  maxMessageBytes: number;
  /** How long a peer may take to send its header before we hang up. */
  handshakeTimeoutMs: number;
  /** The address, for messages. */
  where: string;
}

/**
 * One connection to one peer: exchanges and checks the 8-byte SP header, then turns the byte stream into whole
 * messages and back. A misbehaving peer only ever closes its own pipe, never the socket or the process.
 */
export class Pipe {
  private ready = false;
  private closed = false;
  private header: Buffer = Buffer.alloc(0);
  private readonly decoder: FrameDecoder;
  private readonly handshakeTimer: NodeJS.Timeout;
  /** The first error seen, reported on close. */
  private failure: SpError | undefined;

  constructor(
    private readonly socket: Socket,
    private readonly options: PipeOptions,
    private readonly events: PipeEvents,
  ) {
    this.decoder = new FrameDecoder(options.maxMessageBytes, options.where);
    this.handshakeTimer = setTimeout(() => {
      this.fail(
        new SpError(
          'EBADHEADER',
          `The peer on ${options.where} connected but did not send the SP header within ${options.handshakeTimeoutMs} ms.`,
        ),
      );
    }, options.handshakeTimeoutMs);
    socket.setNoDelay?.(true);
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('drain', () => {
      if (this.ready && !this.closed) events.onDrain(this);
    });
    socket.on('error', (error: NodeJS.ErrnoException) => {
      this.failure ??= connectionError(error, options.where);
    });
    socket.on('close', () => this.onSocketClose());
    socket.write(encodeHeader(options.protocol));
  }

  get isReady(): boolean {
    return this.ready && !this.closed;
  }

  /** False while the OS buffer is full (back-pressure): a sender should prefer another pipe or wait for drain. */
  get writable(): boolean {
    return this.isReady && !this.socket.writableNeedDrain;
  }

  /** Sends one message; resolves once it has been handed to the operating system. */
  send(payload: Buffer): Promise<void> {
    if (!this.isReady) return Promise.reject(closedError(this.options.where));
    const [head, body] = encodeFrame(payload);
    return new Promise<void>((resolve, reject) => {
      this.socket.cork();
      this.socket.write(head);
      this.socket.write(body, (error) => {
        if (error) reject(closedError(this.options.where));
        else resolve();
      });
      this.socket.uncork();
    });
  }

  /** Stops reading from the peer (receive back-pressure). */
  pause(): void {
    this.socket.pause();
  }

  resume(): void {
    this.socket.resume();
  }

  close(): void {
    this.socket.destroy();
  }

  private onData(chunk: Buffer): void {
    if (this.closed) return;
    let data = chunk;
    if (!this.ready) {
      const needed = headerLength - this.header.length;
      this.header = Buffer.concat([this.header, data.subarray(0, needed)]);
      data = data.subarray(needed);
      if (this.header.length < headerLength) return;
      clearTimeout(this.handshakeTimer);
      const problem = checkHeader(this.header, this.options.peerProtocol, this.options.where);
      if (problem) {
        this.fail(problem);
        return;
      }
      this.ready = true;
      this.events.onReady(this);
    }
    let frames: Buffer[];
    try {
      frames = this.decoder.push(data);
    } catch (error) {
      this.fail(error instanceof SpError ? error : closedError(this.options.where));
      return;
    }
    for (const frame of frames) {
      if (this.closed) return;
      this.events.onMessage(this, frame);
    }
  }

  private fail(error: SpError): void {
    this.failure ??= error;
    this.socket.destroy();
  }

  private onSocketClose(): void {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.handshakeTimer);
    this.events.onClose(this, this.failure, this.ready);
  }
}

/** Maps an OS-level connection error to the SP error a caller can act on. */
export function connectionError(error: NodeJS.ErrnoException, where: string): SpError {
  if (error.code === 'ECONNREFUSED' || error.code === 'ENOENT') {
    return new SpError('ECONNREFUSED', `Nothing is listening on ${where}.`, { cause: error });
  }
  return new SpError('ECLOSED', `The connection on ${where} failed: ${error.message}`, { cause: error });
}
