/**
 * Runs the *built* main bundle (`out/main/index.js`) under plain Node with a stand-in `electron` module: the
 * type check cannot see ESM/CommonJS or bundling mistakes (a missing chunk, a package that should be
 * external, a preload that is not one CommonJS file), and this does.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { runInNewContext } from 'node:vm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { findFreePort } from '../../main/electron/host-startup.js';
import { ensureBuilt } from '../../scripts/build-if-stale.mjs';

const PROJECT = resolve(import.meta.dirname, '../..');
const HOOK = join(import.meta.dirname, 'smoke/register-electron-stub.mjs');
const MAIN = join(PROJECT, 'out/main/index.js');
const PRELOAD = join(PROJECT, 'out/preload/index.cjs');
/** Building and starting node on a loaded two-core machine can take long; nothing here measures speed. */
const TIMEOUT = 120_000;

interface SmokeLine {
  event: string;
  [key: string]: unknown;
}

let userData: string;

/**
 * Builds unless the bundles were built from the sources as they are: the test command has just built them,
 * and a second build on a loaded machine only slows the other suites down.
 */
function buildIfStale(): void {
  if (ensureBuilt(PROJECT, { log: () => {} }).status !== 0) throw new Error('electron-vite build failed');
}

beforeAll(async () => {
  buildIfStale();
  userData = await mkdtemp(join(tmpdir(), 'ekm-smoke-'));
}, TIMEOUT);
afterAll(() => rm(userData, { recursive: true, force: true }));

