/**
 * Entry of the Electron main process (`out/main/index.js`). Everything that imports `electron` lives in this
 * folder; the host it starts (`main/host`) runs without Electron too.
 */
import { runDesktopApp } from './desktop-app.js';

runDesktopApp().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
