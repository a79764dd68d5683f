import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { PullSocket, PushSocket, SpError } from '../../main/sp/index.js';
import { Protocol } from '../../main/sp/wire.js';
import { RawPeer, SocketFolder, settle, until } from './sp-test-support.js';

let folder: SocketFolder;
const cleanups: (() => unknown)[] = [];
function track<T extends { close(): unknown }>(thing: T): T {
  cleanups.push(() => thing.close());
  return thing;
}

beforeEach(async () => {
  folder = await SocketFolder.create();
});
afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((cleanup) => cleanup()));
  await folder.remove();
});

describe('PUSH', () => {
  test('sends its PUSH header and bare payloads (no protocol header)', async () => {
    const url = folder.next();
    const push = track(await PushSocket.listen(url));
    const peer = track(await RawPeer.connect(folder.pathOf(url), Protocol.pull));
    expect((await peer.header).toString('hex')).toBe('0053500000500000');
    await until(() => push.peerCount === 1);
    await push.send('[{"a":1}]');
    expect(String(await peer.next())).toBe('[{"a":1}]');
  });

  test('round-robins over connected peers', async () => {
    const url = folder.next();
    const push = track(await PushSocket.listen(url));
    const a = track(await RawPeer.connect(folder.pathOf(url), Protocol.pull));
    const b = track(await RawPeer.connect(folder.pathOf(url), Protocol.pull));
    await until(() => push.peerCount === 2);
    for (let i = 0; i < 6; i++) await push.send(`m${i}`);
    const fromA = [await a.next(), await a.next(), await a.next()].map(String);
    const fromB = [await b.next(), await b.next(), await b.next()].map(String);
    expect(new Set([...fromA, ...fromB]).size).toBe(6);
    // Alternating: each peer got every other message.
    const parity = (names: string[]) => new Set(names.map((name) => Number(name.slice(1)) % 2));
    expect(parity(fromA).size).toBe(1);
    expect(parity(fromB).size).toBe(1);
  });

  test('with nobody connected, send waits for a peer and fails with ETIMEDOUT at its deadline', async () => {
    const url = folder.next();
    const push = track(await PushSocket.listen(url, { sendTimeoutMs: 60 }));
    const { error } = await settle(push.send('lost'));
    expect(error).toBeInstanceOf(SpError);
    expect((error as SpError).code).toBe('ETIMEDOUT');
    expect((error as SpError).message).toContain('Nothing connected');
  });

  test('a blocked send goes out as soon as a peer connects', async () => {
    const url = folder.next();
    const push = track(await PushSocket.listen(url));
    const sending = push.send('waited', 30_000);
    const peer = track(await RawPeer.connect(folder.pathOf(url), Protocol.pull));
    await sending;
    expect(String(await peer.next())).toBe('waited');
  });

  test('dials a PULL listener, and after the listener restarts, reconnects and sends again', async () => {
    const url = folder.next();
    const first = await PullSocket.listen(url);
    const push = track(await PushSocket.dial(url, { reconnectMinMs: 20, reconnectMaxMs: 200 }));
    await push.send('before');
    expect(String(await first.recv())).toBe('before');
    await first.close();
    await until(() => push.peerCount === 0);
    const second = track(await PullSocket.listen(url));
    await push.send('after', 30_000);
    expect(String(await second.recv(30_000))).toBe('after');
  });

  test('dial to nothing fails with ECONNREFUSED', async () => {
    const { error } = await settle(PushSocket.dial(folder.next(), { retries: 0 }));
    expect((error as SpError).code).toBe('ECONNREFUSED');
    expect((error as SpError).message).toContain('1 attempt');
  });
});

