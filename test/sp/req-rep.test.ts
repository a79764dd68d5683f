import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { RepSocket, ReqSocket, SpError } from '../../main/sp/index.js';
import { Protocol } from '../../main/sp/wire.js';
import { RawPeer, SocketFolder, rawListener, settle, until } from './sp-test-support.js';

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

function requestId(id: number): Buffer {
  const bytes = Buffer.alloc(4);
  bytes.writeUInt32BE(id >>> 0);
  return bytes;
}

describe('REP', () => {
  test('sends its REP header and echoes the backtrace verbatim', async () => {
    const url = folder.next();
    const rep = track(await RepSocket.listen(url));
    const peer = track(await RawPeer.connect(folder.pathOf(url), Protocol.req));
    expect((await peer.header).toString('hex')).toBe('0053500000310000');
    peer.send(Buffer.concat([requestId(0x80000abc), Buffer.from('handshake')]));
    expect(String(await rep.recv())).toBe('handshake');
    await rep.send('{"cmd":"start"}');
    const reply = await peer.next();
    expect(reply.subarray(0, 4).toString('hex')).toBe('80000abc');
    expect(String(reply.subarray(4))).toBe('{"cmd":"start"}');
  });

  test('echoes a multi-hop backtrace (a request through a device)', async () => {
    const url = folder.next();
    const rep = track(await RepSocket.listen(url));
    const peer = track(await RawPeer.connect(folder.pathOf(url), Protocol.req));
    peer.send(Buffer.from('00000005' + '80000001' + '6869', 'hex'));
    expect(String(await rep.recv())).toBe('hi');
    await rep.send('ok');
    expect((await peer.next()).toString('hex')).toBe(
      '00000005' + '80000001' + Buffer.from('ok').toString('hex'),
    );
  });

  test('send without a pending request fails with EPROTOSTATE; so does a second send', async () => {
    const url = folder.next();
    const rep = track(await RepSocket.listen(url));
    const first = await settle(rep.send('too early'));
    expect(first.error).toBeInstanceOf(SpError);
    expect((first.error as SpError).code).toBe('EPROTOSTATE');
    const req = track(await ReqSocket.dial(url));
    await req.send('q');
    await rep.recv();
    await rep.send('a');
    expect(((await settle(rep.send('again'))).error as SpError).code).toBe('EPROTOSTATE');
    expect(String(await req.recv())).toBe('a');
  });

  test('keeps only the newest request of a peer that re-sent (keep-alive backlog)', async () => {
    const url = folder.next();
    const rep = track(await RepSocket.listen(url));
    const peer = track(await RawPeer.connect(folder.pathOf(url), Protocol.req));
    await until(() => rep.peerCount === 1);
    // One write: the three frames arrive in one read, before anyone calls recv.
    peer.write(
      Buffer.concat(
        [1, 2, 3].map((n) =>
          frameOf(Buffer.concat([requestId(0x80000000 + n), Buffer.from(`handshake ${n}`)])),
        ),
      ),
    );
    await until(() => rep.pendingRequestCount === 1);
    expect(String(await rep.recv())).toBe('handshake 3');
    await rep.send('{"cmd":"start"}');
    const reply = await peer.next();
    expect(reply.readUInt32BE(0)).toBe(0x80000003);
    expect(String(reply.subarray(4))).toBe('{"cmd":"start"}');
    expect(((await settle(rep.recv(50))).error as SpError).code).toBe('ETIMEDOUT');
  });

  test('older unread requests of the same peer are discarded, other peers keep theirs', async () => {
    const url = folder.next();
    const rep = track(await RepSocket.listen(url));
    const a = track(await RawPeer.connect(folder.pathOf(url), Protocol.req));
    const b = track(await RawPeer.connect(folder.pathOf(url), Protocol.req));
    await until(() => rep.peerCount === 2);
    // One write holding three frames arrives in one read, so the discarding is deterministic.
    a.write(
      Buffer.concat([
        frameOf(Buffer.concat([requestId(0x80000001), Buffer.from('a old')])),
        frameOf(Buffer.concat([requestId(0x80000002), Buffer.from('a new')])),
      ]),
    );
    b.send(Buffer.concat([requestId(0x80000010), Buffer.from('b only')]));
    await until(() => rep.pendingRequestCount === 2);
    const seen = new Set<string>();
    seen.add(String(await rep.recv()));
    seen.add(String(await rep.recv()));
    expect(seen).toEqual(new Set(['a new', 'b only']));
    expect(((await settle(rep.recv(100))).error as SpError).code).toBe('ETIMEDOUT');
  });

  test('a request superseded after recv can no longer be answered: EPROTOSTATE, then the newer one is read', async () => {
    const url = folder.next();
    const rep = track(await RepSocket.listen(url));
    const peer = track(await RawPeer.connect(folder.pathOf(url), Protocol.req));
    peer.send(Buffer.concat([requestId(0x80000001), Buffer.from('handshake')]));
    expect(String(await rep.recv())).toBe('handshake');
    peer.send(Buffer.concat([requestId(0x80000002), Buffer.from('handshake again')]));
    await until(() => rep.pendingRequestCount === 1);
    expect(((await settle(rep.send('cmd'))).error as SpError).code).toBe('EPROTOSTATE');
    expect(String(await rep.recv())).toBe('handshake again');
    await rep.send('cmd');
    const reply = await peer.next();
    expect(reply.readUInt32BE(0)).toBe(0x80000002);
    expect(String(reply.subarray(4))).toBe('cmd');
  });

  test('a request whose peer left cannot be answered (EPROTOSTATE)', async () => {
    const url = folder.next();
    const rep = track(await RepSocket.listen(url));
    const peer = await RawPeer.connect(folder.pathOf(url), Protocol.req);
    peer.send(Buffer.concat([requestId(0x80000001), Buffer.from('q')]));
    await rep.recv();
    peer.close();
    await until(() => rep.peerCount === 0);
    expect(((await settle(rep.send('a'))).error as SpError).code).toBe('EPROTOSTATE');
  });

  test('drops malformed requests without a request id and keeps serving', async () => {
    const url = folder.next();
    const rep = track(await RepSocket.listen(url));
    const peer = track(await RawPeer.connect(folder.pathOf(url), Protocol.req));
    peer.send(Buffer.from('00000001', 'hex'));
    peer.send(Buffer.from('ab', 'hex'));
    peer.send(Buffer.concat([requestId(0x80000009), Buffer.from('good')]));
    expect(String(await rep.recv())).toBe('good');
  });

  test('recv times out with ETIMEDOUT and a message naming the address', async () => {
    const url = folder.next();
    const rep = track(await RepSocket.listen(url, { recvTimeoutMs: 50 }));
    const { error } = await settle(rep.recv());
    expect((error as SpError).code).toBe('ETIMEDOUT');
    expect((error as SpError).message).toContain(url);
    expect((error as SpError).message).toContain('50 ms');
  });
});

