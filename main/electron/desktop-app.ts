import { mkdir, readFile, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BrowserWindow, Menu, app, dialog, ipcMain, session, shell } from 'electron';
import ElectronStore from 'electron-store';
import type { ChosenZip } from '../../shared/ipc-contract.js';
import type { PluginKind } from '../../shared/plugin-kinds.js';
import { startHost, type RunningHost } from '../host/host.js';
import { AI_ENDPOINT_FILE, APP_NAME, SERVERS_FILE, SERVER_SECRETS_FILE } from '../settings/app-paths.js';
import { menuTemplate } from './app-menu.js';
import { startHostAskingOnConflict } from './host-startup.js';
import { installFromFile } from './install-from-file.js';
import { safeStorageSecretStore } from './safe-storage-secrets.js';
import { registerIpcHandlers } from './ipc-handlers.js';
import { createMainWindow } from './main-window.js';
import { denyAllPermissions, guardWebContents } from './security.js';
import { openSettingsStore, type AppSettingsSource } from './settings-store.js';
import type { WindowState } from './window-state.js';

/** eKuiper's documentation of plugins, offered in the Help menu. */
export const DOCUMENTATION_URL = 'https://ekuiper.org/docs/en/latest/extension/overview.html';

/** Where the built bundles sit next to this one (`out/main` → `out/preload`, `out/renderer`). */
function bundlePaths(): { preload: string; renderer: string } {
  const here = dirname(fileURLToPath(import.meta.url));
  return { preload: join(here, '../preload/index.cjs'), renderer: join(here, '../renderer') };
}

const KIND_NAMES: Record<PluginKind, string> = {
  portables: 'portable plugin',
  sources: 'source plugin',
  sinks: 'sink plugin',
  functions: 'function plugin',
};

/** The running app's parts that quitting must stop, in order. */
interface RunningApp {
  host: RunningHost;
  settings: AppSettingsSource;
  window: BrowserWindow | undefined;
  disposeIpc: () => void;
}

/**
 * The desktop app: one instance, the host in this process, one secure window on the host's URL, the menu and
 * the preload's channels. Quitting closes the host (and with it the plugin processes) before the app exits.
 */