describe('PULL', () => {
  test('sends its PULL header and receives messages of any size in order', async () => {
    const url = folder.next();
    const pull = track(await PullSocket.listen(url));
    const peer = track(await RawPeer.connect(folder.pathOf(url), Protocol.push));
    expect((await peer.header).toString('hex')).toBe('0053500000510000');
    const big = 'x'.repeat(300_000);
    peer.send('{"message":{"n":1},"meta":null}');
    peer.send(big);
    peer.send('');
    expect(String(await pull.recv())).toBe('{"message":{"n":1},"meta":null}');
    expect(String(await pull.recv())).toBe(big);
    expect((await pull.recv()).length).toBe(0);
  });

  test('fair-queues: a flooding peer does not starve a quiet one', async () => {
    const url = folder.next();
    const pull = track(await PullSocket.listen(url));
    const loud = track(await RawPeer.connect(folder.pathOf(url), Protocol.push));
    const quiet = track(await RawPeer.connect(folder.pathOf(url), Protocol.push));
    await until(() => pull.peerCount === 2);
    for (let i = 0; i < 50; i++) loud.send(`loud ${i}`);
    quiet.send('quiet');
    // Wait until everything is buffered, then read: the quiet peer's message must come within the first two.
    await until(() => pullBuffered(pull) === 51);
    const drained = [String(await pull.recv()), String(await pull.recv())];
    expect(drained).toContain('quiet');
  });

  test('several pushers over real sockets all get through', async () => {
    const url = folder.next();
    const pull = track(await PullSocket.listen(url));
    const pushers = await Promise.all([1, 2, 3].map(() => PushSocket.dial(url)));
    pushers.forEach(track);
    await Promise.all(pushers.map((push, p) => Promise.all([0, 1, 2].map((i) => push.send(`${p}:${i}`)))));
    const got: string[] = [];
    for (let i = 0; i < 9; i++) got.push(String(await pull.recv()));
    expect(got.sort()).toEqual(['0:0', '0:1', '0:2', '1:0', '1:1', '1:2', '2:0', '2:1', '2:2']);
  });

  test('messages already received stay readable after their sender left', async () => {
    const url = folder.next();
    const pull = track(await PullSocket.listen(url));
    const peer = await RawPeer.connect(folder.pathOf(url), Protocol.push);
    peer.send('last words');
    await until(() => pullBuffered(pull) === 1);
    peer.close();
    await until(() => pull.peerCount === 0);
    expect(String(await pull.recv())).toBe('last words');
  });

  test('a sender that disconnects mid-message does not break the socket', async () => {
    const url = folder.next();
    const pull = track(await PullSocket.listen(url));
    const broken = await RawPeer.connect(folder.pathOf(url), Protocol.push);
    const head = Buffer.alloc(9);
    head[0] = 1;
    head.writeBigUInt64BE(100n, 1);
    broken.write(Buffer.concat([head, Buffer.from('only part of it')]));
    await until(() => pull.peerCount === 1);
    broken.close();
    await until(() => pull.peerCount === 0);
    const good = track(await PushSocket.dial(url));
    await good.send('still fine');
    expect(String(await pull.recv())).toBe('still fine');
  });

  test('recv times out with ETIMEDOUT (a source poll that found nothing)', async () => {
    const pull = track(await PullSocket.listen(folder.next(), { recvTimeoutMs: 40 }));
    expect(((await settle(pull.recv())).error as SpError).code).toBe('ETIMEDOUT');
    expect(((await settle(pull.recv(10))).error as SpError).message).toContain('10 ms');
  });
});

/** Messages PULL holds unread (white-box, to make ordering tests deterministic). */
function pullBuffered(pull: PullSocket): number {
  return pull.bufferedMessageCount;
}

describe('back-pressure', () => {
  test('PUSH does not buffer without bound for a peer that stops reading: sends time out', async () => {
    const url = folder.next();
    const push = track(await PushSocket.listen(url));
    const stuck = track(await RawPeer.connect(folder.pathOf(url), Protocol.pull));
    await until(() => push.peerCount === 1);
    stuck.socket.pause();
    const chunk = Buffer.alloc(64 * 1024, 7);
    let timedOut: SpError | undefined;
    // Kernel and Node buffers hold a few hundred kB; well before 32 MB the sends must start timing out.
    for (let i = 0; i < 512 && timedOut === undefined; i++) {
      const { error } = await settle(push.send(chunk, 200));
      if (error !== undefined) timedOut = error as SpError;
    }
    expect(timedOut?.code).toBe('ETIMEDOUT');
  });

  test('PULL stops reading a flooding peer and resumes as messages are read: nothing is lost', async () => {
    const url = folder.next();
    const pull = track(await PullSocket.listen(url));
    const push = track(await PushSocket.dial(url));
    const total = 2000;
    const sending = (async () => {
      for (let i = 0; i < total; i++) await push.send(`n${i}`, 30_000);
    })();
    await until(() => pull.bufferedMessageCount >= 256);
    // Paused: the rest waits in the kernel (and in the sender), not in our memory.
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(pull.bufferedMessageCount).toBeLessThan(total);
    const got: string[] = [];
    for (let i = 0; i < total; i++) got.push(String(await pull.recv(30_000)));
    await sending;
    expect(got).toEqual(Array.from({ length: total }, (_, i) => `n${i}`));
  });
});
