import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Page } from '@playwright/test';
import { unzipSync } from 'fflate';
import { otherArchServer } from '../test/support/other-arch-stand-in';
import { writePythonSdkPluginFolder } from '../test/support/python-sdk-plugin-zip';
import type { StandIn } from '../test/support/stand-in-server';
import {
  FIXTURES,
  expect,
  openWithPreferences,
  screenshot,
  startRemoteHost,
  test,
  type RemoteHost,
} from './host-fixture';
import { expectNoSidewaysScroll } from './layout-checks';

/**
 * The Develop page's Package part in a real browser against a real host: a plugin folder with hand-made mistakes
 * is checked (each problem with its fix), mended, packaged (path, size, SHA-256, files, what was left out),
 * installed on this computer and deployed to another server through the fleet; a Go executable is compared with a
 * server of another architecture, which Deploy holds back until overridden.
 */

let work: string;
let edge: RemoteHost;
let arm: StandIn;

test.beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'ekm-e2e-pack-'));
  edge = await startRemoteHost(mkdtempSync(join(tmpdir(), 'ekm-e2e-pack-edge-')));
  arm = await otherArchServer(edge.url, 'linux', 'arm64');
});
test.afterAll(async () => {
  await arm?.close();
  await edge?.close();
  rmSync(work, { recursive: true, force: true });
});

async function addServer(hostUrl: string, name: string, url: string): Promise<string> {
  const response = await fetch(`${hostUrl}/manager/servers`, {
    method: 'POST',
    body: JSON.stringify({ name, kind: 'ekuiper', url, auth: { type: 'none' } }),
  });
  expect(response.status).toBe(201);
  const { id } = (await response.json()) as { id: string };
  await fetch(`${hostUrl}/manager/servers/${id}/check`, { method: 'POST' });
  return id;
}

async function openDevelop(page: Page, url: string, language: string, scheme: 'light' | 'dark' = 'light') {
  await openWithPreferences(page, `${url}/#/develop`, language, scheme);
  await expect(page.getByTestId('pack-panel')).toBeVisible();
}

test('a Python plugin folder: problems with fixes, then packaged, installed here and deployed', async ({
  page,
  host,
}) => {
  const names = { plugin: 'greeter', function: 'greet', source: 'ticks', sink: 'lines' };
  const folder = writePythonSdkPluginFolder(join(work, 'greeter'), names);
  // Hand-made mistakes: the source's configuration missing, caches and an editor folder beside the code.
  rmSync(join(folder, 'sources'), { recursive: true });
  mkdirSync(join(folder, '__pycache__'));
  writeFileSync(join(folder, '__pycache__', 'main.cpython-311.pyc'), 'cache');
  mkdirSync(join(folder, '.vscode'));
  writeFileSync(join(folder, '.vscode', 'settings.json'), '{}');
  await addServer(host.url, 'edge-1', edge.url);

  await openDevelop(page, host.url, 'en');
  const panel = page.getByTestId('pack-panel');
  await panel.getByLabel('Plugin folder').fill(folder);
  await panel.getByRole('button', { name: 'Check', exact: true }).click();
  const problems = panel.getByTestId('pack-problems');
  await expect(problems).toContainText('1 problem to fix before packaging');
  await expect(problems).toContainText('missing sources/ticks.yaml');
  await expect(problems).toContainText(
    'Fix: create sources/ticks.yaml in the folder with a default section, for example: default: {}',
  );
  await expect(panel.getByTestId('pack-left-out')).toContainText('__pycache__/ — Python cache');
  await expect(panel.getByTestId('pack-left-out')).toContainText('.vscode/ — editor file');
  await expectNoSidewaysScroll(page);
  await screenshot(page, 'develop-pack-problems-en');

  mkdirSync(join(folder, 'sources'));
  writeFileSync(join(folder, 'sources', 'ticks.yaml'), 'default:\n  interval: 20\n');
  // By keyboard: Enter in the folder field packages.
  await panel.getByLabel('Plugin folder').press('Enter');
  const zip = panel.getByTestId('pack-zip');
  const zipPath = join(host.dataDir, 'dist', 'greeter-v1.0.0.zip');
  await expect(zip).toContainText(zipPath);
  const sha = (await zip.locator('code').nth(1).textContent()) ?? '';
  expect(sha).toMatch(/^[0-9a-f]{64}$/);
  const written = readFileSync(zipPath);
  const { createHash } = await import('node:crypto');
  expect(createHash('sha256').update(written).digest('hex')).toBe(sha);
  await expect(panel.getByTestId('pack-problems')).toHaveCount(0);
  await screenshot(page, 'develop-pack-zip-en');

  await panel.getByTestId('pack-deploy').click();
  const dialog = page.getByRole('dialog');
  await expect(dialog).toContainText('Deploy greeter v1.0.0');
  await dialog.getByRole('checkbox', { name: 'edge-1' }).check();
  await dialog.getByRole('button', { name: 'Preview' }).click();
  await expect(dialog.getByRole('button', { name: 'Install on 1 server' })).toBeVisible();
  await dialog.getByRole('button', { name: 'Install on 1 server' }).click();
  await expect(dialog).toContainText('portable plugin greeter is created');
  await screenshot(page, 'develop-pack-deploy-en');
  const onEdge = await fetch(`${edge.url}/plugins/portables/greeter`);
  expect(onEdge.status).toBe(200);
  await dialog.getByRole('button', { name: 'Close' }).last().click();
  await expect(dialog).toHaveCount(0);

  // Plugins dial fixed socket names, so one machine runs a plugin once: edge-1 (on this machine too) lets it go.
  expect((await fetch(`${edge.url}/plugins/portables/greeter`, { method: 'DELETE' })).status).toBe(200);
  await panel.getByRole('button', { name: 'Install on this computer' }).click();
  await expect(panel.getByTestId('pack-installed')).toHaveText(
    'This computer: portable plugin greeter is created',
  );
});

