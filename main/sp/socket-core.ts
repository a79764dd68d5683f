import type { Server, Socket } from 'node:net';
import { ipcPath } from './address.js';
import { SpError, closedError, describeMs, isSpError } from './errors.js';
import { Pipe, type PipeEvents } from './pipe.js';
import { closeListener, connectIpc, listenIpc } from './transport.js';
import { withTimeout } from './waiters.js';
import { defaultMaxMessageBytes } from './wire.js';

/** Timeouts and limits every socket type accepts. Timeouts are in ms; `Infinity` waits forever. */
export interface SocketOptions {
  /** Default for `send` when the call gives none; eKuiper's default is 5 s. */
  sendTimeoutMs?: number;
  /** Default for `recv` when the call gives none; eKuiper's default is 5 s. */
  recvTimeoutMs?: number;
  /** Largest message accepted from a peer; a larger one closes that peer's connection. Default 64 MiB. */
  maxMessageBytes?: number;
  /** How long a new peer may take to send its SP header. Default 10 s. */
  handshakeTimeoutMs?: number;
  /**
   * Told about a peer that was dropped for misbehaving (bad header, oversized or malformed message) or a
   * connection that failed; the socket itself keeps working. Default: ignore.
   */
  onPipeError?: (error: SpError) => void;
  /**
   * Asked by a listening socket when a peer's header has checked out, with how many peers are connected already: false hangs up on it
   * before it can deliver anything. eKuiper's control channel serves one plugin process, so a second caller is
   * a program that dials another plugin's name. Default: every peer joins.
   */
  admitPeer?: (connectedPeers: number) => boolean;
}

/** Options of sockets that dial: retries of the first connect, then reconnects with back-off after a drop. */
export interface DialOptions extends SocketOptions {
  /** Extra attempts of the first connect before `dial` rejects. Default 5. */
  retries?: number;
  /** Pause between those attempts. Default 100 ms. */
  retryDelayMs?: number;
  /** First pause before reconnecting a dropped connection, doubled up to `reconnectMaxMs`. Default 100 ms. */
  reconnectMinMs?: number;
  /** Default 5 s, like eKuiper's sink dialer. */
  reconnectMaxMs?: number;
}

export const defaultTimeoutMs = 5000;

/**
 * What every SP socket shares: an address, pipes created by listening or dialing, the close lifecycle.
 * Subclasses add one protocol's rules (REQ, REP, PUSH, PULL) in the `pipe*` hooks.
 */
export abstract class SocketCore {
  protected readonly pipes = new Set<Pipe>();
  protected closed = false;
  protected readonly path: string;
  private readonly connecting = new Set<Pipe>();
  private server: Server | undefined;
  private dialOptions: Required<Pick<DialOptions, 'reconnectMinMs' | 'reconnectMaxMs'>> | undefined;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private reconnectDelayMs = 0;
  private readonly pipeEvents: PipeEvents;

  protected constructor(
    readonly url: string,
    private readonly protocol: number,
    private readonly peerProtocol: number,
    protected readonly options: SocketOptions,
  ) {
    this.path = ipcPath(url);
    this.pipeEvents = {
      onReady: (pipe) => {
        this.connecting.delete(pipe);
        if (this.options.admitPeer?.(this.pipes.size) === false) {
          pipe.close();
          return;
        }
        this.pipes.add(pipe);
        this.pipeAdded(pipe);
      },
      // A refused peer's messages that came with its header are dropped with it.
      onMessage: (pipe, payload) => {
        if (this.pipes.has(pipe)) this.pipeMessage(pipe, payload);
      },
      onDrain: (pipe) => this.pipeDrained(pipe),
      onClose: (pipe, error, wasReady) => {
        this.connecting.delete(pipe);
        if (error && !this.closed) this.options.onPipeError?.(error);
        if (!wasReady || !this.pipes.delete(pipe)) return;
        this.pipeRemoved(pipe);
      },
    };
  }

  protected get sendTimeoutMs(): number {
    return this.options.sendTimeoutMs ?? defaultTimeoutMs;
  }

  protected get recvTimeoutMs(): number {
    return this.options.recvTimeoutMs ?? defaultTimeoutMs;
  }

  /** Starts accepting peers on the address. */
  protected async startListening(): Promise<void> {
    this.server = await listenIpc(this.path, (socket) => {
      if (this.closed) socket.destroy();
      else this.adopt(socket);
    });
  }

