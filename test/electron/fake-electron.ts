/**
 * A stand-in for the `electron` module in unit tests (`vi.mock('electron', …)`): the real binary cannot run
 * here. It keeps only the behaviour the main process relies on — app lifecycle events and the quit
 * sequence, windows with their web contents, ipcMain's handler table, dialogs answered by the test — and
 * records what the app did, so tests assert on it.
 */
import { EventEmitter } from 'node:events';
import { vi, type Mock } from 'vitest';

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** An Electron-style event whose default the listener may prevent. */
export function preventableEvent<T extends object>(
  extra: T = {} as T,
): T & {
  preventDefault(): void;
  defaultPrevented: boolean;
} {
  const event = {
    ...extra,
    defaultPrevented: false,
    preventDefault() {
      event.defaultPrevented = true;
    },
  };
  return event;
}

let nextContentsId = 1;

export class FakeWebContents extends EventEmitter {
  readonly id = nextContentsId++;
  url = '';
  windowOpenHandler: ((details: { url: string }) => { action: 'allow' | 'deny' }) | undefined;
  reload: Mock<() => void> = vi.fn();
  toggleDevTools: Mock<() => void> = vi.fn();
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'allow' | 'deny' }): void {
    this.windowOpenHandler = handler;
  }
  getURL(): string {
    return this.url;
  }
}

export class FakeBrowserWindow extends EventEmitter {
  static windows: FakeBrowserWindow[] = [];
  readonly webContents = new FakeWebContents();
  readonly options: Record<string, unknown>;
  bounds: Rect;
  loadedUrl: string | undefined;
  destroyed = false;
  minimized = false;
  maximized = false;
  focus: Mock<() => void> = vi.fn();
  show: Mock<() => void> = vi.fn();
  restore = vi.fn(() => {
    this.minimized = false;
  });

  constructor(options: Record<string, unknown> = {}) {
    super();
    this.options = options;
    this.bounds = {
      x: typeof options.x === 'number' ? options.x : 100,
      y: typeof options.y === 'number' ? options.y : 100,
      width: options.width as number,
      height: options.height as number,
    };
    FakeBrowserWindow.windows.push(this);
    app.emit('web-contents-created', preventableEvent(), this.webContents);
  }

  static getAllWindows(): FakeBrowserWindow[] {
    return FakeBrowserWindow.windows.filter((window) => !window.destroyed);
  }
  static fromWebContents(contents: FakeWebContents): FakeBrowserWindow | null {
    return FakeBrowserWindow.windows.find((window) => window.webContents === contents) ?? null;
  }

