import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { HostStartError, startHost, type RunningHost } from '../../main/host/host.js';
import { defaultSettings, type HostSettings } from '../../main/settings/host-settings.js';

let tempDir: string;
const started: RunningHost[] = [];

beforeEach(async () => {
  tempDir = await mkdtemp(join(tmpdir(), 'ekm-lock-'));
});
afterEach(async () => {
  for (const host of started.splice(0)) await host.close();
  await rm(tempDir, { recursive: true, force: true });
});

function settings(): HostSettings {
  return { ...defaultSettings(join(tempDir, 'data')), restPort: 0 };
}

async function start(): Promise<RunningHost> {
  const current = settings();
  const host = await startHost({ settings: { read: () => current } });
  started.push(host);
  return host;
}

test('a second host on the same data folder refuses to start and names the process holding it', async () => {
  await start();
  const second = startHost({ settings: { read: settings } });
  await expect(second).rejects.toBeInstanceOf(HostStartError);
  await expect(second).rejects.toThrow(
    `in use by another eKuiper Extension Manager host (process ${process.pid})`,
  );
});

test('once the first host closes, the folder is free again', async () => {
  const first = await start();
  await first.close();
  started.splice(started.indexOf(first), 1);
  const second = await start();
  expect((await fetch(`${second.url}/ping`)).status).toBe(200);
});

test('a lock left by a crashed host is taken over', async () => {
  const first = await start();
  await first.close();
  started.splice(0);
  // A pid that cannot be running: what a host killed with -9 leaves behind, after its process is gone.
  await writeFile(join(tempDir, 'data/plugins/.host.lock'), JSON.stringify({ pid: 2 ** 22 + 7 }));
  const host = await start();
  expect((await fetch(`${host.url}/ping`)).status).toBe(200);
});
