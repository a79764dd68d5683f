import { installedElectron } from '../../scripts/electron-binary.mjs';

export { installedElectron };

/** Why the desktop suite cannot run here, or `undefined` when it can. */
export function electronSkipReason(projectDir: string): string | undefined {
  if (installedElectron(projectDir) === undefined) {
    return (
      "skipped: Electron's binary is not installed (offline or ELECTRON_SKIP_BINARY_DOWNLOAD=1); " +
      'the browser suite covers the window, the smoke test covers the built main bundle'
    );
  }
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) {
    return 'skipped: no display for the Electron window; run it under xvfb-run (npm run test:electron)';
  }
  return undefined;
}
