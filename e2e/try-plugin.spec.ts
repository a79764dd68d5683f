import { readFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Locator, Page } from '@playwright/test';
import { writeNodePluginZip } from '../test/support/node-plugin-bundle';
import { expect, screenshot, test } from './host-fixture';

/**
 * The try-it parts of a portable plugin's drawer against the real host running eKuiper's Go sample `mirror`
 * (function `echo`, source `random`, sink `file`): process status and restart, the live log, and each mode.
 */

interface Status {
  status: string;
  pid: number;
  refCount: Record<string, number>;
}

/** Opens the window in the given language and theme and the drawer of `mirror` (or of `plugin`). */
async function openMirror(
  page: Page,
  url: string,
  options: { language?: 'en' | 'zh-CN'; colorScheme?: 'light' | 'dark'; plugin?: string } = {},
): Promise<Locator> {
  const plugin = options.plugin ?? 'mirror';
  const state = { language: options.language ?? 'en', colorScheme: options.colorScheme ?? 'light' };
  await page.addInitScript((preferences) => {
    localStorage.setItem(
      'ekuiper-extension-manager.preferences',
      JSON.stringify({ state: preferences, version: 0 }),
    );
  }, state);
  await page.goto(url);
  const details = state.language === 'en' ? `Details of ${plugin}` : `${plugin} 的详情`;
  await page.getByRole('button', { name: details }).click();
  return page.getByRole('dialog', { name: new RegExp(plugin) });
}

async function status(url: string): Promise<Status> {
  return (await (await fetch(`${url}/manager/portables/mirror/status`)).json()) as Status;
}

/** Scrolls a section of the drawer into view, so a screenshot shows it. */
async function showSection(drawer: Locator, name: string): Promise<Locator> {
  const section = drawer.getByRole('region', { name, exact: true });
  await section.scrollIntoViewIfNeeded();
  return section;
}

test('shows the running process, its log, and restarts it with a new process id', async ({ page, host }) => {
  // The host starts mirror with itself: wait for its handshake.
  await expect.poll(async () => (await status(host.url)).status).toBe('running');
  const before = await status(host.url);
  const drawer = await openMirror(page, host.url);
  const processPanel = drawer.getByRole('region', { name: 'Process' });
  await expect(processPanel.getByTestId('runtime-state')).toHaveText('running');
  await expect(processPanel.getByTestId('runtime-pid')).toHaveText(String(before.pid));

  // The log tails what the host noted about mirror's start (and whatever the plugin printed).
  const log = drawer.getByRole('log', { name: 'Log of mirror' });
  await expect(log.locator('[data-stream="host"]').first()).toBeVisible();
  await screenshot(page, 'try-process');

  await processPanel.getByRole('button', { name: 'Restart' }).click();
  const answer = processPanel.getByRole('status').filter({ hasText: 'Restarted' });
  await expect(answer).toContainText('running with process id');
  const after = await status(host.url);
  expect(after.pid).not.toBe(before.pid);
  expect(after.pid).toBeGreaterThan(0);
  await expect(answer).toContainText(String(after.pid));
  await expect(processPanel.getByTestId('runtime-pid')).toHaveText(String(after.pid));
  // The restart shows in the followed log as it happens, without reopening the drawer.
  const logLines = await log.locator('[data-stream]').count();
  expect(logLines).toBeGreaterThan(1);
  await expect(log).toContainText(String(after.pid));
  await showSection(drawer, 'Log');
  await screenshot(page, 'try-log');

  // Scrolling up to read pauses following; new lines do not move the view; Jump to latest resumes.
  await expect.poll(() => log.evaluate((box) => box.scrollHeight > box.clientHeight)).toBe(true);
  await log.evaluate((box) => {
    box.scrollTop = 0;
    box.dispatchEvent(new Event('scroll'));
  });
  await expect(drawer.getByText('Paused while you read', { exact: false })).toBeVisible();
  const linesBefore = await log.locator('[data-stream]').count();
  await fetch(`${host.url}/manager/portables/mirror/functions/echo/call`, {
    method: 'POST',
    body: JSON.stringify({ args: ['scroll'] }),
  });
  await expect.poll(() => log.locator('[data-stream]').count()).toBeGreaterThan(linesBefore);
  expect(await log.evaluate((box) => box.scrollTop)).toBe(0);
  await drawer.getByRole('button', { name: 'Jump to latest' }).click();
  await expect(drawer.getByText('Paused while you read', { exact: false })).toBeHidden();
  await expect
    .poll(() => log.evaluate((box) => box.scrollHeight - box.scrollTop - box.clientHeight))
    .toBeLessThanOrEqual(16);
});

