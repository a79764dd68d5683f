import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { _electron as electron, expect, test, type ElectronApplication, type Page } from '@playwright/test';
import { electronSkipReason, installedElectron } from './electron-binary';

const PROJECT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const RANDOM3 = resolve(PROJECT, '../shared/fixtures/ekuiper-testzips/sources/random3.zip');
const SCREENSHOTS = join(PROJECT, 'test-results/screenshots');

const skipReason = electronSkipReason(PROJECT);
test.beforeAll(() => {
  // Said once in the run's output, not only in the report's annotations.
  if (skipReason !== undefined) console.log(`Electron desktop suite ${skipReason}`);
  test.skip(skipReason !== undefined, skipReason);
});

/** What the preload exposes, as the page sees it. */
type PageWithBridge = Window & { extensionManager?: Record<string, unknown> };

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen({ host: '127.0.0.1', port: 0 }, done));
  const address = server.address();
  await new Promise((done) => server.close(done));
  if (typeof address !== 'object' || address === null) throw new Error('no port');
  return address.port;
}

let userData: string;
let port: number;
let app: ElectronApplication;
let page: Page;

test.beforeEach(async () => {
  test.skip(skipReason !== undefined, skipReason);
  userData = mkdtempSync(join(tmpdir(), 'ekm-electron-'));
  port = await freePort();
  writeFileSync(
    join(userData, 'config.json'),
    JSON.stringify({ restPort: port, dataDir: join(userData, 'data') }),
  );
  app = await electron.launch({
    executablePath: installedElectron(PROJECT)!,
    // Root in CI containers cannot use Chromium's sandbox for the browser process; the page stays sandboxed.
    args: [...(process.getuid?.() === 0 ? ['--no-sandbox'] : []), PROJECT],
    env: { ...process.env, EKUIPER_MANAGER_USER_DATA: userData, ELECTRON_ENABLE_LOGGING: '1' },
  });
  page = await app.firstWindow();
  await page.evaluate(() => {
    localStorage.setItem(
      'ekuiper-extension-manager.preferences',
      JSON.stringify({ state: { language: 'en', colorScheme: 'light' }, version: 0 }),
    );
  });
  await page.reload();
  await expect(page.getByRole('table', { name: 'Portable plugins' })).toBeVisible();
});

test.afterEach(async () => {
  await app?.close();
  rmSync(userData, { recursive: true, force: true });
});

test('opens a sandboxed window on the host with the preload bridge only', async () => {
  expect(page.url()).toBe(`http://127.0.0.1:${port}/`);
  const inPage = await page.evaluate(() => ({
    require: typeof (globalThis as { require?: unknown }).require,
    process: typeof (globalThis as { process?: unknown }).process,
    ipcRenderer: typeof (globalThis as { ipcRenderer?: unknown }).ipcRenderer,
    bridge: Object.keys((window as PageWithBridge).extensionManager ?? {}).sort(),
    apiBase: (window as PageWithBridge).extensionManager?.apiBase,
  }));
  expect(inPage).toEqual({
    require: 'undefined',
    process: 'undefined',
    ipcRenderer: 'undefined',
    bridge: ['apiBase', 'appVersion', 'chooseZip', 'openLink', 'showDataFolder', 'token'],
    apiBase: `http://127.0.0.1:${port}`,
  });
  // Links leave for the system browser (recorded here instead of opened), never inside the app.
  await app.evaluate(({ shell }) => {
    const opened: string[] = [];
    (globalThis as { opened?: string[] }).opened = opened;
    shell.openExternal = (url: string) => {
      opened.push(url);
      return Promise.resolve();
    };
  });
  await page.evaluate(() => {
    window.location.href = 'https://example.com/away';
  });
  await page.evaluate(() => window.open('https://example.com/popup'));
  await page.evaluate(() => window.open('file:///etc/hostname'));
  await expect
    .poll(() => app.evaluate(() => (globalThis as { opened?: string[] }).opened))
    .toEqual(['https://example.com/away', 'https://example.com/popup']);
  expect(page.url()).toBe(`http://127.0.0.1:${port}/`);
  expect(app.windows()).toHaveLength(1);
  await page.screenshot({ path: join(SCREENSHOTS, 'electron-window.png') });
});

test('installs a plugin through the window and deletes it', async () => {
  await page.getByRole('tab', { name: /Sources/ }).click();
  await page.getByRole('button', { name: 'Create source plugin' }).first().click();
  const dialog = page.getByRole('dialog', { name: 'Create source plugin' });
  await dialog.getByLabel('Choose a zip file').setInputFiles(RANDOM3);
  await expect(dialog.getByPlaceholder(/Type a name/)).toHaveValue('random3');
  await dialog.getByRole('button', { name: 'Install' }).click();
  await expect(page.getByText('Installed random3')).toBeVisible();
  const rows = page.getByRole('table', { name: 'Sources' }).getByRole('rowgroup').nth(1).getByRole('row');
  await expect(rows).toHaveText([/random3/]);
  expect(await (await fetch(`http://127.0.0.1:${port}/plugins/sources`)).json()).toEqual(['random3']);

  await page.getByRole('button', { name: 'Delete random3' }).click();
  await page.getByRole('dialog', { name: 'Delete random3?' }).getByRole('button', { name: 'Delete' }).click();
  await expect(page.getByText('Deleted random3')).toBeVisible();
  expect(await (await fetch(`http://127.0.0.1:${port}/plugins/sources`)).json()).toEqual([]);
});

test('quitting stops the host', async () => {
  expect((await fetch(`http://127.0.0.1:${port}/ping`)).status).toBe(200);
  await app.close();
  await expect(fetch(`http://127.0.0.1:${port}/ping`)).rejects.toThrow();
});
