/**
 * Placeholder Electron entry: the desktop shell (window, security guards, menu, settings store) is built on
 * top of the host in its own issue. Until then the app is the headless host (`npm run serve`).
 */
export {};
