import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Page } from '@playwright/test';
import { unzipSync } from 'fflate';
import { buildZip, type TestZipEntry } from '../test/support/zip-writer';
import {
  FIXTURES,
  expect,
  screenshot,
  servePluginRepo,
  test,
  usePrebuiltRepo,
  zipTransfer,
} from './host-fixture';

const MIRROR = join(FIXTURES, 'portable/mirror.zip');
const WRONG = join(FIXTURES, 'ekuiper-testzips/portables/wrong.zip');
/** The 70-byte stand-in library of the fixture echo2.zip: only a native library's file name matters. */
const STAND_IN_SO = Buffer.from(
  unzipSync(readFileSync(join(FIXTURES, 'ekuiper-testzips/functions/echo2.zip')))['Echo2.so']!,
);

interface OpenOptions {
  language?: 'en' | 'zh-CN';
  colorScheme?: 'light' | 'dark';
}

/** Opens the window on the host with the given language and theme, and waits for the first list. */
async function open(page: Page, url: string, options: OpenOptions = {}): Promise<void> {
  const state = { language: options.language ?? 'en', colorScheme: options.colorScheme ?? 'light' };
  await page.addInitScript((preferences) => {
    localStorage.setItem(
      'ekuiper-extension-manager.preferences',
      JSON.stringify({ state: preferences, version: 0 }),
    );
  }, state);
  await page.goto(url);
  await expect(page.getByRole('tablist')).toBeVisible();
}

function rowsOf(page: Page, table: string) {
  return page.getByRole('table', { name: table }).getByRole('rowgroup').nth(1).getByRole('row');
}

/** mirror.zip as a new release: version v2.0.0, and the sink `file` dropped (the binary still serves it). */
function mirrorV2(): Buffer {
  const files = unzipSync(readFileSync(MIRROR));
  const manifest = JSON.parse(Buffer.from(files['mirror.json']!).toString('utf8')) as Record<string, unknown>;
  const entries: TestZipEntry[] = [
    {
      name: 'mirror.json',
      data: JSON.stringify({ ...manifest, version: 'v2.0.0', sinks: [] }),
    },
    { name: 'mirror2', data: Buffer.from(files['mirror2']!), mode: 0o755 },
    { name: 'sources/' },
    { name: 'sources/random.yaml', data: Buffer.from(files['sources/random.yaml']!) },
    { name: 'sources/random.json', data: Buffer.from(files['sources/random.json']!) },
    { name: 'functions/' },
    { name: 'functions/echo.json', data: Buffer.from(files['functions/echo.json']!) },
  ];
  return buildZip(entries);
}

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

async function describePortable(url: string, name: string): Promise<Record<string, unknown>> {
  return (await (await fetch(`${url}/plugins/portables/${name}`)).json()) as Record<string, unknown>;
}

test('updates a portable plugin in place from its row', async ({ page, host }) => {
  await open(page, host.url);
  await page.getByRole('button', { name: 'Update mirror' }).click();
  const dialog = page.getByRole('dialog', { name: 'Update mirror' });
  await expect(dialog).toBeVisible();
  await expect(dialog.getByRole('textbox', { name: 'Name' })).toHaveValue('mirror');
  await expect(dialog.getByTestId('update-consequences')).toContainText('reconnect');
  await expect(dialog.getByTestId('update-consequences')).toContainText('No rule uses it right now.');

  await dialog
    .getByLabel('Choose a zip file')
    .setInputFiles({ name: 'mirror-2.0.0.zip', mimeType: 'application/zip', buffer: mirrorV2() });
  const contents = dialog.getByRole('region', { name: 'What the zip holds' });
  await expect(contents).toContainText('v2.0.0');
  await expect(contents).toContainText('random, echo');
  await screenshot(page, 'update-dialog');
  await dialog.getByRole('button', { name: 'Update', exact: true }).click();

  await expect(dialog).toBeHidden();
  await expect(page.getByText('Updated mirror')).toBeVisible();
  const row = rowsOf(page, 'Portable plugins').first();
  await expect(row).toContainText('v2.0.0');
  await expect(row.getByText('file', { exact: true })).toHaveCount(0);
  await screenshot(page, 'update-done');
  const described = await describePortable(host.url, 'mirror');
  expect(described.version).toBe('v2.0.0');
  expect(described.sinks ?? []).toEqual([]);
  const status = (await (await fetch(`${host.url}/plugins/portables/mirror/status`)).json()) as {
    status: string;
    errMsg: string;
  };
  expect(status.status).not.toBe('error');
  expect(status.errMsg).toBe('');
});