test('calls echo with JSON arguments, after refusing malformed ones', async ({ page, host }) => {
  const drawer = await openMirror(page, host.url);
  const panel = drawer.getByTestId('try-function');
  await expect(panel.getByLabel('Function')).toHaveValue('echo');
  const args = panel.getByRole('textbox', { name: 'Arguments' });

  await args.fill('["hello"');
  await panel.getByRole('button', { name: 'Call' }).click();
  await expect(panel.getByText(/^Not valid JSON: /)).toBeVisible();
  await expect(args).toBeFocused();
  await args.fill('{"a":1}');
  await panel.getByRole('button', { name: 'Call' }).click();
  await expect(panel.getByText('Must be a JSON array, such as ["hello", 42].')).toBeVisible();

  await args.fill('["hello"]');
  await panel.getByRole('button', { name: 'Call' }).click();
  const outcome = panel.getByTestId('function-outcome');
  await expect(outcome).toContainText('Result');
  await expect(panel.getByTestId('function-result')).toHaveText('"hello"');
  await expect(outcome).toContainText('answered at Exec');
  await expect(outcome).toContainText(/Round trip [\d.]+ m?s/);
  await screenshot(page, 'try-function');

  // echo's own Validate takes one argument: the refusal names the stage.
  await args.fill('[1, 2]');
  await args.press('Control+Enter');
  await expect(outcome).toContainText('The function refused at Validate');
});

test('samples random live, and shows the plugin refusing a bad configuration', async ({ page, host }) => {
  const drawer = await openMirror(page, host.url);
  await drawer.getByRole('tab', { name: 'Sources (1)' }).click();
  const panel = drawer.getByTestId('try-source');
  const config = panel.getByRole('textbox', { name: 'Configuration' });
  // Prefilled from the yaml the plugin installed, and said so.
  await expect(
    panel.getByText('From data/sources/random.yaml, section “default”.', { exact: false }),
  ).toBeVisible();
  await expect(config).toHaveValue(/"interval": 1000/);

  const prefilled = JSON.parse(await config.inputValue()) as Record<string, unknown>;
  await config.fill(JSON.stringify({ ...prefilled, interval: 50 }, null, 2));
  await panel.getByRole('textbox', { name: 'Stop after messages' }).fill('3');
  await panel.getByRole('button', { name: 'Start' }).click();
  const events = panel.getByRole('log', { name: 'Messages received' });
  await expect(events.locator('[data-type="message"]')).toHaveCount(3);
  const summary = panel.getByTestId('sample-summary');
  await expect(summary).toContainText('count reached');
  await expect(summary).toContainText('3 messages and 0 errors');
  await expect(events).toContainText('"count"');
  await screenshot(page, 'try-source');

  // A long sample stops cleanly on Stop, and the host lets go of it.
  await panel.getByRole('textbox', { name: 'Stop after messages' }).fill('10000');
  await panel.getByRole('textbox', { name: 'Stop after seconds' }).fill('600');
  await panel.getByRole('button', { name: 'Start' }).click();
  await expect(events.locator('[data-type="message"]').first()).toBeVisible();
  await panel.getByRole('button', { name: 'Stop' }).click();
  await expect(summary).toContainText('Stopped by you');
  await expect.poll(async () => Object.keys((await status(host.url)).refCount)).toEqual([]);

  await config.fill('{"interval": 50, "pattern": "not a map"}');
  await panel.getByRole('button', { name: 'Start' }).click();
  const refusal = panel.getByRole('alert').filter({ hasText: 'The source refused this configuration' });
  await expect(refusal).toContainText('sample source random error: ');
  await screenshot(page, 'try-source-refused');

  // Closing the drawer mid-sample hangs up, and the host stops the source.
  await config.fill(JSON.stringify({ ...prefilled, interval: 50 }));
  await panel.getByRole('button', { name: 'Start' }).click();
  await expect(events.locator('[data-type="message"]').first()).toBeVisible();
  await expect.poll(async () => Object.keys((await status(host.url)).refCount)).toHaveLength(1);
  await page.keyboard.press('Escape');
  await expect(drawer).toBeHidden();
  await expect.poll(async () => Object.keys((await status(host.url)).refCount)).toEqual([]);
});

test('feeds the file sink rows, keeps it running until it wrote them, and says what it knows', async ({
  page,
  host,
}) => {
  const out = join(host.dataDir, 'try-sink-out.txt');
  const drawer = await openMirror(page, host.url);
  await drawer.getByRole('tab', { name: 'Sinks (1)' }).click();
  const panel = drawer.getByTestId('try-sink');
  await panel
    .getByRole('textbox', { name: 'Configuration' })
    .fill(JSON.stringify({ path: out, interval: 100 }));
  await panel.getByRole('textbox', { name: 'Rows' }).fill('[{"temperature": 21.5}, {"temperature": 22}]');
  await panel.getByRole('textbox', { name: 'Acknowledgement timeout (ms)' }).fill('500');
  await panel.getByRole('textbox', { name: 'Keep running after the last row (ms)' }).fill('1000');
  await panel.getByRole('button', { name: 'Send' }).click();
  const outcome = panel.getByTestId('sink-outcome');
  await expect(outcome.getByRole('row').nth(1)).toContainText('no acknowledgement in time');
  await expect(outcome.getByRole('row').nth(2)).toContainText('handed over');
  await expect(outcome).toContainText('cannot tell whether the sink took the row');
  await expect(outcome).toContainText(/The sink was kept running 1(\.\d)? s after the last row/);
  await expect(outcome.getByRole('note')).toContainText(
    "sinks built with eKuiper's Go SDK never acknowledge",
  );
  await screenshot(page, 'try-sink');
  // Both rows really reached the plugin and were written before the sink was stopped.
  expect(readFileSync(out, 'utf8')).toBe('{"temperature":21.5}\n{"temperature":22}\n');

  await panel.getByRole('textbox', { name: 'Rows' }).fill('[]');
  await panel.getByRole('button', { name: 'Send' }).click();
  await expect(panel.getByText('Needs at least 1 entry.')).toBeVisible();
});

