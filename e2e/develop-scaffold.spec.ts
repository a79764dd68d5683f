import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { inspectZip } from '../shared/zip-inspect.js';
import { expect, openWithPreferences, screenshot, test } from './host-fixture';

/**
 * The Develop page's New plugin dialog against the real host: names checked as typed with the host's rules,
 * the file tree previewed, then in a browser the plugin downloaded as a zip the host accepts, and in the
 * desktop app (its folder chooser standing in) written as a folder where the user chose. Screens are saved as
 * `develop-scaffold-*.png`, in English (light) and Chinese (dark).
 */

async function openDevelop(page: Page, url: string, language: string, colorScheme: 'light' | 'dark') {
  await openWithPreferences(page, `${url}/#/develop`, language, colorScheme);
  await expect(page.getByTestId('develop-actions')).toBeVisible();
}

/** Types names into a tag input and confirms each with Enter, as a user does. */
async function addTags(page: Page, testId: string, names: string[]) {
  const input = page.getByTestId(testId);
  await input.click();
  for (const name of names) {
    await page.keyboard.type(name);
    await page.keyboard.press('Enter');
  }
}

test('in a browser: names checked as typed, files previewed, the plugin downloaded as a zip', async ({
  page,
  host,
}) => {
  await openDevelop(page, host.url, 'en', 'light');
  await page.getByRole('button', { name: 'New plugin' }).click();
  const dialog = page.getByRole('dialog', { name: 'New plugin' });
  const name = dialog.getByRole('textbox', { name: 'Plugin name' });
  await expect(name).toBeFocused();

  // Nothing yet: Download says what is missing.
  await dialog.getByRole('button', { name: 'Download zip' }).click();
  await expect(dialog.getByText('id cannot be empty')).toBeVisible();
  await expect(dialog.getByTestId('new-plugin-no-symbols')).toHaveText(
    'a plugin needs at least one source, sink or function: add one',
  );

  await name.fill('weather station');
  await expect(dialog.getByText(/id 'weather station' contains invalid characters/)).toBeVisible();
  await name.fill('weather');
  await addTags(page, 'new-plugin-sources', ['station']);
  await addTags(page, 'new-plugin-sinks', ['archive']);
  await addTags(page, 'new-plugin-functions', ['c2f', 'json']);
  await expect(
    dialog.getByText(/invalid name 'json' for a function: the file json\.py would hide/),
  ).toBeVisible();
  await screenshot(page, 'develop-scaffold-form-problem');

  // Backspace removes the last tag: the problem goes with it.
  await page.keyboard.press('Backspace');
  await expect(dialog.getByText(/invalid name 'json' for a function/)).toHaveCount(0);
  const tree = dialog.getByTestId('new-plugin-tree');
  for (const file of [
    'weather.json',
    'weather.py',
    'station.py',
    'archive.py',
    'c2f.py',
    'install.sh',
    'station.yaml',
  ]) {
    await expect(tree).toContainText(file);
  }
  await screenshot(page, 'develop-scaffold-form');

  // Go shows its own files.
  await dialog.getByText('Go', { exact: true }).click();
  await expect(tree).toContainText('main.go');
  await expect(tree).toContainText('station_source.go');
  await expect(tree).toContainText('build.ps1');
  await expect(tree).not.toContainText('install.sh');
  await screenshot(page, 'develop-scaffold-form-go');
  await dialog.getByText('Python', { exact: true }).click();

  const download = page.waitForEvent('download');
  await dialog.getByRole('button', { name: 'Download zip' }).click();
  const file = await download;
  expect(file.suggestedFilename()).toBe('weather.zip');
  const bytes = new Uint8Array(readFileSync(await file.path()));
  const inspection = inspectZip(bytes, 'portables', 'weather');
  expect(inspection.problems).toEqual([]);
  expect(inspection.symbols).toEqual({ sources: ['station'], sinks: ['archive'], functions: ['c2f'] });

  const done = dialog.getByTestId('new-plugin-done');
  await expect(done).toContainText('Plugin weather created');
  await expect(done).toContainText('Downloaded weather.zip.');
  await expect(done).toContainText('npm run pack -- weather');
  await screenshot(page, 'develop-scaffold-downloaded');

  // Another plugin starts afresh.
  await dialog.getByRole('button', { name: 'Another plugin' }).click();
  await expect(name).toHaveValue('');
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await expect(page.getByRole('button', { name: 'New plugin' })).toBeFocused();
});

test('in the desktop app (Chinese, dark): the folder is written where the user chose, and refused when taken', async ({
  page,
  host,
}) => {
  const parent = mkdtempSync(join(tmpdir(), 'ekm-e2e-scaffold-'));
  try {
    await page.addInitScript(
      ({ base, folder }) => {
        (window as unknown as { extensionManager: unknown }).extensionManager = {
          apiBase: base,
          token: '',
          chooseFolder: () => Promise.resolve(folder),
        };
      },
      { base: host.url, folder: parent },
    );
    await openDevelop(page, host.url, 'zh-CN', 'dark');
    await page.getByRole('button', { name: '新建插件' }).click();
    const dialog = page.getByRole('dialog', { name: '新建插件' });
    await dialog.getByRole('textbox', { name: '插件名称' }).fill('gadget');
    await dialog.getByText('Go', { exact: true }).click();
    await addTags(page, 'new-plugin-sources', ['probe']);
    await addTags(page, 'new-plugin-functions', ['scale']);
    await screenshot(page, 'develop-scaffold-form-zh-dark');
    await dialog.getByRole('button', { name: '选择文件夹并创建' }).click();

    const done = dialog.getByTestId('new-plugin-done');
    await expect(done).toContainText('已创建插件 gadget');
    const folder = join(parent, 'gadget');
    await expect(done.getByTestId('new-plugin-where')).toContainText(folder);
    await expect(done).toContainText(`npm run pack -- ${folder}/dist/gadget-linux-amd64`);
    await screenshot(page, 'develop-scaffold-created-zh-dark');
    expect(readdirSync(folder)).toEqual(
      expect.arrayContaining([
        'gadget.json',
        'main.go',
        'go.mod',
        'probe_source.go',
        'scale_func.go',
        'build.sh',
      ]),
    );
    expect(statSync(join(folder, 'build.sh')).mode & 0o777).toBe(0o755);

    // The same name again: the folder is taken, and the host's refusal is shown in Chinese.
    await dialog.getByRole('button', { name: '再建一个' }).click();
    await dialog.getByRole('textbox', { name: '插件名称' }).fill('gadget');
    await addTags(page, 'new-plugin-functions', ['scale']);
    await dialog.getByRole('button', { name: '选择文件夹并创建' }).click();
    await expect(dialog.getByTestId('new-plugin-failure')).toContainText(`文件夹 ${folder} 已存在且不为空`);
    await screenshot(page, 'develop-scaffold-refused-zh-dark');
  } finally {
    rmSync(parent, { recursive: true, force: true });
  }
});
