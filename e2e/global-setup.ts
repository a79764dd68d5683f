import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureBuilt } from '../scripts/build-if-stale.mjs';

/**
 * Builds the renderer when its sources changed since the last build, so the host serves the page the tests
 * drive. `E2E_SKIP_BUILD=1` reuses `out/renderer` when the caller has just built it (the test command does).
 */
export default function globalSetup(): void {
  if (process.env.E2E_SKIP_BUILD === '1') return;
  const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
  if (ensureBuilt(root).status !== 0) throw new Error('electron-vite build failed');
}
