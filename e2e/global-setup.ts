import { spawnSync } from 'node:child_process';

/**
 * Builds the renderer once per run, so the host serves the page the tests drive (about 1 s with electron-vite).
 * `E2E_SKIP_BUILD=1` reuses `out/renderer` when the caller has just built it (the test command does).
 */
export default function globalSetup(): void {
  if (process.env.E2E_SKIP_BUILD === '1') return;
  const result = spawnSync('npx', ['electron-vite', 'build'], { stdio: 'inherit' });
  if (result.status !== 0) throw new Error('electron-vite build failed');
}