test('keeps the installed version when an update fails, and says so', async ({ page, host }) => {
  await open(page, host.url);
  await page.getByRole('button', { name: 'Update mirror' }).click();
  const dialog = page.getByRole('dialog', { name: 'Update mirror' });
  await dialog.getByRole('textbox', { name: /Or install from an address/ }).fill(pathToFileURL(WRONG).href);
  await dialog.getByRole('button', { name: 'Update', exact: true }).click();
  const alert = dialog.getByRole('alert').filter({ hasText: 'Could not update mirror' });
  await expect(alert).toContainText('portable plugin update command error');
  await expect(alert).toContainText('the installed version is still in place');
  expect((await describePortable(host.url, 'mirror')).version).toBe('v1.0.0');
});

test('updates a native function plugin from the describe drawer', async ({ page, host }) => {
  await open(page, host.url);
  await page.getByRole('tab', { name: /Functions/ }).click();
  await page.getByRole('button', { name: 'Details of echo2' }).click();
  const drawer = page.getByRole('dialog', { name: /echo2/ });
  await expect(drawer.getByRole('group', { name: 'Actions on this plugin' })).toBeVisible();
  const overview = drawer.getByRole('region', { name: 'Overview' });
  await expect(overview).toContainText(
    sha256(readFileSync(join(FIXTURES, 'ekuiper-testzips/functions/echo2.zip'))),
  );
  await screenshot(page, 'describe-actions');
  await drawer.getByRole('button', { name: 'Update…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Update echo2' });
  await expect(dialog.getByTestId('update-consequences')).toContainText('until eKuiper restarts');

  const zip = buildZip([{ name: 'Echo2@v2.0.0.so', data: STAND_IN_SO }]);
  await dialog
    .getByLabel('Choose a zip file')
    .setInputFiles({ name: 'echo2.zip', mimeType: 'application/zip', buffer: zip });
  await expect(dialog.getByRole('region', { name: 'What the zip holds' })).toContainText('Echo2@v2.0.0.so');
  await screenshot(page, 'update-native-dialog');
  await dialog.getByRole('button', { name: 'Update', exact: true }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByText('plugin echo2 is updated and eKuiper must restart')).toBeVisible();
  // The drawer stayed open: it fetched the new install's details.
  await expect(overview).toContainText(sha256(zip));

  const described = (await (await fetch(`${host.url}/plugins/functions/echo2`)).json()) as {
    version: string;
  };
  expect(described.version).toBe('2.0.0');
  await page.keyboard.press('Escape');
  await expect(rowsOf(page, 'Functions').filter({ hasText: 'echo2' })).toContainText('2.0.0');
});

test('registers the function list of a function plugin', async ({ page, host }) => {
  await open(page, host.url);
  await page.getByRole('tab', { name: /Functions/ }).click();
  await page.getByRole('button', { name: 'Functions of comp' }).click();
  const dialog = page.getByRole('dialog', { name: 'Functions of comp' });
  const names = dialog.getByRole('combobox', { name: 'Function names' });
  await names.fill('compAdd');
  await names.press('Enter');
  await names.fill('echo2');
  await names.press('Enter');
  await expect(dialog.getByTestId('register-problems')).toContainText(
    '“echo2” is already exported by the function plugin echo2.',
  );
  await expect(dialog.getByRole('button', { name: 'Register' })).toBeDisabled();
  await screenshot(page, 'register-dialog');
  await names.press('Backspace');
  await expect(dialog.getByTestId('register-problems')).toBeHidden();
  await dialog.getByRole('button', { name: 'Register' }).click();

  await expect(dialog).toBeHidden();
  await expect(page.getByText('function plugin comp function list is registered')).toBeVisible();
  await expect(rowsOf(page, 'Functions').filter({ hasText: 'compAdd' })).toHaveCount(1);
  const udfs = (await (await fetch(`${host.url}/plugins/udfs`)).json()) as string[];
  expect(udfs).toEqual(expect.arrayContaining(['comp', 'compAdd']));

  // The host's own answer when it refuses: the plugin was deleted behind the window's back.
  await page.getByRole('button', { name: 'Functions of comp' }).click();
  await names.fill('compMore');
  await names.press('Enter');
  expect((await fetch(`${host.url}/plugins/functions/comp`, { method: 'DELETE' })).ok).toBe(true);
  await dialog.getByRole('button', { name: 'Register' }).click();
  await expect(dialog.getByRole('alert')).toContainText('register functions plugin comp error: not found');
});

