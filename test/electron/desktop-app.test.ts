import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import type { MenuItemConstructorOptions } from 'electron';
import { TEST_ZIPS } from '../support/host-harness.js';
import {
  FakeBrowserWindow,
  app,
  dialog,
  ipcMain,
  Menu,
  preventableEvent,
  resetFakeElectron,
  session,
  shell,
} from './fake-electron.js';

vi.mock('electron', async () => {
  const fake = await import('./fake-electron.js');
  return { ...fake, default: fake.default };
});

const { runDesktopApp } = await import('../../main/electron/desktop-app.js');
const { findFreePort } = await import('../../main/electron/host-startup.js');

let userData: string;
let dataDir: string;

/** How long to wait for the app to react: generous, because a loaded machine may be slow; nothing is timed. */
const PATIENCE = { timeout: 25_000, interval: 20 };

beforeEach(async () => {
  userData = await mkdtemp(join(tmpdir(), 'ekm-app-'));
  dataDir = join(userData, 'data');
  resetFakeElectron(userData);
  vi.spyOn(console, 'log').mockImplementation(() => {});
});

afterEach(async () => {
  await quitApp();
  vi.restoreAllMocks();
  await rm(userData, { recursive: true, force: true });
});

/** Quits as the user would and waits until the app has let the quit through (the host is then closed). */
async function quitApp(): Promise<void> {
  if (app.quitting) return;
  app.quit();
  await vi.waitFor(() => expect(app.quitting).toBe(true), PATIENCE);
}

/** Writes config.json as the user (or the headless host) would, then starts the app. */
async function startApp(settings: Record<string, unknown> = {}): Promise<void> {
  const port = await findFreePort('127.0.0.1');
  await writeFile(join(userData, 'config.json'), JSON.stringify({ restPort: port, dataDir, ...settings }));
  await runDesktopApp();
}

function onlyWindow(): FakeBrowserWindow {
  const windows = FakeBrowserWindow.getAllWindows();
  expect(windows).toHaveLength(1);
  return windows[0]!;
}

async function listen(port: number): Promise<Server> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen({ host: '127.0.0.1', port }, resolve));
  return server;
}

/** An IPC event as it arrives from the main frame of `window` showing `url`. */
function eventFrom(window: FakeBrowserWindow, url = window.loadedUrl!) {
  return {
    sender: window.webContents,
    senderFrame: { url, parent: null },
    returnValue: undefined as unknown,
  };
}

function menuItem(id: string): MenuItemConstructorOptions | undefined {
  const search = (items: MenuItemConstructorOptions[]): MenuItemConstructorOptions | undefined => {
    for (const item of items) {
      if (item.id === id) return item;
      if (Array.isArray(item.submenu)) {
        const found = search(item.submenu);
        if (found !== undefined) return found;
      }
    }
    return undefined;
  };
  return search((Menu.current as { template: MenuItemConstructorOptions[] }).template);
}

function clickMenu(id: string): void {
  const item = menuItem(id);
  expect(item, `menu item ${id}`).toBeDefined();
  (item!.click as () => void)();
}

describe('start-up', () => {
  test('starts the host from config.json and opens one secure window on its URL', async () => {
    await startApp();
    const window = onlyWindow();
    const config = JSON.parse(await readFile(join(userData, 'config.json'), 'utf8')) as { restPort: number };
    expect(window.loadedUrl).toBe(`http://127.0.0.1:${config.restPort}`);
    expect((await fetch(`${window.loadedUrl}/ping`)).status).toBe(200);
    const preferences = window.options.webPreferences as Record<string, unknown>;
    expect(preferences).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webviewTag: false,
      webSecurity: true,
    });
    expect(String(preferences.preload)).toMatch(/preload[\\/]index\.cjs$/);
    // The guards are on the window's contents and every permission is refused.
    expect(window.webContents.windowOpenHandler?.({ url: 'https://example.com/' })).toEqual({
      action: 'deny',
    });
    const answer = vi.fn();
    session.defaultSession.permissionRequestHandler?.(...([null, 'media', answer] as never[]));
    expect(answer).toHaveBeenCalledWith(false);
    // electron-store's own channel would answer any renderer; both stores leave it unregistered.
    expect(ipcMain.listenerCount('electron-store-get-data')).toBe(0);
  });

  test('a second instance quits at once and starts no host', async () => {
    app.gotLock = false;
    const port = await findFreePort('127.0.0.1');
    await writeFile(join(userData, 'config.json'), JSON.stringify({ restPort: port, dataDir }));
    await runDesktopApp();
    expect(app.quit).toHaveBeenCalled();
    expect(FakeBrowserWindow.getAllWindows()).toHaveLength(0);
    expect(existsSync(dataDir)).toBe(false);
    await expect(fetch(`http://127.0.0.1:${port}/ping`)).rejects.toThrow();
  });

  test('a second launch brings the first window back', async () => {
    await startApp();
    const window = onlyWindow();
    window.minimized = true;
    app.emit('second-instance', preventableEvent(), [], userData);
    expect(window.restore).toHaveBeenCalled();
    expect(window.show).toHaveBeenCalled();
    expect(window.focus).toHaveBeenCalled();
  });

  test('settings that do not match the schema are explained, not ignored', async () => {
    await writeFile(join(userData, 'config.json'), JSON.stringify({ restPort: 'ninety' }));
    await runDesktopApp();
    expect(dialog.showErrorBox).toHaveBeenCalledWith(
      expect.stringContaining('cannot read its settings'),
      expect.stringContaining('restPort'),
    );
    expect(app.exit).toHaveBeenCalledWith(1);
    expect(FakeBrowserWindow.getAllWindows()).toHaveLength(0);
  });

  test('a host that refuses to start is explained in a dialog', async () => {
    await startApp({ restHost: '0.0.0.0', token: '' });
    expect(dialog.showMessageBox).toHaveBeenCalledWith(
      expect.objectContaining({
        type: 'error',
        detail: expect.stringContaining('without a token') as unknown,
      }),
    );
    expect(app.exit).toHaveBeenCalledWith(1);
    expect(FakeBrowserWindow.getAllWindows()).toHaveLength(0);
  });
});

