import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Locator, Page } from '@playwright/test';
import { zipSync } from 'fflate';
import { frontProxy, type CountingProxy } from '../test/support/server-stand-ins';
import { holdingProxy } from './holding-proxy';
import {
  dropZip,
  expect,
  screenshot,
  startRemoteHost,
  test,
  type RemoteHost,
  type TestHost,
} from './host-fixture';

const AREA = 'function area(a, b) { return a * b; }';
const AREA_B = 'function area(a, b) {\n  return b * a;\n}';

async function post(url: string, path: string, body: unknown, expected: number): Promise<void> {
  const response = await fetch(`${url}${path}`, { method: 'POST', body: JSON.stringify(body) });
  expect(response.status, await response.clone().text()).toBe(expected);
}

/**
 * This computer has the function `area` and the service `weather`; edge-b has `area` with another script and the
 * same `weather`; edge-c has neither; edge-core is an eKuiper built without either route (404).
 */
interface Fleet {
  edgeB: RemoteHost;
  edgeC: RemoteHost;
  core: CountingProxy;
  close(): Promise<void>;
}

/** `edgeBFront` puts a proxy (say, one that holds some requests) in front of edge-b for the host to ask. */
async function startFleet(
  host: TestHost,
  edgeBFront: (url: string) => Promise<string> | string = (url) => url,
): Promise<Fleet> {
  const edgeB = await startRemoteHost(mkdtempSync(join(tmpdir(), 'ekm-e2e-ext-b-')));
  const edgeC = await startRemoteHost(mkdtempSync(join(tmpdir(), 'ekm-e2e-ext-c-')));
  const core = await frontProxy(edgeC.url, { lacks: ['/udf/javascript', '/services'] });
  await post(
    host.url,
    '/udf/javascript',
    { id: 'area', description: 'Area', script: AREA, isAgg: false },
    201,
  );
  await post(
    edgeB.url,
    '/udf/javascript',
    { id: 'area', description: 'Area', script: AREA_B, isAgg: false },
    201,
  );
  const zipDir = mkdtempSync(join(tmpdir(), 'ekm-e2e-ext-zip-'));
  const zip = join(zipDir, 'weather.zip');
  const descriptor = {
    interfaces: { weather: { address: 'http://127.0.0.1:9', protocol: 'rest', schemaless: true } },
  };
  writeFileSync(zip, zipSync({ 'weather.json': Buffer.from(JSON.stringify(descriptor)) }));
  for (const url of [host.url, edgeB.url])
    await post(url, '/services', { name: 'weather', file: `file://${zip}` }, 201);
  for (const [name, url] of [
    ['edge-b', await edgeBFront(edgeB.url)],
    ['edge-c', edgeC.url],
    ['edge-core', core.url],
  ] as const) {
    await post(host.url, '/manager/servers', { name, kind: 'ekuiper', url, auth: { type: 'none' } }, 201);
  }
  return {
    edgeB,
    edgeC,
    core,
    close: async () => {
      await core.close();
      await edgeB.close();
      await edgeC.close();
    },
  };
}

async function openFleet(
  page: Page,
  url: string,
  options: { language?: string; colorScheme?: 'light' | 'dark' } = {},
): Promise<void> {
  await page.addInitScript(
    (preferences) => {
      localStorage.setItem(
        'ekuiper-extension-manager.preferences',
        JSON.stringify({ state: preferences, version: 0 }),
      );
    },
    { language: options.language ?? 'en', colorScheme: options.colorScheme ?? 'light', fleetConcurrency: 4 },
  );
  await page.goto(`${url}/#/fleet`);
  await expect(page.getByTestId('fleet-rows').getByRole('row').first()).toBeVisible();
}

const row = (page: Page, key: string): Locator => page.locator(`[data-plugin="${key}"]`);
const cells = (page: Page, key: string): Locator => row(page, key).getByRole('cell');