  /**
   * Connects to the address, retrying a few times, and resolves once the peer's header checked out. Later drops
   * are reconnected in the background with back-off until close.
   */
  protected async startDialing(options: DialOptions): Promise<void> {
    const retries = Math.max(0, options.retries ?? 5);
    const retryDelayMs = options.retryDelayMs ?? 100;
    let lastError: SpError | undefined;
    for (let attempt = 0; attempt <= retries; attempt++) {
      if (this.closed) throw closedError(this.url);
      if (attempt > 0) await delay(retryDelayMs);
      try {
        await this.dialOnce();
        this.dialOptions = {
          reconnectMinMs: options.reconnectMinMs ?? 100,
          reconnectMaxMs: options.reconnectMaxMs ?? 5000,
        };
        return;
      } catch (error) {
        lastError = error instanceof SpError ? error : closedError(this.url);
      }
    }
    this.closed = true;
    if (lastError?.code === 'EBADHEADER') throw lastError;
    const tries = retries + 1;
    throw new SpError(
      'ECONNREFUSED',
      `Nothing is listening on ${this.url} (${tries} ${tries === 1 ? 'attempt' : 'attempts'}` +
        `${tries > 1 ? ` over about ${describeMs(retries * retryDelayMs)}` : ''}).`,
      { cause: lastError },
    );
  }

  /** Closes every connection and the listener, and fails every pending call with `ECLOSED`. */
  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.reconnectTimer);
    this.onClosing(closedError(this.url));
    for (const pipe of [...this.pipes, ...this.connecting]) pipe.close();
    const server = this.server;
    this.server = undefined;
    if (server) await closeListener(server, this.path);
  }

  /** Number of peers connected now (handy for callers that wait for a plugin to connect). */
  get peerCount(): number {
    return this.pipes.size;
  }

  protected abstract pipeAdded(pipe: Pipe): void;
  protected abstract pipeMessage(pipe: Pipe, payload: Buffer): void;
  protected abstract pipeRemoved(pipe: Pipe): void;
  /** Rejects whatever callers are waiting. */
  protected abstract onClosing(error: SpError): void;
  protected pipeDrained(_pipe: Pipe): void {}

  protected closedError(): SpError {
    return closedError(this.url);
  }

  protected timeoutError(what: string, timeoutMs: number): SpError {
    return new SpError('ETIMEDOUT', `${what} on ${this.url} within ${describeMs(timeoutMs)}.`);
  }

  /** Sends on one pipe, failing with `ETIMEDOUT` if the peer does not take the bytes in time. */
  protected sendWithin(pipe: Pipe, payload: Buffer, timeoutMs: number): Promise<void> {
    return withTimeout(pipe.send(payload), timeoutMs, () =>
      this.timeoutError('The peer did not take the message', timeoutMs),
    );
  }

  private adopt(socket: Socket, events: PipeEvents = this.pipeEvents): Pipe {
    const pipe = new Pipe(
      socket,
      {
        protocol: this.protocol,
        peerProtocol: this.peerProtocol,
        maxMessageBytes: this.options.maxMessageBytes ?? defaultMaxMessageBytes,
        handshakeTimeoutMs: this.options.handshakeTimeoutMs ?? 10_000,
        where: this.url,
      },
      events,
    );
    this.connecting.add(pipe);
    return pipe;
  }

  /** One connect plus header exchange; rejects with why it failed. */
  private dialOnce(): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const events = this.pipeEvents;
      let settled = false;
      // Watch this pipe's first outcome, then behave like any other pipe; a drop after that reconnects.
      const watch: PipeEvents = {
        ...events,
        onReady: (pipe) => {
          settled = true;
          events.onReady(pipe);
          resolve();
        },
        onClose: (pipe, error, wasReady) => {
          if (!settled) {
            settled = true;
            this.connecting.delete(pipe);
            reject(error ?? closedError(this.url));
            return;
          }
          events.onClose(pipe, error, wasReady);
          if (wasReady) this.scheduleReconnect();
        },
      };
      this.adopt(connectIpc(this.path), watch);
    });
  }

  private scheduleReconnect(): void {
    if (this.closed || this.dialOptions === undefined || this.reconnectTimer !== undefined) return;
    const { reconnectMinMs, reconnectMaxMs } = this.dialOptions;
    this.reconnectDelayMs =
      this.reconnectDelayMs === 0 ? reconnectMinMs : Math.min(this.reconnectDelayMs * 2, reconnectMaxMs);
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = undefined;
      if (this.closed) return;
      this.dialOnce().then(
        () => {
          this.reconnectDelayMs = 0;
        },
        (error: unknown) => {
          // A peer that answers with the wrong protocol is worth telling about; "nobody there yet" is not.
          if (isSpError(error, 'EBADHEADER')) this.options.onPipeError?.(error);
          this.scheduleReconnect();
        },
      );
    }, this.reconnectDelayMs);
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
