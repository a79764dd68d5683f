import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Locator, Page } from '@playwright/test';
import {
  CELSIUS_JS,
  CELSIUS_PY,
  CELSIUS_PY_BROKEN,
  pythonAnswer,
  startOpenAiStandIn,
  type OpenAiStandIn,
} from '../test/support/openai-stand-in.js';
import { pythonWithSdk } from '../test/support/python-with-sdk.js';
import {
  expect,
  openWithPreferences,
  screenshot,
  startWritableHost,
  test,
  type WritableHost,
} from './host-fixture';

/**
 * The AI function generator in the window, against a local OpenAI-compatible stand-in and a host whose Python has
 * eKuiper's SDK: without an endpoint it says how to set one up; the endpoint is set in Settings (the key stored,
 * never shown); a Python function is generated, its examples fail, Fix and retry sends the failures back and the
 * new code passes on the real SDK, and Install puts the plugin on this computer with the SQL to call it. In
 * Chinese and dark, a JavaScript function from the Custom functions tab. Screens: `develop-ai-*.png`.
 */

const KEY = 'sk-e2e-secret-key';
let openai: OpenAiStandIn;
let host: WritableHost;
let folder: string;

test.beforeEach(async () => {
  folder = mkdtempSync(join(tmpdir(), 'ekm-e2e-ai-'));
  openai = await startOpenAiStandIn({ apiKey: KEY });
  host = await startWritableHost(mkdtempSync(join(folder, 'data-')), {
    pythonBin: pythonWithSdk(folder),
    portableInitTimeoutMs: 15_000,
  });
});
test.afterEach(async () => {
  await host.close();
  await openai.close();
  rmSync(folder, { recursive: true, force: true });
});

async function configure(): Promise<void> {
  const saved = await fetch(`${host.url}/manager/ai/settings`, {
    method: 'PUT',
    body: JSON.stringify({ baseUrl: openai.baseUrl, model: 'qwen2.5-coder:7b', apiKey: KEY }),
  });
  expect(saved.status).toBe(200);
}

async function fillExamples(dialog: Locator, rows: Array<[string, string]>): Promise<void> {
  for (const [index, [args, expected]] of rows.entries()) {
    const row = dialog.getByTestId('ai-example-row').nth(index);
    await row.getByRole('textbox').first().fill(args);
    await row.getByRole('textbox').nth(1).fill(expected);
  }
}

/** The editor's text as CodeMirror shows it (one line per `.cm-line`). */
async function editorText(dialog: Locator): Promise<string> {
  return (await dialog.getByTestId('code-editor').locator('.cm-line').allTextContents()).join('\n');
}

async function openDevelop(page: Page, language: string, scheme: 'light' | 'dark' = 'light'): Promise<void> {
  await openWithPreferences(page, `${host.url}/#/develop`, language, scheme);
}

