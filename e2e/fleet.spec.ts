import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Locator, Page } from '@playwright/test';
import { unzipSync } from 'fflate';
import { buildZip } from '../test/support/zip-writer';
import { holdingProxy, PLUGIN_LISTS } from './holding-proxy';
import {
  FIXTURES,
  dropZip,
  expect,
  installZip,
  screenshot,
  startRemoteHost,
  test,
  type RemoteHost,
  type TestHost,
} from './host-fixture';

const FILE2 = join(FIXTURES, 'ekuiper-testzips/sinks/file2.zip');
const RANDOM3 = join(FIXTURES, 'ekuiper-testzips/sources/random3.zip');

async function remove(url: string, kind: string, name: string): Promise<void> {
  const response = await fetch(`${url}/plugins/${kind}/${name}`, { method: 'DELETE' });
  if (!response.ok) throw new Error(`deleting ${name}: ${await response.text()}`);
}

/** The first file called `name` under `dir`. */
function findFile(dir: string, name: string): string | undefined {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      const found = findFile(path, name);
      if (found !== undefined) return found;
    } else if (entry.name === name) return path;
  }
  return undefined;
}

/** Adds an eKuiper server without credentials to the host's list, as a script would. */
async function addServer(hostUrl: string, name: string, url: string): Promise<void> {
  const added = await fetch(`${hostUrl}/manager/servers`, {
    method: 'POST',
    body: JSON.stringify({ name, kind: 'ekuiper', url, auth: { type: 'none' } }),
  });
  expect(added.status).toBe(201);
}

/**
 * Three servers, each with its own drift against the seeded local host (random3 1.0.0, random2, file2, echo2,
 * comp and the running portable mirror):
 * - edge-b: random3 at 1.1.0, echo2 and comp; no random2, file2 or mirror;
 * - edge-c: the seeded plugins without comp and file2, and mirror in `error` (its executable is gone).
 */
interface Fleet {
  edgeB: RemoteHost;
  edgeC: RemoteHost;
  close(): Promise<void>;
}

async function startFleet(host: TestHost, seededDataDir: string): Promise<Fleet> {
  const work = mkdtempSync(join(tmpdir(), 'ekm-e2e-fleet-zips-'));
  const files = unzipSync(readFileSync(RANDOM3));
  const random3v11 = join(work, 'random3.zip');
  writeFileSync(
    random3v11,
    buildZip([
      { name: 'Random3@v1.1.0.so', data: Buffer.from(files['Random3@v1.0.0.so']!) },
      { name: 'random3.yaml', data: Buffer.from(files['random3.yaml']!) },
    ]),
  );
  const edgeB = await startRemoteHost(mkdtempSync(join(tmpdir(), 'ekm-e2e-edge-b-')));
  await installZip(edgeB.url, 'sources', 'random3', random3v11);
  await installZip(edgeB.url, 'functions', 'echo2', join(FIXTURES, 'ekuiper-testzips/functions/echo2.zip'));
  await installZip(edgeB.url, 'functions', 'comp', join(FIXTURES, 'ekuiper-testzips/functions/comp.zip'));
  rmSync(work, { recursive: true, force: true });

  const edgeCDir = mkdtempSync(join(tmpdir(), 'ekm-e2e-edge-c-'));
  cpSync(seededDataDir, edgeCDir, { recursive: true });
  const executable = findFile(edgeCDir, 'mirror2');
  if (executable === undefined) throw new Error('the seeded mirror has no executable mirror2');
  rmSync(executable);
  const edgeC = await startRemoteHost(edgeCDir);
  await remove(edgeC.url, 'functions', 'comp');
  await remove(edgeC.url, 'sinks', 'file2');

  for (const [name, url] of [
    ['edge-b', edgeB.url],
    ['edge-c', edgeC.url],
  ] as const) {
    await addServer(host.url, name, url);
  }
  return {
    edgeB,
    edgeC,
    close: async () => {
      await edgeB.close();
      await edgeC.close();
    },
  };
}

interface OpenOptions {
  language?: 'en' | 'zh-CN';
  colorScheme?: 'light' | 'dark';
}

