import { SpError } from './errors.js';

/** SP protocol ids (12-bit protocol << 4 | role), as nanomsg, nng and mangos put them in the connection header. */
export const Protocol = {
  req: 0x0030,
  rep: 0x0031,
  push: 0x0050,
  pull: 0x0051,
} as const;
export type ProtocolId = (typeof Protocol)[keyof typeof Protocol];

const protocolNames = new Map<number, string>([
  [0x0010, 'PAIR0'],
  [0x0011, 'PAIR1'],
  [0x0020, 'PUB'],
  [0x0021, 'SUB'],
  [0x0030, 'REQ'],
  [0x0031, 'REP'],
  [0x0050, 'PUSH'],
  [0x0051, 'PULL'],
  [0x0062, 'SURVEYOR'],
  [0x0063, 'RESPONDENT'],
  [0x0070, 'BUS'],
]);

/** A protocol id as people know it ("REQ"), or its hex value when unknown. */
export function protocolName(id: number): string {
  return protocolNames.get(id) ?? `0x${id.toString(16).padStart(4, '0')}`;
}

export const headerLength = 8;
/** IPC frames start with this type byte; the RFC says 0 but every implementation writes 1. */
export const ipcMessageType = 0x01;
const frameHeaderLength = 9;
/** Default cap on one message, so a corrupt or hostile length cannot make us allocate gigabytes. */
export const defaultMaxMessageBytes = 64 * 1024 * 1024;

/** The 8 bytes each side sends first: "\0SP\0", own protocol id (u16 BE), two reserved zero bytes. */
export function encodeHeader(protocol: number): Buffer {
  const header = Buffer.from([0x00, 0x53, 0x50, 0x00, 0, 0, 0x00, 0x00]);
  header.writeUInt16BE(protocol, 4);
  return header;
}

/**
 * Checks the peer's connection header. Returns an `EBADHEADER` error describing what is wrong (so the pipe can
 * log and close), or undefined when the peer speaks the expected protocol.
 */
export function checkHeader(header: Buffer, expectedPeer: number, where: string): SpError | undefined {
  const looksLikeSp =
    header.length === headerLength &&
    header[0] === 0x00 &&
    header[1] === 0x53 &&
    header[2] === 0x50 &&
    header[3] === 0x00 &&
    header[6] === 0x00 &&
    header[7] === 0x00;
  if (!looksLikeSp) {
    return new SpError(
      'EBADHEADER',
      `The peer on ${where} is not speaking the nanomsg SP protocol (its first bytes were ${header.toString('hex')}).`,
    );
  }
  const peer = header.readUInt16BE(4);
  if (peer !== expectedPeer) {
    return new SpError(
      'EBADHEADER',
      `The peer on ${where} is a ${protocolName(peer)} socket, but a ${protocolName(expectedPeer)} socket was expected.`,
    );
  }
  return undefined;
}

/** One IPC frame: type byte 0x01, payload length (u64 BE), payload. Returned as parts to avoid a copy. */
export function encodeFrame(payload: Buffer): [Buffer, Buffer] {
  const head = Buffer.alloc(frameHeaderLength);
  head[0] = ipcMessageType;
  head.writeBigUInt64BE(BigInt(payload.length), 1);
  return [head, payload];
}

/**
 * Reassembles IPC frames from stream chunks: a frame may arrive split over many reads, and one read may hold
 * several frames. Throws `EBADHEADER` for an unknown frame type and `EMSGSIZE` for a length over the cap; the
 * stream is then unusable and the pipe must be closed.
 */
export class FrameDecoder {
  private chunks: Buffer[] = [];
  private buffered = 0;

  constructor(
    private readonly maxMessageBytes: number = defaultMaxMessageBytes,
    private readonly where: string = 'this connection',
  ) {}

  /** Adds a chunk and returns every frame payload now complete, in order. */
  push(chunk: Buffer): Buffer[] {
    if (chunk.length > 0) {
      this.chunks.push(chunk);
      this.buffered += chunk.length;
    }
    const frames: Buffer[] = [];
    for (;;) {
      if (this.buffered < frameHeaderLength) break;
      const head = this.peek(frameHeaderLength);
      if (head[0] !== ipcMessageType) {
        throw new SpError(
          'EBADHEADER',
          `The peer on ${this.where} sent a frame of unknown type ${head[0] ?? '?'}; the connection is closed.`,
        );
      }
      const length = head.readBigUInt64BE(1);
      if (length > BigInt(this.maxMessageBytes)) {
        throw new SpError(
          'EMSGSIZE',
          `The peer on ${this.where} sent a message of ${length} bytes, over the limit of ${this.maxMessageBytes}; ` +
            'the connection is closed.',
        );
      }
      const total = frameHeaderLength + Number(length);
      if (this.buffered < total) break;
      const frame = this.take(total);
      frames.push(frame.subarray(frameHeaderLength));
    }
    return frames;
  }

  /** Bytes received but not yet part of a complete frame. */
  get pendingBytes(): number {
    return this.buffered;
  }

  private peek(length: number): Buffer {
    const first = this.chunks[0];
    if (first !== undefined && first.length >= length) return first.subarray(0, length);
    this.chunks = [Buffer.concat(this.chunks)];
    return (this.chunks[0] as Buffer).subarray(0, length);
  }

  private take(length: number): Buffer {
    let first = this.chunks[0] as Buffer;
    if (first.length < length) {
      this.chunks = [Buffer.concat(this.chunks)];
      first = this.chunks[0] as Buffer;
    }
    const taken = first.subarray(0, length);
    if (first.length === length) this.chunks.shift();
    else this.chunks[0] = first.subarray(length);
    this.buffered -= length;
    return taken;
  }
}
