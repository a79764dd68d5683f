import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { confSettings } from '../../main/settings/conf-settings.js';
import { app, ipcMain, resetFakeElectron } from './fake-electron.js';

vi.mock('electron', async () => {
  const fake = await import('./fake-electron.js');
  return { ...fake, default: fake.default };
});

const { openSettingsStore } = await import('../../main/electron/settings-store.js');

let userData: string;
beforeEach(async () => {
  userData = await mkdtemp(join(tmpdir(), 'ekm-store-'));
  resetFakeElectron(userData);
});
afterEach(() => rm(userData, { recursive: true, force: true }));

describe('electron-store settings', () => {
  test('default to eKuiper defaults and a data folder in the app-data folder', () => {
    const settings = openSettingsStore().read();
    expect(settings).toMatchObject({ restHost: '127.0.0.1', restPort: 9081, token: '' });
    expect(settings.dataDir).toBe(join(app.getPath('userData'), 'ekuiper'));
  });

  test('share config.json with the headless host both ways', async () => {
    const store = openSettingsStore();
    await store.write!({ dataDir: '/opt/kuiper', restPort: 9090 });
    const stored = JSON.parse(await readFile(join(userData, 'config.json'), 'utf8')) as Record<
      string,
      unknown
    >;
    expect(stored).toMatchObject({ dataDir: '/opt/kuiper', restPort: 9090 });
    const headless = confSettings({}, userData);
    expect(headless.read()).toMatchObject({ dataDir: '/opt/kuiper', restPort: 9090 });
    await headless.write!({ ekuiperVersion: '2.2.0' });
    expect(openSettingsStore().read().ekuiperVersion).toBe('2.2.0');
  });

  test('an override for this run is read but never written', async () => {
    const store = openSettingsStore();
    store.overrideForThisRun({ restPort: 45678 });
    expect(store.read().restPort).toBe(45678);
    expect(store.overriddenKeys!()).toEqual(['restPort']);
    await store.write!({ token: 'abc' });
    const stored = JSON.parse(await readFile(join(userData, 'config.json'), 'utf8')) as Record<
      string,
      unknown
    >;
    expect(stored.restPort).toBe(9081);
    expect(stored.token).toBe('abc');
  });

  test('the schema refuses a hand-edited value of the wrong kind', async () => {
    await writeFile(join(userData, 'config.json'), JSON.stringify({ restPort: 70000 }));
    expect(() => openSettingsStore()).toThrow(/restPort/);
    await writeFile(join(userData, 'config.json'), JSON.stringify({ osFlavour: 'windows' }));
    expect(() => openSettingsStore()).toThrow(/osFlavour/);
    const store = (await writeFile(join(userData, 'config.json'), '{}'), openSettingsStore());
    expect(() => store.write!({ allowPrivateNetwork: 'yes' as unknown as boolean })).toThrow();
  });

  test("answers nothing on electron-store's own renderer channel", () => {
    openSettingsStore();
    expect(ipcMain.listenerCount('electron-store-get-data')).toBe(0);
  });
});
