import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { HostStartError, startHost } from '../../main/host/host.js';
import { snapshotTree } from '../support/data-snapshot.js';
import { fileUrl, startTestHost } from '../support/host-harness.js';
import { buildZip, type TestZipEntry } from '../support/zip-writer.js';

const PROJECT = resolve(import.meta.dirname, '../..');
const SERVE = join(PROJECT, 'main/host/serve.ts');
const NAME = 'big';

interface Served {
  child: ChildProcess;
  url: string;
  exited: Promise<void>;
}

let tempDir: string;
let bigZip: string;
const running: ChildProcess[] = [];

beforeAll(async () => {
  tempDir = await mkdtemp(join(tmpdir(), 'ekm-crash-'));
  // A ~50 MB source plugin: 25 incompressible files under etc/ (each placed twice, in etc/ and data/),
  // and an install.sh that takes a moment, so a kill can land while extracting, scripting or committing.
  const entries: TestZipEntry[] = [
    { name: 'Big@v1.0.0.so', data: 'library' },
    { name: `${NAME}.yaml`, data: 'default:\n  interval: 1000\n' },
    { name: `${NAME}.json`, data: '{"about":{"trial":false}}' },
    { name: 'install.sh', data: 'sleep 0.3\nmkdir -p lib && echo ok > lib/ready\n' },
  ];
  for (let i = 0; i < 25; i++) {
    entries.push({ name: `etc/model/part${i}.bin`, data: randomBytes(2 * 1024 * 1024), method: 'store' });
  }
  bigZip = join(tempDir, 'big.zip');
  await writeFile(bigZip, buildZip(entries));
});
afterAll(async () => {
  for (const child of running.splice(0))
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  await rm(tempDir, { recursive: true, force: true });
});

