import { spawnSync } from 'node:child_process';
import { existsSync, lstatSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { PullSocket, PushSocket, RepSocket, ReqSocket, SpError } from '../../main/sp/index.js';
import { Protocol, encodeFrame, encodeHeader } from '../../main/sp/wire.js';
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

function code(result: { error?: unknown }): string | undefined {
  return result.error instanceof SpError ? result.error.code : undefined;
}

describe('listening on an address', () => {
  test('a stale socket file left by a killed process is removed and the address reused', async () => {
    const url = folder.next();
    const path = folder.pathOf(url);
    // A real process listens and dies by SIGKILL, leaving its socket file behind as a crashed eKuiper would.
    const killed = spawnSync(process.execPath, [
      '-e',
      `require('net').createServer().listen(${JSON.stringify(path)}, () => process.kill(process.pid, 'SIGKILL'))`,
    ]);
    expect(killed.signal).toBe('SIGKILL');
    expect(lstatSync(path).isSocket()).toBe(true);
    const rep = track(await RepSocket.listen(url));
    const req = track(await ReqSocket.dial(url));
    await req.send('works');
    expect(String(await rep.recv())).toBe('works');
  });

  test('a live listener means EADDRINUSE, naming eKuiper or NeuronEX, and its file is left alone', async () => {
    const url = folder.next();
    const first = track(await PullSocket.listen(url));
    const { error } = await settle(RepSocket.listen(url));
    expect(code({ error })).toBe('EADDRINUSE');
    expect((error as SpError).message).toMatch(/eKuiper or NeuronEX/);
    expect((error as SpError).message).toContain(folder.pathOf(url));
    const push = track(await PushSocket.dial(url));
    await push.send('first still listens');
    expect(String(await first.recv())).toBe('first still listens');
  });

  test('a listener of another program (not SP at all) also counts as in use', async () => {
    const path = folder.path('other');
    const server = createServer((socket) => socket.end());
    await new Promise<void>((resolve) => server.listen(path, resolve));
    cleanups.push(() => new Promise((resolve) => server.close(resolve)));
    expect(code(await settle(PullSocket.listen(`ipc://${path}`)))).toBe('EADDRINUSE');
  });

  test('a regular file at the address is not deleted', async () => {
    const path = folder.path('notes');
    await writeFile(path, 'keep me');
    const { error } = await settle(RepSocket.listen(`ipc://${path}`));
    expect(code({ error })).toBe('EADDRINUSE');
    expect((error as SpError).message).toContain('is not a socket');
    expect(lstatSync(path).isFile()).toBe(true);
  });

  test('close removes the socket file, and the address can be listened on again', async () => {
    const url = folder.next();
    const rep = await RepSocket.listen(url);
    expect(existsSync(folder.pathOf(url))).toBe(true);
    await rep.close();
    expect(existsSync(folder.pathOf(url))).toBe(false);
    track(await RepSocket.listen(url));
  });

  test('a path too long for a unix socket fails with a clear EINVAL', async () => {
    const url = `ipc://${folder.dir}/${'rule'.repeat(30)}_op_0.ipc`;
    const { error } = await settle(PullSocket.listen(url));
    expect(code({ error })).toBe('EINVAL');
    expect((error as SpError).message).toMatch(/bytes long, but this system allows at most 107/);
  });
});

describe('close', () => {
  test('pending recv and send reject with ECLOSED; later calls too', async () => {
    const url = folder.next();
    const rep = await RepSocket.listen(url);
    const pull = await PullSocket.listen(folder.next());
    const push = await PushSocket.listen(folder.next());
    const req = await ReqSocket.dial(url);
    await req.send('q');
    expect(String(await rep.recv())).toBe('q');
    const pending = [
      settle(rep.recv(60_000)),
      settle(pull.recv(60_000)),
      settle(push.send('x', 60_000)),
      settle(req.recv(60_000)),
    ];
    await Promise.all([rep.close(), pull.close(), push.close(), req.close()]);
    for (const result of await Promise.all(pending)) {
      expect(code(result), String(result.error)).toBe('ECLOSED');
    }
    expect(code(await settle(rep.recv()))).toBe('ECLOSED');
    expect(code(await settle(rep.send('x')))).toBe('ECLOSED');
    expect(code(await settle(pull.recv()))).toBe('ECLOSED');
    expect(code(await settle(push.send('x')))).toBe('ECLOSED');
    expect(code(await settle(req.send('x')))).toBe('ECLOSED');
    expect(code(await settle(req.recv()))).toBe('ECLOSED');
    await rep.close(); // twice is fine
  });

  test('closing a dialer stops its reconnecting', async () => {
    const url = folder.next();
    const pull = await PullSocket.listen(url);
    const push = await PushSocket.dial(url, { reconnectMinMs: 10, reconnectMaxMs: 20 });
    await pull.close();
    await push.close();
    const again = track(await PullSocket.listen(url));
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(again.peerCount).toBe(0);
  });

  test('the peer sees the connection end', async () => {
    const url = folder.next();
    const rep = await RepSocket.listen(url);
    const peer = await RawPeer.connect(folder.pathOf(url), Protocol.req);
    await until(() => rep.peerCount === 1);
    await rep.close();
    await peer.closed;
  });
});

describe('misbehaving peers', () => {
  test('a bad header closes that connection, is reported as EBADHEADER, and the socket keeps serving', async () => {
    const url = folder.next();
    const reported: SpError[] = [];
    const rep = track(await RepSocket.listen(url, { onPipeError: (error) => reported.push(error) }));
    const http = await RawPeer.connect(folder.pathOf(url), undefined);
    http.write(Buffer.from('GET / HTTP/1.1\r\n\r\n'));
    await http.closed;
    await until(() => reported.length === 1);
    expect(reported[0]?.code).toBe('EBADHEADER');
    const req = track(await ReqSocket.dial(url));
    await req.send('fine');
    expect(String(await rep.recv())).toBe('fine');
  });

  test('the wrong SP protocol is refused with a message naming both', async () => {
    const url = folder.next();
    const reported: SpError[] = [];
    track(await PullSocket.listen(url, { onPipeError: (error) => reported.push(error) }));
    const wrong = await RawPeer.connect(folder.pathOf(url), Protocol.req);
    await wrong.closed;
    await until(() => reported.length === 1);
    expect(reported[0]?.message).toMatch(/REQ socket, but a PUSH socket was expected/);
  });

  test('dialing a listener of the wrong protocol fails with EBADHEADER', async () => {
    const url = folder.next();
    track(await PullSocket.listen(url));
    const { error } = await settle(ReqSocket.dial(url, { retries: 0 }));
    expect(code({ error })).toBe('EBADHEADER');
  });

  test('a message over the size cap closes that connection with EMSGSIZE', async () => {
    const url = folder.next();
    const reported: SpError[] = [];
    const pull = track(
      await PullSocket.listen(url, { maxMessageBytes: 1000, onPipeError: (e) => reported.push(e) }),
    );
    const peer = await RawPeer.connect(folder.pathOf(url), Protocol.push);
    peer.send('x'.repeat(1001));
    await peer.closed;
    await until(() => reported.length === 1);
    expect(reported[0]?.code).toBe('EMSGSIZE');
    const push = track(await PushSocket.dial(url));
    await push.send('x'.repeat(1000));
    expect((await pull.recv()).length).toBe(1000);
  });

  test('a peer that never sends its header is dropped after the handshake timeout', async () => {
    const url = folder.next();
    const reported: SpError[] = [];
    track(await RepSocket.listen(url, { handshakeTimeoutMs: 50, onPipeError: (e) => reported.push(e) }));
    const silent = await RawPeer.connect(folder.pathOf(url), undefined);
    await silent.closed;
    await until(() => reported.length === 1);
    expect(reported[0]?.message).toMatch(/did not send the SP header/);
  });

  test('garbage after a good header (unknown frame type) closes only that connection', async () => {
    const url = folder.next();
    const reported: SpError[] = [];
    const pull = track(await PullSocket.listen(url, { onPipeError: (e) => reported.push(e) }));
    const peer = await RawPeer.connect(folder.pathOf(url), Protocol.push);
    peer.write(Buffer.from('02000000000000000178', 'hex'));
    await peer.closed;
    await until(() => reported.length === 1);
    expect(reported[0]?.code).toBe('EBADHEADER');
    const push = track(await PushSocket.dial(url));
    await push.send('ok');
    expect(String(await pull.recv())).toBe('ok');
  });
});

describe('admitting peers', () => {
  test('a refused peer is hung up on, and a request it sent with its header never reaches the socket', async () => {
    const url = folder.next();
    const asked: number[] = [];
    const rep = track(
      await RepSocket.listen(url, {
        admitPeer: (connected) => {
          asked.push(connected);
          return connected === 0;
        },
      }),
    );
    const admitted = track(await ReqSocket.dial(url));
    await until(() => rep.peerCount === 1);
    // The second caller's header and its first request arrive in one write, as a plugin's do.
    const refused = await RawPeer.connect(folder.pathOf(url), undefined);
    const requestId = Buffer.from([0x80, 0, 0, 1]);
    refused.write(
      Buffer.concat([
        encodeHeader(Protocol.req),
        ...encodeFrame(Buffer.concat([requestId, Buffer.from('handshake')])),
      ]),
    );
    await refused.closed;
    expect(asked).toEqual([0, 1]);
    expect(rep.peerCount).toBe(1);
    await admitted.send('mine');
    expect(String(await rep.recv(2000))).toBe('mine');
    await rep.send('answer');
    expect(String(await admitted.recv(2000))).toBe('answer');
    expect(rep.pendingRequestCount).toBe(0);
  });
});
