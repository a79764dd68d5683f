import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { FIXTURES, TEST_ZIPS, fileUrl, startTestHost, type TestHost } from '../support/host-harness.js';
import { isAlive, waitFor } from '../support/process-helpers.js';
import { acquireTestLock, LOCK_WAIT_MS } from '../support/test-lock.js';

/**
 * eKuiper's own Go sample plugin (2021 SDK, base64 `arg` dialect) through the REST API. The plugin dials the
 * fixed socket names of `mirror`, `echo` and `random`, so every test that starts it lives in this file and
 * runs in order.
 */
const RUNNABLE_MIRROR = join(FIXTURES, 'portable/mirror.zip');
const TESTZIPS_MIRROR = join(TEST_ZIPS, 'portables/mirror.zip');

interface Status {
  refCount: Record<string, number>;
  status: string;
  errMsg: string;
  pid: number;
}

let t: TestHost;
let releaseMirror: () => Promise<void>;
beforeAll(async () => {
  // Other files run mirror too (and mirror2 dials mirror's socket): one file at a time on the machine.
  releaseMirror = await acquireTestLock('mirror');
  t = await startTestHost({ portableInitTimeoutMs: 15_000 });
}, LOCK_WAIT_MS);
afterAll(async () => {
  await t.close();
  await releaseMirror();
});

/** eKuiper's testzips mirror.zip (a program that calls itself `mirror`) installed as mirror2. */
async function installTestzipsMirror(initTimeoutMs: number) {
  t.settings.portableInitTimeoutMs = initTimeoutMs;
  try {
    return await t.request('POST', '/plugins/portables', { name: 'mirror2', file: fileUrl(TESTZIPS_MIRROR) });
  } finally {
    t.settings.portableInitTimeoutMs = 15_000;
  }
}

/** The rows mirror's file sink wrote, one JSON document per line. */
const fileRows = async (path: string) =>
  (await readFile(path, 'utf8'))
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as unknown);

const status = async (name: string) =>
  (await t.request('GET', `/plugins/portables/${name}/status`)).json<Status>();