describe('port taken', () => {
  let blocker: Server | undefined;
  afterEach(async () => {
    await new Promise((resolve) => blocker?.close(resolve) ?? resolve(undefined));
    blocker = undefined;
  });

  test('offers another port; choosing it starts the host there for this run only', async () => {
    const taken = await findFreePort('127.0.0.1');
    blocker = await listen(taken);
    dialog.showMessageBox.mockResolvedValueOnce({ response: 0, checkboxChecked: false });
    await startApp({ restPort: taken });
    const question = dialog.showMessageBox.mock.calls[0]![0] as { message: string; detail: string };
    expect(question.message).toBe(`Port ${taken} is already in use`);
    expect(question.detail).toContain('eKuiper or NeuronEX');
    const window = onlyWindow();
    const port = Number(new URL(window.loadedUrl!).port);
    expect(port).not.toBe(taken);
    expect(question.detail).toContain(`port ${port}`);
    expect((await fetch(`${window.loadedUrl}/ping`)).status).toBe(200);
    // Stored settings keep the user's port: the other one is for this run.
    const config = JSON.parse(await readFile(join(userData, 'config.json'), 'utf8')) as { restPort: number };
    expect(config.restPort).toBe(taken);
  });

  test('choosing to quit opens nothing and leaves the data folder alone', async () => {
    const taken = await findFreePort('127.0.0.1');
    blocker = await listen(taken);
    dialog.showMessageBox.mockResolvedValueOnce({ response: 1, checkboxChecked: false });
    await startApp({ restPort: taken });
    expect(app.exit).toHaveBeenCalledWith(1);
    expect(FakeBrowserWindow.getAllWindows()).toHaveLength(0);
    expect(existsSync(dataDir)).toBe(false);
  });
});

describe('quitting', () => {
  test('closes the host before the app exits and leaves no IPC handler behind', async () => {
    await startApp();
    const url = onlyWindow().loadedUrl!;
    expect(ipcMain.handlers.size).toBe(4);
    app.quit();
    // The first quit is held until the host has stopped, then let through.
    await vi.waitFor(() => expect(app.quitting).toBe(true), PATIENCE);
    expect(app.quit).toHaveBeenCalledTimes(2);
    await expect(fetch(`${url}/ping`)).rejects.toThrow();
    expect(ipcMain.handlers.size).toBe(0);
    expect(ipcMain.listenerCount('app:connection')).toBe(0);
  });

  test('closing the last window quits (except on macOS)', async () => {
    await startApp();
    const url = onlyWindow().loadedUrl!;
    onlyWindow().close();
    if (process.platform === 'darwin') return;
    await vi.waitFor(() => expect(app.quitting).toBe(true), PATIENCE);
    await expect(fetch(`${url}/ping`)).rejects.toThrow();
  });
});

describe('window state', () => {
  test('remembers size and position for the next start', async () => {
    await startApp();
    onlyWindow().moveTo({ x: 40, y: 60, width: 1000, height: 700 });
    await quitApp();
    const saved = JSON.parse(await readFile(join(userData, 'window-state.json'), 'utf8')) as unknown;
    expect(saved).toEqual({ window: { x: 40, y: 60, width: 1000, height: 700, maximized: false } });

    resetFakeElectron(userData);
    await runDesktopApp();
    expect(onlyWindow().options).toMatchObject({ x: 40, y: 60, width: 1000, height: 700 });
  });
});

