import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startHost } from '../../main/host/host.js';
import { defaultSettings } from '../../main/settings/host-settings.js';
import { RepSocket } from '../../main/sp/index.js';
import { EventStreamReader } from '../support/event-stream-reader.js';
import { fileUrl, startTestHost, type TestHost } from '../support/host-harness.js';
import {
  nodePluginScript,
  uniqueName,
  writeNodePluginZip,
  type NodePluginOptions,
} from '../support/node-plugin-bundle.js';
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

const zipUrl = async (options: NodePluginOptions) => fileUrl(await writeNodePluginZip(t.tempDir, options));
const status = async (name: string) =>
  (await t.request('GET', `/plugins/portables/${name}/status`)).json<Status>();

test('a plugin that reads arg as base64 (2021 Go SDK) is detected and served in its dialect', async () => {
  const name = uniqueName('b64');
  const fn = uniqueName('f');
  const created = await t.request('POST', '/plugins/portables', {
    name,
    file: await zipUrl({ name, functions: { [fn]: 'reverse' }, dialect: 'base64' }),
  });
  expect(created.status).toBe(201);
  const response = await t.request('POST', `/manager/portables/${name}/functions/${fn}/call`, {
    args: ['abc'],
  });
  expect(response.json()).toMatchObject({ ok: true, result: 'cba' });
  await t.request('DELETE', `/plugins/portables/${name}`);
});

test('update replaces the process and replays the running source into the new one', async () => {
  const name = uniqueName('up');
  const source = uniqueName('s');
  const v1 = await zipUrl({ name, sources: [source], version: 'v1' });
  expect((await t.request('POST', '/plugins/portables', { name, file: v1 })).status).toBe(201);
  const before = await status(name);
  const stopper = new AbortController();
  const stream = await EventStreamReader.open(
    `${t.url}/manager/portables/${name}/sources/${source}/sample`,
    { maxMessages: 10_000, durationMs: 120_000 },
    stopper.signal,
  );
  try {
    await stream.until((event) => event.event === 'message');
    const v2 = await zipUrl({ name, sources: [source], version: 'v2' });
    const updated = await t.request('PUT', `/plugins/portables/${name}`, { name, file: v2 });
    expect(updated.text).toBe(`portable plugin ${name} is updated`);
    const after = await status(name);
    expect(after.status).toBe('running');
    expect(after.pid).not.toBe(before.pid);
    expect(isAlive(before.pid)).toBe(false);
    expect((await t.request('GET', `/plugins/portables/${name}`)).json()).toMatchObject({ version: 'v2' });
    await stream.until(
      (event) =>
        event.event === 'message' && (event.data as { message: { pid: number } }).message.pid === after.pid,
    );
  } finally {
    stopper.abort();
  }
  await t.request('DELETE', `/plugins/portables/${name}`);
});

test('an update whose new version does not start keeps the old version running', async () => {
  const name = uniqueName('uf');
  const fn = uniqueName('f');
  expect(
    (
      await t.request('POST', '/plugins/portables', {
        name,
        file: await zipUrl({ name, functions: { [fn]: 'echo' } }),
      })
    ).status,
  ).toBe(201);
  const before = await status(name);
  const broken = await zipUrl({
    name,
    functions: { [fn]: 'echo' },
    startup: { exitCode: 4, stderr: 'v2 is broken' },
  });
  const response = await t.request('PUT', `/plugins/portables/${name}`, { name, file: broken });
  expect(response.status).toBe(400);
  expect(response.json<{ message: string }>().message).toBe(
    `portable plugin update command error: plugin ${name} exited with code 4 before its handshake. ` +
      'Its error output: v2 is broken',
  );
  const after = await status(name);
  expect(after.status).toBe('running');
  expect(after.pid).not.toBe(before.pid);
  const call = await t.request('POST', `/manager/portables/${name}/functions/${fn}/call`, {
    args: ['still v1'],
  });
  expect(call.json()).toMatchObject({ ok: true, result: 'still v1' });
  await t.request('DELETE', `/plugins/portables/${name}`);
});

test('Try it called all through updates never makes an update fail, and then answers the new version', async () => {
  const name = uniqueName('busy');
  const fn = uniqueName('f');
  // Each version in its own folder: the zip's file name is the plugin's.
  const versions = await Promise.all(
    (['echo', 'reverse'] as const).map(async (behaviour) => {
      const folder = join(t.tempDir, `${name}-${behaviour}`);
      await mkdir(folder);
      return fileUrl(await writeNodePluginZip(folder, { name, functions: { [fn]: behaviour } }));
    }),
  );
  expect((await t.request('POST', '/plugins/portables', { name, file: versions[0] })).status).toBe(201);
  const call = () => t.request('POST', `/manager/portables/${name}/functions/${fn}/call`, { args: ['abc'] });
  let calling = true;
  let calls = 0;
  // A user clicking Call while develop mode reloads: calls land before, during and after each update's restart.
  const callers = Array.from({ length: 4 }, async () => {
    while (calling) {
      await call();
      calls++;
    }
  });
  try {
    for (let round = 1; round <= 8; round++) {
      const file = versions[round % 2];
      const updated = await t.request('PUT', `/plugins/portables/${name}`, { name, file });
      expect(updated.text, `round ${round}`).toBe(`portable plugin ${name} is updated`);
      expect((await call()).json(), `round ${round}`).toMatchObject({
        ok: true,
        result: round % 2 === 1 ? 'cba' : 'abc',
      });
    }
  } finally {
    calling = false;
    await Promise.all(callers);
  }
  expect(calls).toBeGreaterThan(8);
  expect((await status(name)).status).toBe('running');
  await t.request('DELETE', `/plugins/portables/${name}`);
});