async function openFleet(page: Page, url: string, options: OpenOptions = {}): Promise<void> {
  const state = {
    language: options.language ?? 'en',
    colorScheme: options.colorScheme ?? 'light',
    fleetConcurrency: 4,
  };
  await page.addInitScript((preferences) => {
    localStorage.setItem(
      'ekuiper-extension-manager.preferences',
      JSON.stringify({ state: preferences, version: 0 }),
    );
  }, state);
  await page.goto(`${url}/#/fleet`);
  await expect(page.getByTestId('fleet-rows').getByRole('row').first()).toBeVisible();
}

function matrixRow(page: Page, key: string): Locator {
  return page.locator(`[data-plugin="${key}"]`);
}

/** The cells of a row, in column order (this computer, edge-b, edge-c). */
function cells(page: Page, key: string): Locator {
  return matrixRow(page, key).getByRole('cell');
}

test('shows each server’s plugins and marks drift at a glance', async ({ page, host, seededDataDir }) => {
  test.setTimeout(90_000);
  const fleet = await startFleet(host, seededDataDir);
  try {
    await openFleet(page, host.url);
    const headers = page.getByRole('columnheader');
    await expect(headers).toHaveText([/Plugin/, /This computer/, /edge-b/, /edge-c/]);
    await expect(page.getByTestId('fleet-count')).toHaveText('6 of 6 plugins · 5 with drift');

    // Versions differ: both versions shown, the odd one marked.
    await expect(cells(page, 'sources/random3')).toHaveText(['1.0.0', '1.1.0', '1.0.0']);
    await expect(cells(page, 'sources/random3').nth(1).locator('[data-differs]')).toHaveCount(1);
    // Missing on two servers.
    await expect(cells(page, 'sinks/file2')).toHaveText(['no version', '—', '—']);
    await expect(cells(page, 'sinks/file2').nth(1)).toHaveAttribute(
      'aria-label',
      'file2 is not installed on edge-b',
    );
    // A portable in error on edge-c, its reason on hover.
    const error = cells(page, 'portables/mirror').nth(2).getByTestId('error-badge');
    await expect(error).toBeVisible();
    await error.hover();
    await expect(page.getByRole('tooltip')).toContainText('mirror2');
    // The same everywhere: no drift badge.
    await expect(matrixRow(page, 'functions/echo2').getByTestId('drift-badge')).toHaveCount(0);
    await expect(matrixRow(page, 'sinks/file2').getByTestId('drift-badge')).toHaveAttribute(
      'aria-label',
      'drift: Missing on edge-b, edge-c',
    );
    await page.mouse.move(0, 0);
    await screenshot(page, 'fleet-matrix');

    await page.getByRole('switch', { name: /Only drift/ }).check();
    await expect(page.getByTestId('fleet-count')).toHaveText('5 of 6 plugins · 5 with drift');
    await expect(matrixRow(page, 'functions/echo2')).toHaveCount(0);
    await page.getByRole('textbox', { name: 'Filter by name' }).fill('rand');
    await expect(page.getByTestId('fleet-rows').getByRole('row')).toHaveCount(2);
    await page.getByRole('textbox', { name: 'Filter by name' }).fill('');
    await page.getByRole('switch', { name: /Only drift/ }).uncheck();
    await page.getByRole('combobox', { name: 'Kind' }).click();
    await page.getByRole('option', { name: 'Function' }).click();
    await expect(page.getByTestId('fleet-rows').getByRole('row')).toHaveCount(2);

    // A server that does not answer: its reason in the header, its cells unknown rather than missing.
    await fleet.edgeB.stop();
    await page.getByRole('button', { name: 'Refresh' }).click();
    const note = page.getByRole('columnheader', { name: /edge-b/ }).getByTestId('server-note');
    await expect(note).toHaveText('No answer');
    // The host's own words for a refused connection, naming the server's address and port.
    await expect(note).toHaveAttribute(
      'aria-label',
      `No answer: ${new URL(fleet.edgeB.url).host} refused the connection: nothing listens on port ` +
        `${new URL(fleet.edgeB.url).port} there. Is the server running, and is the port right (eKuiper's ` +
        `REST API uses 9081, NeuronEX 8085)?`,
    );
    await expect(cells(page, 'functions/echo2').nth(1)).toHaveAttribute('data-state', 'unknown');
    await expect(cells(page, 'functions/comp').nth(1)).toHaveAttribute('data-state', 'unknown');
    await expect(cells(page, 'functions/comp').nth(2)).toHaveAttribute('data-state', 'missing');
    await screenshot(page, 'fleet-matrix-server-down');
    // In Chinese, the same failure reads in Chinese: the host's words are in its message catalog.
    await page.getByLabel('Language').selectOption('zh-CN');
    await expect(note).toHaveText('无应答');
    await expect(note).toHaveAttribute(
      'aria-label',
      `无应答: ${new URL(fleet.edgeB.url).host} 拒绝了连接：该机器的 ${new URL(fleet.edgeB.url).port} 端口上` +
        '没有服务在监听。服务器是否在运行？端口是否正确（eKuiper 的 REST API 使用 9081，NeuronEX 使用 8085）？',
    );
    await note.hover();
    await expect(page.getByRole('tooltip')).toContainText('拒绝了连接');
    await screenshot(page, 'fleet-matrix-server-down-zh');
    await page.mouse.move(0, 0);
    await page.getByLabel('语言').selectOption('en');
    await fleet.edgeB.start();
  } finally {
    await fleet.close();
  }
});