export async function runDesktopApp(): Promise<void> {
  // Scripts and tests can keep the app's settings and data apart from the user's.
  const userData = process.env.EKUIPER_MANAGER_USER_DATA;
  if (userData !== undefined && userData !== '') app.setPath('userData', userData);
  app.setName(APP_NAME);

  if (!app.requestSingleInstanceLock()) {
    // The first instance focuses its window (`second-instance`); two hosts cannot share the data folder.
    app.quit();
    return;
  }

  let running: RunningApp | undefined;
  let stopped = false;
  const appOrigin = (): string => (running === undefined ? '' : new URL(running.host.url).origin);
  const openExternal = (url: string): Promise<void> => shell.openExternal(url);

  app.on('second-instance', () => {
    const window = running?.window;
    if (window === undefined || window.isDestroyed()) return;
    if (window.isMinimized()) window.restore();
    window.show();
    window.focus();
  });
  app.on('web-contents-created', (_event, contents) =>
    guardWebContents(contents, { appOrigin, openExternal }),
  );
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  app.on('before-quit', (event) => {
    if (stopped || running === undefined) return;
    // Hold the quit until the host has stopped: plugin processes must not outlive the app.
    event.preventDefault();
    const current = running;
    running = undefined;
    void shutDown(current).finally(() => {
      stopped = true;
      app.quit();
    });
  });

  await app.whenReady();
  denyAllPermissions(session.defaultSession);

  let settings: AppSettingsSource;
  try {
    settings = openSettingsStore();
  } catch (error) {
    dialog.showErrorBox(
      `${APP_NAME} cannot read its settings`,
      `${(error as Error).message}\n\nFix or remove config.json in ${app.getPath('userData')} and start again.`,
    );
    app.exit(1);
    return;
  }

  const paths = bundlePaths();
  const log = (message: string) => console.log(message);
  const userDataPath = app.getPath('userData');
  const serverSecrets = safeStorageSecretStore(join(userDataPath, SERVER_SECRETS_FILE), log);
  const host = await startHostAskingOnConflict({
    settings,
    start: () =>
      startHost({
        settings,
        rendererDir: paths.renderer,
        log,
        servers: { file: join(userDataPath, SERVERS_FILE), secrets: serverSecrets },
        ai: { file: join(userDataPath, AI_ENDPOINT_FILE) },
        onStopRequested: () => setTimeout(() => app.quit(), 1000),
      }),
    askAboutTakenPort: async (takenPort, freePort, address) => {
      const { response } = await dialog.showMessageBox({
        type: 'warning',
        title: APP_NAME,
        message: `Port ${takenPort} is already in use`,
        detail:
          `Something on this machine already listens on ${address}:${takenPort} — often eKuiper or NeuronEX, ` +
          `whose REST API uses this port. ${APP_NAME} can use port ${freePort} for this run instead ` +
          `(scripts must then call http://${address}:${freePort}), or quit so you can stop the other program.`,
        buttons: [`Use Port ${freePort}`, 'Quit'],
        defaultId: 0,
        cancelId: 1,
        noLink: true,
      });
      return response === 0 ? 'use-other-port' : 'quit';
    },
    explainStartFailure: async (message) => {
      await dialog.showMessageBox({
        type: 'error',
        title: APP_NAME,
        message: `${APP_NAME} cannot start its plugin host`,
        detail: message,
        buttons: ['Quit'],
        noLink: true,
      });
    },
  });
  if (host === undefined) {
    app.exit(1);
    return;
  }
  console.log(`${APP_NAME} host listening on ${host.url} (data folder ${settings.read().dataDir})`);

  const windowState = new ElectronStore<{ window: WindowState }>({ name: 'window-state' });
  const stateStore = {
    get: (): unknown => windowState.get('window'),
    set: (state: WindowState) => windowState.set('window', state),
  };
  const state: RunningApp = { host, settings, window: undefined, disposeIpc: () => {} };
  running = state;
  const ownContentsIds = new Set<number>();

  const openWindow = (): BrowserWindow => {
    const { window } = createMainWindow({
      url: host.url,
      preloadPath: paths.preload,
      stateStore,
      devTools: !app.isPackaged,
    });
    const id = window.webContents.id;
    ownContentsIds.add(id);
    window.once('closed', () => {
      ownContentsIds.delete(id);
      if (state.window === window) state.window = undefined;
    });
    state.window = window;
    return window;
  };
  const currentWindow = (): BrowserWindow | undefined =>
    state.window !== undefined && !state.window.isDestroyed() ? state.window : undefined;

  const dataDir = async (): Promise<string> => {
    const folder = settings.read().dataDir;
    await mkdir(folder, { recursive: true });
    return folder;
  };
  const showDataFolder = async (): Promise<void> => {
    const problem = await shell.openPath(await dataDir());
    if (problem !== '') throw new Error(`cannot open the data folder: ${problem}`);
  };

  state.disposeIpc = registerIpcHandlers({
    ipcMain,
    ownContentsIds: () => ownContentsIds,
    appOrigin,
    connection: () => ({ apiBase: host.url, token: settings.read().token, appVersion: app.getVersion() }),
    handlers: {
      'app:choose-zip': async (event) => {
        const parent = BrowserWindow.fromWebContents(event.sender) ?? undefined;
        const options = {
          title: 'Choose a plugin zip',
          filters: [{ name: 'Plugin zip', extensions: ['zip'] }],
          properties: ['openFile' as const],
        };
        const result = await (parent === undefined
          ? dialog.showOpenDialog(options)
          : dialog.showOpenDialog(parent, options));
        const path = result.filePaths[0];
        if (result.canceled || path === undefined) return null;
        return readChosenZip(path, settings.read().maxDownloadBytes);
      },
      'app:choose-folder': async (event, purpose) => {
        const parent = BrowserWindow.fromWebContents(event.sender) ?? undefined;
        const options = {
          title: purpose === 'scaffold' ? 'Choose where the new plugin goes' : "Choose the plugin's folder",
          properties: ['openDirectory' as const, 'createDirectory' as const],
        };
        const result = await (parent === undefined
          ? dialog.showOpenDialog(options)
          : dialog.showOpenDialog(parent, options));
        const path = result.filePaths[0];
        return result.canceled || path === undefined ? null : path;
      },
      'app:open-link': (_event, url) => openExternal(url),
      'app:show-data-folder': () => showDataFolder(),
    },
  });

  const installPlugin = async (kind: PluginKind): Promise<void> => {
    const parent = currentWindow();
    const options = {
      title: `Install a ${KIND_NAMES[kind]}`,
      filters: [{ name: 'Plugin zip', extensions: ['zip'] }],
      properties: ['openFile' as const],
    };
    const chosen = await (parent === undefined
      ? dialog.showOpenDialog(options)
      : dialog.showOpenDialog(parent, options));
    const path = chosen.filePaths[0];
    if (chosen.canceled || path === undefined) return;
    const outcome = await installFromFile({ hostUrl: host.url, settings: settings.read(), kind, path }).catch(
      (error: unknown) => ({ ok: false as const, message: (error as Error).message }),
    );
    const box = {
      type: outcome.ok ? ('info' as const) : ('error' as const),
      title: APP_NAME,
      message: outcome.ok
        ? `Installed the ${KIND_NAMES[kind]} ${outcome.name}`
        : `${basename(path)} was not installed`,
      detail: outcome.ok ? `From ${path}` : outcome.message,
      buttons: ['OK'],
      noLink: true,
    };
    await (parent === undefined ? dialog.showMessageBox(box) : dialog.showMessageBox(parent, box));
    // The list shows what the host has now.
    if (outcome.ok) currentWindow()?.webContents.reload();
  };

  const about = async (): Promise<void> => {
    const box = {
      type: 'info' as const,
      title: `About ${APP_NAME}`,
      message: `${APP_NAME} ${app.getVersion()}`,
      detail:
        `Plugin REST API (eKuiper's): ${host.url}\nData folder: ${settings.read().dataDir}\n\n` +
        `Electron ${process.versions.electron ?? '?'} · Chromium ${process.versions.chrome ?? '?'} · ` +
        `Node ${process.versions.node}`,
      buttons: ['OK'],
      noLink: true,
    };
    const parent = currentWindow();
    await (parent === undefined ? dialog.showMessageBox(box) : dialog.showMessageBox(parent, box));
  };

  const report = (action: Promise<void>): void => {
    action.catch((error: unknown) => dialog.showErrorBox(APP_NAME, (error as Error).message));
  };
  Menu.setApplicationMenu(
    Menu.buildFromTemplate(
      menuTemplate(
        {
          installPlugin: (kind) => report(installPlugin(kind)),
          openDataFolder: () => report(showDataFolder()),
          reload: () => currentWindow()?.webContents.reload(),
          toggleDevTools: () => currentWindow()?.webContents.toggleDevTools(),
          about: () => report(about()),
          openDocumentation: () => report(openExternal(DOCUMENTATION_URL)),
          quit: () => app.quit(),
        },
        { isDevelopment: !app.isPackaged, isMac: process.platform === 'darwin', appName: APP_NAME },
      ),
    ),
  );

  app.on('activate', () => {
    if (running !== undefined && currentWindow() === undefined) openWindow();
  });
  openWindow();
}

/** Reads a zip the user chose, refusing one larger than the host would accept. */
async function readChosenZip(path: string, maxBytes: number): Promise<ChosenZip> {
  const size = (await stat(path)).size;
  if (size > maxBytes) {
    throw new Error(`${basename(path)} is ${size} bytes, more than the ${maxBytes} bytes allowed`);
  }
  return { name: basename(path), path, bytes: new Uint8Array(await readFile(path)) };
}

/** Stops what the app started: the preload's channels, then the host and its plugin processes. */
async function shutDown(running: RunningApp): Promise<void> {
  running.disposeIpc();
  try {
    await running.host.close();
  } catch (error) {
    console.error(`stopping the plugin host: ${(error as Error).message}`);
  }
}
