import { describe, expect, test, vi } from 'vitest';
import type { IpcMain, WebFrameMain } from 'electron';
import { argumentProblem, externalLink } from '../../shared/ipc-contract.js';
import { ipcMain } from './fake-electron.js';

vi.mock('electron', async () => {
  const fake = await import('./fake-electron.js');
  return { ...fake, default: fake.default };
});

const { isTrustedSender, registerIpcHandlers } = await import('../../main/electron/ipc-handlers.js');

const APP = 'http://127.0.0.1:9081';
const OURS = 7;

function frame(url: string, parent: unknown = null): WebFrameMain {
  return { url, parent } as unknown as WebFrameMain;
}

function register() {
  const handlers = {
    'app:choose-zip': vi.fn(() => null),
    'app:choose-folder': vi.fn(() => null),
    'app:open-link': vi.fn(),
    'app:show-data-folder': vi.fn(),
  };
  const dispose = registerIpcHandlers({
    ipcMain: ipcMain as unknown as IpcMain,
    ownContentsIds: () => new Set([OURS]),
    appOrigin: () => APP,
    connection: () => ({ apiBase: APP, token: 'secret', appVersion: '1.0.0' }),
    handlers,
  });
  return { handlers, dispose };
}

const fromUs = { sender: { id: OURS }, senderFrame: frame(`${APP}/`) };

describe('sender checks', () => {
  test('only the main frame of our own window on the host answers to', () => {
    const ids = new Set([OURS]);
    expect(isTrustedSender(fromUs, ids, APP)).toBe(true);
    expect(isTrustedSender({ sender: { id: 8 }, senderFrame: frame(`${APP}/`) }, ids, APP)).toBe(false);
    expect(isTrustedSender({ sender: { id: OURS }, senderFrame: null }, ids, APP)).toBe(false);
    expect(isTrustedSender({ sender: { id: OURS }, senderFrame: frame(`${APP}/`, {}) }, ids, APP)).toBe(
      false,
    );
    expect(isTrustedSender({ sender: { id: OURS }, senderFrame: frame('https://x.test/') }, ids, APP)).toBe(
      false,
    );
  });

  test('a stranger gets a refusal and nothing runs', async () => {
    const { handlers, dispose } = register();
    try {
      const stranger = { sender: { id: 99 }, senderFrame: frame(`${APP}/`) };
      await expect(ipcMain.invoke('app:show-data-folder', stranger)).rejects.toThrow(/not one of this app/);
      await expect(ipcMain.invoke('app:choose-zip', stranger)).rejects.toThrow(/not one of this app/);
      expect(handlers['app:show-data-folder']).not.toHaveBeenCalled();
      expect(handlers['app:choose-zip']).not.toHaveBeenCalled();
      // The token is only for our window.
      expect(ipcMain.sendSync('app:connection', { ...stranger, returnValue: undefined })).toBeNull();
      expect(ipcMain.sendSync('app:connection', { ...fromUs, returnValue: undefined })).toMatchObject({
        token: 'secret',
      });
    } finally {
      dispose();
    }
  });
});

describe('argument checks', () => {
  test('bad arguments are refused before the handler runs', async () => {
    const { handlers, dispose } = register();
    try {
      const refused: unknown[][] = [
        [],
        [42],
        ['javascript:alert(1)'],
        ['file:///etc/passwd'],
        ['https://a.test/', 'extra'],
        [`https://a.test/${'x'.repeat(3000)}`],
      ];
      for (const args of refused) {
        await expect(
          ipcMain.invoke('app:open-link', fromUs, ...args),
          JSON.stringify(args),
        ).rejects.toThrow();
      }
      await expect(ipcMain.invoke('app:show-data-folder', fromUs, '/etc')).rejects.toThrow(/no arguments/);
      expect(handlers['app:open-link']).not.toHaveBeenCalled();
      expect(handlers['app:show-data-folder']).not.toHaveBeenCalled();
      await ipcMain.invoke('app:open-link', fromUs, 'https://ekuiper.org/');
      expect(handlers['app:open-link']).toHaveBeenCalledWith(fromUs, 'https://ekuiper.org/');
    } finally {
      dispose();
    }
  });

  test('the contract names the links it accepts', () => {
    expect(externalLink('https://ekuiper.org/docs')?.hostname).toBe('ekuiper.org');
    expect(externalLink('http://192.168.1.5:9081/')).toBeDefined();
    for (const bad of ['ftp://x.test/', 'https://u:p@x.test/', 'mailto:a@b.c', '', 'https://', null, {}]) {
      expect(externalLink(bad), JSON.stringify(bad)).toBeUndefined();
    }
    expect(argumentProblem('app:choose-zip', [])).toBeUndefined();
    expect(argumentProblem('app:choose-zip', ['x'])).toMatch(/no arguments/);
    expect(argumentProblem('app:choose-folder', ['scaffold'])).toBeUndefined();
    expect(argumentProblem('app:choose-folder', ['plugin'])).toBeUndefined();
    expect(argumentProblem('app:choose-folder', [])).toMatch(/one purpose/);
    expect(argumentProblem('app:choose-folder', ['/etc'])).toMatch(/one purpose/);
  });
});

describe('disposal', () => {
  test('removes every handler and listener it added', () => {
    const before = ipcMain.listenerCount('app:connection');
    const { dispose } = register();
    expect(ipcMain.handlers.size).toBe(4);
    dispose();
    expect(ipcMain.handlers.size).toBe(0);
    expect(ipcMain.listenerCount('app:connection')).toBe(before);
    // Registering again works: nothing was left half-registered.
    register().dispose();
  });
});
