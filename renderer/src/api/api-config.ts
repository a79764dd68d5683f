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

/** Lets tests (and a future settings page) point the renderer at another host without a reload. */
export function configureHostConnection(connection: HostConnection | undefined): void {
  override = connection;
}

/** The connection in effect: an explicit override, else the preload's, else same-origin without a token. */
export function hostConnection(): HostConnection {
  if (override !== undefined) return override;
  const bridge = typeof window === 'undefined' ? undefined : window.extensionManager;
  return {
    baseUrl: (bridge?.apiBase ?? '').replace(/\/+$/, ''),
    token: bridge?.token ?? '',
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
