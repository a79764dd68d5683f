import type { Page } from '@playwright/test';
import type { PublicSettings } from '../shared/host-settings';
import { expect, screenshot, startWritableHost, test, type WritableHost } from './host-fixture';

/** Opens the window in `language` and `colorScheme` (English, light unless given) and waits for the first list. */
async function open(
  page: Page,
  url: string,
  preferences: { language?: string; colorScheme?: string } = {},
): Promise<void> {
  await page.addInitScript(
    (state) => {
      if (localStorage.getItem('ekuiper-extension-manager.preferences') === null) {
        localStorage.setItem('ekuiper-extension-manager.preferences', JSON.stringify({ state, version: 0 }));
      }
    },
    { language: 'en', colorScheme: 'light', ...preferences },
  );
  await page.goto(url);
}

async function readSettings(host: WritableHost, token?: string): Promise<PublicSettings> {
  const response = await fetch(`${host.url}/manager/settings`, {
    headers: token === undefined ? {} : { Authorization: `Bearer ${token}` },
  });
  expect(response.status).toBe(200);
  return (await response.json()) as PublicSettings;
}

/** Goes to Settings from the navigation with the keyboard (focus the link, press Enter). */
async function openSettingsByKeyboard(page: Page, name = 'Settings'): Promise<void> {
  const link = page.getByRole('navigation').getByRole('link', { name });
  await link.focus();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 2, name })).toBeVisible();
  await expect(link).toHaveAttribute('aria-current', 'page');
}

let host: WritableHost | undefined;
test.afterEach(async () => {
  await host?.close();
  host = undefined;
});

