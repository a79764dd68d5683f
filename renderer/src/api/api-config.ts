import type { ExtensionManagerBridge } from '../../../shared/ipc-contract';

/**
 * Where the renderer finds the host. In a browser the page is served by the host, so the API is same-origin
 * (base `''`). The Electron preload exposes `window.extensionManager` with the host's URL and token; the
 * renderer reads it here and nowhere else, so the rest of the app never knows which shell it runs in.
 */
export interface HostConnection {
  /** Base URL without a trailing slash; `''` means the page's own origin. */
  baseUrl: string;
  /** Sent as `Authorization: Bearer <token>` when not empty. */
  token: string;
}

declare global {
  interface Window {
    /** Provided by the Electron preload (`shared/ipc-contract.ts`); absent in a plain browser. */
    extensionManager?: Partial<ExtensionManagerBridge>;
  }
}

let override: HostConnection | undefined;

/** Where a token the user typed into the window is kept (see `rememberToken`). */
export const TOKEN_STORAGE_KEY = 'ekuiper-extension-manager.token';

/** Lets tests point the renderer at another host without a reload. */
export function configureHostConnection(connection: HostConnection | undefined): void {
  override = connection;
}

function storages(): Storage[] {
  if (typeof window === 'undefined') return [];
  const found: Storage[] = [];
  for (const read of [() => window.sessionStorage, () => window.localStorage]) {
    try {
      found.push(read());
    } catch {
      // Storage can be disabled (privacy settings); the token then lives only in memory.
    }
  }
  return found;
}

let memoryToken: string | undefined;

/** The token the user typed into the window (banner or settings page), if any. */
export function enteredToken(): string | undefined {
  if (memoryToken !== undefined) return memoryToken;
  for (const storage of storages()) {
    const value = storage.getItem(TOKEN_STORAGE_KEY);
    if (value !== null) return value;
  }
  return undefined;
}

/**
 * Keeps a token the user typed. By default only for this browser tab's session (sessionStorage): the token lets
 * anyone who has it install code that runs on the host's machine, so it should not outlive the tab unless the user
 * asks (`remember`: localStorage, kept until removed). `undefined` forgets it everywhere.
 */
export function rememberToken(token: string | undefined, remember = false): void {
  memoryToken = token;
  for (const storage of storages()) storage.removeItem(TOKEN_STORAGE_KEY);
  if (token === undefined) return;
  const [session, local] = storages();
  (remember ? local : session)?.setItem(TOKEN_STORAGE_KEY, token);
}

/** Whether the window runs in the desktop app, whose preload hands over the host's URL and token. */
export function hasDesktopBridge(): boolean {
  return typeof window !== 'undefined' && window.extensionManager !== undefined;
}

/**
 * The connection in effect: an explicit override, else the preload's URL with the token the user typed (if any)
 * or the preload's, else same-origin.
 */
export function hostConnection(): HostConnection {
  if (override !== undefined) return override;
  const bridge = typeof window === 'undefined' ? undefined : window.extensionManager;
  return {
    baseUrl: (bridge?.apiBase ?? '').replace(/\/+$/, ''),
    token: enteredToken() ?? bridge?.token ?? '',
  };
}

/** The API base URL for building request URLs (`''` for same-origin). */
export function apiBase(): string {
  return hostConnection().baseUrl;
}

/** A human-readable address of the host for messages ("the host at …"). */
export function hostLabel(): string {
  const base = apiBase();
  if (base !== '') return base;
  return typeof window === 'undefined' ? 'the host' : window.location.origin;
}
