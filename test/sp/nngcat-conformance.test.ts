import { spawn, spawnSync } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { PullSocket, PushSocket, RepSocket, ReqSocket, type SpError } from '../../main/sp/index.js';
import { SocketFolder, until } from './sp-test-support.js';

/**
 * Wire conformance against an independent implementation: `nngcat` from Debian's nng-utils (libnng), the same
 * library pynng wraps for eKuiper's Python SDK. Symmetric bugs in our own REQ/REP/PUSH/PULL cannot hide here.
 */
const hasNngcat = spawnSync('nngcat', ['--version'], { stdio: 'ignore' }).status === 0;
const title = hasNngcat
  ? 'conformance with nngcat (libnng)'
  : 'conformance with nngcat: SKIPPED because nngcat is not installed (apt-get install nng-utils; CI installs it)';

interface NngcatResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs nngcat to completion (killing it after a generous limit so a hung peer fails the test, not the run). */
function nngcat(args: string[], limitMs = 25_000): { done: Promise<NngcatResult>; kill: () => void } {
  const child = spawn('nngcat', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), limitMs);
  const done = new Promise<NngcatResult>((resolve) => {
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
  return { done, kill: () => child.kill('SIGKILL') };
}

describe.skipIf(!hasNngcat)(title, () => {
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

  test('nngcat REQ dials our REP: request in, reply out (the plugin handshake)', async () => {
    const url = folder.next();
    const rep = track(await RepSocket.listen(url));
    // nngcat 1.5.2 REQ exits 1 ("Cannot set recv timeout") without --interval; with it, one request exits at once.
    const peer = nngcat([
      '--req',
      '--dial',
      url,
      '--data',
      'handshake',
      '--count',
      '1',
      '--interval',
      '1',
      '--quoted',
    ]);
    cleanups.push(peer.kill);
    expect(String(await rep.recv(20_000))).toBe('handshake');
    await rep.send('{"cmd":"start","arg":"x"}');
    const result = await peer.done;
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout.trim()).toBe('"{\\"cmd\\":\\"start\\",\\"arg\\":\\"x\\"}"');
  });

  test('nngcat REQ re-sending requests: our REP answers the newest and nngcat accepts it', async () => {
    const url = folder.next();
    const rep = track(await RepSocket.listen(url));
    // Three requests one second apart; nngcat waits for each reply before sending the next.
    const peer = nngcat([
      '--req',
      '--dial',
      url,
      '--data',
      'ping',
      '--count',
      '3',
      '--interval',
      '1',
      '--quoted',
    ]);
    cleanups.push(peer.kill);
    for (let i = 0; i < 3; i++) {
      expect(String(await rep.recv(20_000))).toBe('ping');
      await rep.send(`pong ${i}`);
    }
    const result = await peer.done;
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout.trim().split('\n')).toEqual(['"pong 0"', '"pong 1"', '"pong 2"']);
  });

  test('nngcat PUSH dials our PULL: source messages arrive whole', async () => {
    const url = folder.next();
    const pull = track(await PullSocket.listen(url));
    const message = '{"message":{"temperature":21.5},"meta":null}';
    const peer = nngcat(['--push', '--dial', url, '--data', message, '--count', '2', '--interval', '1']);
    cleanups.push(peer.kill);
    expect(String(await pull.recv(20_000))).toBe(message);
    expect(String(await pull.recv(20_000))).toBe(message);
    expect((await peer.done).code).toBe(0);
  });

  test('nngcat PUSH sends a 300 kB binary file: framing of large messages matches', async () => {
    const url = folder.next();
    const pull = track(await PullSocket.listen(url));
    const file = folder.path('payload');
    const payload = Buffer.from(Array.from({ length: 300_000 }, (_, i) => (i * 7) % 256));
    await writeFile(file, payload);
    const peer = nngcat(['--push', '--dial', url, '--file', file, '--count', '1']);
    cleanups.push(peer.kill);
    expect((await pull.recv(20_000)).equals(payload)).toBe(true);
    expect((await peer.done).code).toBe(0);
  });

  test('our PUSH dials nngcat PULL: sink data arrives', async () => {
    const url = folder.next();
    const peer = nngcat(['--pull', '--listen', url, '--count', '2', '--quoted']);
    cleanups.push(peer.kill);
    const push = track(await PushSocket.dial(url, { retries: 400, retryDelayMs: 50 }));
    await push.send('[{"a":1}]', 20_000);
    await push.send('{"b":"two"}', 20_000);
    const result = await peer.done;
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout.trim().split('\n')).toEqual(['"[{\\"a\\":1}]"', '"{\\"b\\":\\"two\\"}"']);
  });

  test('our REQ dials nngcat REP: request and reply', async () => {
    const url = folder.next();
    const peer = nngcat(['--rep', '--listen', url, '--data', 'ok', '--count', '1', '--quoted']);
    cleanups.push(peer.kill);
    const req = track(await ReqSocket.dial(url, { retries: 400, retryDelayMs: 50 }));
    await req.send('{"state":true,"result":"olleh"}', 20_000);
    expect(String(await req.recv(20_000))).toBe('ok');
    const result = await peer.done;
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout.trim()).toBe('"{\\"state\\":true,\\"result\\":\\"olleh\\"}"');
  });

  test('nngcat PUSH dialing our REP is refused as the wrong protocol', async () => {
    const url = folder.next();
    const reported: SpError[] = [];
    const rep = track(await RepSocket.listen(url, { onPipeError: (error) => reported.push(error) }));
    const peer = nngcat(['--push', '--dial', url, '--data', 'x', '--count', '1', '--send-timeout', '1']);
    cleanups.push(peer.kill);
    await until(() => reported.length > 0);
    expect(reported[0]?.code).toBe('EBADHEADER');
    expect(reported[0]?.message).toMatch(/PUSH socket, but a REQ socket was expected/);
    expect(rep.peerCount).toBe(0);
    peer.kill();
  });
});
