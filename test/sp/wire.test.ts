import { describe, expect, test } from 'vitest';
import { SpError } from '../../main/sp/errors.js';
import { splitBacktrace } from '../../main/sp/rep-socket.js';
import {
  FrameDecoder,
  Protocol,
  checkHeader,
  encodeFrame,
  encodeHeader,
  protocolName,
} from '../../main/sp/wire.js';

function frame(text: string): Buffer {
  return Buffer.concat(encodeFrame(Buffer.from(text)));
}

describe('connection header', () => {
  test('is "\\0SP\\0", the protocol id big-endian, and two zero bytes', () => {
    expect(encodeHeader(Protocol.rep).toString('hex')).toBe('0053500000310000');
    expect(encodeHeader(Protocol.pull).toString('hex')).toBe('0053500000510000');
    expect(encodeHeader(Protocol.req).toString('hex')).toBe('0053500000300000');
    expect(encodeHeader(Protocol.push).toString('hex')).toBe('0053500000500000');
  });

  test('accepts the expected peer', () => {
    expect(checkHeader(encodeHeader(Protocol.req), Protocol.req, 'ipc:///tmp/a.ipc')).toBeUndefined();
  });

  test('names the wrong peer protocol', () => {
    const problem = checkHeader(encodeHeader(Protocol.push), Protocol.req, 'ipc:///tmp/a.ipc');
    expect(problem?.code).toBe('EBADHEADER');
    expect(problem?.message).toContain('PUSH');
    expect(problem?.message).toContain('REQ');
  });

  test.each([
    ['HTTP instead of SP', Buffer.from('GET / HT')],
    ['wrong version byte', Buffer.from('0053500100300000', 'hex')],
    ['non-zero reserved bytes', Buffer.from('0053500000300001', 'hex')],
  ])('rejects %s', (_name, header) => {
    const problem = checkHeader(header, Protocol.req, 'ipc:///tmp/a.ipc');
    expect(problem).toBeInstanceOf(SpError);
    expect(problem?.code).toBe('EBADHEADER');
  });

  test('protocol names for messages', () => {
    expect(protocolName(0x0031)).toBe('REP');
    expect(protocolName(0x0010)).toBe('PAIR0');
    expect(protocolName(0x1234)).toBe('0x1234');
  });
});

describe('IPC framing', () => {
  test('a frame is type 1, a u64 big-endian length, then the payload', () => {
    expect(frame('hi').toString('hex')).toBe('01' + '0000000000000002' + '6869');
    expect(frame('').toString('hex')).toBe('01' + '0000000000000000');
  });

  test('reassembles a frame that arrives one byte at a time', () => {
    const decoder = new FrameDecoder();
    const bytes = frame('{"message":{"a":1}}');
    const out: string[] = [];
    for (const byte of bytes) out.push(...decoder.push(Buffer.from([byte])).map(String));
    expect(out).toEqual(['{"message":{"a":1}}']);
    expect(decoder.pendingBytes).toBe(0);
  });

  test('splits several frames in one chunk, with a partial one left for the next', () => {
    const decoder = new FrameDecoder();
    const all = Buffer.concat([frame('one'), frame(''), frame('three'), frame('four')]);
    const cut = all.length - 3;
    expect(decoder.push(all.subarray(0, cut)).map(String)).toEqual(['one', '', 'three']);
    expect(decoder.pendingBytes).toBeGreaterThan(0);
    expect(decoder.push(all.subarray(cut)).map(String)).toEqual(['four']);
    expect(decoder.pendingBytes).toBe(0);
  });

  test('splits at every possible point of a two-frame stream', () => {
    const all = Buffer.concat([frame('alpha'), frame('beta')]);
    for (let cut = 0; cut <= all.length; cut++) {
      const decoder = new FrameDecoder();
      const out = [...decoder.push(all.subarray(0, cut)), ...decoder.push(all.subarray(cut))].map(String);
      expect(out, `cut at ${cut}`).toEqual(['alpha', 'beta']);
    }
  });

  test('keeps binary payloads intact', () => {
    const payload = Buffer.from(Array.from({ length: 70_000 }, (_, i) => i % 256));
    const bytes = Buffer.concat(encodeFrame(payload));
    const decoder = new FrameDecoder();
    const out = [
      ...decoder.push(bytes.subarray(0, 5)),
      ...decoder.push(bytes.subarray(5, 40_000)),
      ...decoder.push(bytes.subarray(40_000)),
    ];
    expect(out).toHaveLength(1);
    expect(out[0]?.equals(payload)).toBe(true);
  });

  test('refuses a length over the cap before the payload arrives', () => {
    const decoder = new FrameDecoder(1024, 'ipc:///tmp/a.ipc');
    const head = Buffer.alloc(9);
    head[0] = 1;
    head.writeBigUInt64BE(1025n, 1);
    expect(() => decoder.push(head)).toThrowError(expect.objectContaining({ code: 'EMSGSIZE' }) as Error);
  });

  test('refuses an absurd 64-bit length', () => {
    const head = Buffer.from('01ffffffffffffffff', 'hex');
    expect(() => new FrameDecoder().push(head)).toThrowError(/over the limit/);
  });

  test('accepts a message exactly at the cap', () => {
    const decoder = new FrameDecoder(4);
    expect(decoder.push(frame('abcd')).map(String)).toEqual(['abcd']);
  });

  test('refuses an unknown frame type', () => {
    const bad = frame('x');
    bad[0] = 0;
    expect(() => new FrameDecoder().push(bad)).toThrowError(
      expect.objectContaining({ code: 'EBADHEADER' }) as Error,
    );
  });
});

describe('REP backtrace', () => {
  test('a direct request: the backtrace is the request id', () => {
    const parts = splitBacktrace(Buffer.from('80000007' + '6869', 'hex'));
    expect(parts?.backtrace.toString('hex')).toBe('80000007');
    expect(parts?.body.toString()).toBe('hi');
  });

  test('a request through a device keeps every hop', () => {
    const parts = splitBacktrace(Buffer.from('00000001' + '00000002' + '80000003' + '78', 'hex'));
    expect(parts?.backtrace.toString('hex')).toBe('000000010000000280000003');
    expect(parts?.body.toString()).toBe('x');
  });

  test('an empty body is fine', () => {
    expect(splitBacktrace(Buffer.from('80000001', 'hex'))?.body.length).toBe(0);
  });

  test.each([
    ['too short', '800000'],
    ['no request id', '00000001'],
    ['more than 8 hops', '00000001'.repeat(8) + '80000001'],
  ])('drops a malformed request: %s', (_name, hex) => {
    expect(splitBacktrace(Buffer.from(hex, 'hex'))).toBeUndefined();
  });
});