test('installs a prebuilt plugin from a plugin host, with download progress', async ({ page, host }) => {
  // A large enough zip that the download is seen in progress: the library and a padding file.
  const padding = Buffer.alloc(256 * 1024, 'eKuiper ');
  // Not `echo`: the seeded portable plugin exports that function, and the host refuses a second owner.
  const geohash = buildZip([
    { name: 'Geohash@v1.2.0.so', data: STAND_IN_SO },
    { name: 'README.txt', data: padding, method: 'store' },
  ]);
  const repo = await servePluginRepo([
    { path: '/kuiper-plugins/2.1.0/debian/functions/geohash_amd64.zip', bytes: geohash, hold: true },
  ]);
  try {
    await usePrebuiltRepo(host.url, repo.url);
    await open(page, host.url);
    await page.getByRole('tab', { name: /Prebuilt/ }).click();
    const functions = page.getByRole('region', { name: 'Functions' });
    const row = functions.getByRole('row', { name: 'geohash', exact: true });
    await expect(row).toContainText(`${repo.url}/kuiper-plugins/2.1.0/debian/functions/geohash_amd64.zip`);
    await expect(row).toContainText('not installed');

    await row.getByRole('button', { name: 'Install geohash' }).click();
    await expect(row.getByTestId('prebuilt-progress')).toContainText(/Downloading… .+ of .+/);
    await screenshot(page, 'prebuilt-installing');
    repo.release();
    await expect(page.getByText('Installed geohash')).toBeVisible();
    await expect(row.getByRole('button', { name: 'Reinstall geohash' })).toBeVisible();
    await expect(row).toContainText('installed');
    await screenshot(page, 'prebuilt-installed');
    expect(repo.requests).toEqual(['/kuiper-plugins/2.1.0/debian/functions/geohash_amd64.zip']);

    // Reinstall asks first, with what happens to the rules.
    await row.getByRole('button', { name: 'Reinstall geohash' }).click();
    const confirm = page.getByRole('dialog', { name: 'Reinstall geohash?' });
    await expect(confirm).toContainText('until eKuiper restarts');
    await confirm.getByRole('button', { name: 'Reinstall' }).click();
    await expect(page.getByText('Reinstalled geohash')).toBeVisible();

    await page.getByRole('tab', { name: /Functions/ }).click();
    await expect(rowsOf(page, 'Functions').filter({ hasText: 'geohash_amd64.zip' })).toContainText('1.2.0');
  } finally {
    await repo.close();
  }
});

test('opens the create dialog for a zip dropped anywhere on the window', async ({ page, host }) => {
  expect((await fetch(`${host.url}/plugins/portables/mirror`, { method: 'DELETE' })).ok).toBe(true);
  await open(page, host.url);
  await expect(page.getByTestId('empty-state')).toBeVisible();
  const dataTransfer = await zipTransfer(page, readFileSync(MIRROR), 'mirror.zip');
  // The drag enters the page itself; the window answers with its full-window drop target.
  await page.locator('body').dispatchEvent('dragenter', { dataTransfer });
  const target = page.getByText('Drop the zip to create a plugin from it');
  await expect(target).toBeVisible();
  await target.dispatchEvent('dragover', { dataTransfer });
  await target.dispatchEvent('drop', { dataTransfer });

  const dialog = page.getByRole('dialog', { name: 'Create portable plugin' });
  await expect(dialog.getByTestId('chosen-file')).toHaveText('mirror.zip');
  await expect(dialog.getByPlaceholder(/Type a name/)).toHaveValue('mirror');
  await dialog.getByRole('button', { name: 'Install' }).click();
  await expect(dialog).toBeHidden();
  await expect(rowsOf(page, 'Portable plugins')).toHaveCount(1);
});