test('custom functions and services on every server: missing, differs and n/a at a glance', async ({
  page,
  host,
}) => {
  test.setTimeout(90_000);
  const fleet = await startFleet(host);
  try {
    await openFleet(page, host.url);
    await page.getByTestId('fleet-view').getByText('Custom functions').click();
    await expect(page.getByRole('columnheader')).toHaveText([
      /Custom function/,
      /This computer/,
      /edge-b/,
      /edge-c/,
      /edge-core/,
    ]);
    const area = cells(page, 'javascript/area');
    await expect(area.nth(0)).toHaveAttribute('data-state', 'present');
    await expect(area.nth(1)).toHaveAttribute('data-state', 'present');
    // Two scripts, one each: one of them is marked as differing.
    await expect(row(page, 'javascript/area').locator('[data-differs]')).toHaveCount(1);
    await expect(area.nth(2)).toHaveAttribute('aria-label', 'area is not on edge-c');
    await expect(area.nth(3)).toHaveText('n/a');
    await expect(area.nth(3)).toHaveAttribute('data-state', 'unavailable');
    const note = page.getByRole('columnheader', { name: /edge-core/ }).getByTestId('server-note');
    await expect(note).toHaveText('n/a');
    await expect(note).toHaveAttribute('aria-label', /GET \/udf\/javascript answered 404/);
    await expect(row(page, 'javascript/area').getByTestId('drift-badge')).toHaveAttribute(
      'aria-label',
      'drift: Missing on edge-c\nContent differs between servers',
    );
    await screenshot(page, 'extension-fleet-functions');

    await page.getByTestId('fleet-view').getByText('External services').click();
    await expect(page.getByRole('columnheader').first()).toHaveText(/External service/);
    const weather = cells(page, 'services/weather');
    // Each server's service with its protocol and address.
    await expect(weather).toHaveText([/^✓rest http:\/\/127\.0\.0\.1:9$/, /^✓rest http/, '—', 'n/a']);
    await expect(page.getByTestId('fleet-count')).toHaveText('1 of 1 services · 1 with drift');
    await screenshot(page, 'extension-fleet-services');
  } finally {
    await fleet.close();
  }
});

test('a server slow to list its custom functions holds back only its own column', async ({ page, host }) => {
  test.setTimeout(90_000);
  let slow: Awaited<ReturnType<typeof holdingProxy>> | undefined;
  // edge-b is slow to list its JavaScript functions; everything else it answers at once.
  const fleet = await startFleet(host, async (url) => {
    slow = await holdingProxy(url, (method, path) => method === 'GET' && path.startsWith('/udf/javascript'));
    return slow.url;
  });
  try {
    await openFleet(page, host.url);
    await page.getByTestId('fleet-view').getByText('Custom functions').click();

    // The other servers' columns are there while edge-b is still being asked.
    const area = cells(page, 'javascript/area');
    await expect(area.nth(0)).toHaveAttribute('data-state', 'present');
    await expect(area.nth(2)).toHaveAttribute('aria-label', 'area is not on edge-c');
    await expect(area.nth(3)).toHaveText('n/a');
    const header = page.getByRole('columnheader', { name: /edge-b/ });
    await expect(header.getByTestId('server-note')).toHaveText('Asking…');
    await expect(area.nth(1)).toHaveText('?');
    await expect(area.nth(1)).toHaveAttribute('aria-label', 'Asking edge-b whether it has area…');
    await expect(page.getByRole('button', { name: 'Refresh' })).toBeDisabled();
    await page.mouse.move(0, 0);
    await screenshot(page, 'extension-fleet-functions-asking');

    // Once it answers, its column fills in like any other, its script marked as differing.
    slow?.release();
    await expect(header.getByTestId('server-note')).toHaveText('1 custom function');
    await expect(area.nth(1)).toHaveAttribute('data-state', 'present');
    await expect(row(page, 'javascript/area').locator('[data-differs]')).toHaveCount(1);
    await expect(page.getByRole('button', { name: 'Refresh' })).toBeEnabled();
  } finally {
    slow?.release();
    await slow?.close();
    await fleet.close();
  }
});

for (const [options, name, viewport] of [
  [{ colorScheme: 'dark' }, 'extension-fleet-functions-dark', undefined],
  [{ language: 'zh-CN' }, 'extension-fleet-functions-zh', undefined],
  [{}, 'extension-fleet-functions-800x600', { width: 800, height: 600 }],
] as const) {
  test(`the functions matrix in ${name}`, async ({ page, host }) => {
    test.setTimeout(60_000);
    const fleet = await startFleet(host);
    try {
      if (viewport !== undefined) await page.setViewportSize(viewport);
      await openFleet(page, host.url, options);
      await page.getByTestId('fleet-view').locator('label').nth(2).click();
      await expect(row(page, 'javascript/area').getByTestId('drift-badge')).toBeVisible();
      if (viewport !== undefined) {
        const toolbar = page.getByRole('button', { name: 'Create…' });
        await expect(toolbar).toBeInViewport();
      }
      await screenshot(page, name);
    } finally {
      await fleet.close();
    }
  });
}

