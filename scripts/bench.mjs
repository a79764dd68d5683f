#!/usr/bin/env node
// `npm run bench`: rebuilds the host and the page when out/ is missing or older than their sources, then runs
// bench/run.ts (through tsx) and passes its flags on: `npm run bench -- --only list --quick`.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const outputs = ['out/main/serve.js', 'out/main/extract-worker.js', 'out/renderer/index.html'].map((file) =>
  join(root, file),
);
const inputs = ['main', 'shared', 'renderer', 'electron.vite.config.ts', 'package.json', 'package-lock.json'];

/** Newest modification time of a file, or of any file under a folder. */
function newestMtime(path) {
  if (!existsSync(path)) return 0;
  const info = statSync(path);
  if (!info.isDirectory()) return info.mtimeMs;
  let newest = info.mtimeMs;
  for (const entry of readdirSync(path, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) newest = Math.max(newest, statSync(join(entry.parentPath, entry.name)).mtimeMs);
  }
  return newest;
}

function buildReason() {
  const missing = outputs.find((file) => !existsSync(file));
  if (missing !== undefined) return `${missing} is missing`;
  const built = Math.min(...outputs.map((file) => statSync(file).mtimeMs));
  const changed = inputs.find((input) => newestMtime(join(root, input)) > built);
  return changed === undefined ? undefined : `${changed} changed since the last build`;
}

const reason = buildReason();
if (reason !== undefined) {
  console.log(`Building the host and the page (${reason}): npx electron-vite build`);
  const build = spawnSync('npx', ['electron-vite', 'build'], { cwd: root, stdio: 'inherit' });
  if (build.status !== 0) {
    console.error('The build failed; nothing was benchmarked.');
    process.exit(build.status ?? 1);
  }
}

const child = spawn(
  process.execPath,
  ['--import', 'tsx', join(root, 'bench/run.ts'), ...process.argv.slice(2)],
  {
    cwd: root,
    stdio: 'inherit',
  },
);
// Ctrl-C reaches the child through the terminal; a SIGTERM sent to this process only is passed on.
process.on('SIGTERM', () => child.kill('SIGTERM'));
process.on('SIGINT', () => {});
child.on('exit', (code, signal) => process.exit(code ?? (signal === null ? 1 : 130)));