/** Starts the real headless host in its own process, over `dataDir`, with settings kept in the temp folder. */
async function serve(dataDir: string): Promise<Served> {
  const child = spawn(process.execPath, ['--import', 'tsx', SERVE, '--port', '0', '--data-dir', dataDir], {
    cwd: PROJECT,
    env: { ...process.env, XDG_CONFIG_HOME: join(tempDir, 'config'), EKUIPER_MANAGER_TOKEN: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.push(child);
  const exited = new Promise<void>((done) => child.on('exit', () => done()));
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  const deadline = Date.now() + 45_000;
  for (;;) {
    const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
    if (match !== null) return { child, url: match[1]!, exited };
    if (child.exitCode !== null || Date.now() > deadline)
      throw new Error(`the host did not start:\n${output}`);
    await sleep(20);
  }
}

async function install(host: Served): Promise<number> {
  const response = await fetch(`${host.url}/plugins/sources`, {
    method: 'POST',
    body: JSON.stringify({ name: NAME, file: fileUrl(bigZip) }),
  });
  await response.text();
  return response.status;
}

async function get(host: Served, path: string): Promise<{ status: number; text: string }> {
  const response = await fetch(`${host.url}${path}`);
  return { status: response.status, text: await response.text() };
}

const RECORD = `plugins/.meta/sources/${NAME}.json`;

/** The data folder without the host's lock file, which names whichever process holds the folder now. */
async function dataState(dataDir: string): Promise<Record<string, string>> {
  const state = await snapshotTree(dataDir);
  delete state['plugins/.host.lock'];
  return state;
}

/** The installed state must match a complete install exactly; only the record's install time may differ. */
async function expectWhollyInstalled(dataDir: string, installed: Record<string, string>): Promise<void> {
  const state = await dataState(dataDir);
  expect(Object.keys(state).sort()).toEqual(Object.keys(installed).sort());
  for (const [path, hash] of Object.entries(installed))
    if (path !== RECORD) expect(state[path], path).toBe(hash);
  const record = JSON.parse(await readFile(join(dataDir, RECORD), 'utf8')) as Record<string, unknown>;
  expect(record).toMatchObject({ kind: 'sources', name: NAME, zipBytes: (await readFile(bigZip)).length });
}

describe('kill -9 in the middle of an install', () => {
  test('after the restart the plugin is wholly installed or wholly absent, and nothing stray remains', async () => {
    const dataDir = join(tempDir, 'kill9');
    let host = await serve(dataDir);
    const empty = await dataState(dataDir);

    // Reference run: how long a complete install takes, and what it leaves.
    const started = Date.now();
    expect(await install(host)).toBe(201);
    const installTime = Date.now() - started;
    const installed = await dataState(dataDir);
    const ownFiles = Object.keys(installed).filter((path) => !(path in empty));
    // Each of the 25 model files is placed twice, under etc/sources/big/ and data/sources/big/.
    expect(ownFiles.filter((path) => path.endsWith('.bin'))).toHaveLength(50);
    expect((await get(host, '/plugins/sources/big')).text).toBe('{"name":"big","version":"1.0.0"}');
    expect((await get(host, `/plugins/sources/${NAME}`)).status).toBe(200);
    expect((await fetch(`${host.url}/plugins/sources/${NAME}`, { method: 'DELETE' })).status).toBe(200);
    expect(await dataState(dataDir)).toEqual(empty);

    const outcomes: Array<{
      delay: number;
      answer: number | 'cut off';
      midInstall: boolean;
      listed: boolean;
    }> = [];
    // Kills spread from the first moment to past the reference install time, and a last one right after the
    // answer: under load an install can take longer than the reference, and an acknowledged one must stay.
    const runs = 8;
    for (let run = 0; run < runs; run++) {
      const last = run === runs - 1;
      const delay = last ? 0 : Math.round((run / (runs - 2)) * installTime * 1.2);
      const answer = install(host).catch(() => 'cut off' as const);
      if (last) expect(await answer).toBe(201);
      else await sleep(delay);
      host.child.kill('SIGKILL');
      await host.exited;
      const settled = await answer;
      const midInstall = (await readdir(join(dataDir, 'plugins/.staging'))).length > 0;

      host = await serve(dataDir);
      const listed = (await get(host, '/plugins/sources')).text.includes(`"${NAME}"`);
      const label = `run ${run}: killed ${last ? 'right after the answer' : `after ${delay} ms`}, answer ${settled}`;
      for (const area of ['plugins', 'etc', 'data']) {
        expect(await readdir(join(dataDir, area, '.staging')), `${label}, ${area}/.staging`).toEqual([]);
      }
      // An install that was acknowledged is never lost.
      if (settled === 201) expect(listed, label).toBe(true);
      if (listed) {
        await expectWhollyInstalled(dataDir, installed);
        expect((await get(host, `/plugins/sources/${NAME}`)).text).toBe('{"name":"big","version":"1.0.0"}');
        expect((await fetch(`${host.url}/plugins/sources/${NAME}`, { method: 'DELETE' })).status).toBe(200);
      } else {
        expect((await get(host, `/plugins/sources/${NAME}`)).status, label).toBe(404);
      }
      expect(await dataState(dataDir), label).toEqual(empty);
      outcomes.push({ delay, answer: settled, midInstall, listed });
    }
    host.child.kill('SIGTERM');
    await host.exited;
    // The kills really landed on both sides of the commit, and some in the middle of an install.
    expect(
      outcomes.some((outcome) => outcome.listed),
      JSON.stringify(outcomes),
    ).toBe(true);
    expect(
      outcomes.some((outcome) => !outcome.listed && outcome.midInstall),
      JSON.stringify(outcomes),
    ).toBe(true);
  }, 240_000);
});

describe('a second host on the same data folder', () => {
  test('one that fails to start because the port is taken leaves the running host’s install alone', async () => {
    const t = await startTestHost();
    try {
      const zip = join(t.tempDir, 'slow.zip');
      await writeFile(
        zip,
        buildZip([
          { name: 'Slow.so', data: 'library' },
          { name: 'slow.yaml', data: 'default: {}\n' },
          { name: 'install.sh', data: 'sleep 1\n' },
        ]),
      );
      const installing = t.request('POST', '/plugins/sources', { name: 'slow', file: fileUrl(zip) });
      // Wait until the install is staged and its script runs.
      const staging = join(t.dataDir, 'plugins/.staging');
      for (let i = 0; i < 200 && (await readdir(staging)).length === 0; i++) await sleep(10);
      expect(await readdir(staging)).toHaveLength(1);
      await sleep(200);

      // Someone starts the app again, or `npm run serve`, on the same port and folder.
      const second = startHost({ settings: { read: () => ({ ...t.settings, restPort: t.host.port }) } });
      await expect(second).rejects.toBeInstanceOf(HostStartError);
      await expect(second).rejects.toThrow(/already in use/);

      const response = await installing;
      expect(response.text).toBe('sources plugin slow is created');
      expect(response.status).toBe(201);
      expect((await t.request('GET', '/plugins/sources/slow')).status).toBe(200);
      expect(await readdir(join(t.dataDir, 'plugins/sources'))).toEqual(['Slow.so']);
      expect(await readdir(staging)).toEqual([]);
    } finally {
      await t.close();
    }
  }, 60_000);
});

describe('what a killed host leaves running', () => {
  test('an install.sh still running when the host was killed is stopped at the next start', async () => {
    const dataDir = join(tempDir, 'orphan-script');
    const pidFile = join(tempDir, 'orphan-sleep.pid');
    const zip = join(tempDir, 'slow-script.zip');
    await writeFile(
      zip,
      buildZip([
        { name: 'Slow.so', data: 'library' },
        { name: 'slow.yaml', data: 'default: {}\n' },
        // The script starts a long child in its process group and records its pid, then waits on it.
        { name: 'install.sh', data: `sleep 60 &\necho $! > "$1"\nwait\n` },
      ]),
    );
    let host = await serve(dataDir);
    const answer = fetch(`${host.url}/plugins/sources`, {
      method: 'POST',
      body: JSON.stringify({ name: 'slow', file: fileUrl(zip), shellParas: [pidFile] }),
    }).catch(() => 'cut off' as const);
    let sleepPid = NaN;
    for (let waited = 0; Number.isNaN(sleepPid) && waited < 20_000; waited += 50) {
      await sleep(50);
      sleepPid = Number((await readFile(pidFile, 'utf8').catch(() => '')).trim() || NaN);
    }
    expect(Number.isInteger(sleepPid)).toBe(true);
    host.child.kill('SIGKILL');
    await host.exited;
    await answer;
    // The script's process group outlives the host…
    expect(isRunning(sleepPid)).toBe(true);
    host = await serve(dataDir);
    // …until the next start stops it, and nothing of the install remains.
    for (let waited = 0; isRunning(sleepPid) && waited < 30_000; waited += 50) await sleep(50);
    expect(isRunning(sleepPid)).toBe(false);
    expect((await get(host, '/plugins/sources/slow')).status).toBe(404);
    for (const area of ['plugins', 'etc', 'data'])
      expect(await readdir(join(dataDir, area, '.staging'))).toEqual([]);
    host.child.kill('SIGTERM');
    await host.exited;
  }, 120_000);
});

/** Whether a process runs; a killed one waiting to be reaped (a zombie) does not. */
function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
}