describe('REQ', () => {
  test('sends its REQ header and request ids with the high bit set, one more per request', async () => {
    const path = folder.path('raw-rep');
    const listener = await rawListener(path, Protocol.rep);
    cleanups.push(() => new Promise((resolve) => listener.server.close(resolve)));
    const req = track(await ReqSocket.dial(`ipc://${path}`));
    const peer = track(await listener.nextPeer());
    expect((await peer.header).toString('hex')).toBe('0053500000300000');
    await req.send('one');
    const first = await peer.next();
    await req.send('two');
    const second = await peer.next();
    const firstId = first.readUInt32BE(0);
    expect(firstId & 0x80000000).not.toBe(0);
    expect(second.readUInt32BE(0)).toBe(((((firstId & 0x7fffffff) + 1) & 0x7fffffff) | 0x80000000) >>> 0);
    expect(String(first.subarray(4))).toBe('one');
  });

  test('drops replies with a stale or unknown id, and a new send cancels the old request', async () => {
    const path = folder.path('raw-rep');
    const listener = await rawListener(path, Protocol.rep);
    cleanups.push(() => new Promise((resolve) => listener.server.close(resolve)));
    const req = track(await ReqSocket.dial(`ipc://${path}`));
    const peer = track(await listener.nextPeer());
    await req.send('old');
    const oldId = (await peer.next()).subarray(0, 4);
    await req.send('new');
    const newId = (await peer.next()).subarray(0, 4);
    peer.send(Buffer.concat([oldId, Buffer.from('reply to old')]));
    peer.send(Buffer.concat([requestId(0x80fedcba), Buffer.from('reply to nobody')]));
    peer.send(Buffer.from('x'));
    peer.send(Buffer.concat([newId, Buffer.from('reply to new')]));
    expect(String(await req.recv())).toBe('reply to new');
  });

  test('recv without a request fails with EPROTOSTATE, and a recv timeout cancels the request', async () => {
    const url = folder.next();
    const rep = track(await RepSocket.listen(url));
    const req = track(await ReqSocket.dial(url));
    expect(((await settle(req.recv())).error as SpError).code).toBe('EPROTOSTATE');
    await req.send('q');
    expect(((await settle(req.recv(50))).error as SpError).code).toBe('ETIMEDOUT');
    expect(((await settle(req.recv())).error as SpError).code).toBe('EPROTOSTATE');
    await rep.recv();
  });

  test('the eKuiper control loop: the host answers with commands, the plugin answers with results', async () => {
    const url = folder.next();
    const host = track(await RepSocket.listen(url));
    const plugin = track(await ReqSocket.dial(url));
    await plugin.send('handshake');
    expect(String(await host.recv())).toBe('handshake');
    for (const command of ['start a', 'start b', 'stop a']) {
      await host.send(command);
      const received = String(await plugin.recv());
      await plugin.send(`ok ${received}`);
      expect(String(await host.recv())).toBe(`ok ${command}`);
    }
  });

  test('re-sends an unanswered request after the REP side comes back', async () => {
    const url = folder.next();
    const first = await RepSocket.listen(url);
    const req = track(await ReqSocket.dial(url, { reconnectMinMs: 20, reconnectMaxMs: 100 }));
    await req.send('are you there');
    expect(String(await first.recv())).toBe('are you there');
    await first.close();
    const second = track(await RepSocket.listen(url));
    expect(String(await second.recv(20_000))).toBe('are you there');
    await second.send('yes');
    expect(String(await req.recv(20_000))).toBe('yes');
  });

  test('dial gives up with ECONNREFUSED after its retries', async () => {
    const { error } = await settle(ReqSocket.dial(folder.next(), { retries: 2, retryDelayMs: 10 }));
    expect((error as SpError).code).toBe('ECONNREFUSED');
    expect((error as SpError).message).toContain('3 attempts');
  });

  test('dial waits for a listener that appears during its retries', async () => {
    const url = folder.next();
    const dialing = ReqSocket.dial(url, { retries: 200, retryDelayMs: 20 });
    await new Promise((resolve) => setTimeout(resolve, 100));
    const rep = track(await RepSocket.listen(url));
    const req = track(await dialing);
    await req.send('late');
    expect(String(await rep.recv())).toBe('late');
  });
});

function frameOf(payload: Buffer): Buffer {
  const head = Buffer.alloc(9);
  head[0] = 1;
  head.writeBigUInt64BE(BigInt(payload.length), 1);
  return Buffer.concat([head, payload]);
}
