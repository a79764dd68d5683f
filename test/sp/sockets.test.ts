import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { PullSocket, PushSocket, RepSocket, ReqSocket } from '../../main/sp/index.js';
import { SocketFolder } from './sp-test-support.js';

let folder: SocketFolder;
const toClose: { close(): Promise<void> }[] = [];
function track<T extends { close(): Promise<void> }>(socket: T): T {
  toClose.push(socket);
  return socket;
}

beforeEach(async () => {
  folder = await SocketFolder.create();
});
afterEach(async () => {
  await Promise.all(toClose.splice(0).map((socket) => socket.close()));
  await folder.remove();
});

describe('REQ and REP', () => {
  test('a request and its reply go round trip', async () => {
    const url = folder.next();
    const rep = track(await RepSocket.listen(url));
    const req = track(await ReqSocket.dial(url));
    await req.send('handshake');
    expect((await rep.recv()).toString()).toBe('handshake');
    await rep.send('{"cmd":"start"}');
    expect((await req.recv()).toString()).toBe('{"cmd":"start"}');
  });
});

describe('PUSH and PULL', () => {
  test('messages arrive in order', async () => {
    const url = folder.next();
    const pull = track(await PullSocket.listen(url));
    const push = track(await PushSocket.dial(url));
    for (let i = 0; i < 5; i++) await push.send(`m${i}`);
    const got: string[] = [];
    for (let i = 0; i < 5; i++) got.push((await pull.recv()).toString());
    expect(got).toEqual(['m0', 'm1', 'm2', 'm3', 'm4']);
  });
});
