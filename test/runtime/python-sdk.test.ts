import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { fileUrl, startTestHost, type TestHost } from '../support/host-harness.js';
import { uniqueName } from '../support/node-plugin-bundle.js';
import { isAlive } from '../support/process-helpers.js';
import { writePythonSdkPluginZip, type SdkPluginNames } from '../support/python-sdk-plugin-zip.js';

/**
 * A plugin built on eKuiper's real, current Python SDK (`../shared/fixtures/python-sdk/`), installed from a
 * zip and driven through the REST API: its function, its source, and its sink fed with acknowledgements off and
 * on. The SDK dials a sink's acknowledgement channel before it answers `start`, whatever `requireAck` says.
 */

interface FeedAnswer {
  rows: Array<{ index: number; status: string; message?: string }>;
  drainedMs?: number;
  note?: string;
}

let t: TestHost;
const names: SdkPluginNames = {
  plugin: uniqueName('sdk'),
  function: uniqueName('upper'),
  source: uniqueName('count'),
  sink: uniqueName('jsonl'),
};
const base = () => `/manager/portables/${names.plugin}`;

beforeAll(async () => {
  t = await startTestHost({ portableInitTimeoutMs: 15_000 });
});
afterAll(async () => {
  await t.close();
});

const feed = (body: Record<string, unknown>) => t.request('POST', `${base()}/sinks/${names.sink}/feed`, body);
const lines = async (path: string) =>
  (await readFile(path, 'utf8'))
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as unknown);

describe("a plugin on eKuiper's Python SDK", () => {
  test('installs from its zip and runs: status running with its pid', async () => {
    const response = await t.request('POST', '/plugins/portables', {
      name: names.plugin,
      file: fileUrl(writePythonSdkPluginZip(t.tempDir, names)),
    });
    expect(response.text).toBe(`portable plugin ${names.plugin} is created`);
    const status = (await t.request('GET', `/plugins/portables/${names.plugin}/status`)).json<{
      status: string;
      pid: number;
    }>();
    expect(status.status).toBe('running');
    expect(isAlive(status.pid)).toBe(true);
  });

  test('its function answers through the SDK: Validate, then Exec', async () => {
    const response = await t.request('POST', `${base()}/functions/${names.function}/call`, {
      args: ['hello'],
    });
    expect(response.status).toBe(200);
    expect(response.json()).toMatchObject({ ok: true, stage: 'exec', result: 'HELLO' });
    const refused = await t.request('POST', `${base()}/functions/${names.function}/call`, { args: [1, 2] });
    expect(refused.json()).toMatchObject({ ok: false, stage: 'validate', error: 'upper takes one argument' });
  });

  test('its source streams what it emits, with the data source it was given', async () => {
    const response = await t.request('POST', `${base()}/sources/${names.source}/sample`, {
      dataSource: 'topic/a',
      config: { interval: 20 },
      maxMessages: 3,
      durationMs: 20_000,
    });
    expect(response.status).toBe(200);
    const body = response.json<{
      messages: Array<{ message: unknown; meta: unknown }>;
      end: { reason: string };
    }>();
    expect(body.end.reason).toBe('count');
    expect(body.messages.map((event) => event.message)).toEqual([
      { n: 1, datasource: 'topic/a' },
      { n: 2, datasource: 'topic/a' },
      { n: 3, datasource: 'topic/a' },
    ]);
    expect(body.messages[0]!.meta).toEqual({ source: 'counter' });
  });

  test('its sink starts and takes every row with acknowledgements off (it acknowledges anyway: the host says so)', async () => {
    const path = join(t.tempDir, 'acks-off.jsonl');
    const response = await feed({
      config: { path },
      rows: [{ a: 1 }, { a: 2 }, { a: 3 }],
      requireAck: false,
      drainMs: 10_000,
    });
    expect(response.status).toBe(200);
    const body = response.json<FeedAnswer>();
    expect(body.rows.map((row) => row.status)).toEqual(['ok', 'ok', 'ok']);
    // Every row was acknowledged, so the host did not wait out the drain period.
    expect(body.drainedMs).toBeLessThan(10_000);
    expect(await lines(path)).toEqual([{ a: 1 }, { a: 2 }, { a: 3 }]);
  });

  test('a sink that never acknowledges, acknowledgements off: handed over, kept running to write them all', async () => {
    const path = join(t.tempDir, 'silent.jsonl');
    const rows = Array.from({ length: 20 }, (_, n) => ({ n }));
    const response = await feed({ config: { path, ack: false }, rows, requireAck: false, drainMs: 500 });
    expect(response.status).toBe(200);
    const body = response.json<FeedAnswer>();
    expect(new Set(body.rows.map((row) => row.status))).toEqual(new Set(['handed']));
    expect(body.drainedMs).toBeGreaterThanOrEqual(500);
    expect(await lines(path)).toEqual(rows);
  });

  test("acknowledgements on: each row gets the sink's own answer", async () => {
    const path = join(t.tempDir, 'acks-on.jsonl');
    const response = await feed({
      config: { path },
      rows: [{ a: 1 }, { bad: true }, { a: 3 }],
      requireAck: true,
      ackTimeoutMs: 5000,
    });
    expect(response.status).toBe(200);
    const body = response.json<FeedAnswer>();
    expect(body.rows.map((row) => [row.status, row.message])).toEqual([
      ['ok', undefined],
      ['error', 'bad row refused'],
      ['ok', undefined],
    ]);
    expect(body.drainedMs).toBe(0);
    expect(await lines(path)).toEqual([{ a: 1 }, { a: 3 }]);
  });

  test('nothing went wrong in the plugin: no traceback in its log, and it still runs', async () => {
    const log = (await t.request('GET', `${base()}/log?lines=2000`)).json<{
      lines: Array<{ text: string }>;
    }>();
    expect(log.lines.map((line) => line.text).join('\n')).not.toContain('Traceback');
    const status = (await t.request('GET', `/plugins/portables/${names.plugin}/status`)).json<{
      status: string;
      refCount: Record<string, number>;
    }>();
    expect(status).toMatchObject({ status: 'running', refCount: {} });
  });
});