describe('the Go sample plugin mirror (2021 SDK)', () => {
  test('install starts it: status running with its pid', async () => {
    const response = await t.request('POST', '/plugins/portables', {
      name: 'mirror',
      file: fileUrl(RUNNABLE_MIRROR),
    });
    expect(response.text).toBe('portable plugin mirror is created');
    const answer = await status('mirror');
    expect(answer).toMatchObject({ status: 'running', errMsg: '', refCount: {} });
    expect(isAlive(answer.pid)).toBe(true);
  });

  test('call echo: the host detects the base64 dialect and the call round-trips', async () => {
    const response = await t.request('POST', '/manager/portables/mirror/functions/echo/call', {
      args: ['hi there'],
    });
    expect(response.status).toBe(200);
    expect(response.json()).toMatchObject({ ok: true, stage: 'exec', result: 'hi there' });
    const again = await t.request('POST', '/manager/portables/mirror/functions/echo/call', {
      args: [{ a: [1, 2] }],
    });
    expect(again.json()).toMatchObject({ ok: true, result: { a: [1, 2] } });
  });

  test("echo's own Validate refuses two arguments", async () => {
    const response = await t.request('POST', '/manager/portables/mirror/functions/echo/call', {
      args: [1, 2],
    });
    expect(response.status).toBe(200);
    const trial = response.json<{ ok: boolean; stage: string; error: string }>();
    expect(trial.ok).toBe(false);
    expect(trial.stage).toBe('validate');
    expect(trial.error).not.toBe('');
  });

  test('sample random with its yaml default config (interval lowered): messages, then stopped', async () => {
    const config = await t.request('GET', '/manager/portables/mirror/sources/random/config');
    const read = config.json<{ config: Record<string, unknown>; sections: string[] }>();
    expect(read.config).toEqual({ interval: 1000, seed: 1, pattern: { count: 50 }, deduplicate: 0 });
    expect(read.sections).toEqual(['default', 'ext', 'dedup']);
    const response = await t.request('POST', '/manager/portables/mirror/sources/random/sample', {
      config: { ...read.config, interval: 20 },
      maxMessages: 3,
      durationMs: 30_000,
    });
    expect(response.status).toBe(200);
    const body = response.json<{
      messages: Array<{ message: Record<string, unknown> }>;
      end: { reason: string };
    }>();
    expect(body.end.reason).toBe('count');
    expect(body.messages).toHaveLength(3);
    for (const { message } of body.messages) expect(typeof message.count).toBe('number');
    expect((await status('mirror')).refCount).toEqual({});
  });

  test("a source config error is surfaced with the plugin's message", async () => {
    const response = await t.request('POST', '/manager/portables/mirror/sources/random/sample', {
      config: { interval: 20, pattern: 'not a map' },
      maxMessages: 1,
      durationMs: 5000,
    });
    expect(response.status).toBe(422);
    const message = response.json<{ message: string }>().message;
    expect(message).toMatch(/^sample source random error: /);
    expect(message.length).toBeGreaterThan('sample source random error: '.length);
  });

  test('the Go sink never acknowledges: one timeout, the rest handed over, and every row reaches its file', async () => {
    const path = join(t.tempDir, 'mirror-sink.txt');
    const rows = Array.from({ length: 5 }, (_, n) => ({ a: n }));
    const response = await t.request('POST', '/manager/portables/mirror/sinks/file/feed', {
      config: { path, interval: 100 },
      rows,
      ackTimeoutMs: 500,
    });
    expect(response.status).toBe(200);
    const body = response.json<{ rows: Array<{ status: string }>; note: string; drainedMs: number }>();
    expect(body.rows.map((row) => row.status)).toEqual(['timeout', 'handed', 'handed', 'handed', 'handed']);
    expect(body.note).toContain("sinks built with eKuiper's Go SDK never acknowledge");
    expect(body).toMatchObject({ noAckWithinMs: 500, drainedMs: expect.any(Number) as number });
    expect(body.drainedMs).toBeGreaterThanOrEqual(2000);
    expect(await fileRows(path)).toEqual(rows);
  });

  test('acknowledgements off, the file sink at its own 1 s interval: every row fed is in the file', async () => {
    const path = join(t.tempDir, 'mirror-batch.txt');
    const rows = Array.from({ length: 50 }, (_, n) => ({ n, text: `row ${n}` }));
    const response = await t.request('POST', '/manager/portables/mirror/sinks/file/feed', {
      config: { path },
      rows,
      requireAck: false,
    });
    expect(response.status).toBe(200);
    const body = response.json<{ rows: Array<{ status: string }> }>();
    expect(new Set(body.rows.map((row) => row.status))).toEqual(new Set(['handed']));
    expect(await fileRows(path)).toEqual(rows);
    const log = (await t.request('GET', '/manager/portables/mirror/log?lines=2000')).json<{
      lines: Array<{ text: string }>;
    }>();
    expect(log.lines.map((line) => line.text).join('\n')).not.toContain('file already closed');
  });

  test('the plugin is still healthy after all that', async () => {
    const response = await t.request('POST', '/manager/portables/mirror/functions/echo/call', { args: [42] });
    expect(response.json()).toMatchObject({ ok: true, result: 42 });
  });

  test("mirror.zip as mirror2 while mirror runs: it calls mirror's control channel, and fails at once saying so", async () => {
    // eKuiper's own init timeout: a host that noticed nothing would answer only after a minute.
    const response = await installTestzipsMirror(60_000);
    expect(response.status).toBe(400);
    expect(response.json<{ message: string }>().message).toBe(
      "portable plugin create command error: plugin mirror2 called the control channel of the installed plugin 'mirror' " +
        "instead of its own (/tmp/plugin_mirror2.ipc): it dials /tmp/plugin_mirror.ipc, so the program calls itself 'mirror': " +
        "eKuiper's SDKs dial plugin_{name} with the name compiled into the program, so install it as 'mirror' " +
        "(with the symbol names it was built with); 'mirror' is installed already: to replace it, update that plugin instead",
    );
    expect((await t.request('GET', '/plugins/portables/mirror2/status')).status).toBe(404);
    expect(
      (await t.request('GET', '/plugins/portables')).json<Array<{ name: string }>>().map((p) => p.name),
    ).toEqual(['mirror']);
    // mirror itself never took the stray call: it still answers, as the same process.
    const before = await status('mirror');
    const echo = await t.request('POST', '/manager/portables/mirror/functions/echo/call', {
      args: ['still me'],
    });
    expect(echo.json()).toMatchObject({ ok: true, result: 'still me' });
    expect((await status('mirror')).pid).toBe(before.pid);
  });

  test('delete kills the process', async () => {
    const { pid } = await status('mirror');
    expect((await t.request('DELETE', '/plugins/portables/mirror')).text).toBe(
      'portable plugin mirror is deleted',
    );
    await waitFor(() => !isAlive(pid), 'mirror to end');
  });
});

describe("eKuiper's testzips portables/mirror.zip as mirror2", () => {
  test('fails cleanly: the program dials plugin_mirror, never plugin_mirror2, and nothing is left behind', async () => {
    const response = await installTestzipsMirror(1500);
    expect(response.status).toBe(400);
    const message = response.json<{ message: string }>().message;
    expect(message).toContain(
      'portable plugin create command error: plugin mirror2 exited with code 2 before its handshake: it dials ' +
        "/tmp/plugin_mirror.ipc, so the program calls itself 'mirror': eKuiper's SDKs dial plugin_{name} with " +
        "the name compiled into the program, so install it as 'mirror'",
    );
    // The plugin's own words come along.
    expect(message).toContain('Its error output: time=');
    expect(message).toContain("panic: can't dial on req socket");
    expect((await t.request('GET', '/plugins/portables')).json()).toEqual([]);
    expect((await t.request('GET', '/plugins/portables/mirror2/status')).status).toBe(404);
  });
});