test('a call waiting out a delete learns the plugin is gone instead of starting it again', async () => {
  const name = uniqueName('gone');
  const fn = uniqueName('f');
  const file = await zipUrl({ name, functions: { [fn]: 'echo' } });
  expect((await t.request('POST', '/plugins/portables', { name, file })).status).toBe(201);
  const { pid } = await status(name);
  const calls = Array.from({ length: 20 }, (_, index) =>
    new Promise((resolve) => setTimeout(resolve, index * 2)).then(() =>
      t.request('POST', `/manager/portables/${name}/functions/${fn}/call`, { args: ['x'] }),
    ),
  );
  const deleted = await t.request('DELETE', `/plugins/portables/${name}`);
  expect(deleted.text).toBe(`portable plugin ${name} is deleted`);
  const answers = await Promise.all(calls);
  for (const answer of answers) {
    // Answered before the delete, cut off with the process, or told the plugin is gone: never started again.
    if (answer.status !== 200)
      expect(answer.json<{ message: string }>().message, answer.text).toMatch(
        /is not installed|not found|is not running|is closed/,
      );
  }
  expect(answers.some((answer) => /is not installed|not found|is not running/.test(answer.text))).toBe(true);
  await waitFor(() => !isAlive(pid), 'the deleted plugin to end');
  expect((await t.request('GET', `/plugins/portables/${name}`)).status).toBe(404);
});

test('a control socket held by another program (a running eKuiper) is explained', async () => {
  const name = uniqueName('iu');
  const other = await RepSocket.listen(`ipc:///tmp/plugin_${name}.ipc`);
  try {
    const response = await t.request('POST', '/plugins/portables', {
      name,
      file: await zipUrl({ name, functions: { [uniqueName('f')]: 'echo' } }),
    });
    expect(response.status).toBe(400);
    expect(response.json<{ message: string }>().message).toBe(
      `portable plugin create command error: /tmp/plugin_${name}.ipc is in use by another program: is eKuiper or ` +
        `NeuronEX running with the plugin ${name} on this machine? Plugins dial fixed socket names, so only one ` +
        'host can run a plugin at a time: stop the other one, then restart the plugin here',
    );
  } finally {
    await other.close();
  }
});

test('the log follows as Server-Sent Events: the tail, then new lines', async () => {
  const name = uniqueName('lg');
  const sink = uniqueName('k');
  expect(
    (await t.request('POST', '/plugins/portables', { name, file: await zipUrl({ name, sinks: [sink] }) }))
      .status,
  ).toBe(201);
  const stopper = new AbortController();
  const response = await fetch(`${t.url}/manager/portables/${name}/log?follow=1`, { signal: stopper.signal });
  expect(response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
  const reader: ReadableStreamDefaultReader<Uint8Array> = response.body!.getReader();
  const decoder = new TextDecoder();
  let text = '';
  const readUntil = async (needle: string) => {
    while (!text.includes(needle)) {
      const { value, done } = await reader.read();
      if (done) throw new Error(`the log stream ended before ${needle}`);
      text += decoder.decode(value, { stream: true });
    }
  };
  try {
    await readUntil(`plugin ${name} starting`);
    await t.request('POST', `/manager/portables/${name}/sinks/${sink}/feed`, {
      rows: [{ marker: 'followed' }],
    });
    await readUntil('{\\"marker\\":\\"followed\\"}');
  } finally {
    stopper.abort();
  }
  await t.request('DELETE', `/plugins/portables/${name}`);
});

describe('host close', () => {
  test('ends every plugin process; the next start runs them again', async () => {
    const name = uniqueName('hc');
    expect(
      (
        await t.request('POST', '/plugins/portables', {
          name,
          file: await zipUrl({ name, functions: { [uniqueName('f')]: 'echo' } }),
        })
      ).status,
    ).toBe(201);
    const { pid } = await status(name);
    await t.restart();
    expect(isAlive(pid)).toBe(false);
    await waitFor(
      async () => (await status(name)).status === 'running',
      'the plugin to run after the restart',
    );
    expect((await status(name)).pid).not.toBe(pid);
  });
});

test('closing the host does not wait out a silent plugin: the start is abandoned and the process killed', async () => {
  const dataDir = await mkdtemp(join(tmpdir(), 'ekm-silent-'));
  const name = uniqueName('sl');
  const folder = join(dataDir, 'plugins/portable', name);
  await mkdir(folder, { recursive: true });
  const fn = uniqueName('f');
  await writeFile(
    join(folder, `${name}.json`),
    JSON.stringify({ version: '1', language: 'go', executable: 'run', functions: [fn] }),
  );
  await writeFile(join(folder, 'run'), await nodePluginScript(), { mode: 0o755 });
  await writeFile(join(folder, 'plugin-config.json'), JSON.stringify({ name, startup: { silent: true } }));
  // An init timeout far longer than the test may run: close must not wait for it.
  const host = await startHost({
    settings: { read: () => ({ ...defaultSettings(dataDir), restPort: 0, portableInitTimeoutMs: 600_000 }) },
  });
  let pid = 0;
  try {
    await waitFor(async () => {
      const answer = (await (await fetch(`${host.url}/plugins/portables/${name}/status`)).json()) as Status;
      pid = answer.pid;
      return answer.status === 'initializing' && pid > 0;
    }, 'the silent plugin to be starting');
    expect(isAlive(pid)).toBe(true);
  } finally {
    await host.close();
  }
  expect(isAlive(pid)).toBe(false);
  await rm(dataDir, { recursive: true, force: true });
});