test('creates a function where it is missing from the row menu, one server refusing, then a retry', async ({
  page,
  host,
}) => {
  test.setTimeout(120_000);
  const fleet = await startFleet(host);
  try {
    await openFleet(page, host.url);
    await page.getByTestId('fleet-view').getByText('Custom functions').click();
    await row(page, 'javascript/area').getByRole('button', { name: 'Fleet actions for area' }).click();
    // Missing on edge-c only: edge-core cannot have it (n/a), which is not "missing".
    await page.getByRole('menuitem', { name: 'Create on the 1 server that lacks it' }).click();
    const dialog = page.getByRole('dialog', { name: 'Create a custom function on many servers' });
    await expect(dialog.getByRole('combobox', { name: 'Function name' })).toHaveValue('area');
    // This computer's script fills the form.
    await expect(dialog.getByRole('textbox', { name: 'Script', exact: true })).toHaveValue(AREA);
    await expect(dialog.getByRole('checkbox', { name: 'edge-c', exact: true })).toBeChecked();
    await expect(dialog.getByRole('checkbox', { name: 'edge-core' })).not.toBeChecked();
    await dialog.getByRole('checkbox', { name: 'edge-core' }).check();
    await screenshot(page, 'extension-fleet-dialog');
    await dialog.getByRole('button', { name: 'Preview' }).click();
    const preview = dialog.getByTestId('fleet-preview');
    await expect(preview.getByRole('row', { name: 'edge-c', exact: true })).toContainText('Create');
    await expect(preview.getByRole('row', { name: 'edge-core' })).toContainText('Skip');
    await expect(preview.getByRole('row', { name: 'edge-core' })).toContainText('answered 404');
    await screenshot(page, 'extension-fleet-preview');

    // Meanwhile someone creates it on edge-c: the server refuses in its own words.
    await post(
      fleet.edgeC.url,
      '/udf/javascript',
      { id: 'area', description: '', script: AREA, isAgg: false },
      201,
    );
    await dialog.getByRole('button', { name: 'Create on 1 server' }).click();
    await expect(dialog.getByTestId('fleet-counts')).toHaveText('1 failed · 1 skipped');
    const edgeC = dialog.getByTestId('fleet-results').getByRole('row', { name: 'edge-c', exact: true });
    await expect(edgeC).toContainText('400');
    await expect(edgeC).toContainText('javascript function create command error: Item area already exists');
    await screenshot(page, 'extension-fleet-results-failure');

    const removed = await fetch(`${fleet.edgeC.url}/udf/javascript/area`, { method: 'DELETE' });
    expect(removed.status).toBe(200);
    await dialog.getByRole('button', { name: 'Retry the failed server' }).click();
    await expect(edgeC).toContainText('201');
    await expect(edgeC).toContainText('javascript function area is created');
    await expect(dialog.getByTestId('fleet-counts')).toHaveText('1 succeeded · 1 skipped');
    await screenshot(page, 'extension-fleet-results-retried');
    await dialog.getByTestId('fleet-dialog-footer').getByRole('button', { name: 'Close' }).click();
    await expect(cells(page, 'javascript/area').nth(2)).toHaveAttribute('data-state', 'present');
  } finally {
    await fleet.close();
  }
});

test('exports this computer and imports it on edge-c with a preview', async ({ page, host }) => {
  test.setTimeout(120_000);
  const fleet = await startFleet(host);
  try {
    await page.goto(`${host.url}/#/servers`);
    const local = page.getByTestId('server-card-local');
    const download = page.waitForEvent('download');
    await local
      .getByRole('button', { name: 'Functions and services of This computer: export or import' })
      .click();
    await screenshot(page, 'servers-transfer-menu');
    await page.getByRole('menuitem', { name: 'Export to a file' }).click();
    const saved = await download;
    expect(saved.suggestedFilename()).toMatch(/^local-extensions-\d{4}-\d{2}-\d{2}\.json$/);
    const path = join(mkdtempSync(join(tmpdir(), 'ekm-e2e-export-')), saved.suggestedFilename());
    await saved.saveAs(path);
    const file = JSON.parse(readFileSync(path, 'utf8')) as {
      scripts: Record<string, string>;
      Service: object;
    };
    expect(Object.keys(file.scripts)).toEqual(['area']);
    expect(Object.keys(file.Service)).toEqual(['weather']);
    await expect(page.getByText(/Saved local-extensions-.*: 1 function, 1 service\./)).toBeVisible();
    await screenshot(page, 'servers-export');

    const edgeC = page.getByTestId('server-card-edge-c');
    const importFrom = async () => {
      // The menu of the last import must have gone (it fades out) before the next is opened.
      await expect(page.getByRole('menuitem', { name: 'Import from a file…' })).toHaveCount(0);
      await edgeC.getByRole('button', { name: 'Functions and services of edge-c: export or import' }).click();
      await page.getByRole('menuitem', { name: 'Import from a file…' }).click();
    };
    await importFrom();
    const dialog = page.getByRole('dialog', { name: 'Import into edge-c' });
    await dialog.locator('input[type="file"]').setInputFiles(path);
    const items = dialog.getByTestId('import-items');
    await expect(items.getByRole('row')).toHaveCount(3);
    await expect(items.locator('[data-outcome="create"]')).toHaveCount(2);
    await expect(items).toContainText("will create JavaScript function 'area'");
    await expect(items).toContainText("will create service 'weather'");
    expect(await (await fetch(`${fleet.edgeC.url}/udf/javascript`)).json()).toEqual([]);
    await screenshot(page, 'servers-import-preview');

    await dialog.getByRole('button', { name: 'Import 2 items' }).click();
    await expect(dialog.getByTestId('import-summary')).toHaveText('2 imported, 0 failed.');
    await expect(items).toContainText('javascript function area is created');
    await expect(items).toContainText('service weather is created');
    await screenshot(page, 'servers-import-done');
    expect(await (await fetch(`${fleet.edgeC.url}/udf/javascript`)).json()).toEqual(['area']);
    expect(await (await fetch(`${fleet.edgeC.url}/services`)).json()).toEqual(['weather']);

    // A file that is not JSON is said at once, in the window.
    const bad = join(mkdtempSync(join(tmpdir(), 'ekm-e2e-bad-')), 'bad.json');
    writeFileSync(bad, '{"scripts":');
    await dialog.getByRole('button', { name: 'Close' }).last().click();
    await expect(dialog).toBeHidden();
    await importFrom();
    await dialog.locator('input[type="file"]').setInputFiles(bad);
    await expect(dialog.getByRole('alert')).toContainText('The file is not JSON');
  } finally {
    await fleet.close();
  }
});

