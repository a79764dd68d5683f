import { BrowserWindow, screen } from 'electron';
import { APP_NAME } from '../settings/app-paths.js';
import { secureWebPreferences } from './security.js';
import {
  MIN_WINDOW_SIZE,
  restoreWindowState,
  trackWindowState,
  type WindowStateStore,
} from './window-state.js';

export interface MainWindow {
  window: BrowserWindow;
  /** Stops saving the window's state; called when the window closes. */
  stopTracking: () => void;
}

/**
 * Opens the window on the host's own URL, the page a browser gets too, so the window and the browser share
 * one code path (same origin, same access guard). Restores the remembered size and position, and shows the
 * window only once it has painted, so it never flashes white.
 */
export function createMainWindow(options: {
  url: string;
  preloadPath: string;
  stateStore: WindowStateStore;
  devTools: boolean;
}): MainWindow {
  const state = restoreWindowState(
    options.stateStore.get(),
    screen.getAllDisplays().map((display) => display.workArea),
  );
  const window = new BrowserWindow({
    title: APP_NAME,
    ...(state.x !== undefined && state.y !== undefined ? { x: state.x, y: state.y } : {}),
    width: state.width,
    height: state.height,
    minWidth: MIN_WINDOW_SIZE.width,
    minHeight: MIN_WINDOW_SIZE.height,
    show: false,
    autoHideMenuBar: false,
    webPreferences: secureWebPreferences(options.preloadPath, { devTools: options.devTools }),
  });
  if (state.maximized) window.maximize();
  window.once('ready-to-show', () => window.show());
  const stopTracking = trackWindowState(window, options.stateStore);
  window.once('closed', stopTracking);
  void window.loadURL(options.url);
  return { window, stopTracking };
}
