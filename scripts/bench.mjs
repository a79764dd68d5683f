#!/usr/bin/env node
// `npm run bench`: rebuilds the host and the page when their sources changed since the last build, then runs
// bench/run.ts (through tsx) and passes its flags on: `npm run bench -- --only list --quick`.
import { spawn } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureBuilt } from './build-if-stale.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
if (ensureBuilt(root).status !== 0) {
  console.error('The build failed; nothing was benchmarked.');
  process.exit(1);
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
