import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { test as base, expect, type JSHandle, type Locator, type Page } from '@playwright/test';
import { startHost, type RunningHost } from '../main/host/host.js';
import { defaultSettings, staticSettings, type HostSettings } from '../main/settings/host-settings.js';
import { acquireTestLock, LOCK_WAIT_MS } from '../test/support/test-lock.js';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');
/** The shared fixture zips, beside the project (`../shared/fixtures`). */
export const FIXTURES = resolve(repo, '../shared/fixtures');
const RENDERER_DIR = join(repo, 'out/renderer');
/** Where the screenshots of each main screen go (git-ignored, kept as CI artifacts). */
export const SCREENSHOTS = join(repo, 'test-results/screenshots');

/** The plugins every test starts with: two sources, a sink, two function plugins and the runnable portable. */
export const SEED = [
  { kind: 'sources', name: 'random3', zip: 'ekuiper-testzips/sources/random3.zip' },
  { kind: 'sources', name: 'random2', zip: 'ekuiper-testzips/sources/random2.zip' },
  { kind: 'sinks', name: 'file2', zip: 'ekuiper-testzips/sinks/file2.zip' },
  { kind: 'functions', name: 'echo2', zip: 'ekuiper-testzips/functions/echo2.zip' },
  { kind: 'functions', name: 'comp', zip: 'ekuiper-testzips/functions/comp.zip' },
  { kind: 'portables', name: 'mirror', zip: 'portable/mirror.zip' },
] as const;

/** A real headless host on a temp data folder, which a test can stop and start again on the same port. */
export interface TestHost {
  url: string;
  port: number;
  dataDir: string;
  stop(): Promise<void>;
  /** Starts a new host on the same port and data folder. */
  restart(): Promise<void>;
}

/**
 * Starts a host on `settings`, kept in memory and writable, so a test can change them with
 * `PUT /manager/settings` as the window does, and a restart keeps what it changed.
 */
async function launch(settings: HostSettings): Promise<RunningHost> {
  return startHost({ settings: staticSettings(settings), rendererDir: RENDERER_DIR });
}

/** Installs a zip on a host through eKuiper's REST API; a refusal fails the test with the host's own words. */
export async function installZip(url: string, kind: string, name: string, zip: string): Promise<void> {
  const response = await fetch(`${url}/plugins/${kind}`, {
    method: 'POST',
    body: JSON.stringify({ name, file: pathToFileURL(zip).href }),
  });
  if (response.status !== 201) throw new Error(`installing ${name}: ${await response.text()}`);
}

async function seed(url: string): Promise<void> {
  for (const plugin of SEED) await installZip(url, plugin.kind, plugin.name, join(FIXTURES, plugin.zip));
}

/** Another host of ours playing a remote eKuiper server; it can be stopped and started again on its port. */
export interface RemoteHost {
  url: string;
  /** Its live settings (kept in memory, changed by `PUT /manager/settings`). */
  settings: HostSettings;
  stop(): Promise<void>;
  start(): Promise<void>;
  /** Stops it and removes `dataDir`. */
  close(): Promise<void>;
}