  loadURL(url: string): Promise<void> {
    this.loadedUrl = url;
    this.webContents.url = url;
    return Promise.resolve();
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  isMinimized(): boolean {
    return this.minimized;
  }
  isMaximized(): boolean {
    return this.maximized;
  }
  maximize(): void {
    this.maximized = true;
  }
  getNormalBounds(): Rect {
    return { ...this.bounds };
  }
  /** What the user does: drags the window to `bounds`. */
  moveTo(bounds: Rect): void {
    this.bounds = bounds;
    this.emit('moved');
    this.emit('resized');
  }
  /** Closes the window as the user would: `close`, then `closed`, then all-closed when it was the last. */
  close(): void {
    this.emit('close', preventableEvent());
    this.destroyed = true;
    this.emit('closed');
    if (FakeBrowserWindow.getAllWindows().length === 0) app.emit('window-all-closed');
  }
}

type Handler = (event: unknown, ...args: unknown[]) => unknown;

class FakeIpcMain extends EventEmitter {
  readonly handlers = new Map<string, Handler>();
  handle(channel: string, handler: Handler): void {
    if (this.handlers.has(channel))
      throw new Error(`Attempted to register a second handler for '${channel}'`);
    this.handlers.set(channel, handler);
  }
  removeHandler(channel: string): void {
    this.handlers.delete(channel);
  }
  /** What `ipcRenderer.invoke` from `sender` would get (rejections included). */
  invoke(channel: string, event: unknown, ...args: unknown[]): Promise<unknown> {
    const handler = this.handlers.get(channel);
    if (handler === undefined) return Promise.reject(new Error(`No handler registered for '${channel}'`));
    return Promise.resolve(handler(event, ...args));
  }
  /** What `ipcRenderer.sendSync` would get. */
  sendSync(channel: string, event: { returnValue?: unknown }): unknown {
    this.emit(channel, event);
    return event.returnValue;
  }
}

class FakeApp extends EventEmitter {
  paths = new Map<string, string>();
  name = 'fake';
  isPackaged = false;
  gotLock = true;
  quitting = false;
  exitCode: number | undefined;
  readonly ready = Promise.resolve();
  requestSingleInstanceLock = vi.fn(() => this.gotLock);
  whenReady(): Promise<void> {
    return this.ready;
  }
  getPath(name: string): string {
    const path = this.paths.get(name);
    if (path === undefined) throw new Error(`no ${name} path set in the test`);
    return path;
  }
  setPath(name: string, path: string): void {
    this.paths.set(name, path);
  }
  setName(name: string): void {
    this.name = name;
  }
  getName(): string {
    return this.name;
  }
  getVersion(): string {
    return '0.1.0-test';
  }
  /** Electron's order: `before-quit` (preventable), then `will-quit`, then `quit`. */
  quit = vi.fn(() => {
    const event = preventableEvent();
    this.emit('before-quit', event);
    if (event.defaultPrevented) return;
    this.emit('will-quit', preventableEvent());
    this.quitting = true;
    this.emit('quit');
  });
  exit = vi.fn((code: number = 0) => {
    this.exitCode = code;
    this.quitting = true;
  });
}

class FakeSession {
  permissionRequestHandler: ((...args: never[]) => void) | undefined;
  permissionCheckHandler: ((...args: never[]) => boolean) | undefined;
  devicePermissionHandler: ((...args: never[]) => boolean) | undefined;
  setPermissionRequestHandler(handler: (...args: never[]) => void): void {
    this.permissionRequestHandler = handler;
  }
  setPermissionCheckHandler(handler: (...args: never[]) => boolean): void {
    this.permissionCheckHandler = handler;
  }
  setDevicePermissionHandler(handler: (...args: never[]) => boolean): void {
    this.devicePermissionHandler = handler;
  }
}

export const app = new FakeApp();
export const ipcMain = new FakeIpcMain();
export const BrowserWindow = FakeBrowserWindow;
export const session = { defaultSession: new FakeSession() };
type Answer<T> = Mock<(...args: unknown[]) => Promise<T>>;

export const dialog: {
  showMessageBox: Answer<{ response: number; checkboxChecked: boolean }>;
  showOpenDialog: Answer<{ canceled: boolean; filePaths: string[] }>;
  showErrorBox: Mock<(title: string, content: string) => void>;
} = {
  showMessageBox: vi.fn((..._args: unknown[]) => Promise.resolve({ response: 0, checkboxChecked: false })),
  showOpenDialog: vi.fn((..._args: unknown[]) =>
    Promise.resolve({ canceled: true, filePaths: [] as string[] }),
  ),
  showErrorBox: vi.fn(),
};
export const shell = {
  openExternal: vi.fn((_url: string) => Promise.resolve()),
  openPath: vi.fn((_path: string) => Promise.resolve('')),
};
export const screen = {
  displays: [{ workArea: { x: 0, y: 0, width: 1920, height: 1080 } }],
  getAllDisplays() {
    return this.displays;
  },
};
export const Menu = {
  current: undefined as unknown,
  buildFromTemplate: (template: unknown) => ({ template }),
  setApplicationMenu(menu: unknown) {
    Menu.current = menu;
  },
};

/**
 * Electron's safeStorage as the OS keychain would behave: `available` and `backend` are set by the test. Sealing
 * is a reversible scramble with a marker, so a test can tell sealed bytes from the secret and a foreign keychain
 * (another `keychainId`) fails to open them as a real one does.
 */
export const safeStorage = {
  available: true,
  backend: 'gnome_libsecret' as string,
  keychainId: 1,
  isEncryptionAvailable: vi.fn(() => safeStorage.available),
  encryptString(plainText: string): Buffer {
    if (!safeStorage.available) throw new Error('Error while encrypting the text provided to safeStorage');
    const bytes = Buffer.from(plainText, 'utf8').map((byte) => byte ^ 0x5a);
    return Buffer.concat([Buffer.from(`v${safeStorage.keychainId}:`), bytes]);
  },
  decryptString(encrypted: Buffer): string {
    const marker = `v${safeStorage.keychainId}:`;
    if (!safeStorage.available || !encrypted.subarray(0, marker.length).equals(Buffer.from(marker))) {
      throw new Error('Error while decrypting the ciphertext provided to safeStorage.decryptString');
    }
    return Buffer.from(encrypted.subarray(marker.length).map((byte) => byte ^ 0x5a)).toString('utf8');
  },
  getSelectedStorageBackend: (): string => safeStorage.backend,
};

/** Puts the fake back to a fresh app between tests. */
export function resetFakeElectron(userData: string): void {
  app.removeAllListeners();
  app.paths.clear();
  app.setPath('userData', userData);
  app.isPackaged = false;
  app.gotLock = true;
  app.quitting = false;
  app.exitCode = undefined;
  app.quit.mockClear();
  app.exit.mockClear();
  app.requestSingleInstanceLock.mockClear();
  ipcMain.removeAllListeners();
  ipcMain.handlers.clear();
  FakeBrowserWindow.windows = [];
  session.defaultSession = new FakeSession();
  Menu.current = undefined;
  dialog.showMessageBox.mockReset();
  dialog.showMessageBox.mockResolvedValue({ response: 0, checkboxChecked: false });
  dialog.showOpenDialog.mockReset();
  dialog.showOpenDialog.mockResolvedValue({ canceled: true, filePaths: [] });
  dialog.showErrorBox.mockReset();
  shell.openExternal.mockClear();
  shell.openPath.mockClear();
  safeStorage.available = true;
  safeStorage.backend = 'gnome_libsecret';
  safeStorage.keychainId = 1;
  safeStorage.isEncryptionAvailable.mockClear();
}

const electron: Record<string, unknown> = {
  app,
  ipcMain,
  BrowserWindow,
  session,
  dialog,
  shell,
  screen,
  Menu,
  safeStorage,
};
export default electron;
