// A stand-in `electron` module for running the built main bundle under Node (the smoke test). It keeps the
// app lifecycle (ready, before-quit that may be held, exit) and reports what the app asked for as
// `SMOKE {json}` lines on stdout: the windows it opened and what their URL answered.
import { EventEmitter } from 'node:events';

function report(event, data) {
  process.stdout.write(`SMOKE ${JSON.stringify({ event, ...data })}\n`);
}

function preventable() {
  const event = { defaultPrevented: false, preventDefault: () => (event.defaultPrevented = true) };
  return event;
}

class App extends EventEmitter {
  #paths = new Map();
  isPackaged = false;
  whenReady = () => Promise.resolve();
  requestSingleInstanceLock = () => true;
  getPath = (name) => {
    const path = this.#paths.get(name);
    if (path === undefined) throw new Error(`the smoke stub has no ${name} path`);
    return path;
  };
  setPath = (name, path) => this.#paths.set(name, path);
  setName = () => {};
  getVersion = () => '0.0.0-smoke';
  quit = () => {
    const event = preventable();
    this.emit('before-quit', event);
    if (event.defaultPrevented) return;
    this.emit('will-quit', preventable());
    this.emit('quit');
    report('exit', { code: 0 });
    process.exit(0);
  };
  exit = (code = 0) => {
    report('exit', { code });
    process.exit(code);
  };
}

export const app = new App();
process.on('SIGTERM', () => app.quit());

let nextId = 1;
class WebContents extends EventEmitter {
  id = nextId++;
  setWindowOpenHandler = (handler) => (this.windowOpenHandler = handler);
  reload = () => {};
  toggleDevTools = () => {};
}

export class BrowserWindow extends EventEmitter {
  static #all = [];
  static getAllWindows = () => BrowserWindow.#all;
  static fromWebContents = (contents) => BrowserWindow.#all.find((w) => w.webContents === contents) ?? null;
  webContents = new WebContents();
  constructor(options) {
    super();
    this.options = options;
    BrowserWindow.#all.push(this);
    app.emit('web-contents-created', preventable(), this.webContents);
  }
  async loadURL(url) {
    const response = await fetch(url, { headers: { Accept: 'text/html' } });
    const html = await response.text();
    report('window', {
      url,
      options: this.options,
      status: response.status,
      csp: /http-equiv="Content-Security-Policy"/.test(html),
      windowOpenGuarded: typeof this.webContents.windowOpenHandler === 'function',
      webviewGuarded: this.webContents.listenerCount('will-attach-webview') > 0,
      navigationGuarded: this.webContents.listenerCount('will-navigate') > 0,
    });
  }
  isDestroyed = () => false;
  isMinimized = () => false;
  isMaximized = () => false;
  maximize = () => {};
  restore = () => {};
  show = () => {};
  focus = () => {};
  getNormalBounds = () => ({ x: 0, y: 0, width: this.options.width, height: this.options.height });
}

class IpcMain extends EventEmitter {
  handlers = new Map();
  handle = (channel, handler) => this.handlers.set(channel, handler);
  removeHandler = (channel) => this.handlers.delete(channel);
}
export const ipcMain = new IpcMain();

const permissions = {};
export const session = {
  defaultSession: {
    setPermissionRequestHandler: (handler) => (permissions.request = handler),
    setPermissionCheckHandler: (handler) => (permissions.check = handler),
    setDevicePermissionHandler: (handler) => (permissions.device = handler),
  },
};
app.on('web-contents-created', () => {
  if (permissions.request !== undefined) {
    permissions.request(null, 'media', (granted) => report('permission', { granted }));
  }
});

export const screen = { getAllDisplays: () => [{ workArea: { x: 0, y: 0, width: 1920, height: 1080 } }] };
export const Menu = {
  buildFromTemplate: (template) => ({ template }),
  setApplicationMenu: (menu) =>
    report('menu', { labels: menu.template.map((item) => item.label ?? item.role ?? '') }),
};
export const dialog = {
  showMessageBox: async (options) => {
    report('dialog', { message: options.message, detail: options.detail });
    return { response: options.cancelId ?? 0 };
  },
  showOpenDialog: async () => ({ canceled: true, filePaths: [] }),
  showErrorBox: (title, content) => report('error-box', { title, content }),
};
export const shell = { openExternal: async () => {}, openPath: async () => '' };
// No keychain here: the app keeps server secrets in its 0600 file, as on a system without one.
export const safeStorage = {
  isEncryptionAvailable: () => false,
  encryptString: () => {
    throw new Error('safeStorage is not available in the smoke stub');
  },
  decryptString: () => {
    throw new Error('safeStorage is not available in the smoke stub');
  },
  getSelectedStorageBackend: () => 'unknown',
};
export const contextBridge = {};
export const ipcRenderer = {};

export default {
  app,
  BrowserWindow,
  ipcMain,
  session,
  screen,
  Menu,
  dialog,
  shell,
  safeStorage,
  contextBridge,
  ipcRenderer,
};
