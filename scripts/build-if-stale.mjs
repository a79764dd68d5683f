#!/usr/bin/env node
// `npm start`, `npm run serve` and `npm run bench` build through this: `electron-vite build` runs only when the
// sources changed since the last build (a stamp in out/ holds their fingerprint), so a start with a current
// build is immediate. `--force` always builds (`npm run build`, the test command).
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** What a build writes and every start needs. */
export const BUILD_OUTPUTS = [
  'out/main/index.js',
  'out/main/serve.js',
  'out/main/pack-cli.js',
  'out/main/extract-worker.js',
  'out/preload/index.cjs',
  'out/renderer/index.html',
];

/** Where the build's inputs live: the bundles' sources, the app icon (the page's favicon), the build configs. */
const SOURCE_DIRS = ['main', 'preload', 'shared', 'renderer'];
const SOURCE_FILES = [
  'assets/icon.ico',
  'electron.vite.config.ts',
  'package.json',
  'package-lock.json',
  'tsconfig.json',
  'tsconfig.base.json',
  'tsconfig.node.json',
  'tsconfig.web.json',
];

/** The fingerprint of the sources the last successful build was made from. */
export const BUILD_STAMP = 'out/.build-stamp.json';

/** Tests are not bundled: changing one needs no build. */
const isTest = (path) => /\.test\.[cm]?[jt]sx?$/.test(path) || path.startsWith('renderer/src/test/');

/** Every input of the build, relative to `root`, sorted so the fingerprint does not depend on the file system. */
export function buildInputs(root) {
  const files = [];
  for (const dir of SOURCE_DIRS) {
    if (!existsSync(join(root, dir))) continue;
    for (const entry of readdirSync(join(root, dir), { recursive: true, withFileTypes: true })) {
      if (!entry.isFile()) continue;
      const path = relative(root, join(entry.parentPath, entry.name)).split('\\').join('/');
      if (!isTest(path)) files.push(path);
    }
  }
  for (const file of SOURCE_FILES) if (existsSync(join(root, file))) files.push(file);
  return files.sort();
}

/**
 * A hash of every input's path and content. Contents rather than modification times: a checkout or an editor
 * that rewrites a file unchanged needs no build, and a changed file is seen whatever its clock says.
 */
export function sourceFingerprint(root) {
  const hash = createHash('sha256');
  for (const path of buildInputs(root)) {
    hash
      .update(path)
      .update('\0')
      .update(readFileSync(join(root, path)))
      .update('\0');
  }
  return hash.digest('hex');
}

/** Whether `out/` was built from the sources as they are, and if not, why (for the log line). */
export function buildState(root) {
  const missing = BUILD_OUTPUTS.find((file) => !existsSync(join(root, file)));
  if (missing !== undefined) return { current: false, reason: `${missing} is missing` };
  let stamp;
  try {
    stamp = JSON.parse(readFileSync(join(root, BUILD_STAMP), 'utf8'));
  } catch {
    return { current: false, reason: 'no record of the last build' };
  }
  return stamp.fingerprint === sourceFingerprint(root)
    ? { current: true }
    : { current: false, reason: 'the sources changed since the last build' };
}

/** Runs electron-vite's build in `root` (its output to stderr with `--stderr`); answers its exit status. */
function electronViteBuild(root) {
  const stdio = process.argv.includes('--stderr') ? ['inherit', 2, 'inherit'] : 'inherit';
  const require = createRequire(join(root, 'package.json'));
  const bin = join(dirname(require.resolve('electron-vite/package.json')), 'bin/electron-vite.js');
  return spawnSync(process.execPath, [bin, 'build'], { cwd: root, stdio }).status ?? 1;
}

/**
 * Builds unless `out/` is current (or `force`), then records what it was built from. `build` runs the build
 * and answers its exit status (electron-vite's by default; tests pass their own).
 */
export function ensureBuilt(root, { force = false, build = electronViteBuild, log = console.log } = {}) {
  const state = force ? { current: false, reason: 'asked to build' } : buildState(root);
  if (state.current) {
    log('The build is current: starting without rebuilding.');
    return { built: false, status: 0 };
  }
  // Fingerprinted before the build, so a file edited while it runs makes the next start build again.
  const fingerprint = sourceFingerprint(root);
  log(`Building (${state.reason}): electron-vite build`);
  const status = build(root);
  if (status === 0) {
    writeFileSync(
      join(root, BUILD_STAMP),
      `${JSON.stringify({ fingerprint, builtAt: new Date().toISOString() })}\n`,
    );
  }
  return { built: true, status };
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
  // `--stderr`: the log lines go to stderr, so a command's own output (`npm run pack` prints the zip's path and
  // SHA-256) stays all a script reads on stdout.
  const log = process.argv.includes('--stderr') ? console.error : console.log;
  const { status } = ensureBuilt(root, { force: process.argv.includes('--force'), log });
  process.exit(status);
}
