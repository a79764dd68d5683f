import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { FrameDecoder, encodeFrame, encodeHeader } from '../../main/sp/wire.js';

/**
 * A temp folder for socket files, short enough for the unix path limit. Each test gets fresh addresses, so
 * parallel test files never meet on a socket.
 */
export class SocketFolder {
  private count = 0;
  private constructor(readonly dir: string) {}

  static async create(): Promise<SocketFolder> {
    // os.tmpdir() may be long (TMPDIR in CI); /tmp keeps paths far below 107 bytes.
    const base = process.platform === 'win32' ? tmpdir() : '/tmp';
    return new SocketFolder(await mkdtemp(join(base, 'sp-')));
  }

  /** A new `ipc://` address in the folder. */
  url(name = 'sock'): string {
    return `ipc://${this.path(name)}`;
  }

  path(name = 'sock'): string {
    return join(this.dir, `${name}.ipc`);
  }

  /** The file path of an `ipc://` address from this folder. */
  pathOf(url: string): string {
    return url.slice('ipc://'.length);
  }

  next(): string {
    this.count++;
    return this.url(`s${this.count}`);
  }

  remove(): Promise<void> {
    return rm(this.dir, { recursive: true, force: true });
  }
}

/** Collects what a promise settled with, so a test can assert a rejection's code without try/catch noise. */
export async function settle<T>(promise: Promise<T>): Promise<{ value?: T; error?: unknown }> {
  try {
    return { value: await promise };
  } catch (error) {
    return { error };
  }
}

/**
 * A hand-driven SP peer on a raw socket: sends whatever header and frames a test wants and records what comes
 * back, so tests can check exact bytes (request ids, backtraces) and misbehave on purpose.
 */
export class RawPeer {
  readonly header: Promise<Buffer>;
  private readonly decoder = new FrameDecoder();
  private readonly frames: Buffer[] = [];
  private readonly waiting: ((frame: Buffer) => void)[] = [];
  readonly closed: Promise<void>;

  private constructor(readonly socket: Socket) {
    let gotHeader: (header: Buffer) => void = () => undefined;
    this.header = new Promise((resolve) => (gotHeader = resolve));
    let head = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => {
      let data = chunk;
      if (head.length < 8) {
        const need = 8 - head.length;
        head = Buffer.concat([head, data.subarray(0, need)]);
        data = data.subarray(need);
        if (head.length < 8) return;
        gotHeader(head);
      }
      for (const frame of this.decoder.push(data)) {
        const waiter = this.waiting.shift();
        if (waiter) waiter(frame);
        else this.frames.push(frame);
      }
    });
    socket.on('error', () => undefined);
    this.closed = new Promise((resolve) => socket.on('close', () => resolve()));
  }

  /** Connects to `path` and sends the header of `protocol` (unless `sendHeader` is false). */
  static connect(path: string, protocol: number | undefined): Promise<RawPeer> {
    return new Promise((resolve, reject) => {
      const socket = createConnection({ path });
      socket.once('error', reject);
      socket.once('connect', () => {
        socket.off('error', reject);
        if (protocol !== undefined) socket.write(encodeHeader(protocol));
        resolve(new RawPeer(socket));
      });
    });
  }

  /** Adopts an accepted socket (for a raw listener). */
  static adopt(socket: Socket, protocol: number): RawPeer {
    socket.write(encodeHeader(protocol));
    return new RawPeer(socket);
  }

  /** Sends one framed message. */
  send(payload: Buffer | string): void {
    this.socket.write(Buffer.concat(encodeFrame(Buffer.from(payload))));
  }

  /** Sends raw bytes (parts of frames, garbage). */
  write(bytes: Buffer): void {
    this.socket.write(bytes);
  }

  /** The next frame this peer received (rejects after `timeoutMs`). */
  next(timeoutMs = 10_000): Promise<Buffer> {
    const frame = this.frames.shift();
    if (frame) return Promise.resolve(frame);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no frame arrived')), timeoutMs);
      this.waiting.push((received) => {
        clearTimeout(timer);
        resolve(received);
      });
    });
  }

  /** Frames received and not yet taken. */
  get unread(): number {
    return this.frames.length;
  }

  close(): void {
    this.socket.destroy();
  }
}

/** A raw SP listener that adopts each connection as a RawPeer. */
export async function rawListener(
  path: string,
  protocol: number,
): Promise<{ server: Server; peers: RawPeer[]; nextPeer(): Promise<RawPeer> }> {
  const peers: RawPeer[] = [];
  const waiting: ((peer: RawPeer) => void)[] = [];
  const server = createServer((socket) => {
    const peer = RawPeer.adopt(socket, protocol);
    peers.push(peer);
    waiting.shift()?.(peer);
  });
  await new Promise<void>((resolve) => server.listen(path, resolve));
  let taken = 0;
  return {
    server,
    peers,
    nextPeer: () => {
      const index = taken++;
      const existing = peers[index];
      return existing ? Promise.resolve(existing) : new Promise((resolve) => waiting.push(resolve));
    },
  };
}

/** Polls `condition` until true (no timing assertion: the test's own timeout bounds it). */
export async function until(condition: () => boolean, stepMs = 10): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, stepMs));
}
