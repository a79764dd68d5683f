import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { EventStreamReader } from '../support/event-stream-reader.js';
import { fileUrl, startTestHost, type TestHost } from '../support/host-harness.js';
import { uniqueName } from '../support/node-plugin-bundle.js';
import { isAlive, waitFor } from '../support/process-helpers.js';
import { writePythonPluginZip, type PythonPluginOptions } from '../support/python-plugin-zip.js';

/**
 * A Python plugin written for these tests on Debian's libnng through ctypes (an implementation of the
 * protocol independent of the host's), driven through the REST API: function, source, sink with acks, a
 * keep-alive gap, and a killed process restarted with its running source replayed.
 */

interface Status {
  refCount: Record<string, number>;
  status: string;
  errMsg: string;
  pid: number;
}

let t: TestHost;
beforeAll(async () => {
  t = await startTestHost({ portableInitTimeoutMs: 15_000 });
});
afterAll(async () => {
  await t.close();
});

const install = (options: PythonPluginOptions) =>
  t.request('POST', '/plugins/portables', {
    name: options.name,
    file: fileUrl(writePythonPluginZip(t.tempDir, options)),
  });
const status = async (name: string) =>
  (await t.request('GET', `/plugins/portables/${name}/status`)).json<Status>();

describe('a Python plugin on libnng', () => {
  const name = uniqueName('py');
  const revert = uniqueName('rev');
  const source = uniqueName('pys');
  const sink = uniqueName('pyk');
  const call = (args: unknown[]) =>
    t.request('POST', `/manager/portables/${name}/functions/${revert}/call`, { args });

  test('install runs it through python3 -u: status running with its pid', async () => {
    const response = await install({
      name,
      functions: { [revert]: 'revert' },
      sources: [source],
      sinks: [sink],
      keepAliveMs: 300,
    });
    expect(response.text).toBe(`portable plugin ${name} is created`);
    const answer = await status(name);
    expect(answer.status).toBe('running');
    expect(isAlive(answer.pid)).toBe(true);
  });

  test('a function: Validate, then Exec with the four-key FuncMeta the Python SDK requires', async () => {
    expect((await call(['hello'])).json()).toMatchObject({ ok: true, stage: 'exec', result: 'olleh' });
    expect((await call([1])).json()).toMatchObject({
      ok: false,
      stage: 'exec',
      error: 'revert needs a string',
    });
  });

  test('a source: messages carry the data source under the lower-case key the Python SDK reads', async () => {
    const response = await t.request('POST', `/manager/portables/${name}/sources/${source}/sample`, {
      dataSource: 'room/1',
      maxMessages: 3,
    });
    const body = response.json<{
      messages: Array<{ message: { datasource: string } }>;
      end: { reason: string };
    }>();
    expect(body.end.reason).toBe('count');
    expect(body.messages.map((m) => m.message.datasource)).toEqual(['room/1', 'room/1', 'room/1']);
  });

  test('a sink with acknowledgements: ok, the refusal of a bad row, ok', async () => {
    const response = await t.request('POST', `/manager/portables/${name}/sinks/${sink}/feed`, {
      rows: [{ t: 1 }, { bad: true }, { t: 3 }],
    });
    const body = response.json<{ rows: Array<{ status: string; message?: string }>; note?: string }>();
    expect(body.rows.map((row) => row.status)).toEqual(['ok', 'error', 'ok']);
    expect(body.rows[1]!.message).toBe('bad row refused');
    expect(body.note).toBeUndefined();
  });

  test('after an idle gap of several keep-alives, calls still find the newest request', async () => {
    // The plugin re-sends `handshake` every 300 ms while idle; wait well past a few of them.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect((await call(['after the gap'])).json()).toMatchObject({ ok: true, result: 'pag eht retfa' });
  });

  test('kill -9: status error; the next call restarts it on demand and the running source is replayed', async () => {
    const stopper = new AbortController();
    const stream = await EventStreamReader.open(
      `${t.url}/manager/portables/${name}/sources/${source}/sample`,
      { maxMessages: 10_000, durationMs: 120_000 },
      stopper.signal,
    );
    try {
      const first = (await stream.until((event) => event.event === 'message')).data as {
        message: { pid: number };
      };
      const before = await status(name);
      expect(first.message.pid).toBe(before.pid);
      expect(Object.values(before.refCount)).toEqual([1]);

      process.kill(before.pid, 'SIGKILL');
      await waitFor(async () => (await status(name)).status === 'error', 'status error after kill -9');
      const failed = await status(name);
      expect(failed.errMsg).toBe('the plugin process was killed by SIGKILL');
      expect(failed.pid).toBe(0);

      // On demand, as eKuiper's GetOrStartProcess: the call starts it again (after a short back-off).
      expect((await call(['again'])).json()).toMatchObject({ ok: true, result: 'niaga' });
      const after = await status(name);
      expect(after.status).toBe('running');
      expect(after.pid).not.toBe(before.pid);
      expect(isAlive(after.pid)).toBe(true);

      // The source the stream was sampling was started again in the new process.
      const replayed = await stream.until(
        (event) =>
          event.event === 'message' && (event.data as { message: { pid: number } }).message.pid === after.pid,
      );
      expect(replayed.event).toBe('message');
    } finally {
      stopper.abort();
    }
    await waitFor(async () => Object.keys((await status(name)).refCount).length === 0, 'the sample to stop');
  });

  test('POST …/restart replaces the process and answers the new status', async () => {
    const before = await status(name);
    const response = await t.request('POST', `/manager/portables/${name}/restart`);
    expect(response.status).toBe(200);
    const after = response.json<Status>();
    expect(after.status).toBe('running');
    expect(after.pid).not.toBe(before.pid);
    expect(isAlive(before.pid)).toBe(false);
  });

  test('delete kills it', async () => {
    const { pid } = await status(name);
    expect((await t.request('DELETE', `/plugins/portables/${name}`)).status).toBe(200);
    await waitFor(() => !isAlive(pid), 'the plugin process to end');
  });
});

describe('Python preflight', () => {
  test('a missing package is explained in one line, with the pip command', async () => {
    const name = uniqueName('pm');
    const response = await install({ name, functions: { [uniqueName('f')]: 'echo' }, imports: ['pynng'] });
    expect(response.status).toBe(400);
    const message = response.json<{ message: string }>().message;
    expect(message).toContain(
      `plugin ${name} exited with code 1 before its handshake: the plugin needs the Python package pynng, which ` +
        'python3 cannot import: run python3 -m pip install ekuiper pynng',
    );
    expect(message).toContain("ModuleNotFoundError: No module named 'pynng'");
  });

  test('a missing interpreter is explained in one line', async () => {
    const name = uniqueName('pi');
    t.settings.pythonBin = 'python3-not-here';
    try {
      const response = await install({ name, functions: { [uniqueName('f')]: 'echo' } });
      expect(response.status).toBe(400);
      expect(response.json<{ message: string }>().message).toBe(
        "portable plugin create command error: the Python interpreter 'python3-not-here' was not found: install " +
          'Python 3, or set the pythonBin setting to the interpreter to use',
      );
    } finally {
      t.settings.pythonBin = 'python3';
    }
  });
});