test('no endpoint: how to set one up, then Settings stores it with the key write-only and checks it', async ({
  page,
}) => {
  await openDevelop(page, 'en');
  await page.getByRole('button', { name: 'Generate with AI' }).click();
  const dialog = page.getByRole('dialog', { name: 'Generate a function with AI' });
  await expect(dialog.getByTestId('ai-setup')).toContainText('http://127.0.0.1:11434/v1');
  await expect(dialog.getByTestId('ai-setup')).toContainText('LM Studio');
  await screenshot(page, 'develop-ai-setup');

  await dialog.getByRole('button', { name: 'Open Settings' }).click();
  await expect(page).toHaveURL(/#\/settings/);
  const section = page.getByTestId('ai-endpoint-settings');
  await section.getByRole('textbox', { name: 'Base URL' }).fill(openai.baseUrl);
  await section.getByRole('textbox', { name: 'Model' }).fill('qwen2.5-coder:7b');
  await section.getByLabel('API key').fill(KEY);
  await section.getByRole('button', { name: 'Check' }).click();
  await expect(section.getByTestId('ai-check-result')).toContainText(
    'The model is there (2 models offered).',
  );
  await section.getByRole('button', { name: 'Save AI endpoint' }).click();
  await expect(section.getByTestId('ai-key-state')).toHaveText('Key stored');
  await expect(section.getByLabel('API key')).toHaveValue('');
  const stored = await (await fetch(`${host.url}/manager/ai/settings`)).text();
  expect(stored).not.toContain(KEY);
  expect(JSON.parse(stored)).toEqual({ baseUrl: openai.baseUrl, model: 'qwen2.5-coder:7b', hasKey: true });

  // A wrong key: the check says so in plain words.
  await section.getByLabel('API key').fill('sk-wrong');
  await section.getByRole('button', { name: 'Check' }).click();
  await expect(section.getByTestId('ai-check-result')).toContainText('refused the API key (HTTP 401');
  await section.scrollIntoViewIfNeeded();
  await screenshot(page, 'settings-ai-endpoint');
});

test('Python: generate, examples fail, fix and retry passes on the real SDK, install, SQL', async ({
  page,
}) => {
  test.setTimeout(120_000);
  await configure();
  openai.script({ content: pythonAnswer(CELSIUS_PY_BROKEN) }, { content: pythonAnswer(CELSIUS_PY) });
  await openDevelop(page, 'en');
  await page.getByTestId('develop-actions').getByRole('button', { name: 'Generate with AI' }).click();
  const dialog = page.getByRole('dialog', { name: 'Generate a function with AI' });
  const name = dialog.getByRole('textbox', { name: 'Function name' });
  await expect(name).toBeFocused();
  await name.fill('c_to_f');
  await dialog.getByRole('textbox', { name: 'What it does' }).fill('Converts Celsius to Fahrenheit.');
  await fillExamples(dialog, [
    ['[0]', '32'],
    ['100', '212'],
  ]);
  await dialog.getByRole('button', { name: 'Generate', exact: true }).click();
  await expect.poll(() => editorText(dialog)).toContain('class CelsiusToFahrenheit(Function):');
  await expect(dialog.getByText('Written by qwen2.5-coder:7b')).toBeVisible();

  await dialog.getByRole('button', { name: 'Run examples' }).click();
  const results = dialog.getByTestId('ai-results');
  await expect(results).toContainText('0 of 2 pass', { timeout: 30_000 });
  await expect(results.getByTestId('ai-result-row').first()).toContainText('0');
  await screenshot(page, 'develop-ai-failing');

  await dialog.getByRole('button', { name: 'Fix and retry' }).click();
  await expect(results).toContainText('2 of 2 pass', { timeout: 30_000 });
  const fix = openai.chats().at(-1)!;
  expect(fix.at(-1)!.content).toContain('arguments [100]: expected 212, got 180');
  expect(openai.requests.at(-1)!.authorization).toBe(`Bearer ${KEY}`);
  await screenshot(page, 'develop-ai-passing');

  // Nothing is installed until the click.
  expect(await (await fetch(`${host.url}/plugins/portables`)).json()).toEqual([]);
  await dialog.getByRole('button', { name: 'Install on this computer' }).click();
  const installed = dialog.getByTestId('ai-installed');
  await expect(installed).toContainText('SELECT c_to_f(0) AS result FROM demo', { timeout: 30_000 });
  const plugins = (await (await fetch(`${host.url}/plugins/portables`)).json()) as Array<{ name: string }>;
  expect(plugins.map((plugin) => plugin.name)).toEqual(['c_to_f_plugin']);
  const call = await fetch(`${host.url}/manager/portables/c_to_f_plugin/functions/c_to_f/call`, {
    method: 'POST',
    body: JSON.stringify({ args: [37] }),
  });
  expect(await call.json()).toMatchObject({ ok: true, result: 98.6 });
  await expect(dialog.getByRole('button', { name: 'Installed' })).toBeDisabled();
  await screenshot(page, 'develop-ai-installed');
});

test('JavaScript from the Custom functions tab, in Chinese and dark: generate, run, install on the server', async ({
  page,
}) => {
  test.setTimeout(60_000);
  await configure();
  openai.script({ content: `好的：\n\`\`\`javascript\n${CELSIUS_JS}\`\`\`` });
  await openWithPreferences(page, host.url, 'zh-CN', 'dark');
  await page.getByRole('tab', { name: /^自定义函数/ }).click();
  await page.getByRole('button', { name: '用 AI 生成' }).click();
  const dialog = page.getByRole('dialog', { name: '用 AI 生成函数' });
  await expect(dialog.getByRole('radio', { name: 'JavaScript 函数' })).toBeChecked();
  await dialog.getByRole('textbox', { name: '函数名称' }).fill('c_to_f');
  await dialog.getByRole('textbox', { name: '功能描述' }).fill('将摄氏温度转换为华氏温度。');
  await fillExamples(dialog, [
    ['[0]', '32'],
    ['[-40]', '-40'],
  ]);
  await dialog.getByRole('button', { name: '生成', exact: true }).click();
  await expect.poll(() => editorText(dialog)).toContain('function c_to_f(c) {');
  await dialog.getByRole('button', { name: '运行示例' }).click();
  await expect(dialog.getByTestId('ai-results')).toContainText('2 个中 2 个通过');
  await screenshot(page, 'develop-ai-javascript-zh');
  await dialog.getByRole('button', { name: '安装到此服务器' }).click();
  await expect(dialog.getByTestId('ai-installed')).toContainText('SELECT c_to_f(0) AS result FROM demo');
  expect(await (await fetch(`${host.url}/udf/javascript`)).json()).toEqual(['c_to_f']);
  await dialog.locator('[data-dialog-footer]').getByRole('button', { name: '关闭' }).click();
  await expect(page.getByRole('table').getByText('c_to_f', { exact: true })).toBeVisible();

  // The endpoint's section of Settings, in Chinese and dark.
  await page.getByRole('link', { name: '设置' }).click();
  const section = page.getByTestId('ai-endpoint-settings');
  await expect(section.getByTestId('ai-key-state')).toHaveText('已保存密钥');
  await section.getByRole('button', { name: '检查' }).click();
  await expect(section.getByTestId('ai-check-result')).toContainText('模型可用');
  await section.scrollIntoViewIfNeeded();
  await screenshot(page, 'settings-ai-endpoint-zh');
});