test('the service dialog and the import preview in Chinese, dark', async ({ page, host }) => {
  test.setTimeout(90_000);
  const fleet = await startFleet(host);
  try {
    await openFleet(page, host.url, { language: 'zh-CN', colorScheme: 'dark' });
    await page.getByTestId('fleet-view').getByText('外部服务').click();
    await expect(cells(page, 'services/weather').nth(3)).toHaveText('不可用');
    await page.getByRole('checkbox', { name: '选择所有服务器' }).check();
    await page.getByRole('button', { name: '创建…' }).click();
    const dialog = page.getByRole('dialog', { name: '在多台服务器上创建外部服务' });
    const zip = zipSync({
      'forecast.json': Buffer.from(
        JSON.stringify({
          interfaces: { forecast: { address: 'http://127.0.0.1:9', protocol: 'rest', schemaless: true } },
        }),
      ),
    });
    await dropZip(page, dialog.getByTestId('zip-dropzone'), zip, 'forecast.zip');
    await expect(dialog.getByRole('combobox', { name: '服务名称' })).toHaveValue('forecast');
    await dialog.getByRole('button', { name: '预览' }).click();
    const preview = dialog.getByTestId('fleet-preview');
    await expect(preview.getByRole('row', { name: 'edge-b' })).toContainText('将创建服务 forecast');
    await expect(preview.getByRole('row', { name: 'edge-core' })).toContainText('跳过');
    await screenshot(page, 'extension-fleet-services-preview-zh-dark');
    await dialog.getByRole('button', { name: '在 3 台服务器上创建' }).click();
    await expect(dialog.getByTestId('fleet-counts')).toContainText('3 台成功');
    await screenshot(page, 'extension-fleet-services-results-zh-dark');
    await dialog.getByTestId('fleet-dialog-footer').getByRole('button', { name: '关闭' }).click();
    for (const url of [host.url, fleet.edgeB.url, fleet.edgeC.url]) {
      expect(await (await fetch(`${url}/services/forecast`)).json()).toMatchObject({
        Interfaces: { forecast: { Addr: 'http://127.0.0.1:9' } },
      });
      expect(await (await fetch(`${url}/config/uploads`)).json()).toEqual([]);
    }

    // The import preview, from edge-b's export into edge-c.
    const exported = await fetch(`${host.url}/manager/servers/edge-b/extensions/export`);
    const file = join(mkdtempSync(join(tmpdir(), 'ekm-e2e-export-')), 'edge-b.json');
    writeFileSync(file, await exported.text());
    await page.goto(`${host.url}/#/servers`);
    await page
      .getByTestId('server-card-edge-c')
      .getByRole('button', { name: 'edge-c 的函数和服务：导出或导入' })
      .click();
    await page.getByRole('menuitem', { name: '从文件导入…' }).click();
    const importing = page.getByRole('dialog', { name: '导入到 edge-c' });
    await importing.locator('input[type="file"]').setInputFiles(file);
    await expect(importing.getByTestId('import-items')).toContainText('将替换已存在的服务 forecast');
    await screenshot(page, 'servers-import-preview-zh-dark');
  } finally {
    await fleet.close();
  }
});