test('a Go executable built for amd64 against an arm64 server: the warning, in Chinese and dark', async ({
  page,
  host,
}) => {
  const folder = join(work, 'mirror');
  const files = unzipSync(readFileSync(join(FIXTURES, 'portable/mirror.zip')));
  for (const [path, data] of Object.entries(files)) {
    if (path.endsWith('/')) continue;
    mkdirSync(dirname(join(folder, path)), { recursive: true });
    writeFileSync(join(folder, path), data);
  }
  chmodSync(join(folder, 'mirror2'), 0o644);
  const armId = await addServer(host.url, 'edge-arm', arm.url);

  await openDevelop(page, host.url, 'zh-CN', 'dark');
  const panel = page.getByTestId('pack-panel');
  await panel.getByLabel('插件目录').fill(folder);
  await panel.getByTestId('pack-target').click();
  await page.getByRole('option', { name: 'edge-arm (linux/arm64)' }).click();
  await panel.getByRole('button', { name: '打包', exact: true }).click();
  await expect(panel.getByTestId('pack-zip')).toBeVisible();
  await expect(panel.getByTestId('pack-warning-target-mismatch')).toHaveText(
    '编译目标是 linux/amd64；edge-arm 运行在 linux/arm64：请用 GOOS=linux GOARCH=arm64 重新编译',
  );
  await expect(panel.getByTestId('pack-warning-exec-bit-set')).toContainText('zip 里已为它设置（模式 0755）');
  await panel.getByText(/zip 中有 6 个文件/).click();
  await expect(panel.getByTestId('pack-files')).toContainText('0755');
  await screenshot(page, 'develop-pack-mismatch-zh');

  await panel.getByTestId('pack-deploy').click();
  const dialog = page.getByRole('dialog');
  await expect(dialog.getByRole('checkbox', { name: 'edge-arm' })).toBeChecked();
  await expect(dialog.getByTestId('deploy-mismatch')).toContainText('Go 可执行文件不是为 edge-arm 编译的');
  const preview = dialog.getByRole('button', { name: '预览' });
  await expect(preview).toBeDisabled();
  await screenshot(page, 'develop-pack-deploy-blocked-zh');
  await dialog.getByRole('checkbox', { name: '仍然部署到可执行文件不适用的服务器' }).check();
  await expect(preview).toBeEnabled();
  void armId;
});
