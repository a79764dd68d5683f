/**
 * `npm start` and `npm run serve` build only when the sources changed since the last build: a stamp in out/
 * holds the fingerprint of what the build was made from.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { BUILD_OUTPUTS, buildInputs, ensureBuilt } from '../../scripts/build-if-stale.mjs';

const PROJECT = resolve(import.meta.dirname, '../..');
const temps: string[] = [];
afterEach(async () => {
  await Promise.all(temps.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

function write(root: string, path: string, text: string): void {
  mkdirSync(dirname(join(root, path)), { recursive: true });
  writeFileSync(join(root, path), text);
}

/** A project with a source, a test, a config, and a "build" that writes the outputs and counts its runs. */
async function fakeProject(): Promise<{
  root: string;
  builds: () => number;
  build: (root: string) => number;
}> {
  const root = await mkdtemp(join(tmpdir(), 'ekm-build-'));
  temps.push(root);
  write(root, 'main/host.ts', 'export const a = 1;\n');
  write(root, 'main/host.test.ts', 'test();\n');
  write(root, 'renderer/src/test/setup.ts', 'setup();\n');
  write(root, 'package.json', '{}\n');
  let count = 0;
  const build = (at: string): number => {
    count++;
    for (const output of BUILD_OUTPUTS) write(at, output, 'built');
    return 0;
  };
  return { root, builds: () => count, build };
}

describe('ensureBuilt', () => {
  test('builds once, then starts at once until a source changes', async () => {
    const { root, builds, build } = await fakeProject();
    const log: string[] = [];
    const options = { build, log: (line: string) => void log.push(line) };
    expect(ensureBuilt(root, options)).toEqual({ built: true, status: 0 });
    expect(log).toEqual(['Building (out/main/index.js is missing): electron-vite build']);
    expect(ensureBuilt(root, options)).toEqual({ built: false, status: 0 });
    expect(log.at(-1)).toBe('The build is current: starting without rebuilding.');

    // Tests are not bundled; a file rewritten unchanged is not a change.
    write(root, 'main/host.test.ts', 'test(); test();\n');
    write(root, 'renderer/src/test/setup.ts', 'setup(); setup();\n');
    write(root, 'main/host.ts', 'export const a = 1;\n');
    expect(ensureBuilt(root, options).built).toBe(false);

    write(root, 'main/host.ts', 'export const a = 2;\n');
    expect(ensureBuilt(root, options).built).toBe(true);
    expect(log.at(-1)).toBe('Building (the sources changed since the last build): electron-vite build');
    write(root, 'shared/new-rule.ts', 'export {};\n');
    expect(ensureBuilt(root, options).built).toBe(true);
    write(root, 'package.json', '{"dependencies":{}}\n');
    expect(ensureBuilt(root, options).built).toBe(true);
    expect(builds()).toBe(4);

    rmSync(join(root, 'out/renderer/index.html'));
    expect(ensureBuilt(root, options).built).toBe(true);
    expect(ensureBuilt(root, { ...options, force: true }).built).toBe(true);
    expect(builds()).toBe(6);
  });

  test('a failed build records nothing: the next start builds again', async () => {
    const { root, build } = await fakeProject();
    const failing = (): number => 1;
    expect(ensureBuilt(root, { build: failing, log: () => {} })).toEqual({ built: true, status: 1 });
    build(root); // outputs exist, but no stamp says what they were built from
    expect(ensureBuilt(root, { build: failing, log: () => {} })).toEqual({ built: true, status: 1 });
    expect(ensureBuilt(root, { build, log: () => {} }).status).toBe(0);
    expect(ensureBuilt(root, { build, log: () => {} }).built).toBe(false);
  });

  test('the project’s inputs: sources, the app icon and the build configs, no tests', () => {
    const inputs = buildInputs(PROJECT);
    expect(inputs).toEqual(
      expect.arrayContaining([
        'main/host/serve.ts',
        'renderer/index.html',
        'shared/host-messages.ts',
        'preload/index.ts',
        'assets/icon.ico',
        'electron.vite.config.ts',
        'package-lock.json',
      ]),
    );
    expect(inputs.filter((path) => /\.test\.|renderer\/src\/test\//.test(path))).toEqual([]);
  });

  test('the script itself starts without running electron-vite when the project’s build is current', () => {
    if (ensureBuilt(PROJECT, { log: () => {} }).status !== 0) throw new Error('electron-vite build failed');
    const before = statSync(join(PROJECT, 'out/main/serve.js')).mtimeMs;
    const run = spawnSync(process.execPath, [join(PROJECT, 'scripts/build-if-stale.mjs')], {
      cwd: PROJECT,
      encoding: 'utf8',
    });
    expect(run.status).toBe(0);
    expect(run.stdout).toBe('The build is current: starting without rebuilding.\n');
    expect(statSync(join(PROJECT, 'out/main/serve.js')).mtimeMs).toBe(before);
  });
});