/** Starts a host on `dataDir` (no page, a free port), for tests that need servers besides the window's own. */
export async function startRemoteHost(dataDir: string): Promise<RemoteHost> {
  const settings: HostSettings = { ...defaultSettings(dataDir), restPort: 0 };
  let running: RunningHost | undefined = await startHost({ settings: staticSettings(settings) });
  settings.restPort = running.port;
  return {
    url: running.url,
    settings,
    stop: async () => {
      await running?.close();
      running = undefined;
    },
    start: async () => {
      running = await startHost({ settings: staticSettings(settings) });
    },
    close: async () => {
      await running?.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A host whose settings the page can change (`PUT /manager/settings`), kept in memory like a settings file. */
export interface WritableHost {
  url: string;
  /** The host's live settings: what a restart would read. */
  settings: HostSettings;
  close(): Promise<void>;
}

/**
 * Starts a host with writable in-memory settings on a copy of `fromDataDir` (the seeded folder), with `overrides`
 * such as a token. The caller closes it and removes nothing else: the copy lives under the OS temp folder.
 */
export async function startWritableHost(
  fromDataDir: string,
  overrides: Partial<HostSettings> = {},
): Promise<WritableHost> {
  const dataDir = mkdtempSync(join(tmpdir(), 'ekm-e2e-settings-'));
  cpSync(fromDataDir, dataDir, { recursive: true });
  const settings: HostSettings = { ...defaultSettings(dataDir), restPort: 0, ...overrides };
  const running = await startHost({ settings: staticSettings(settings), rendererDir: RENDERER_DIR });
  return {
    url: running.url,
    settings,
    close: async () => {
      await running.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * A DataTransfer in the page holding `bytes` as the zip `fileName`, for dispatching real drag and drop events
 * (Playwright cannot drag files from the desktop).
 */
export async function zipTransfer(
  page: Page,
  bytes: Uint8Array,
  fileName: string,
): Promise<JSHandle<DataTransfer>> {
  return page.evaluateHandle(
    ({ base64, name }) => {
      const binary = atob(base64);
      const data = new Uint8Array(binary.length);
      for (let i = 0; i < binary.length; i++) data[i] = binary.charCodeAt(i);
      const transfer = new DataTransfer();
      transfer.items.add(new File([data], name, { type: 'application/zip' }));
      return transfer;
    },
    { base64: Buffer.from(bytes).toString('base64'), name: fileName },
  );
}

/** Saves a screenshot of the whole window under `test-results/screenshots/{name}.png`. */
export async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), animations: 'disabled' });
}

/**
 * Points the host's prebuilt list at a test repository, as eKuiper 2.1.0 on Debian amd64 (the layout
 * `servePluginRepo` paths follow), so prebuilt plugins are listed and downloaded from it.
 */
export async function usePrebuiltRepo(hostUrl: string, repoUrl: string): Promise<void> {
  const saved = await fetch(`${hostUrl}/manager/settings`, {
    method: 'PUT',
    body: JSON.stringify({
      pluginHosts: repoUrl,
      ekuiperVersion: '2.1.0',
      osFlavour: 'debian',
      arch: 'amd64',
    }),
  });
  expect(saved.status).toBe(200);
}

/**
 * Opens the window at `url` with the language and colour scheme already chosen, as a returning user's stored
 * preferences would have them, so the first paint is already in that language and theme.
 */
export async function openWithPreferences(
  page: Page,
  url: string,
  language: string,
  colorScheme: 'light' | 'dark' = 'light',
): Promise<void> {
  await page.addInitScript(
    (preferences) => {
      localStorage.setItem(
        'ekuiper-extension-manager.preferences',
        JSON.stringify({ state: preferences, version: 0 }),
      );
    },
    { language, colorScheme },
  );
  await page.goto(url);
}

/** Drops `bytes` as a file called `name` on `zone` (a zip drop zone) with a real DataTransfer, as a user's drag does. */
export async function dropZip(page: Page, zone: Locator, bytes: Uint8Array, name: string): Promise<void> {
  const dataTransfer = await zipTransfer(page, bytes, name);
  for (const type of ['dragenter', 'dragover', 'drop']) await zone.dispatchEvent(type, { dataTransfer });
}

/**
 * `seededDataDir`: a data folder with the SEED installed, made once per worker (installs take a few hundred ms
 * each). `host`: a host per test on a copy of it, so tests that delete or stop it cannot affect each other.
 */
export const test = base.extend<{ host: TestHost }, { mirrorLock: void; seededDataDir: string }>({
  // Every host here runs the seeded `mirror`, whose socket names are fixed (`/tmp/plugin_mirror.ipc`): hold the
  // machine-wide lock the vitest suites take for it, for as long as this worker runs hosts.
  mirrorLock: [
    // eslint-disable-next-line no-empty-pattern -- Playwright reads the fixtures a function needs from its first parameter.
    async ({}, use) => {
      const release = await acquireTestLock('mirror', LOCK_WAIT_MS);
      try {
        await use();
      } finally {
        await release();
      }
    },
    { scope: 'worker', timeout: LOCK_WAIT_MS },
  ],
  seededDataDir: [
    async ({ mirrorLock }, use) => {
      void mirrorLock;
      const dataDir = mkdtempSync(join(tmpdir(), 'ekm-e2e-seed-'));
      const running = await launch({ ...defaultSettings(dataDir), restPort: 0 });
      try {
        await seed(running.url);
      } finally {
        await running.close();
      }
      await use(dataDir);
      rmSync(dataDir, { recursive: true, force: true });
    },
    { scope: 'worker' },
  ],
  host: async ({ seededDataDir }, use) => {
    const dataDir = mkdtempSync(join(tmpdir(), 'ekm-e2e-'));
    cpSync(seededDataDir, dataDir, { recursive: true });
    const settings: HostSettings = { ...defaultSettings(dataDir), restPort: 0 };
    let running: RunningHost | undefined = await launch(settings);
    const port = running.port;
    settings.restPort = port;
    const url = running.url;
    await use({
      url,
      port,
      dataDir,
      stop: async () => {
        await running?.close();
        running = undefined;
      },
      restart: async () => {
        running = await launch(settings);
      },
    });
    await running?.close();
    rmSync(dataDir, { recursive: true, force: true });
  },
});

export { expect } from '@playwright/test';

export { servePluginRepo, type PluginRepo, type RepoZip } from '../test/support/plugin-repo.js';
