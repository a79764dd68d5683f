import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { HostStartError, startHost, type RunningHost } from '../../main/host/host.js';
import { findFreePort, isPortFree, startHostAskingOnConflict } from '../../main/electron/host-startup.js';
import { defaultSettings, type HostSettings } from '../../main/settings/host-settings.js';

let dataDir: string;
let blocker: Server | undefined;
let running: RunningHost | undefined;

beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'ekm-startup-'));
});
afterEach(async () => {
  await running?.close();
  running = undefined;
  await new Promise((resolve) => blocker?.close(resolve) ?? resolve(undefined));
  blocker = undefined;
  await rm(dataDir, { recursive: true, force: true });
});

/** Settings with a per-run override, as the app's store has. */
function settingsOn(port: number) {
  const stored: HostSettings = { ...defaultSettings(dataDir), restPort: port };
  const overrides: Partial<HostSettings> = {};
  return {
    read: (): HostSettings => ({ ...stored, ...overrides }),
    overrideForThisRun: (patch: Partial<HostSettings>) => Object.assign(overrides, patch),
  };
}

async function block(port: number): Promise<void> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen({ host: '127.0.0.1', port }, resolve));
  blocker = server;
}

describe('port probing', () => {
  test('tells a taken port from a free one', async () => {
    const port = await findFreePort('127.0.0.1');
    expect(await isPortFree('127.0.0.1', port)).toBe(true);
    await block(port);
    expect(await isPortFree('127.0.0.1', port)).toBe(false);
  });
});

describe('start-up with a taken port', () => {
  test('asks once, then starts a real host on the free port it offered', async () => {
    const taken = await findFreePort('127.0.0.1');
    await block(taken);
    const settings = settingsOn(taken);
    const ask = vi.fn(() => Promise.resolve('use-other-port' as const));
    const explain = vi.fn(() => Promise.resolve());
    running = await startHostAskingOnConflict({
      settings,
      start: () => startHost({ settings }),
      askAboutTakenPort: ask,
      explainStartFailure: explain,
    });
    expect(ask).toHaveBeenCalledTimes(1);
    const [askedPort, offered] = ask.mock.calls[0] as unknown as [number, number];
    expect(askedPort).toBe(taken);
    expect(running?.port).toBe(offered);
    expect((await fetch(`${running!.url}/ping`)).status).toBe(200);
    expect(explain).not.toHaveBeenCalled();
  });

  test('quitting starts nothing', async () => {
    const taken = await findFreePort('127.0.0.1');
    await block(taken);
    const settings = settingsOn(taken);
    const start = vi.fn(() => startHost({ settings }));
    const result = await startHostAskingOnConflict({
      settings,
      start,
      askAboutTakenPort: () => Promise.resolve('quit' as const),
      explainStartFailure: () => Promise.resolve(),
    });
    expect(result).toBeUndefined();
    expect(start).not.toHaveBeenCalled();
  });

  test('a port taken between the check and the start is asked about again', async () => {
    const first = await findFreePort('127.0.0.1');
    const settings = settingsOn(first);
    let calls = 0;
    const start = vi.fn(async () => {
      calls++;
      // Another program grabs the port right after the check.
      if (calls === 1) await block(settings.read().restPort);
      return startHost({ settings });
    });
    const ask = vi.fn(() => Promise.resolve('use-other-port' as const));
    running = await startHostAskingOnConflict({
      settings,
      start,
      askAboutTakenPort: ask,
      explainStartFailure: () => Promise.resolve(),
    });
    expect(ask).toHaveBeenCalledTimes(1);
    expect(running?.port).not.toBe(first);
    expect((await fetch(`${running!.url}/ping`)).status).toBe(200);
  });

  test('other failures are explained with the host’s own words', async () => {
    const settings = settingsOn(await findFreePort('127.0.0.1'));
    const explain = vi.fn(() => Promise.resolve());
    const result = await startHostAskingOnConflict({
      settings,
      start: () => Promise.reject(new HostStartError('data folder in use by another host')),
      askAboutTakenPort: () => Promise.resolve('quit' as const),
      explainStartFailure: explain,
    });
    expect(result).toBeUndefined();
    expect(explain).toHaveBeenCalledWith('data folder in use by another host');
    await startHostAskingOnConflict({
      settings,
      start: () => Promise.reject(new Error('EACCES')),
      askAboutTakenPort: () => Promise.resolve('quit' as const),
      explainStartFailure: explain,
    });
    expect(explain).toHaveBeenLastCalledWith('the plugin host could not start: EACCES');
  });
});
