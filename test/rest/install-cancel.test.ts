import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { snapshotTree } from '../support/data-snapshot.js';
import { fileUrl, startTestHost, type TestHost } from '../support/host-harness.js';
import { uniqueName, writeNodePluginZip } from '../support/node-plugin-bundle.js';
import { isAlive, waitFor } from '../support/process-helpers.js';
import { writeZip } from './rest-helpers.js';

/**
 * An install whose client goes away (a script's timeout, the window's Cancel) is abandoned: the plugin's process
 * is stopped, its files rolled back, and the data folder is as it was. The plugin here never calls its control
 * channel, so without the abandonment the host would wait out the whole (60 s) init timeout.
 */

let t: TestHost;
beforeAll(async () => {
  t = await startTestHost({ portableInitTimeoutMs: 60_000 });
  // A plugin that runs, so the data folder already holds the host's runtime state (logs, process records).
  const name = uniqueName('ok');
  const zip = await writeNodePluginZip(t.tempDir, { name, functions: { [uniqueName('f')]: 'echo' } });
  expect((await t.request('POST', '/plugins/portables', { name, file: fileUrl(zip) })).status).toBe(201);
});
afterAll(async () => {
  await t.close();
});

/** The process ids whose command line runs a program from the plugin's folder in this host's data folder. */
function pluginProcesses(name: string): number[] {
  const folder = `${t.dataDir}/plugins/portable/${name}/`;
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes(folder)) pids.push(Number(entry));
    } catch {
      // Ended meanwhile.
    }
  }
  return pids;
}

/**
 * What is installed: the data folder without `plugins/.runtime/`, whose logs and process records say what
 * happened, abandoned installs included.
 */
async function installedState(): Promise<Record<string, string>> {
  const tree = await snapshotTree(t.dataDir);
  return Object.fromEntries(Object.entries(tree).filter(([path]) => !path.startsWith('plugins/.runtime/')));
}

const sameState = async (before: Record<string, string>) =>
  JSON.stringify(await installedState()) === JSON.stringify(before);

/**
 * Sends the request, waits until a new process of the plugin runs (not `running`, the version in place), then
 * hangs up; answers the new process's id.
 */
async function abandonWhileStarting(
  method: 'POST' | 'PUT',
  path: string,
  name: string,
  file: string,
  running?: number,
) {
  const client = new AbortController();
  const answer = fetch(`${t.url}${path}`, {
    method,
    body: JSON.stringify({ name, file }),
    signal: client.signal,
  }).then(
    (response) => `answered ${response.status}`,
    (error: unknown) => (error as Error).name,
  );
  let pids: number[] = [];
  await waitFor(
    () => (pids = pluginProcesses(name).filter((pid) => pid !== running)).length > 0,
    'the plugin process to start',
  );
  client.abort();
  expect(await answer).toBe('AbortError');
  return pids[0]!;
}

function readFileIfThere(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

const names = async () =>
  (await t.request('GET', '/plugins/portables')).json<Array<{ name: string }>>().map((plugin) => plugin.name);

describe('the client goes away while the plugin starts', () => {
  test('create: the process is stopped, nothing is installed, the data folder is unchanged', async () => {
    const name = uniqueName('gone');
    const zip = await writeNodePluginZip(t.tempDir, {
      name,
      functions: { [uniqueName('f')]: 'echo' },
      startup: { silent: true },
    });
    const before = await snapshotTree(t.dataDir);
    const pid = await abandonWhileStarting('POST', '/plugins/portables', name, fileUrl(zip));
    await waitFor(() => !isAlive(pid), 'the abandoned plugin process to end');
    await waitFor(
      async () => JSON.stringify(await snapshotTree(t.dataDir)) === JSON.stringify(before),
      'the rollback',
    );
    expect(await snapshotTree(t.dataDir)).toEqual(before);
    expect(await names()).not.toContain(name);
    expect((await t.request('GET', `/plugins/portables/${name}/status`)).status).toBe(404);
  });

  test('update: the new version is abandoned, the old one runs again, unchanged', async () => {
    const name = uniqueName('upd');
    const fn = uniqueName('f');
    const good = await writeNodePluginZip(t.tempDir, { name, functions: { [fn]: 'echo' }, version: '1.0.0' });
    expect((await t.request('POST', '/plugins/portables', { name, file: fileUrl(good) })).status).toBe(201);
    // Same path: the first zip is installed already, the host keeps no reference to it.
    const silent = await writeNodePluginZip(t.tempDir, {
      name,
      functions: { [fn]: 'echo' },
      version: '2.0.0',
      startup: { silent: true },
    });
    // The old version keeps running until the new one takes over.
    const oldPid = (await t.request('GET', `/plugins/portables/${name}/status`)).json<{ pid: number }>().pid;
    const before = await installedState();
    const newPid = await abandonWhileStarting(
      'PUT',
      `/plugins/portables/${name}`,
      name,
      fileUrl(silent),
      oldPid,
    );
    await waitFor(() => !isAlive(newPid), 'the abandoned new version to end');
    await waitFor(async () => await sameState(before), 'the rollback');
    await waitFor(
      async () =>
        (await t.request('GET', `/plugins/portables/${name}/status`)).json<{ status: string }>().status ===
        'running',
      'the old version to run again',
    );
    expect((await t.request('GET', `/plugins/portables/${name}`)).json()).toMatchObject({ version: '1.0.0' });
    const call = await t.request('POST', `/manager/portables/${name}/functions/${fn}/call`, {
      args: ['back'],
    });
    expect(call.json()).toMatchObject({ ok: true, result: 'back' });
  });
});

describe("the client goes away during a native plugin's install.sh", () => {
  test('the script is stopped with its process group, nothing is installed, the data folder is unchanged', async () => {
    const pidFile = join(t.tempDir, 'cancelled-script.pid');
    const zip = await writeZip(t.tempDir, 'slowsink.zip', [
      { name: 'Slowsink.so', data: 'library of slowsink' },
      { name: 'install.sh', data: 'sleep 60 &\necho $! > "$1"\nwait\n' },
    ]);
    const before = await snapshotTree(t.dataDir);
    const client = new AbortController();
    const answer = fetch(`${t.url}/plugins/sinks`, {
      method: 'POST',
      body: JSON.stringify({ name: 'slowsink', file: fileUrl(zip), shellParas: [pidFile] }),
      signal: client.signal,
    }).catch((error: unknown) => (error as Error).name);
    let sleeper = 0;
    await waitFor(() => {
      sleeper = Number(readFileIfThere(pidFile));
      return sleeper > 0;
    }, 'install.sh to start');
    client.abort();
    expect(await answer).toBe('AbortError');
    await waitFor(() => !isAlive(sleeper), "the script's child to be stopped");
    await waitFor(
      async () => JSON.stringify(await snapshotTree(t.dataDir)) === JSON.stringify(before),
      'the staging to be dropped',
    );
    expect((await t.request('GET', '/plugins/sinks')).json()).not.toContain('slowsink');
  });
});