test('changes plugin hosts and the install.sh limit; they persist and survive a reload', async ({
  page,
  seededDataDir,
}) => {
  host = await startWritableHost(seededDataDir);
  await open(page, host.url);
  await expect(page.getByRole('table', { name: 'Portable plugins' })).toBeVisible();
  await openSettingsByKeyboard(page);
  await expect(page).toHaveURL(/#\/settings$/);

  const hosts = page.getByLabel('Plugin hosts');
  await expect(hosts).toHaveValue('https://packages.emqx.io');
  const limit = page.getByLabel('install.sh time limit', { exact: true });
  const unit = page.getByLabel('Unit of install.sh time limit');
  await expect(limit).toHaveValue('5');
  await expect(unit).toHaveValue('min');
  await expect(page.getByText('No unsaved changes')).toBeVisible();

  await hosts.fill('http://127.0.0.1:8088\nhttps://packages.emqx.io/');
  await unit.selectOption('s');
  await limit.fill('90');
  await expect(page.getByText('2 unsaved changes')).toBeVisible();
  await page.getByRole('button', { name: 'Save changes' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Saved. The 2 changes apply now.' })).toBeVisible();

  const stored = await readSettings(host);
  expect(stored.pluginHosts).toBe('http://127.0.0.1:8088,https://packages.emqx.io/');
  expect(stored.installScriptTimeoutMs).toBe(90_000);
  expect(host.settings.installScriptTimeoutMs).toBe(90_000);

  await page.reload();
  await expect(page.getByRole('heading', { level: 2, name: 'Settings' })).toBeVisible();
  await expect(page.getByLabel('Plugin hosts')).toHaveValue(
    'http://127.0.0.1:8088\nhttps://packages.emqx.io/',
  );
  await expect(page.getByLabel('install.sh time limit', { exact: true })).toHaveValue('90');
  await expect(page.getByLabel('Unit of install.sh time limit')).toHaveValue('s');
  await screenshot(page, 'settings-light');
});

test("shows the host's own message at the field and saves nothing", async ({ page, seededDataDir }) => {
  host = await startWritableHost(seededDataDir);
  await open(page, `${host.url}/#/settings`);
  await page.getByLabel('Plugin hosts').fill('ftp://mirror.example');
  await page.getByLabel('Bind address').fill('0.0.0.0');
  await expect(page.getByText('This address is reachable from other machines')).toBeVisible();
  await page.getByRole('button', { name: 'Save changes' }).click();

  // The host's sentences, each at its own field (aria-describedby ties them to the input).
  await expect(page.getByLabel('Plugin hosts')).toHaveAccessibleDescription(
    /Holds 'ftp:\/\/mirror\.example', which is not an http\(s\) URL/,
  );
  await expect(page.getByRole('alert').filter({ hasText: 'fix the fields marked in red' })).toBeVisible();
  expect((await readSettings(host)).pluginHosts).toBe('https://packages.emqx.io');
  await page.getByRole('heading', { name: 'Prebuilt plugins' }).scrollIntoViewIfNeeded();
  await screenshot(page, 'settings-errors');

  // With the plugin hosts fixed, the host's cross-field rule speaks at the bind address.
  await page.getByLabel('Plugin hosts').fill('https://packages.emqx.io');
  await page.getByRole('button', { name: 'Save changes' }).click();
  await expect(page.getByLabel('Bind address')).toHaveAccessibleDescription(
    /is not a loopback address, so a token is required/,
  );
  expect((await readSettings(host)).restHost).toBe('127.0.0.1');

  // A number typed in the wrong shape never reaches the host.
  await page.getByLabel('Bind address').fill('127.0.0.1');
  await page.getByLabel('Port', { exact: true }).fill('');
  await page.getByRole('button', { name: 'Save changes' }).click();
  await expect(page.getByLabel('Port', { exact: true })).toHaveAccessibleDescription(/Enter a number/);
  await expect(page.getByText('Unsaved changes', { exact: true })).toBeVisible();
});

test('a new port is saved with a restart notice', async ({ page, seededDataDir }) => {
  host = await startWritableHost(seededDataDir);
  await open(page, `${host.url}/#/settings`);
  await page.getByLabel('Port', { exact: true }).fill('19081');
  await page.getByRole('button', { name: 'Save changes' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'restart the host to apply' })).toContainText(
    'The new port take effect',
  );
  expect((await readSettings(host)).restPort).toBe(19081);
});

test('settings page in dark theme and in Chinese', async ({ page, seededDataDir }) => {
  host = await startWritableHost(seededDataDir);
  await open(page, `${host.url}/#/settings`, { colorScheme: 'dark' });
  await expect(page.getByLabel('Plugin hosts')).toHaveValue('https://packages.emqx.io');
  await expect(page.locator('html')).toHaveAttribute('data-mantine-color-scheme', 'dark');
  await screenshot(page, 'settings-dark');

  await page.getByRole('region', { name: 'This window' }).getByText('简体中文').click();
  await expect(page.getByRole('heading', { level: 2, name: '设置' })).toBeVisible();
  await expect(page.getByLabel('插件仓库地址')).toBeVisible();
  await page.getByRole('region', { name: '本窗口' }).getByText('浅色').click();
  await expect(page.locator('html')).toHaveAttribute('data-mantine-color-scheme', 'light');
  await screenshot(page, 'settings-zh-CN');
});

test('token refused: the banner says so, takes the token, and the lists load', async ({
  page,
  seededDataDir,
}) => {
  host = await startWritableHost(seededDataDir, { token: 's3cret' });
  await open(page, host.url);
  const banner = page.getByRole('alert').filter({ hasText: "The host refused this window's token" });
  await expect(banner).toBeVisible();
  await expect(banner).toContainText('requires a token, and this window has none');
  await expect(page.getByText('The plugin host is not answering')).toHaveCount(0);
  await screenshot(page, 'token-banner');

  await banner.getByLabel('Host token').fill('wrong');
  await banner.getByRole('button', { name: 'Use token' }).click();
  await expect(banner.getByText('The host refused this token.')).toBeVisible();
  await expect(banner).toContainText('does not match');

  await banner.getByLabel('Host token').fill('s3cret');
  await banner.getByRole('button', { name: 'Use token' }).click();
  await expect(banner).toHaveCount(0);
  const rows = page.getByRole('table', { name: 'Portable plugins' }).getByRole('row', { name: /mirror/ });
  await expect(rows).toHaveCount(1);

  // Kept for this tab's session only (not "remembered"): a reload still works, a new tab would ask again.
  expect(await page.evaluate(() => localStorage.getItem('ekuiper-extension-manager.token'))).toBeNull();
  await page.reload();
  await expect(rows).toHaveCount(1);

  // Changing the token from the settings page keeps the window working with the new one.
  await openSettingsByKeyboard(page);
  await expect(page.getByText('A token is set')).toBeVisible();
  await page.getByRole('button', { name: 'Change token' }).click();
  await page.getByLabel('New token').fill('n3w-token');
  await page.getByRole('button', { name: 'Save changes' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Saved' })).toBeVisible();
  expect(host.settings.token).toBe('n3w-token');
  expect((await readSettings(host, 'n3w-token')).tokenSet).toBe(true);
  await page.getByRole('navigation').getByRole('link', { name: 'Extensions' }).click();
  await expect(rows).toHaveCount(1);
  await expect(page.getByRole('alert')).toHaveCount(0);
});