/** Starts the built app and collects its `SMOKE` lines. */
function launch(env: Record<string, string>): {
  child: ChildProcess;
  lines: SmokeLine[];
  output: () => string;
  next: (event: string) => Promise<SmokeLine>;
  exited: Promise<number | null>;
} {
  const child = spawn(process.execPath, ['--import', HOOK, MAIN], {
    cwd: PROJECT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: SmokeLine[] = [];
  let output = '';
  const waiters: Array<() => void> = [];
  const onData = (chunk: Buffer): void => {
    output += chunk.toString();
    for (const line of chunk.toString().split('\n')) {
      if (line.startsWith('SMOKE ')) lines.push(JSON.parse(line.slice('SMOKE '.length)) as SmokeLine);
    }
    for (const wake of waiters.splice(0)) wake();
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const next = async (event: string): Promise<SmokeLine> => {
    for (;;) {
      const found = lines.find((line) => line.event === event);
      if (found !== undefined) return found;
      if (child.exitCode !== null) throw new Error(`the app exited before '${event}':\n${output}`);
      await new Promise<void>((wake) => {
        waiters.push(wake);
        child.once('exit', () => wake());
      });
    }
  };
  return { child, lines, output: () => output, next, exited };
}

describe('the built app under Node', () => {
  test(
    'starts the host and opens a secure window on its URL; SIGTERM stops both',
    async () => {
      const port = await findFreePort('127.0.0.1');
      const dataDir = join(userData, 'data');
      await writeFile(join(userData, 'config.json'), JSON.stringify({ restPort: port, dataDir }));
      const app = launch({ EKUIPER_MANAGER_USER_DATA: userData });
      try {
        const window = await app.next('window');
        const url = `http://127.0.0.1:${port}`;
        expect(window.url).toBe(url);
        expect(window.status).toBe(200);
        expect(window.csp).toBe(true);
        const options = window.options as { webPreferences: Record<string, unknown> };
        expect(options.webPreferences).toMatchObject({
          contextIsolation: true,
          sandbox: true,
          nodeIntegration: false,
          webviewTag: false,
        });
        expect(options.webPreferences.preload).toBe(PRELOAD);
        expect(existsSync(PRELOAD)).toBe(true);
        expect(window).toMatchObject({
          windowOpenGuarded: true,
          webviewGuarded: true,
          navigationGuarded: true,
        });
        expect((await app.next('permission')).granted).toBe(false);
        expect((await app.next('menu')).labels).toEqual(expect.arrayContaining(['&File', '&View']));

        // A real answer from eKuiper's API on the port from config.json.
        const sources = await fetch(`${url}/plugins/sources`);
        expect(sources.status).toBe(200);
        expect(await sources.json()).toEqual([]);
        expect(existsSync(join(dataDir, 'plugins'))).toBe(true);

        // An install runs the built extraction worker (a separate entry the bundled host must find).
        const zip = resolve(PROJECT, '../shared/fixtures/ekuiper-testzips/sources/random3.zip');
        const created = await fetch(`${url}/plugins/sources`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({ name: 'random3', file: pathToFileURL(zip).href }),
        });
        expect(await created.text()).toContain('created');
        expect(created.status).toBe(201);
        expect(existsSync(join(dataDir, 'plugins/sources/Random3@v1.0.0.so'))).toBe(true);

        app.child.kill('SIGTERM');
        expect(await app.exited).toBe(0);
        await expect(fetch(`${url}/ping`)).rejects.toThrow();
      } finally {
        if (app.child.exitCode === null) app.child.kill('SIGKILL');
      }
    },
    TIMEOUT,
  );

  test(
    'a taken port is asked about, never a silent failure',
    async () => {
      const port = await findFreePort('127.0.0.1');
      const { createServer } = await import('node:net');
      const blocker = createServer();
      await new Promise<void>((done) => blocker.listen({ host: '127.0.0.1', port }, done));
      await writeFile(
        join(userData, 'config.json'),
        JSON.stringify({ restPort: port, dataDir: join(userData, 'data') }),
      );
      const app = launch({ EKUIPER_MANAGER_USER_DATA: userData });
      try {
        // The stand-in answers the dialog with its cancel button: quit.
        expect((await app.next('dialog')).message).toBe(`Port ${port} is already in use`);
        expect(await app.exited).toBe(1);
        expect(app.lines.some((line) => line.event === 'window')).toBe(false);
      } finally {
        if (app.child.exitCode === null) app.child.kill('SIGKILL');
        await new Promise((done) => blocker.close(done));
      }
    },
    TIMEOUT,
  );
});

describe('the built preload', () => {
  test('is one CommonJS file that requires nothing but electron and exposes the typed bridge', async () => {
    const source = await readFile(PRELOAD, 'utf8');
    const required: string[] = [];
    const exposed: Record<string, unknown> = {};
    const invoked: unknown[][] = [];
    const electron = {
      contextBridge: {
        exposeInMainWorld: (key: string, api: unknown) => {
          exposed[key] = api;
        },
      },
      ipcRenderer: {
        sendSync: (channel: string) =>
          channel === 'app:connection'
            ? { apiBase: 'http://127.0.0.1:9081', token: 't', appVersion: '1.2.3' }
            : undefined,
        invoke: (...args: unknown[]) => {
          invoked.push(args);
          return Promise.resolve(null);
        },
      },
    };
    const module = { exports: {} };
    // A sandboxed preload gets `require` for a few modules only; anything but `electron` would fail there.
    const sandboxRequire = (name: string): unknown => {
      required.push(name);
      if (name !== 'electron') throw new Error(`the preload requires '${name}'`);
      return electron;
    };
    const wrapped = runInNewContext(`(function (require, module, exports) {${source}\n})`, {}) as (
      require: (name: string) => unknown,
      module: { exports: unknown },
      exports: unknown,
    ) => void;
    wrapped(sandboxRequire, module, module.exports);
    expect(required).toEqual(['electron']);
    const bridge = exposed.extensionManager as Record<string, unknown> & {
      chooseZip(): Promise<unknown>;
      chooseFolder(purpose: string): Promise<unknown>;
      openLink(url: string): Promise<unknown>;
      showDataFolder(): Promise<unknown>;
    };
    expect(bridge).toMatchObject({ apiBase: 'http://127.0.0.1:9081', token: 't', appVersion: '1.2.3' });
    expect(Object.keys(bridge).sort()).toEqual(
      ['apiBase', 'appVersion', 'chooseFolder', 'chooseZip', 'openLink', 'showDataFolder', 'token'].sort(),
    );
    await bridge.chooseZip();
    await bridge.chooseFolder('plugin');
    await bridge.openLink('https://ekuiper.org/');
    await bridge.showDataFolder();
    expect(invoked).toEqual([
      ['app:choose-zip'],
      ['app:choose-folder', 'plugin'],
      ['app:open-link', 'https://ekuiper.org/'],
      ['app:show-data-folder'],
    ]);
  });
});

describe('the built main bundle', () => {
  test('imports at run time only Node built-ins, electron and packages electron-builder will pack', async () => {
    const manifest = JSON.parse(await readFile(join(PROJECT, 'package.json'), 'utf8')) as {
      dependencies: Record<string, string>;
    };
    const { readdir } = await import('node:fs/promises');
    const files = [
      ...(await readdir(join(PROJECT, 'out/main'))).filter((name) => name.endsWith('.js')),
      ...(await readdir(join(PROJECT, 'out/main/chunks'))).map((name) => `chunks/${name}`),
    ];
    const bare = new Set<string>();
    for (const file of files) {
      const code = await readFile(join(PROJECT, 'out/main', file), 'utf8');
      for (const match of code.matchAll(/(?:^|\n)import\s[^'"]*?["']([^"']+)["']/g)) {
        const specifier = match[1]!;
        if (specifier.startsWith('.') || specifier.startsWith('node:')) continue;
        bare.add(
          specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : specifier.split('/')[0]!,
        );
      }
    }
    const { builtinModules } = await import('node:module');
    const packages = [...bare].filter((name) => !builtinModules.includes(name) && name !== 'electron');
    expect(packages.length).toBeGreaterThan(0);
    for (const name of packages) expect(manifest.dependencies, name).toHaveProperty(name);
  });

  test("the extraction worker's imports are all unpacked from the archive", async () => {
    const worker = await readFile(join(PROJECT, 'out/main/extract-worker.js'), 'utf8');
    const relative = [...worker.matchAll(/from\s+["'](\.[^"']+)["']/g)].map((match) => match[1]!);
    for (const path of relative)
      expect(path, 'covered by asarUnpack out/main/chunks/**').toMatch(/^\.\/chunks\//);
  });
});