for (const [options, name, viewport] of [
  [{ colorScheme: 'dark' }, 'fleet-matrix-dark', undefined],
  [{ language: 'zh-CN' }, 'fleet-matrix-zh', undefined],
  [{}, 'fleet-matrix-800x600', { width: 800, height: 600 }],
] as const) {
  test(`the matrix in ${name}`, async ({ page, host, seededDataDir }) => {
    test.setTimeout(60_000);
    const fleet = await startFleet(host, seededDataDir);
    try {
      if (viewport !== undefined) await page.setViewportSize(viewport);
      await openFleet(page, host.url, options);
      await expect(matrixRow(page, 'sinks/file2').getByTestId('drift-badge')).toBeVisible();
      if (viewport !== undefined) {
        // The matrix scrolls sideways with its header; the plugin column stays.
        const matrix = page.getByTestId('fleet-matrix');
        await matrix.evaluate((element) => element.scrollBy({ left: 400 }));
        const first = matrixRow(page, 'sinks/file2').getByRole('rowheader');
        const matrixBox = (await matrix.boundingBox())!;
        await expect.poll(async () => (await first.boundingBox())!.x).toBeCloseTo(matrixBox.x + 1, 0);
        const headerCell = page.getByRole('columnheader', { name: /edge-c/ });
        const cell = cells(page, 'sinks/file2').nth(2);
        expect((await headerCell.boundingBox())!.x).toBeCloseTo((await cell.boundingBox())!.x, 0);
      }
      await screenshot(page, name);
    } finally {
      await fleet.close();
    }
  });
}

