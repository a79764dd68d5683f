/**
 * The desktop app's extras beyond the host connection (`window.extensionManager`, see `shared/ipc-contract.ts`).
 * Each answers "not here" in a plain browser, so pages offer these actions only where they work.
 */

/** The app's version as the desktop app reports it; `undefined` in a browser or when the app gives none. */
export function desktopAppVersion(): string | undefined {
  const version = typeof window === 'undefined' ? undefined : window.extensionManager?.appVersion;
  return typeof version === 'string' && version.trim() !== '' ? version.trim() : undefined;
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