describe('the preload channels', () => {
  test('answer the connection to our window only', async () => {
    await startApp();
    const window = onlyWindow();
    expect(ipcMain.sendSync('app:connection', eventFrom(window))).toEqual({
      apiBase: window.loadedUrl,
      token: '',
      appVersion: '0.1.0-test',
    });
    expect(ipcMain.sendSync('app:connection', eventFrom(window, 'https://evil.example/'))).toBeNull();
    const stranger = new FakeBrowserWindow({});
    expect(ipcMain.sendSync('app:connection', eventFrom(stranger, window.loadedUrl))).toBeNull();
  });

  test('open links in the system browser, http and https only', async () => {
    await startApp();
    const window = onlyWindow();
    await ipcMain.invoke('app:open-link', eventFrom(window), 'https://ekuiper.org/docs/');
    expect(shell.openExternal).toHaveBeenCalledWith('https://ekuiper.org/docs/');
    await expect(ipcMain.invoke('app:open-link', eventFrom(window), 'file:///etc/passwd')).rejects.toThrow(
      /only http and https/,
    );
    expect(shell.openExternal).toHaveBeenCalledTimes(1);
  });

  test('show the data folder, creating it first', async () => {
    await startApp();
    await ipcMain.invoke('app:show-data-folder', eventFrom(onlyWindow()));
    expect(shell.openPath).toHaveBeenCalledWith(dataDir);
    expect((await stat(dataDir)).isDirectory()).toBe(true);
  });

  test('choose a zip and hand over its bytes', async () => {
    await startApp();
    const zip = join(TEST_ZIPS, 'sources/random3.zip');
    dialog.showOpenDialog.mockResolvedValueOnce({ canceled: false, filePaths: [zip] });
    const chosen = (await ipcMain.invoke('app:choose-zip', eventFrom(onlyWindow()))) as {
      name: string;
      path: string;
      bytes: Uint8Array;
    };
    expect(chosen.name).toBe('random3.zip');
    expect(chosen.path).toBe(zip);
    expect(Buffer.from(chosen.bytes).equals(await readFile(zip))).toBe(true);
    dialog.showOpenDialog.mockResolvedValueOnce({ canceled: true, filePaths: [] });
    expect(await ipcMain.invoke('app:choose-zip', eventFrom(onlyWindow()))).toBeNull();
  });
});

describe('the menu', () => {
  test('installs a plugin through the host and reloads the window', async () => {
    await startApp();
    const window = onlyWindow();
    dialog.showOpenDialog.mockResolvedValueOnce({
      canceled: false,
      filePaths: [join(TEST_ZIPS, 'sources/random3.zip')],
    });
    clickMenu('install-sources');
    await vi.waitFor(() => expect(dialog.showMessageBox).toHaveBeenCalled(), PATIENCE);
    const box = dialog.showMessageBox.mock.calls[0]!.at(-1) as { type: string; message: string };
    expect(box).toMatchObject({ type: 'info', message: 'Installed the source plugin random3' });
    expect(await (await fetch(`${window.loadedUrl}/plugins/sources`)).json()).toEqual(['random3']);
    expect(window.webContents.reload).toHaveBeenCalled();
  });

  test('explains a zip of the wrong kind and installs nothing', async () => {
    await startApp();
    const window = onlyWindow();
    dialog.showOpenDialog.mockResolvedValueOnce({
      canceled: false,
      filePaths: [join(TEST_ZIPS, 'sources/random3.zip')],
    });
    clickMenu('install-portables');
    await vi.waitFor(() => expect(dialog.showMessageBox).toHaveBeenCalled(), PATIENCE);
    const box = dialog.showMessageBox.mock.calls[0]!.at(-1) as { type: string; message: string };
    expect(box).toMatchObject({ type: 'error', message: 'random3.zip was not installed' });
    expect(await (await fetch(`${window.loadedUrl}/plugins/portables`)).json()).toEqual([]);
    expect(window.webContents.reload).not.toHaveBeenCalled();
  });

  test('offers developer tools only in development', async () => {
    await startApp();
    expect(menuItem('devtools')).toBeDefined();
    expect(onlyWindow().options.webPreferences).toMatchObject({ devTools: true });
    for (const id of ['install-portables', 'open-data-folder', 'reload', 'about', 'quit']) {
      expect(menuItem(id), id).toBeDefined();
    }
    await quitApp();
    resetFakeElectron(userData);
    app.isPackaged = true;
    await runDesktopApp();
    expect(menuItem('devtools')).toBeUndefined();
    expect(menuItem('reload')).toBeDefined();
    expect(onlyWindow().options.webPreferences).toMatchObject({ devTools: false });
  });
});
