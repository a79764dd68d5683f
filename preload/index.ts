/**
 * The preload: runs sandboxed beside the page and exposes one small, typed object as
 * `window.extensionManager` (see `shared/ipc-contract.ts`). Named methods only — the page can never send
 * on a channel of its choosing. Bundled as one CommonJS file that requires nothing but `electron`.
 */
import { contextBridge, ipcRenderer } from 'electron';
import type {
  ExtensionManagerBridge,
  HostConnectionInfo,
  InvokeChannel,
  IpcInvokeContract,
  SyncChannel,
} from '../shared/ipc-contract.js';

function invoke<C extends InvokeChannel>(
  channel: C,
  ...args: IpcInvokeContract[C]['args']
): Promise<IpcInvokeContract[C]['result']> {
  return ipcRenderer.invoke(channel, ...args) as Promise<IpcInvokeContract[C]['result']>;
}

const connectionChannel: SyncChannel = 'app:connection';
// Synchronous once, before the page's scripts run: the page reads the host's address as plain properties.
const connection = ipcRenderer.sendSync(connectionChannel) as HostConnectionInfo | null;

const bridge: ExtensionManagerBridge = {
  apiBase: connection?.apiBase ?? '',
  token: connection?.token ?? '',
  appVersion: connection?.appVersion ?? '',
  chooseZip: () => invoke('app:choose-zip'),
  chooseFolder: (purpose) => invoke('app:choose-folder', purpose),
  openLink: (url) => invoke('app:open-link', url),
  showDataFolder: () => invoke('app:show-data-folder'),
};

contextBridge.exposeInMainWorld('extensionManager', bridge);