describe('a program built on the SDK under another name than it is installed as', () => {
  const otherSymbols = () => ({
    function: uniqueName('upper'),
    source: uniqueName('count'),
    sink: uniqueName('jsonl'),
  });
  const hint = (dialled: string) =>
    `it dials /tmp/plugin_${dialled}.ipc, so the program calls itself '${dialled}': eKuiper's SDKs dial ` +
    `plugin_{name} with the name compiled into the program, so install it as '${dialled}'`;

  test('while the plugin of that name runs: refused on its control channel, the install fails at once', async () => {
    const installAs = uniqueName('other');
    t.settings.portableInitTimeoutMs = 60_000;
    try {
      const response = await t.request('POST', '/plugins/portables', {
        name: installAs,
        file: fileUrl(writePythonSdkPluginZip(t.tempDir, names, { installAs, declared: otherSymbols() })),
      });
      expect(response.status).toBe(400);
      const message = response.json<{ message: string }>().message;
      expect(message).toContain(
        `plugin ${installAs} called the control channel of the installed plugin '${names.plugin}' instead of its own`,
      );
      expect(message).toContain(hint(names.plugin));
    } finally {
      t.settings.portableInitTimeoutMs = 15_000;
    }
    // The plugin that owns the name never saw the stray caller.
    const call = await t.request('POST', `${base()}/functions/${names.function}/call`, { args: ['still'] });
    expect(call.json()).toMatchObject({ ok: true, result: 'STILL' });
  });

  test('with no plugin of that name: the SDK gives up dialling and exits with status 0; the hint names it', async () => {
    const compiled: SdkPluginNames = { plugin: uniqueName('absent'), ...otherSymbols() };
    const installAs = uniqueName('other');
    const response = await t.request('POST', '/plugins/portables', {
      name: installAs,
      file: fileUrl(writePythonSdkPluginZip(t.tempDir, compiled, { installAs })),
    });
    expect(response.status).toBe(400);
    const message = response.json<{ message: string }>().message;
    expect(message).toContain(
      `plugin ${installAs} exited normally (status 0) before its handshake: ${hint(compiled.plugin)}`,
    );
    expect((await t.request('GET', `/plugins/portables/${installAs}`)).status).toBe(404);
  });
});
