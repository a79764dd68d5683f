/**
 * The one contract between the preload and the Electron main process: channel names, argument and result
 * types, and the checks the main process applies to every argument. Plain TypeScript (no `electron`, no
 * `node:*`), so the preload, the main process and the renderer's types all read the same file.
 */

/** What the window needs to reach the host: its base URL and token, and the app's version for "About". */
export interface HostConnectionInfo {
  /** The host's URL without a trailing slash, e.g. `http://127.0.0.1:9081`. */
  apiBase: string;
  /** Empty when the host requires no token. */
  token: string;
  appVersion: string;
}

/** A zip the user picked in the native file dialog, with its bytes so the window can upload it. */
export interface ChosenZip {
  /** The file's name without folders, e.g. `random3.zip`. */
  name: string;
  /** The absolute path, shown to the user and usable as a `file://` install source. */
  path: string;
  bytes: Uint8Array;
}

/**
 * Why the window asks for a folder: a place for a new plugin's scaffold (may be created in the dialog), or a
 * plugin's folder to package and develop.
 */
export type FolderPurpose = 'scaffold' | 'plugin';

export const FOLDER_PURPOSES: readonly FolderPurpose[] = ['scaffold', 'plugin'];

/** Request/response channels (`ipcRenderer.invoke` ↔ `ipcMain.handle`). */
export interface IpcInvokeContract {
  'app:choose-zip': { args: []; result: ChosenZip | null };
  'app:choose-folder': { args: [purpose: FolderPurpose]; result: string | null };
  'app:open-link': { args: [url: string]; result: void };
  'app:show-data-folder': { args: []; result: void };
}

/** The one synchronous channel: the preload needs the connection before the page's scripts run. */
export interface IpcSyncContract {
  'app:connection': { args: []; result: HostConnectionInfo };
}

export type InvokeChannel = keyof IpcInvokeContract;
export type SyncChannel = keyof IpcSyncContract;

export const INVOKE_CHANNELS = [
  'app:choose-zip',
  'app:choose-folder',
  'app:open-link',
  'app:show-data-folder',
] as const satisfies ReadonlyArray<InvokeChannel>;
export const SYNC_CHANNELS = ['app:connection'] as const satisfies ReadonlyArray<SyncChannel>;

/**
 * The object the preload exposes as `window.extensionManager`: named methods only, never a generic
 * `invoke(channel)`, so a compromised page can do no more than these few things.
 */
export interface ExtensionManagerBridge extends HostConnectionInfo {
  /** Opens the native "choose a zip" dialog; `null` when the user cancels. */
  chooseZip(): Promise<ChosenZip | null>;
  /** Opens the native "choose a folder" dialog; the absolute path, or `null` when the user cancels. */
  chooseFolder(purpose: FolderPurpose): Promise<string | null>;
  /** Opens an http(s) link in the system browser (help pages, eKuiper's documentation). */
  openLink(url: string): Promise<void>;
  /** Shows the host's data folder (plugins/, etc/, data/) in the system file manager. */
  showDataFolder(): Promise<void>;
}

/** Longest link accepted by `openLink`; real documentation links are far shorter. */
export const MAX_LINK_LENGTH = 2048;

/**
 * The only links the app hands to the system browser: http and https, without credentials. Anything else
 * (`file:`, `javascript:`, custom schemes that start other programs) is refused.
 */
export function externalLink(url: unknown): URL | undefined {
  if (typeof url !== 'string' || url.length > MAX_LINK_LENGTH) return undefined;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return undefined;
  if (parsed.username !== '' || parsed.password !== '' || parsed.hostname === '') return undefined;
  return parsed;
}

/**
 * Checks the arguments of an invoke channel; answers the problem in one sentence, or `undefined`. The main
 * process calls this before doing anything, since a compromised page can send anything.
 */
export function argumentProblem(channel: InvokeChannel, args: readonly unknown[]): string | undefined {
  switch (channel) {
    case 'app:choose-zip':
    case 'app:show-data-folder':
      return args.length === 0 ? undefined : `${channel} takes no arguments`;
    case 'app:choose-folder':
      return args.length === 1 && FOLDER_PURPOSES.includes(args[0] as FolderPurpose)
        ? undefined
        : `${channel} takes one purpose: ${FOLDER_PURPOSES.join(' or ')}`;
    case 'app:open-link':
      if (args.length !== 1) return `${channel} takes one link`;
      return externalLink(args[0]) === undefined
        ? `${channel} opens only http and https links without credentials`
        : undefined;
  }
}
