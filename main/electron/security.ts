import type { Event, Session, WebContents, WebPreferences } from 'electron';
import { externalLink } from '../../shared/ipc-contract.js';

/**
 * The window's web preferences: the page gets no Node, runs sandboxed and isolated from the preload, and
 * can embed no `<webview>`. Everything native goes through the preload's few named methods. Developer tools
 * exist only in development builds, so a packaged app offers no console to paste code into.
 */
export function secureWebPreferences(
  preloadPath: string,
  options: { devTools?: boolean } = {},
): WebPreferences {
  return {
    preload: preloadPath,
    devTools: options.devTools ?? false,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webviewTag: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    experimentalFeatures: false,
    navigateOnDragDrop: false,
    spellcheck: false,
  };
}

/** Opens a link in the system browser; the caller has already checked it with `externalLink`. */
export type OpenExternal = (url: string) => Promise<void> | void;

/** Whether `url` is on the app's own origin (the host that serves the page). */
export function isAppUrl(url: string, appOrigin: string): boolean {
  try {
    return new URL(url).origin === appOrigin;
  } catch {
    return false;
  }
}

/** Hands an http(s) link to the system browser and ignores everything else. */
function openIfExternal(url: string, openExternal: OpenExternal): void {
  const link = externalLink(url);
  if (link !== undefined) void Promise.resolve(openExternal(link.href)).catch(() => {});
}

/**
 * Guards one web contents: navigation away from the host's origin is denied (an http(s) target opens in the
 * system browser instead), `window.open` and `target=_blank` never make a window, and `<webview>` is refused
 * even if the preference were turned on by mistake.
 */
export function guardWebContents(
  contents: WebContents,
  options: { appOrigin: () => string; openExternal: OpenExternal },
): void {
  const denyForeignNavigation = (event: Event, url: string): void => {
    if (isAppUrl(url, options.appOrigin())) return;
    event.preventDefault();
    openIfExternal(url, options.openExternal);
  };
  contents.on('will-navigate', denyForeignNavigation);
  contents.on('will-frame-navigate', (event) => {
    if (!isAppUrl(event.url, options.appOrigin())) event.preventDefault();
  });
  contents.on('will-redirect', (event) => {
    if (!isAppUrl(event.url, options.appOrigin())) event.preventDefault();
  });
  contents.setWindowOpenHandler(({ url }) => {
    openIfExternal(url, options.openExternal);
    return { action: 'deny' };
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
}

/**
 * Denies every permission the page could ask for (camera, notifications, geolocation, clipboard reads…):
 * a plugin manager needs none, and a page that asks has been tampered with.
 */
export function denyAllPermissions(session: Session): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
  session.setDevicePermissionHandler(() => false);
}
