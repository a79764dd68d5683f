#!/usr/bin/env node
// `npm start` after the build: opens the desktop app with Electron's binary, or, where that binary is not
// installed (offline installs, CI, headless servers), says so in one line and runs the headless host, which
// serves the same window to any browser on its URL.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/**
 * The Electron executable if it is installed, found without `require('electron')`: that call tries to
 * download the binary, which hangs or fails offline.
 */
export function installedElectron() {
  let packageDir;
  try {
    packageDir = dirname(createRequire(join(root, 'package.json')).resolve('electron/package.json'));
  } catch {
    return undefined;
  }
  const pathFile = join(packageDir, 'path.txt');
  const relative = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : '';
  const override = process.env.ELECTRON_OVERRIDE_DIST_PATH;
  const binary =
    override !== undefined && override !== ''
      ? join(override, relative || 'electron')
      : relative === ''
        ? undefined
        : join(packageDir, 'dist', relative);
  return binary !== undefined && existsSync(binary) ? binary : undefined;
}

async function main() {
  const electron = installedElectron();
  if (electron === undefined) {
    console.log(
      "Electron's binary is not installed here, so the app window cannot open: starting the headless host; " +
        'open the URL below in a browser.',
    );
    await import(pathToFileURL(join(root, 'out/main/serve.js')).href);
    return;
  }
  const env = { ...process.env };
  delete env.ELECTRON_RUN_AS_NODE;
  const child = spawn(electron, [root, ...process.argv.slice(2)], { stdio: 'inherit', env });
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
  child.on('exit', (code, signal) => process.exit(code ?? (signal === null ? 0 : 1)));
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await main();
}
