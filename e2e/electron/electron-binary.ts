import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/**
 * The Electron executable if it is installed, found without `require('electron')` (which tries to download
 * it). The same lookup as `scripts/start.mjs`.
 */
export function installedElectron(projectDir: string): string | undefined {
  let packageDir: string;
  try {
    packageDir = dirname(createRequire(join(projectDir, 'package.json')).resolve('electron/package.json'));
  } catch {
    return undefined;
  }
  const pathFile = join(packageDir, 'path.txt');
  const relative = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : '';
  const override = process.env.ELECTRON_OVERRIDE_DIST_PATH;
  let binary: string | undefined;
  if (override !== undefined && override !== '') binary = join(override, relative || 'electron');
  else if (relative !== '') binary = join(packageDir, 'dist', relative);
  return binary !== undefined && existsSync(binary) ? binary : undefined;
}

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