test('reads in the dark theme and in Chinese', async ({ page, host }) => {
  let drawer = await openMirror(page, host.url, { colorScheme: 'dark' });
  await expect(page.locator('html')).toHaveAttribute('data-mantine-color-scheme', 'dark');
  await drawer.getByTestId('try-function').getByRole('textbox', { name: 'Arguments' }).fill('["dark"]');
  await drawer.getByTestId('try-function').getByRole('button', { name: 'Call' }).click();
  await expect(drawer.getByTestId('function-result')).toHaveText('"dark"');
  await showSection(drawer, 'Try it');
  await screenshot(page, 'try-dark');

  const zh = await page.context().newPage();
  drawer = await openMirror(zh, host.url, { language: 'zh-CN' });
  await expect(drawer.getByRole('region', { name: '进程' }).getByTestId('runtime-state')).toHaveText(
    '运行中',
  );
  await drawer.getByRole('tab', { name: '源（1）' }).click();
  await expect(drawer.getByText('来自 data/sources/random.yaml', { exact: false })).toBeVisible();
  // The host's note on a sink that never acknowledges, in the window's language.
  await drawer.getByRole('tab', { name: 'Sink（1）' }).click();
  const sinkPanel = drawer.getByTestId('try-sink');
  await sinkPanel
    .getByRole('textbox', { name: '配置' })
    .fill(JSON.stringify({ path: join(host.dataDir, 'try-sink-zh.txt'), interval: 100 }));
  await sinkPanel.getByRole('textbox', { name: '数据行' }).fill('[{"温度": 21.5}]');
  await sinkPanel.getByRole('textbox', { name: '确认超时（毫秒）' }).fill('500');
  await sinkPanel.getByRole('button', { name: '发送' }).click();
  await expect(sinkPanel.getByTestId('sink-outcome').getByRole('note')).toContainText(
    '500 毫秒内没有收到确认：用 eKuiper Go SDK 编写的 Sink 从不发送确认',
  );
  await expect(sinkPanel.getByTestId('sink-outcome')).toContainText('Sink 在最后一行之后又运行了');
  await sinkPanel.getByTestId('sink-outcome').scrollIntoViewIfNeeded();
  await screenshot(zh, 'try-sink-zh-CN');
  await drawer.getByRole('tab', { name: '源（1）' }).click();
  await showSection(drawer, '试用');
  await screenshot(zh, 'try-zh-CN');
});

test('a plugin process that exits with status 0 reads as stopped, not as an error', async ({
  page,
  host,
}) => {
  // The Node test plugin can exit on request, writing what eKuiper's Go SDK logs while all is well.
  const name = 'quitter';
  await mkdir(test.info().outputDir, { recursive: true });
  const zip = await writeNodePluginZip(test.info().outputDir, { name, functions: { bye: 'exit' } });
  const created = await fetch(`${host.url}/plugins/portables`, {
    method: 'POST',
    body: JSON.stringify({ name, file: `file://${zip}` }),
  });
  expect(created.status).toBe(201);
  await fetch(`${host.url}/manager/portables/${name}/functions/bye/call`, {
    method: 'POST',
    body: JSON.stringify({
      args: [{ code: 0, stderr: ['time="2026-01-01 10:00:00" level=info msg="closed sink data channel"'] }],
    }),
  });
  for (const language of ['en', 'zh-CN'] as const) {
    const tab = language === 'en' ? page : await page.context().newPage();
    const drawer = await openMirror(tab, host.url, { language, plugin: name });
    const processPart = await showSection(drawer, language === 'en' ? 'Process' : '进程');
    await expect(processPart.getByTestId('runtime-state')).toHaveText(
      language === 'en' ? 'stopped' : '已停止',
    );
    await expect(processPart.getByTestId('runtime-ended')).toHaveText(
      language === 'en'
        ? 'Exited normally (status 0): the plugin stopped by itself. The next use starts it again.'
        : '正常退出（状态 0）：插件自行停止。下次使用时会重新启动。',
    );
    await expect(processPart).not.toContainText('level=info');
    await screenshot(tab, `runtime-exited-normally-${language}`);
  }
});
