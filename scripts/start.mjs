#!/usr/bin/env node
// `npm start` after the build: opens the desktop app with Electron's binary. Where the binary is missing it is
// fetched with Electron's own installer (progress shown); where that cannot be done — offline,
// ELECTRON_SKIP_BINARY_DOWNLOAD, a Node.js too old for the installer — it says why in a line and runs the
// headless host, which serves the same window to any browser on its URL.
import { spawn } from 'node:child_process';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { installedElectron } from './electron-binary.mjs';
import { downloadBase, downloadElectron } from './electron-download.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

const HEADLESS =
  "Electron's binary is not installed here, so the app window cannot open: starting the headless host; " +
  'open the URL below in a browser.';

/** What to do to get the window later, after a download that could not happen. */
function laterHint(result) {
  if (result.skipped) return 'To get the window, run npm start without ELECTRON_SKIP_BINARY_DOWNLOAD.';
  if (result.offline) {
    return (
      `To get the window, run npm start again once ${new URL(downloadBase(process.env)).host} can be reached ` +
      '(or set ELECTRON_MIRROR to a mirror you can reach).'
    );
  }
  return 'To get the window, fix the cause above and run npm start again.';
}

async function main() {
  let electron = installedElectron(root);
  if (electron === undefined) {
    const result = await downloadElectron(root);
    if (!result.ok) {
      if (!result.skipped) console.log(`Could not fetch Electron's binary: ${result.reason}.`);
      console.log(`${HEADLESS} ${laterHint(result)}`);
      await import(pathToFileURL(join(root, 'out/main/serve.js')).href);
      return;
    }
    electron = result.binary;
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