test("shows install.sh's output while it runs", async ({ page, host }) => {
  const work = mkdtempSync(join(tmpdir(), 'ekm-e2e-gate-'));
  const gate = join(work, 'go-on');
  try {
    // The script prints, then waits for the test to have seen its output, so "live" is proven, not timed.
    const script = [
      'echo "preparing slowsink"',
      'sleep 0.5',
      'echo "fetching drivers"',
      'i=0',
      `while [ ! -f '${gate}' ]; do`,
      '  i=$((i+1)); if [ $i -gt 300 ]; then echo "gave up waiting" >&2; exit 1; fi',
      '  sleep 0.1',
      'done',
      'echo "drivers in place"',
    ].join('\n');
    const zip = buildZip([
      { name: 'slowsink.so', data: STAND_IN_SO },
      { name: 'install.sh', data: `${script}\n`, mode: 0o755 },
    ]);
    await open(page, host.url);
    await page.getByRole('tab', { name: /Sinks/ }).click();
    await page.getByRole('button', { name: 'Create sink plugin' }).click();
    const dialog = page.getByRole('dialog', { name: 'Create sink plugin' });
    await dialog
      .getByLabel('Choose a zip file')
      .setInputFiles({ name: 'slowsink.zip', mimeType: 'application/zip', buffer: zip });
    await expect(dialog.getByPlaceholder(/Type a name/)).toHaveValue('slowsink');
    await dialog.getByRole('button', { name: 'Install' }).click();

    const output = dialog.getByTestId('install-output');
    await expect(output).toContainText('preparing slowsink');
    await expect(output).toContainText('fetching drivers');
    await expect(dialog.getByText('Running install.sh…')).toBeVisible();
    await expect(output).not.toContainText('drivers in place');
    await screenshot(page, 'create-install-output');
    writeFileSync(gate, '');

    await expect(dialog).toBeHidden();
    await expect(rowsOf(page, 'Sinks').filter({ hasText: 'slowsink' })).toHaveCount(1);
    expect(existsSync(gate)).toBe(true);

    // The list leaves the log out; the describe drawer fetches it with the zip's sha256.
    await page.getByRole('button', { name: 'Details of slowsink' }).click();
    const drawer = page.getByRole('dialog', { name: /slowsink/ });
    const log = drawer.getByRole('region', { name: 'install.sh output' });
    await expect(log).toContainText('preparing slowsink');
    await expect(log).toContainText('drivers in place');
    await expect(drawer.getByRole('region', { name: 'Overview' })).toContainText(sha256(zip));
    await screenshot(page, 'describe-install-log');
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
});

test('shows the create dialog in Chinese and in the dark theme', async ({ browser, host }) => {
  for (const [options, name] of [
    [{ language: 'zh-CN' }, 'create-dialog-zh'],
    [{ colorScheme: 'dark' }, 'create-dialog-dark'],
  ] as const) {
    const page = await browser.newPage();
    await open(page, host.url, options);
    const title = options.language === 'zh-CN' ? '创建 Portable 插件' : 'Create portable plugin';
    await page.getByRole('button', { name: title }).first().click();
    const dialog = page.getByRole('dialog', { name: title });
    await dialog.locator('input[type=file]').setInputFiles(MIRROR);
    await expect(dialog.getByTestId('chosen-file')).toHaveText('mirror.zip');
    await expect(dialog.getByRole('region')).toContainText('mirror.json');
    await screenshot(page, name);
    if (options.language === 'zh-CN') {
      await dialog.getByRole('button', { name: '取消' }).last().click();
      await page.getByRole('button', { name: '更新 mirror', exact: true }).click();
      const update = page.getByRole('dialog', { name: '更新 mirror' });
      await expect(update.getByTestId('update-consequences')).toContainText('无需重启');
      await screenshot(page, 'update-dialog-zh');
    }
    await page.close();
  }
});

test("checks a zip against the host's own limits before uploading it", async ({ page, host }) => {
  const limit = async (patch: Record<string, number>) => {
    const answer = await fetch(`${host.url}/manager/settings`, {
      method: 'PUT',
      body: JSON.stringify(patch),
    });
    expect(answer.status).toBe(200);
  };
  await limit({ maxZipEntries: 3 });
  await open(page, host.url);
  await page.getByRole('button', { name: 'Create portable plugin' }).first().click();
  const dialog = page.getByRole('dialog', { name: 'Create portable plugin' });
  await dialog.getByLabel('Choose a zip file').setInputFiles(MIRROR);
  await expect(dialog.getByText(/more than the 3 allowed by the setting maxZipEntries/)).toBeVisible();
  await expect(dialog.getByRole('button', { name: 'Install' })).toBeDisabled();
  await dialog.getByRole('button', { name: 'Cancel' }).last().click();
  await expect(dialog).toBeHidden();

  // The dialog reads the settings each time it opens.
  await limit({ maxZipEntries: 20_000, maxDownloadBytes: 1_000_000 });
  await page.getByRole('button', { name: 'Create portable plugin' }).first().click();
  await dialog.getByLabel('Choose a zip file').setInputFiles(MIRROR);
  await expect(
    dialog.getByText(/the host accepts zips up to 1 MB \(setting maxDownloadBytes\)/),
  ).toBeVisible();
  await expect(dialog.getByText(/maxZipEntries/)).toBeHidden();
  await expect(dialog.getByText('mirror is already installed')).toBeVisible();
  await screenshot(page, 'create-host-limits');

  // One click turns the refused create into an update of the installed plugin, with the same zip.
  await dialog.getByRole('button', { name: 'Update mirror instead' }).click();
  const update = page.getByRole('dialog', { name: 'Update mirror' });
  await expect(update.getByTestId('chosen-file')).toHaveText('mirror.zip');
  await expect(update.getByText(/the host accepts zips up to 1 MB/)).toBeVisible();
});