test('installs a dropped zip on every server, with a preview, one refusal, a retry and a delete everywhere', async ({
  page,
  host,
  seededDataDir,
}) => {
  test.setTimeout(120_000);
  const fleet = await startFleet(host, seededDataDir);
  try {
    // edge-c takes no zip larger than 10 bytes: it will refuse the upload in its own words.
    const limited = await fetch(`${fleet.edgeC.url}/manager/settings`, {
      method: 'PUT',
      body: JSON.stringify({ maxDownloadBytes: 10 }),
    });
    expect(limited.ok).toBe(true);
    await openFleet(page, host.url);
    await page.getByRole('checkbox', { name: 'Select every server' }).check();
    await expect(page.getByTestId('fleet-selection')).toHaveText(
      '3 servers selected: bulk actions go to them.',
    );
    await page.getByRole('button', { name: 'Install…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Install a plugin on many servers' });
    await dialog.getByRole('combobox', { name: 'Kind' }).click();
    await page.getByRole('option', { name: 'Sink' }).click();
    await dropZip(page, dialog.getByTestId('zip-dropzone'), readFileSync(FILE2), 'file2.zip');
    await expect(dialog.getByTestId('chosen-file')).toHaveText('file2.zip');
    await expect(dialog.getByRole('combobox', { name: 'Plugin name' })).toHaveValue('file2');
    await expect(dialog.getByRole('region', { name: 'What the zip holds' })).toContainText('file2.so');
    for (const server of ['This computer', 'edge-b', 'edge-c']) {
      await expect(dialog.getByRole('checkbox', { name: server })).toBeChecked();
    }
    await dialog.getByRole('button', { name: 'Preview' }).click();

    const preview = dialog.getByTestId('fleet-preview');
    await expect(preview.getByRole('row', { name: 'This computer' })).toContainText('Skip');
    await expect(preview.getByRole('row', { name: 'This computer' })).toContainText(
      'file2 is already installed',
    );
    await expect(preview.getByRole('row', { name: 'edge-b' })).toContainText('Install');
    await expect(preview.getByRole('row', { name: 'edge-c' })).toContainText('Install');
    await expect(dialog.getByRole('button', { name: 'Install on 2 servers' })).toBeVisible();
    await screenshot(page, 'fleet-preview');

    await dialog.getByRole('button', { name: 'Install on 2 servers' }).click();
    const results = dialog.getByTestId('fleet-results');
    await expect(dialog.getByTestId('fleet-counts')).toHaveText('1 succeeded · 1 failed · 1 skipped');
    const edgeB = results.getByRole('row', { name: 'edge-b' });
    const edgeC = results.getByRole('row', { name: 'edge-c' });
    await expect(edgeB).toContainText('Done');
    await expect(edgeB).toContainText('201');
    await expect(edgeB).toContainText('plugin file2 is created');
    await expect(edgeC).toContainText('Failed');
    await expect(edgeC).toContainText('400');
    await expect(edgeC).toContainText('larger than 10 bytes, the limit set by maxDownloadBytes');
    await expect(results.getByRole('row', { name: 'This computer' })).toContainText('Skipped');
    // The matrix behind the dialog already shows edge-b's new plugin.
    await expect(cells(page, 'sinks/file2')).toHaveText(['no version', 'no version', '—']);
    await screenshot(page, 'fleet-results-failure');

    // Fix the cause on edge-c, then retry it alone.
    const fixed = await fetch(`${fleet.edgeC.url}/manager/settings`, {
      method: 'PUT',
      body: JSON.stringify({ maxDownloadBytes: 1024 * 1024 * 1024 }),
    });
    expect(fixed.ok).toBe(true);
    await dialog.getByRole('button', { name: 'Retry the failed server' }).click();
    await expect(edgeC).toContainText('Done');
    await expect(edgeC).toContainText('201');
    await expect(edgeB).toContainText('plugin file2 is created');
    await expect(dialog.getByTestId('fleet-counts')).toHaveText('2 succeeded · 1 skipped');
    await screenshot(page, 'fleet-results-retried');
    await dialog.getByTestId('fleet-dialog-footer').getByRole('button', { name: 'Close' }).click();
    await expect(dialog).toBeHidden();
    await expect(cells(page, 'sinks/file2')).toHaveText(['no version', 'no version', 'no version']);
    await expect(matrixRow(page, 'sinks/file2').getByTestId('drift-badge')).toHaveCount(0);
    // The zip uploaded to this computer for the run is gone again, and so are the servers' own uploads.
    for (const url of [host.url, fleet.edgeB.url, fleet.edgeC.url]) {
      await expect
        .poll(async () => (await (await fetch(`${url}/config/uploads`)).json()) as unknown)
        .toEqual([]);
    }

    // Delete everywhere from the row's menu.
    await matrixRow(page, 'sinks/file2').getByRole('button', { name: 'Fleet actions for file2' }).click();
    await page.getByRole('menuitem', { name: 'Delete everywhere (3 servers)' }).click();
    const deleting = page.getByRole('dialog', { name: 'Delete a plugin from many servers' });
    await expect(deleting.getByRole('combobox', { name: 'Plugin name' })).toHaveValue('file2');
    await deleting.getByRole('button', { name: 'Preview' }).click();
    for (const server of ['This computer', 'edge-b', 'edge-c']) {
      await expect(deleting.getByTestId('fleet-preview').getByRole('row', { name: server })).toContainText(
        'Delete',
      );
    }
    await deleting.getByRole('button', { name: 'Delete from 3 servers' }).click();
    await expect(deleting.getByTestId('fleet-counts')).toHaveText('3 succeeded');
    await deleting.getByTestId('fleet-dialog-footer').getByRole('button', { name: 'Close' }).click();
    await expect(matrixRow(page, 'sinks/file2')).toHaveCount(0);
    for (const url of [host.url, fleet.edgeB.url, fleet.edgeC.url]) {
      expect((await fetch(`${url}/plugins/sinks/file2`)).status).toBe(404);
    }
  } finally {
    await fleet.close();
  }
});

