import { cp, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { DevelopEvent, DevelopSession } from '../../../shared/develop-dto.js';
import { EventStreamReader } from '../../support/event-stream-reader.js';
import { startTestHost, type TestHost } from '../../support/host-harness.js';
import { uniqueName } from '../../support/node-plugin-bundle.js';
import { writeSdkFunctionFolder, type SdkFunctionFolder } from '../../support/python-sdk-plugin-folder.js';

/**
 * Develop mode on a Python plugin folder built on eKuiper's real SDK (with the tests' pynng stand-in): started
 * over REST, it installs the plugin; each save is packed with `packFolder` and updated in place, which Try it
 * answers; a save that breaks the plugin is refused and the last good version keeps answering.
 */

let t: TestHost;
let dev: SdkFunctionFolder;
let session: DevelopSession;
let events: EventStreamReader;
const stop = new AbortController();

beforeAll(async () => {
  t = await startTestHost({ portableInitTimeoutMs: 15_000 });
  dev = await writeSdkFunctionFolder(join(t.tempDir, uniqueName('dev')), uniqueName('answer'));
});
afterAll(async () => {
  stop.abort();
  await t.close();
});

const call = async (value: string) =>
  (
    await t.request('POST', `/manager/portables/${dev.plugin}/functions/${dev.function}/call`, {
      args: [value],
    })
  ).json<{ ok: boolean; result?: unknown; error?: string }>();

/** The next build's outcome after the events seen so far: `updated`, `unchanged` or `refused`. */
async function nextBuild(): Promise<DevelopEvent> {
  const seen = events.events.length;
  const found = await events.until(
    (event) =>
      events.events.indexOf(event) >= seen && ['updated', 'unchanged', 'refused'].includes(event.event),
  );
  return found.data as DevelopEvent;
}

describe('develop mode on a Python SDK plugin folder', () => {
  test('starting installs the plugin: 201 with the session and its first build; Try it answers', async () => {
    const response = await t.request('POST', '/manager/develop', { folder: dev.folder });
    expect(response.status).toBe(201);
    session = response.json<DevelopSession>();
    expect(session).toMatchObject({
      folder: dev.folder,
      plugin: dev.plugin,
      kind: 'portables',
      state: 'running',
      builds: 1,
      lastBuild: { result: 'installed', version: 'v1.0.0', changed: [] },
    });
    expect(session.runningSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(session.lastBuild?.sha256).toBe(session.runningSha256);
    expect(await call('x')).toMatchObject({ ok: true, result: 'v1 x' });
    events = await EventStreamReader.follow(`${t.url}/manager/develop/${session.id}/events`, stop.signal);
    // A stream opened late starts with what happened so far.
    const first = await events.until((event) => event.event === 'updated');
    expect(first.data).toMatchObject({ result: 'installed', sha256: session.runningSha256 });
  });

  test('a good save is packed and updated in place: Try it answers the new result', async () => {
    await dev.saveAnswer('v2 ');
    const build = await nextBuild();
    expect(build).toMatchObject({ type: 'updated', result: 'updated', changed: ['answer.py'] });
    if (build.type !== 'updated') throw new Error('expected an update');
    expect(build.sha256).not.toBe(session.runningSha256);
    expect(build.runningSha256).toBe(build.sha256);
    expect(build.metadataChanged).toBe(false);
    expect(await call('x')).toMatchObject({ ok: true, result: 'v2 x' });
    const building = events.events.filter((event) => event.event === 'building');
    expect(building.at(-1)?.data).toMatchObject({ changed: ['answer.py'] });
  });

  test('a save with a syntax error is refused in the host words; the last good version keeps answering', async () => {
    const running = (await t.request('GET', `/manager/develop/${session.id}`)).json<DevelopSession>();
    await dev.save('answer.py', 'def answer(value:\n    return value\n');
    const build = await nextBuild();
    expect(build.type).toBe('refused');
    if (build.type !== 'refused') throw new Error('expected a refusal');
    expect(build.problem).toContain('portable plugin update command error');
    expect(build.problem).toContain('SyntaxError');
    expect(build.runningSha256).toBe(running.runningSha256);
    expect(build.sha256).not.toBe(running.runningSha256);
    expect(await call('x')).toMatchObject({ ok: true, result: 'v2 x' });
    const now = (await t.request('GET', `/manager/develop/${session.id}`)).json<DevelopSession>();
    expect(now).toMatchObject({ state: 'refused', runningSha256: running.runningSha256 });
  });

  test('putting the running content back changes nothing: unchanged, no update', async () => {
    const before = (await t.request('GET', `/manager/plugins/portables/${dev.plugin}`)).json<{
      record: { installedAt: string };
    }>();
    await dev.saveAnswer('v2 ');
    const build = await nextBuild();
    expect(build).toMatchObject({ type: 'unchanged', result: 'unchanged' });
    const after = (await t.request('GET', `/manager/plugins/portables/${dev.plugin}`)).json<{
      record: { installedAt: string };
    }>();
    expect(after.record.installedAt).toBe(before.record.installedAt);
    expect(await call('x')).toMatchObject({ ok: true, result: 'v2 x' });
  });

  test('a manifest problem is refused by packaging, with its fix; the old version keeps answering', async () => {
    const manifest = join(dev.folder, `${dev.plugin}.json`);
    await writeFile(
      manifest,
      JSON.stringify({
        version: 'v1.0.1',
        language: 'ruby',
        executable: 'main.py',
        functions: [dev.function],
      }),
    );
    const build = await nextBuild();
    expect(build.type).toBe('refused');
    if (build.type !== 'refused') throw new Error('expected a refusal');
    expect(build.problem).toContain("language 'ruby' is not supported");
    expect(build.problems[0]?.fix).toBeTruthy();
    expect(build.sha256).toBeUndefined();
    expect(await call('x')).toMatchObject({ ok: true, result: 'v2 x' });
    await writeFile(
      manifest,
      JSON.stringify({
        version: 'v1.0.1',
        language: 'python',
        executable: 'main.py',
        functions: [dev.function],
      }),
    );
    expect(await nextBuild()).toMatchObject({ type: 'updated', version: 'v1.0.1' });
  });

  test('editing a metadata JSON updates the plugin and says so: the describe view reads the new text', async () => {
    await dev.saveDescription('A second description');
    const build = await nextBuild();
    expect(build).toMatchObject({
      type: 'updated',
      metadataChanged: true,
      changed: [`functions/${dev.function}.json`],
    });
    const metadata = (await t.request('GET', `/manager/plugins/portables/${dev.plugin}/metadata`)).json<{
      functions: Record<string, { about: { description: { en_US: string } } }>;
    }>();
    expect(metadata.functions[dev.function]?.about.description.en_US).toBe('A second description');
  });

  test('saves where packaging looks away (caches, editor files) start no build', async () => {
    const builds = (await t.request('GET', `/manager/develop/${session.id}`)).json<DevelopSession>().builds;
    await dev.save('.answer.py.swp', 'swap');
    await dev.save('notes~', 'backup');
    await cp(join(dev.folder, 'ekuiper'), join(dev.folder, '__pycache__'), { recursive: true });
    // Well past the debounce: a build would have started.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect((await t.request('GET', `/manager/develop/${session.id}`)).json<DevelopSession>().builds).toBe(
      builds,
    );
  });

  test('a second session on the same folder, or on the same plugin from another folder, is refused', async () => {
    const same = await t.request('POST', '/manager/develop', { folder: dev.folder });
    expect(same.status).toBe(400);
    expect(same.json()).toEqual({
      error: 1000,
      message: `the folder ${dev.folder} is already being developed (session ${session.id}); stop that session first`,
    });
    const copy = join(t.tempDir, 'copy', dev.plugin);
    await cp(dev.folder, copy, { recursive: true });
    const other = await t.request('POST', '/manager/develop', { folder: copy });
    expect(other.status).toBe(400);
    expect(other.json<{ message: string }>().message).toBe(
      `the plugin ${dev.plugin} is already being developed from ${dev.folder} (session ${session.id}); stop that session first`,
    );
    const list = (await t.request('GET', '/manager/develop')).json<DevelopSession[]>();
    expect(list.map((entry) => entry.id)).toEqual([session.id]);
  });

  test('stopping ends the stream with stopped and watching: later saves change nothing', async () => {
    const response = await t.request('DELETE', `/manager/develop/${session.id}`);
    expect(response.status).toBe(200);
    expect(response.json()).toMatchObject({ id: session.id, state: 'stopped' });
    const stopped = await events.until((event) => event.event === 'stopped');
    expect(stopped.data).toMatchObject({ type: 'stopped', reason: 'requested' });
    await dev.saveAnswer('v3 ');
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(await call('x')).toMatchObject({ ok: true, result: 'v2 x' });
    expect((await t.request('GET', `/manager/develop/${session.id}`)).status).toBe(404);
    expect((await t.request('GET', '/manager/develop')).json()).toEqual([]);
  });

  test('a session that starts on a broken folder is listed as refused and installs once it is fixed', async () => {
    await dev.save('answer.py', 'def answer(value:\n');
    const started = await t.request('POST', '/manager/develop', { folder: dev.folder });
    expect(started.status).toBe(201);
    const broken = started.json<DevelopSession>();
    expect(broken).toMatchObject({ state: 'refused', lastBuild: { result: 'refused' } });
    expect(broken.lastBuild?.problem).toContain('SyntaxError');
    const stream = await EventStreamReader.follow(
      `${t.url}/manager/develop/${broken.id}/events`,
      stop.signal,
    );
    await dev.saveAnswer('v4 ');
    await stream.until((event) => event.event === 'updated');
    expect(await call('x')).toMatchObject({ ok: true, result: 'v4 x' });
    // The host closing stops the session: its stream says so before it ends.
    await t.restart();
    const end = await stream.until((event) => event.event === 'stopped');
    expect(end.data).toMatchObject({ reason: 'host-closing' });
    expect((await t.request('GET', '/manager/develop')).json()).toEqual([]);
  });
});
