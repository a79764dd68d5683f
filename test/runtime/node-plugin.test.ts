import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { fileUrl, startTestHost, type TestHost } from '../support/host-harness.js';
import { uniqueName, writeNodePluginZip } from '../support/node-plugin-bundle.js';
import { isAlive, waitFor } from '../support/process-helpers.js';

interface Status {
  refCount: Record<string, number>;
  status: string;
  errMsg: string;
  pid: number;
}

let t: TestHost;
beforeAll(async () => {
  t = await startTestHost({ portableInitTimeoutMs: 10_000 });
});
afterAll(async () => {
  await t.close();
});

async function install(options: Parameters<typeof writeNodePluginZip>[1]) {
  const zip = await writeNodePluginZip(t.tempDir, options);
  return t.request('POST', '/plugins/portables', { name: options.name, file: fileUrl(zip) });
}

describe('a Node test plugin through the REST API', () => {
  const name = uniqueName('np');
  const fn = uniqueName('rev');
  const bad = uniqueName('bad');
  const source = uniqueName('src');
  const sink = uniqueName('snk');

  test('install starts the process: status running with a live pid', async () => {
    const response = await install({
      name,
      functions: { [fn]: 'reverse', [bad]: 'error' },
      sources: [source],
      sinks: [sink],
      sourceYaml: { [source]: 'default:\n  interval: 10\n  seed: 7\nother:\n  interval: 500\n' },
    });
    expect(response.text).toBe(`portable plugin ${name} is created`);
    const status = (await t.request('GET', `/plugins/portables/${name}/status`)).json<Status>();
    expect(status.status).toBe('running');
    expect(status.errMsg).toBe('');
    expect(status.pid).toBeGreaterThan(0);
    expect(isAlive(status.pid)).toBe(true);
  });

  test('call a function: Validate then Exec, result and round trip', async () => {
    const response = await t.request('POST', `/manager/portables/${name}/functions/${fn}/call`, {
      args: ['hello'],
    });
    expect(response.status).toBe(200);
    const trial = response.json<{ ok: boolean; stage: string; result: unknown; execMs: number }>();
    expect(trial).toMatchObject({ ok: true, stage: 'exec', result: 'olleh' });
    expect(trial.execMs).toBeGreaterThan(0);
  });

  test("Validate's refusal and Exec's error are the function's answers, not HTTP failures", async () => {
    const validate = await t.request('POST', `/manager/portables/${name}/functions/${fn}/call`, {
      args: [1, 2],
    });
    expect(validate.json()).toMatchObject({ ok: false, stage: 'validate', error: 'expect one argument' });
    const exec = await t.request('POST', `/manager/portables/${name}/functions/${bad}/call`, { args: ['x'] });
    expect(exec.json()).toMatchObject({
      ok: false,
      stage: 'exec',
      error: 'function failed on purpose with ["x"]',
    });
  });

  test('unknown symbols and bad bodies: 404 and 400 with a clear message', async () => {
    const unknown = await t.request('POST', `/manager/portables/${name}/functions/nope/call`, { args: [] });
    expect(unknown.status).toBe(404);
    expect(unknown.json<{ message: string }>().message).toContain(
      `has no function nope (its functions: ${fn}, ${bad})`,
    );
    const notJson = await t.request('POST', `/manager/portables/${name}/functions/${fn}/call`, '{');
    expect(notJson.status).toBe(400);
    expect(notJson.json<{ message: string }>().message).toContain('invalid function call body: not JSON');
    const notArray = await t.request('POST', `/manager/portables/${name}/functions/${fn}/call`, {
      args: 'x',
    });
    expect(notArray.json<{ message: string }>().message).toBe(
      'invalid function call body: "args" must be a JSON array',
    );
    const noPlugin = await t.request('POST', `/manager/portables/nothere/functions/${fn}/call`, { args: [] });
    expect(noPlugin.status).toBe(404);
  });

  test('the source config is read from sources/{name}.yaml, default section', async () => {
    const response = await t.request('GET', `/manager/portables/${name}/sources/${source}/config`);
    expect(response.json()).toMatchObject({
      file: `data/sources/${source}.yaml`,
      config: { interval: 10, seed: 7 },
      sections: ['default', 'other'],
    });
  });

  test('sample a source: N messages with the data source, then stopped cleanly', async () => {
    const response = await t.request('POST', `/manager/portables/${name}/sources/${source}/sample`, {
      dataSource: 'topic/a',
      maxMessages: 3,
      durationMs: 20_000,
    });
    expect(response.status).toBe(200);
    const body = response.json<{
      messages: Array<{ message: { n: number; dataSource: string } }>;
      end: { reason: string };
    }>();
    expect(body.messages).toHaveLength(3);
    expect(body.messages.map((m) => m.message.dataSource)).toEqual(['topic/a', 'topic/a', 'topic/a']);
    expect(body.end.reason).toBe('count');
    const status = (await t.request('GET', `/plugins/portables/${name}/status`)).json<Status>();
    expect(status.refCount).toEqual({});
  });

  test('sample as Server-Sent Events streams message events and an end event', async () => {
    const response = await fetch(`${t.url}/manager/portables/${name}/sources/${source}/sample`, {
      method: 'POST',
      headers: { Accept: 'text/event-stream' },
      body: JSON.stringify({ maxMessages: 2 }),
    });
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    const text = await response.text();
    expect(text.match(/^event: message$/gm)).toHaveLength(2);
    expect(text).toMatch(/event: end\ndata: \{"type":"end","reason":"count","messages":2/);
  });

  test("a config the source refuses answers 422 with the plugin's own message", async () => {
    const response = await t.request('POST', `/manager/portables/${name}/sources/${source}/sample`, {
      config: { fail: 'interval must be positive' },
    });
    expect(response.status).toBe(422);
    expect(response.json<{ message: string }>().message).toBe(
      `sample source ${source} error: interval must be positive`,
    );
  });

  test('feed a sink: acknowledgements, including a refused row', async () => {
    const response = await t.request('POST', `/manager/portables/${name}/sinks/${sink}/feed`, {
      rows: [{ a: 1 }, { bad: true }, { a: 3 }],
    });
    expect(response.status).toBe(200);
    const body = response.json<{ rows: Array<{ status: string; message?: string }> }>();
    expect(body.rows.map((row) => row.status)).toEqual(['ok', 'error', 'ok']);
    expect(body.rows[1]!.message).toBe('bad row refused');
  });

  test('the log serves what the plugin printed', async () => {
    const response = await t.request('GET', `/manager/portables/${name}/log?lines=500`);
    const lines = response.json<{ lines: Array<{ stream: string; text: string }> }>().lines;
    expect(
      lines.some((line) => line.stream === 'stdout' && line.text.includes(`plugin ${name} starting`)),
    ).toBe(true);
    expect(lines.some((line) => line.text.includes(`sink ${sink} got {"bad":true}`))).toBe(true);
    const file = await readFile(join(t.dataDir, `plugins/.runtime/logs/${name}.log`), 'utf8');
    expect(file).toContain(`plugin ${name} starting`);
  });

  test('delete kills the process', async () => {
    const { pid } = (await t.request('GET', `/plugins/portables/${name}/status`)).json<Status>();
    expect((await t.request('DELETE', `/plugins/portables/${name}`)).status).toBe(200);
    await waitFor(() => !isAlive(pid), 'the plugin process to end');
    expect((await t.request('GET', `/plugins/portables/${name}/status`)).status).toBe(404);
  });
});

describe('plugins that do not start', () => {
  test('a plugin that exits at start fails the install, which carries its stderr and leaves nothing', async () => {
    const name = uniqueName('ex');
    const response = await install({
      name,
      functions: { [uniqueName('f')]: 'echo' },
      startup: { exitCode: 3, stderr: 'cannot open device /dev/x' },
    });
    expect(response.status).toBe(400);
    expect(response.json<{ message: string }>().message).toBe(
      `portable plugin create command error: plugin ${name} exited with code 3 before its handshake. ` +
        'Its error output: cannot open device /dev/x',
    );
    expect((await t.request('GET', `/plugins/portables/${name}`)).status).toBe(404);
  });

  test('a plugin that never calls fails after the init timeout, saying which socket it should have dialled', async () => {
    const name = uniqueName('si');
    t.settings.portableInitTimeoutMs = 500;
    try {
      const response = await install({
        name,
        functions: { [uniqueName('f')]: 'echo' },
        startup: { silent: true },
      });
      expect(response.status).toBe(400);
      expect(response.json<{ message: string }>().message).toContain(
        `plugin ${name} did not call its control channel /tmp/plugin_${name}.ipc within 500 ms`,
      );
    } finally {
      t.settings.portableInitTimeoutMs = 10_000;
    }
    expect(
      (await t.request('GET', '/plugins/portables')).json<Array<{ name: string }>>().map((p) => p.name),
    ).not.toContain(name);
  });
});

describe('a plugin process that ends by itself', () => {
  const name = uniqueName('end');
  const quit = uniqueName('quit');
  const status = async () => (await t.request('GET', `/plugins/portables/${name}/status`)).json<Status>();
  /** Has the plugin exit (the call starts it first when it is not running) and answers the status after. */
  const endWith = async (code: number, stderr: string[], state: string) => {
    await t.request('POST', `/manager/portables/${name}/functions/${quit}/call`, {
      args: [{ code, stderr }],
    });
    await waitFor(async () => (await status()).status === state, `the plugin process to end (${state})`);
    return status();
  };
  /** What eKuiper's Go SDK writes on stderr while all is well. */
  const infoLines = [
    'time="2026-01-01 10:00:00" level=info msg="received command stop" file="runtime/plugin.go:120"',
    'time="2026-01-01 10:00:00" level=info msg="closed sink data channel" file="runtime/sink.go:86"',
  ];

  test('status 0: the plugin stopped, it did not fail, and its info logging is no "last error"', async () => {
    expect((await install({ name, functions: { [quit]: 'exit' } })).status).toBe(201);
    const ended = await endWith(0, infoLines, 'stop');
    expect(ended).toMatchObject({
      status: 'stop',
      errMsg: 'the plugin process exited normally (status 0)',
      ended: { code: 0, signal: null, output: '' },
    });
  });

  test('a failure: status error, with only the lines that explain it', async () => {
    // The next call starts the plugin again, as eKuiper restarts a plugin when a rule needs it.
    const ended = await endWith(
      3,
      [
        infoLines[0]!,
        'time="2026-01-01 10:00:01" level=error msg="cannot open device /dev/ttyS9: no such file"',
        infoLines[1]!,
      ],
      'error',
    );
    const why = 'time="2026-01-01 10:00:01" level=error msg="cannot open device /dev/ttyS9: no such file"';
    expect(ended).toMatchObject({
      status: 'error',
      errMsg: `the plugin process exited with code 3: ${why}`,
      ended: { code: 3, signal: null, output: why },
    });
    await t.request('DELETE', `/plugins/portables/${name}`);
  });
});