test('with only this computer, says how to add servers', async ({ page, host }) => {
  await openFleet(page, host.url);
  await expect(page.getByTestId('fleet-only-local')).toContainText('Only this computer is listed');
  await expect(
    page.getByTestId('fleet-only-local').getByRole('link', { name: 'Add servers' }),
  ).toHaveAttribute('href', '#/servers');
  await expect(page.getByRole('columnheader')).toHaveText([/Plugin/, /This computer/]);
  await expect(page.getByTestId('fleet-count')).toHaveText('6 of 6 plugins · 0 with drift');
  await screenshot(page, 'fleet-only-local');
});

test('the dialog at 800×600 keeps its buttons in view and scrolls an error into view', async ({
  page,
  host,
}) => {
  await page.setViewportSize({ width: 800, height: 600 });
  await openFleet(page, host.url);
  await matrixRow(page, 'sinks/file2').getByRole('button', { name: 'Fleet actions for file2' }).click();
  await page.getByRole('menuitem', { name: 'Update on the 1 server that has it' }).click();
  const dialog = page.getByRole('dialog', { name: 'Update a plugin on many servers' });
  await expect(dialog.getByRole('combobox', { name: 'Plugin name' })).toHaveValue('file2');
  await expect(dialog.getByRole('checkbox', { name: 'This computer' })).toBeChecked();
  await dialog.getByLabel('Choose a zip file').setInputFiles(FILE2);
  await expect(dialog.getByRole('region', { name: 'What the zip holds' })).toContainText('file2.so');
  const preview = dialog.getByRole('button', { name: 'Preview' });
  await expect(preview).toBeInViewport();
  await screenshot(page, 'fleet-dialog-800x600');

  // The host's limits changed since the dialog opened: its upload is refused, and the reason is shown.
  const limited = await fetch(`${host.url}/manager/settings`, {
    method: 'PUT',
    body: JSON.stringify({ maxDownloadBytes: 10 }),
  });
  expect(limited.ok).toBe(true);
  await preview.click();
  const error = dialog.getByRole('alert').filter({ hasText: 'Could not preview' });
  await expect(error).toContainText('larger than 10 bytes');
  await expect(error).toBeInViewport();
  await expect(preview).toBeInViewport();
  await screenshot(page, 'fleet-dialog-error-800x600');
});

test('a server slow to list its plugins holds back only its own column', async ({ page, host }) => {
  test.setTimeout(90_000);
  const remote = await startRemoteHost(mkdtempSync(join(tmpdir(), 'ekm-e2e-slow-')));
  const slow = await holdingProxy(remote.url, PLUGIN_LISTS);
  try {
    await installZip(remote.url, 'sinks', 'file2', FILE2);
    await addServer(host.url, 'Slow edge', slow.url);

    // This computer's plugins are there while the slow server is still being asked.
    await openFleet(page, host.url);
    await expect(cells(page, 'sinks/file2')).toHaveText(['no version', '?']);
    const header = page.getByRole('columnheader', { name: /Slow edge/ });
    await expect(header.getByTestId('server-note')).toHaveText('Asking…');
    await expect(cells(page, 'sinks/file2').nth(1)).toHaveAttribute(
      'aria-label',
      'Asking Slow edge whether it has file2…',
    );
    await expect(page.getByRole('button', { name: 'Refresh' })).toBeDisabled();
    await page.mouse.move(0, 0);
    await screenshot(page, 'fleet-matrix-asking');

    // Once it answers, its column fills in like any other.
    slow.release();
    await expect(header.getByTestId('server-note')).toHaveText('1 plugin');
    await expect(cells(page, 'sinks/file2')).toHaveText(['no version', 'no version']);
    await expect(page.getByRole('button', { name: 'Refresh' })).toBeEnabled();
  } finally {
    slow.release();
    await slow.close();
    await remote.close();
  }
});

