import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { uniqueName } from '../test/support/node-plugin-bundle';
import { writeSdkFunctionFolder } from '../test/support/python-sdk-plugin-folder';
import { expect, openWithPreferences, screenshot, test } from './host-fixture';

/**
 * Develop mode in the window against the real host: a Python plugin folder on eKuiper's SDK (with the tests'
 * pynng stand-in) is developed live; Try it answers, the file changes on disk, and the same open Try it panel
 * answers the new result; a broken save shows in the timeline with the old version still answering.
 */

const openDevelop = (page: Page, url: string, language: 'en' | 'zh-CN', colorScheme: 'light' | 'dark') =>
  openWithPreferences(page, `${url}/#/develop`, language, colorScheme);

let parent: string;
test.beforeEach(async () => {
  parent = await mkdtemp(join(tmpdir(), 'ekm-develop-e2e-'));
});
test.afterEach(async () => {
  await rm(parent, { recursive: true, force: true });
});

test('develop a folder live: try the function, change the file, the open Try it panel answers anew', async ({
  page,
  host,
}) => {
  test.setTimeout(120_000);
  const dev = await writeSdkFunctionFolder(join(parent, uniqueName('live')), uniqueName('answer'));
  await openDevelop(page, host.url, 'en', 'light');
  const live = page.getByTestId('develop-live');
  await live.getByRole('textbox', { name: 'Plugin folder' }).fill(dev.folder);
  await live.getByRole('textbox', { name: 'Plugin folder' }).press('Enter');
  await expect(live.getByTestId('develop-state')).toHaveText('Running', { timeout: 60_000 });
  await expect(live.getByTestId('develop-build').first()).toHaveAttribute('data-result', 'installed');

  const tryIt = live.getByTestId('develop-try');
  const args = tryIt.getByRole('textbox', { name: 'Arguments' });
  await args.fill('["edge"]');
  await tryIt.getByRole('button', { name: 'Call' }).click();
  await expect(tryIt.getByTestId('function-result')).toHaveText('"v1 edge"');
  await screenshot(page, 'develop-live-installed');
  // The describe view shows the metadata JSON.
  await live.getByRole('tab', { name: 'Describe' }).click();
  await expect(live.getByTestId('develop-describe')).toContainText('The first description');

  // A good save on disk: the timeline shows the update, the same panel (its arguments still typed) answers anew.
  await dev.saveAnswer('v2 ');
  await expect(live.getByTestId('develop-build').first()).toHaveAttribute('data-result', 'updated', {
    timeout: 30_000,
  });
  await expect(args).toHaveValue('["edge"]');
  await tryIt.getByRole('button', { name: 'Call' }).click();
  await expect(tryIt.getByTestId('function-result')).toHaveText('"v2 edge"');

  // Editing the metadata JSON re-renders the describe view.
  await dev.saveDescription('A described change');
  await expect(live.getByTestId('develop-describe')).toContainText('A described change', { timeout: 30_000 });

  // A broken save: refused with the reason, and the last good version keeps answering in the same panel.
  await dev.save('answer.py', 'def answer(value:\n');
  const refused = live.locator('[data-testid="develop-build"][data-result="refused"]').first();
  await expect(refused).toContainText('SyntaxError', { timeout: 30_000 });
  await expect(refused).toContainText('keeps running');
  await expect(live.getByTestId('develop-state')).toHaveText('Last save refused');
  await tryIt.getByRole('button', { name: 'Call' }).click();
  await expect(tryIt.getByTestId('function-result')).toHaveText('"v2 edge"');
  await live.getByRole('tab', { name: 'Log' }).click();
  await screenshot(page, 'develop-live-refused');
  // The live part from its top: the state, the session, the timeline and Try it side by side.
  const top = (await live.boundingBox())?.y ?? 0;
  await page.mouse.move(640, 400);
  // As a user scrolls: the app's header stays where it is; the part's top lands just below it.
  await page.mouse.wheel(0, top - 70);
  await expect.poll(async () => Math.round((await live.boundingBox())?.y ?? 0)).toBeGreaterThan(40);
  await screenshot(page, 'develop-live-top');

  await live.getByRole('button', { name: 'Stop developing' }).click();
  await expect(live.getByTestId('develop-state')).toHaveText('Stopped');
  await expect(live).toContainText('The plugin stays installed');
});

test('in Chinese and the dark theme, a folder that is not a plugin is refused in Chinese', async ({
  page,
  host,
}) => {
  test.setTimeout(120_000);
  const dev = await writeSdkFunctionFolder(join(parent, uniqueName('zh')), uniqueName('answer'));
  await openDevelop(page, host.url, 'zh-CN', 'dark');
  const live = page.getByTestId('develop-live');
  const folder = live.getByRole('textbox', { name: '插件文件夹' });
  await folder.fill('relative/path');
  await live.getByRole('button', { name: '开始开发' }).click();
  await expect(live.getByTestId('develop-failure')).toContainText('不是绝对路径');

  await folder.fill(dev.folder);
  await live.getByRole('button', { name: '开始开发' }).click();
  await expect(live.getByTestId('develop-state')).toHaveText('运行中', { timeout: 60_000 });
  const tryIt = live.getByTestId('develop-try');
  await tryIt.getByRole('textbox', { name: '参数' }).fill('["边缘"]');
  await tryIt.getByRole('button', { name: '调用' }).click();
  await expect(tryIt.getByTestId('function-result')).toHaveText('"v1 边缘"');
  await dev.save('answer.py', 'def answer(value:\n');
  await expect(live.locator('[data-result="refused"]').first()).toContainText('继续运行', {
    timeout: 30_000,
  });
  await screenshot(page, 'develop-live-zh-dark');
  await live.getByRole('button', { name: '停止开发' }).click();
  await expect(live.getByTestId('develop-state')).toHaveText('已停止');
});
