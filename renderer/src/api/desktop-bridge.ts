/**
 * The desktop app's extras beyond the host connection (`window.extensionManager`, see `shared/ipc-contract.ts`).
 * Each answers "not here" in a plain browser, so pages offer these actions only where they work.
 */

import type { FolderPurpose } from '../../../shared/ipc-contract';

/** The app's version as the desktop app reports it; `undefined` in a browser or when the app gives none. */
export function desktopAppVersion(): string | undefined {
  const version = typeof window === 'undefined' ? undefined : window.extensionManager?.appVersion;
  return typeof version === 'string' && version.trim() !== '' ? version.trim() : undefined;
}

/**
 * Opens the native folder dialog, or `undefined` in a browser (which cannot name a folder on the user's disk:
 * there the window asks for a path or offers a download instead).
 */
export function folderChooser(): ((purpose: FolderPurpose) => Promise<string | null>) | undefined {
  const bridge = typeof window === 'undefined' ? undefined : window.extensionManager;
  const choose = bridge?.chooseFolder;
  if (typeof choose !== 'function') return undefined;
  return (purpose) => choose.call(bridge, purpose);
}

/**
 * Opens the host's data folder in the system file manager, or `undefined` when the window has no way to (a
 * browser cannot open local folders).
 */
export function dataFolderOpener(): (() => Promise<void>) | undefined {
  const bridge = typeof window === 'undefined' ? undefined : window.extensionManager;
  const show = bridge?.showDataFolder;
  if (typeof show !== 'function') return undefined;
  return () => show.call(bridge);
}