test('a run held up by a slow server says which, and the dialog can be closed while the host finishes it', async ({
  page,
  host,
}) => {
  test.setTimeout(90_000);
  const remote = await startRemoteHost(mkdtempSync(join(tmpdir(), 'ekm-e2e-slow-install-')));
  // The install itself hangs on this server; listing, uploading and the preview go through.
  const slow = await holdingProxy(
    remote.url,
    (method, path) => method === 'POST' && path.startsWith('/plugins/'),
  );
  try {
    await addServer(host.url, 'Slow edge', slow.url);
    await openFleet(page, host.url);
    await expect(cells(page, 'sinks/file2')).toHaveText(['no version', '—']);

    await matrixRow(page, 'sinks/file2').getByRole('button', { name: 'Fleet actions for file2' }).click();
    await page.getByRole('menuitem', { name: 'Install on the 1 server that lacks it' }).click();
    const dialog = page.getByRole('dialog', { name: 'Install a plugin on many servers' });
    await dialog.getByLabel('Choose a zip file').setInputFiles(FILE2);
    await dialog.getByRole('button', { name: 'Preview' }).click();
    await dialog.getByRole('button', { name: 'Install on 1 server' }).click();

    // Waiting on the slow server: the dialog says on which, and Close is there rather than a bare spinner.
    await expect(dialog.getByTestId('fleet-dialog-status')).toHaveText(
      'Still running on Slow edge. You may close this window: the host finishes the run on its own.',
    );
    const close = dialog.getByTestId('fleet-dialog-footer').getByRole('button', { name: 'Close' });
    await expect(close).toBeEnabled();
    await page.mouse.move(0, 0);
    await screenshot(page, 'fleet-dialog-running-slow');
    await close.click();
    await expect(dialog).toBeHidden();

    // The host finishes the install once the server answers, and the matrix shows it without a refresh.
    slow.release();
    await expect(cells(page, 'sinks/file2')).toHaveText(['no version', 'no version']);
    expect(await (await fetch(`${remote.url}/plugins/sinks`)).json()).toEqual(['file2']);
  } finally {
    slow.release();
    await slow.close();
    await remote.close();
  }
});

test('keyboard focus in a matrix wider than the window scrolls clear of the sticky plugin column', async ({
  page,
  host,
  seededDataDir,
}) => {
  test.setTimeout(90_000);
  const fleet = await startFleet(host, seededDataDir);
  try {
    // Three more servers (nothing listens on the discard port), so the columns overflow 800 px by far.
    for (const name of ['Warehouse 1', 'Warehouse 2', 'Warehouse 3']) {
      await addServer(host.url, name, 'http://127.0.0.1:9');
    }
    await page.setViewportSize({ width: 800, height: 600 });
    await openFleet(page, host.url);
    await expect(
      page.getByRole('columnheader', { name: /Warehouse 3/ }).getByTestId('server-note'),
    ).toHaveText('No answer');

    // From the rightmost column, Tab on to the first row: its error badge on edge-c must come into view.
    await page.getByRole('checkbox', { name: 'Select Warehouse 3 for bulk actions' }).focus();
    const badge = cells(page, 'portables/mirror').nth(2).getByTestId('error-badge');
    for (let i = 0; i < 8 && !(await badge.evaluate((e) => e === document.activeElement)); i++) {
      await page.keyboard.press('Tab');
    }
    await expect(badge).toBeFocused();
    const badgeBox = (await badge.boundingBox())!;
    const pluginBox = (await matrixRow(page, 'portables/mirror').getByRole('rowheader').boundingBox())!;
    expect(badgeBox.x).toBeGreaterThanOrEqual(pluginBox.x + pluginBox.width);
    await screenshot(page, 'fleet-matrix-keyboard-800x600');
  } finally {
    await fleet.close();
  }
});
