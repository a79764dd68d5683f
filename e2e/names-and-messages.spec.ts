import { readFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Locator, Page } from '@playwright/test';
import { zipSync } from 'fflate';
import { expect, openWithPreferences, screenshot, test } from './host-fixture';

// The Create dialog's Name field (the naming rule, the length and its count), a file that is not a zip, and a
// download that cannot reach its server — in English and Chinese, at 1280×800 and 800×600 — and the favicon.

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const SINK_ZIP = zipSync({ 'mysink.so': new TextEncoder().encode('not really a library') });

const TEXT = {
  en: {
    tab: /Sinks/,
    create: 'Create sink plugin',
    browse: 'Choose a zip file',
    name: /Type a name/,
    address: /https:\/\/…\/plugin\.zip/,
    install: 'Install',
    cancel: 'Cancel',
    rule: 'Only letters (A–Z, a–z), digits, hyphens (-) and underscores (_), as eKuiper’s naming rule requires. Not allowed: spaces.',
    tooLong: '251 characters is too long: at most 250',
    html: 'zip: not a valid zip file: the file is an HTML page, not a zip',
    refused: /refused the connection: nothing is listening there/,
  },
  'zh-CN': {
    tab: /Sink/,
    create: '创建 Sink 插件',
    browse: '选择 zip 文件',
    name: /输入名称/,
    address: /https:\/\/…\/plugin\.zip/,
    install: '安装',
    cancel: '取消',
    rule: '按 eKuiper 的命名规则，只能使用字母（A–Z、a–z）、数字、连字符（-）和下划线（_）。不允许：空格。',
    tooLong: '251 个字符太长：最多 250 个',
    html: 'zip: not a valid zip file: 文件是一个 HTML 网页而不是 zip',
    refused: /拒绝了连接：那里没有服务在监听/,
  },
} as const;
type Language = keyof typeof TEXT;

async function openCreateSink(page: Page, language: Language): Promise<Locator> {
  await page.getByRole('tab', { name: TEXT[language].tab }).first().click();
  await page.getByRole('button', { name: TEXT[language].create }).first().click();
  const dialog = page.getByRole('dialog', { name: TEXT[language].create });
  await expect(dialog).toBeVisible();
  return dialog;
}

async function chooseZip(
  dialog: Locator,
  language: Language,
  name: string,
  bytes: Uint8Array,
): Promise<void> {
  await dialog.getByLabel(TEXT[language].browse).setInputFiles({
    name,
    mimeType: 'application/zip',
    buffer: Buffer.from(bytes),
  });
  await expect(dialog.getByTestId('chosen-file')).toHaveText(name);
}

const SIZES = [
  { width: 1280, height: 800 },
  { width: 800, height: 600 },
] as const;

for (const language of ['en', 'zh-CN'] as const) {
  test(`the Name field says the naming rule and the length (${language})`, async ({ page, host }) => {
    const text = TEXT[language];
    for (const size of SIZES) {
      await page.setViewportSize(size);
      await openWithPreferences(page, host.url, language);
      const dialog = await openCreateSink(page, language);
      await chooseZip(dialog, language, 'mysink.zip', SINK_ZIP);
      const name = dialog.getByPlaceholder(text.name);
      await expect(name).toHaveValue('mysink');
      await expect(dialog.getByTestId('name-length')).toHaveText('6 / 250');
      await screenshot(page, `name-valid-${language}-${size.width}`);

      await name.fill('my sink');
      await expect(dialog.getByText(text.rule)).toBeVisible();
      await expect(name).toHaveAttribute('aria-invalid', 'true');
      // The zip holds mysink.so: it is not blamed for the name.
      await expect(dialog).not.toContainText('my sink.so');
      await expect(dialog.getByRole('button', { name: text.install })).toBeDisabled();
      await screenshot(page, `name-rule-${language}-${size.width}`);

      await name.fill(`sink${'x'.repeat(247)}`);
      await expect(dialog.getByTestId('name-length')).toHaveText('251 / 250');
      await expect(dialog.getByText(text.tooLong)).toBeVisible();
      await screenshot(page, `name-too-long-${language}-${size.width}`);
      await dialog.getByRole('button', { name: text.cancel }).last().click();
      await expect(dialog).toBeHidden();
    }
  });

  test(`a file that is not a zip is named for what it is (${language})`, async ({ page, host }) => {
    await page.setViewportSize({ width: 800, height: 600 });
    await openWithPreferences(page, host.url, language);
    const dialog = await openCreateSink(page, language);
    const page404 = new TextEncoder().encode(
      '<!DOCTYPE html><html><body><h1>404 Not Found</h1></body></html>',
    );
    await chooseZip(dialog, language, 'influx_amd64.zip', page404);
    const verdict = dialog.getByText(TEXT[language].html);
    await verdict.scrollIntoViewIfNeeded();
    await expect(verdict).toBeVisible();
    await screenshot(page, `not-a-zip-html-${language}-800`);
  });

  test(`a download that cannot reach its server says so (${language})`, async ({ page, host }) => {
    const closed = createServer();
    await new Promise<void>((done) => closed.listen(0, '127.0.0.1', done));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((done) => closed.close(done));

    await openWithPreferences(page, host.url, language);
    const dialog = await openCreateSink(page, language);
    await dialog.getByPlaceholder(TEXT[language].name).fill('influx');
    await dialog.getByPlaceholder(TEXT[language].address).fill(`http://127.0.0.1:${port}/influx_amd64.zip`);
    await dialog.getByRole('button', { name: TEXT[language].install }).click();
    const failure = dialog.getByRole('alert').filter({ hasText: TEXT[language].refused });
    await expect(failure).toBeVisible();
    // eKuiper's prefixes stay as scripts see them; the explanation is in the window's language.
    await expect(failure).toContainText(`fail to download file http://127.0.0.1:${port}/influx_amd64.zip`);
    await screenshot(page, `download-refused-${language}`);
  });
}

test('the Name field’s rule and count in the dark theme', async ({ page, host }) => {
  await openWithPreferences(page, host.url, 'en', 'dark');
  const dialog = await openCreateSink(page, 'en');
  await chooseZip(dialog, 'en', 'mysink.zip', SINK_ZIP);
  const name = dialog.getByPlaceholder(TEXT.en.name);
  await name.fill('Mysink');
  // The suggestion list offers the zip's own name; closed, the rule shows.
  await name.press('Escape');
  await expect(dialog.getByText(/Use “mysink”\.$/)).toBeVisible();
  await screenshot(page, 'name-upper-first-dark');
});

test('the page’s icon is the app’s icon', async ({ page, host }) => {
  const response = await fetch(`${host.url}/favicon.ico`);
  expect(response.status).toBe(200);
  expect(Buffer.from(await response.arrayBuffer())).toEqual(readFileSync(join(repo, 'assets/icon.ico')));
  await page.goto(host.url);
  await expect(page.locator('link[rel="icon"]')).toHaveAttribute('href', './favicon.ico');
});
