import { randomBytes } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Page } from '@playwright/test';
import { unzipSync, zipSync } from 'fflate';
import { nodePluginZip } from '../test/support/node-plugin-bundle';
import { FIXTURES, dropZip, expect, screenshot, test } from './host-fixture';

const MIRROR = join(FIXTURES, 'portable/mirror.zip');
const WRONG = join(FIXTURES, 'ekuiper-testzips/portables/wrong.zip');

/** Opens the window in English and light theme, with the seeded `mirror` removed so it can be created again. */
async function open(page: Page, url: string): Promise<void> {
  const removed = await fetch(`${url}/plugins/portables/mirror`, { method: 'DELETE' });
  expect(removed.ok).toBe(true);
  await page.addInitScript(() => {
    localStorage.setItem(
      'ekuiper-extension-manager.preferences',
      JSON.stringify({ state: { language: 'en', colorScheme: 'light' }, version: 0 }),
    );
  });
  await page.goto(url);
  await expect(page.getByTestId('empty-state')).toBeVisible();
}

/** Ids of the processes running a program from the plugin's folder in the data folder. */
function pluginProcesses(dataDir: string, name: string): number[] {
  const folder = `${dataDir}/plugins/portable/${name}/`;
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(folder);
      } catch {
        return false;
      }
    })
    .map(Number);
}

async function openDialog(page: Page) {
  await page.getByRole('button', { name: 'Create portable plugin' }).first().click();
  const dialog = page.getByRole('dialog', { name: 'Create portable plugin' });
  await expect(dialog).toBeVisible();
  return dialog;
}

async function expectListed(page: Page): Promise<void> {
  await expect(page.getByRole('dialog', { name: 'Create portable plugin' })).toBeHidden();
  await expect(page.getByText('Installed mirror')).toBeVisible();
  const rows = page
    .getByRole('table', { name: 'Portable plugins' })
    .getByRole('rowgroup')
    .nth(1)
    .getByRole('row');
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText('mirror');
}

test('creates a portable plugin from a zip dropped on the dialog', async ({ page, host }) => {
  await open(page, host.url);
  const dialog = await openDialog(page);
  await screenshot(page, 'create-empty');
  await dropZip(page, page.getByTestId('zip-dropzone'), readFileSync(MIRROR), 'mirror.zip');
  await expect(dialog.getByTestId('chosen-file')).toHaveText('mirror.zip');
  await expect(dialog.getByPlaceholder(/Type a name/)).toHaveValue('mirror');
  const contents = dialog.getByRole('region', { name: 'What the zip holds' });
  await expect(contents).toContainText('mirror.json');
  await expect(contents).toContainText('random, file, echo');
  await screenshot(page, 'create-inspected');
  await dialog.getByRole('button', { name: 'Install' }).click();
  await expectListed(page);
  const uploads = (await (await fetch(`${host.url}/config/uploads`)).json()) as string[];
  expect(uploads).toEqual([]);
});

test('creates a portable plugin from the file chooser', async ({ page, host }) => {
  await open(page, host.url);
  const dialog = await openDialog(page);
  await dialog.getByLabel('Choose a zip file').setInputFiles(MIRROR);
  await expect(dialog.getByPlaceholder(/Type a name/)).toHaveValue('mirror');
  await dialog.getByRole('button', { name: 'Install' }).click();
  await expect(
    dialog.getByText(/Uploading|Reading|Checking|Extracting|Putting|Installing/).first(),
  ).toBeVisible();
  await screenshot(page, 'create-progress');
  await expectListed(page);
});

test('creates a portable plugin from a pasted file:// path', async ({ page, host }) => {
  await open(page, host.url);
  const dialog = await openDialog(page);
  await dialog.getByPlaceholder(/Type a name/).fill('mirror');
  await dialog.getByRole('textbox', { name: /Or install from an address/ }).fill(pathToFileURL(MIRROR).href);
  await dialog.getByRole('button', { name: 'Install' }).click();
  await expectListed(page);
});

test("shows wrong.zip's problem and the host's message", async ({ page, host }) => {
  await open(page, host.url);
  const dialog = await openDialog(page);
  await dialog.getByLabel('Choose a zip file').setInputFiles(WRONG);
  await expect(dialog.getByText(/missing mirror\.exe/)).toBeVisible();
  await expect(dialog.getByRole('button', { name: 'Install' })).toBeDisabled();
  await screenshot(page, 'create-problem');

  // The same zip by address skips the window's check: the host refuses it in its own words.
  await dialog.getByRole('button', { name: 'Remove' }).click();
  await dialog.getByRole('textbox', { name: /Or install from an address/ }).fill(pathToFileURL(WRONG).href);
  await dialog.getByRole('button', { name: 'Install' }).click();
  await expect(dialog.getByRole('alert').filter({ hasText: 'Could not install wrong' })).toContainText(
    'missing mirror.exe',
  );
  await expect(dialog).toBeVisible();
  await screenshot(page, 'create-host-error');
});

test('repacks a zip whose files sit under one folder and installs it', async ({ page, host }) => {
  await open(page, host.url);
  const files = unzipSync(readFileSync(MIRROR));
  const nested = zipSync(Object.fromEntries(Object.entries(files).map(([k, v]) => [`mirror/${k}`, v])));
  const dialog = await openDialog(page);
  await dropZip(page, page.getByTestId('zip-dropzone'), nested, 'mirror-folder.zip');
  await expect(dialog.getByText(/the files sit under the folder 'mirror\/'/)).toBeVisible();
  await screenshot(page, 'create-repack');
  await dialog.getByRole('button', { name: 'Repack and install' }).click();
  await expectListed(page);
});

test('Cancel while the plugin is put in place abandons the install: nothing is installed', async ({
  page,
  host,
}) => {
  // A plugin that never calls its control channel: the host would wait its whole 60 s init timeout.
  const name = `slow${randomBytes(3).toString('hex')}`;
  const zip = await nodePluginZip({ name, functions: { [`${name}fn`]: 'echo' }, startup: { silent: true } });
  await open(page, host.url);
  const dialog = await openDialog(page);
  await dialog
    .getByLabel('Choose a zip file')
    .setInputFiles({ name: `${name}.zip`, mimeType: 'application/zip', buffer: zip });
  await expect(dialog.getByPlaceholder(/Type a name/)).toHaveValue(name);
  await dialog.getByRole('button', { name: 'Install' }).click();
  await expect(dialog.getByText('Putting the plugin in place…')).toBeVisible();
  const cancel = dialog.getByRole('button', { name: 'Cancel', exact: true }).last();
  await expect(cancel).toBeEnabled();
  await expect.poll(() => pluginProcesses(host.dataDir, name).length).toBeGreaterThan(0);
  await screenshot(page, 'create-cancel-enabled');
  await cancel.click();
  await expect(dialog.getByTestId('install-cancelled')).toHaveText('Cancelled: nothing was installed.');
  await expect(dialog).toBeVisible();
  await expect(dialog.getByRole('button', { name: 'Install' })).toBeEnabled();
  await screenshot(page, 'create-cancelled');
  // The host stopped the process and rolled back: no plugin, no process, no upload left.
  await expect.poll(() => pluginProcesses(host.dataDir, name)).toEqual([]);
  const listed = (await (await fetch(`${host.url}/plugins/portables`)).json()) as Array<{ name: string }>;
  expect(listed.map((plugin) => plugin.name)).not.toContain(name);
  await expect
    .poll(async () => (await (await fetch(`${host.url}/config/uploads`)).json()) as string[])
    .toEqual([]);
});
