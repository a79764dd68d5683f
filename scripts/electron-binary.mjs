// Where Electron's binary is, found without `require('electron')`: that call downloads the binary when it is
// missing, which hangs or fails offline. `npm start` and the desktop e2e suite both ask here.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** The `electron` package's folder as the project resolves it, or undefined when it is not installed. */
export function electronPackageDir(projectDir) {
  try {
    return dirname(createRequire(join(projectDir, 'package.json')).resolve('electron/package.json'));
  } catch {
    return undefined;
  }
}

/**
 * The Electron executable if it is installed: the path Electron's installer wrote in `path.txt`, under
 * `dist/` (or `ELECTRON_OVERRIDE_DIST_PATH`), when that file exists.
 */
export function installedElectron(projectDir, env = process.env) {
  const packageDir = electronPackageDir(projectDir);
  if (packageDir === undefined) return undefined;
  const pathFile = join(packageDir, 'path.txt');
  const relative = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : '';
  const override = env.ELECTRON_OVERRIDE_DIST_PATH;
  const binary =
    override !== undefined && override !== ''
      ? join(override, relative || 'electron')
      : relative === ''
        ? undefined
        : join(packageDir, 'dist', relative);
  return binary !== undefined && existsSync(binary) ? binary : undefined;
}
