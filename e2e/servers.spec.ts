import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Locator, Page } from '@playwright/test';
import { zipSync } from 'fflate';
import { startPlainEkuiper, startServersStandIn } from '../test/support/servers-stand-in.js';
import {
  FIXTURES,
  expect,
  installZip,
  screenshot,
  startRemoteHost,
  test,
  zipTransfer,
  type RemoteHost,
} from './host-fixture';

/*
 * The window on other servers: two more instances of this project's host play remote eKuiper servers, added on
 * the Servers page, switched to in the header, installed on by drag-and-drop, described, cleaned up; one is
 * stopped to show the banner for a server that is down, then edited and removed.
 *
 * Until the host's own /manager/servers routes are merged, a stand-in (test/support/servers-stand-in.ts) answers
 * them in front of the local host; the window only ever talks to it as it would to the host.
 */

/** A remote server: a host of our own on a fresh data folder with `plugins` installed. */
async function startRemote(plugins: Array<{ kind: string; name: string; zip: string }>): Promise<RemoteHost> {
  const remote = await startRemoteHost(mkdtempSync(join(tmpdir(), 'ekm-e2e-remote-')));
  for (const plugin of plugins) {
    await installZip(remote.url, plugin.kind, plugin.name, join(FIXTURES, plugin.zip));
  }
  return remote;
}

/** A sink plugin zip built in the test: a stand-in library with a version in its name. */
function webhookZip(): Uint8Array {
  return zipSync({ 'Webhook@v1.2.0.so': new TextEncoder().encode('stand-in library webhook') });
}

/** Names of the plugins a server lists, by kind, read from the server itself. */
async function listed(url: string, kind: string): Promise<string[]> {
  return (await (await fetch(`${url}/plugins/${kind}`)).json()) as string[];
}

async function open(page: Page, url: string, language: 'en' | 'zh-CN' = 'en'): Promise<void> {
  await page.addInitScript((lang) => {
    if (localStorage.getItem('ekuiper-extension-manager.preferences') === null) {
      localStorage.setItem(
        'ekuiper-extension-manager.preferences',
        JSON.stringify({ state: { language: lang, colorScheme: 'light' }, version: 0 }),
      );
    }
  }, language);
  await page.goto(url);
}

/** Fills the Add server dialog for an eKuiper server without credentials. */
async function fillServer(dialog: Locator, name: string, url: string): Promise<void> {
  await dialog.getByLabel('Name').fill(name);
  await dialog.getByLabel('Address').fill(url);
}

async function addServer(page: Page, name: string, url: string): Promise<void> {
  await page.getByRole('button', { name: 'Add server' }).click();
  const dialog = page.getByRole('dialog', { name: 'Add server' });
  await fillServer(dialog, name, url);
  await dialog.getByRole('button', { name: 'Add server' }).click();
  await expect(dialog).toBeHidden();
}

function card(page: Page, name: string): Locator {
  return page.getByRole('article', { name });
}

function rows(page: Page, table: string): Locator {
  return page.getByRole('table', { name: table }).getByRole('rowgroup').nth(1).getByRole('row');
}

/**
 * Screenshots at 1280×800 and at the smallest size the window supports, 800×600, without the notifications of
 * earlier steps ("Edge 1 is added") covering what the picture is of.
 */
async function shoot(page: Page, name: string): Promise<void> {
  const hidden = await page.addStyleTag({ content: '.mantine-Notifications-root { display: none; }' });
  // Away from any button, so no hover tooltip (the theme toggle's) is in the picture.
  await page.mouse.move(640, 790);
  await screenshot(page, name);
  await page.setViewportSize({ width: 800, height: 600 });
  await screenshot(page, `${name}-800`);
  await page.setViewportSize({ width: 1280, height: 800 });
  await hidden.evaluate((element: Node) => element.parentNode?.removeChild(element));
}

async function dropOnWindow(page: Page, bytes: Uint8Array, fileName: string): Promise<void> {
  const dataTransfer = await zipTransfer(page, bytes, fileName);
  await page.locator('body').dispatchEvent('dragenter', { dataTransfer });
  const target = page.getByText('Drop the zip to create a plugin from it');
  await expect(target).toBeVisible();
  await target.dispatchEvent('dragover', { dataTransfer });
  await target.dispatchEvent('drop', { dataTransfer });
}

test('adds two servers, works on one of them, and handles one that is down', async ({ page, host }) => {
  test.setTimeout(180_000);
  const edge1 = await startRemote([
    { kind: 'functions', name: 'misc', zip: 'ekuiper-testzips/functions/misc.zip' },
  ]);
  const edge2 = await startRemote([]);
  const standIn = await startServersStandIn(host.url);
  try {
    await open(page, standIn.url);
    await expect(page.getByTestId('server-switcher')).toContainText('This computer');
    await page.getByRole('link', { name: 'Servers' }).click();
    await expect(page).toHaveURL(/#\/servers$/);
    await expect(card(page, 'This computer')).toContainText('Up');

    // A form with problems is marked at its fields before anything is sent.
    await page.getByRole('button', { name: 'Add server' }).click();
    const dialog = page.getByRole('dialog', { name: 'Add server' });
    await dialog.getByLabel('Address').fill('ftp://edge-1');
    await dialog.getByLabel('Type').selectOption('bearer');
    await dialog.getByRole('button', { name: 'Add server' }).click();
    await expect(dialog.getByText('Give the server a name.')).toBeVisible();
    await expect(dialog.getByText(/The address must start with http:\/\/ or https:\/\//)).toBeVisible();
    await expect(dialog.getByText('Give the token.')).toBeVisible();
    await shoot(page, 'servers-add-errors');
    expect(standIn.requests.filter((line) => line.startsWith('POST /manager/servers'))).toEqual([]);

    // Test connection before saving: the server's version, OS and arch, in plain words.
    await dialog.getByLabel('Type').selectOption('none');
    await fillServer(dialog, 'Edge 1', edge1.url);
    await dialog.getByRole('button', { name: 'Test connection' }).click();
    const result = dialog.getByTestId('server-check-result');
    await expect(result).toContainText('Connected');
    await expect(result).toContainText('2.1.0');
    await expect(result).toContainText('linux');
    await shoot(page, 'servers-add-tested');
    await dialog.getByRole('button', { name: 'Add server' }).click();
    await expect(dialog).toBeHidden();
    await addServer(page, 'Edge 2', edge2.url);

    const edge1Card = card(page, 'Edge 1');
    await expect(edge1Card).toContainText('Up');
    await expect(edge1Card).toContainText('2.1.0');
    await expect(edge1Card).toContainText(/linux \/ \w+/);
    await expect(edge1Card.getByTestId('plugin-counts')).toHaveText(
      '0 portables · 0 sources · 0 sinks · 1 function',
    );
    await expect(card(page, 'This computer').getByTestId('plugin-counts')).toHaveText(
      '1 portable · 2 sources · 1 sink · 2 functions',
    );
    await expect(card(page, 'Edge 2')).toContainText('Up');
    await shoot(page, 'servers-page');
    await page.getByRole('button', { name: 'Switch to dark theme' }).click();
    await shoot(page, 'servers-page-dark');
    await page.getByRole('button', { name: 'Switch to light theme' }).click();
    await page.getByLabel('Language').selectOption('zh-CN');
    await expect(page.getByRole('heading', { name: '服务器', level: 2 })).toBeVisible();
    await expect(card(page, '本机').getByTestId('plugin-counts')).toHaveText(
      '1 个 Portable · 2 个源 · 1 个动作 · 2 个函数',
    );
    await shoot(page, 'servers-page-zh');
    await page.getByLabel('语言').selectOption('en');

    // Switch in the header: the address names the server, the lists are that server's.
    await page.getByTestId('server-switcher').click();
    const menu = page.getByTestId('server-menu');
    await expect(menu.getByRole('menuitem')).toHaveCount(4);
    await shoot(page, 'servers-switcher-open');
    await menu.getByRole('menuitem', { name: /^Edge 1/ }).click();
    await expect(page.getByTestId('server-switcher')).toContainText('Edge 1');
    await page.getByRole('link', { name: 'Extensions' }).click();
    await expect(page).toHaveURL(/#\/extensions\?server=edge-1$/);
    await expect(page.getByTestId('extensions-server')).toContainText('on Edge 1');
    await expect(page.getByTestId('empty-state')).toBeVisible();
    await page.getByRole('tab', { name: /Functions/ }).click();
    await expect(rows(page, 'Functions')).toHaveCount(1);
    await expect(rows(page, 'Functions').first()).toContainText('misc');

    // A zip dropped on the window goes to the server shown: uploaded there, installed from its own disk.
    await page.getByRole('tab', { name: /Sinks/ }).click();
    await dropOnWindow(page, webhookZip(), 'webhook.zip');
    const create = page.getByRole('dialog', { name: 'Create sink plugin' });
    await expect(create.getByPlaceholder(/Type a name/)).toHaveValue('webhook');
    await create.getByRole('button', { name: 'Install' }).click();
    await expect(create).toBeHidden();
    await expect(rows(page, 'Sinks')).toHaveCount(1);
    await expect(rows(page, 'Sinks').first()).toContainText('webhook');
    await expect(rows(page, 'Sinks').first()).toContainText('1.2.0');
    expect(await listed(edge1.url, 'sinks')).toEqual(['webhook']);
    expect(await listed(host.url, 'sinks')).toEqual(['file2']);
    const uploads = (await (await fetch(`${edge1.url}/config/uploads`)).json()) as string[];
    expect(uploads).toEqual([]);
    await shoot(page, 'servers-extensions-remote');

    // The Servers page counts what the window has just read there.
    await page.getByRole('link', { name: 'Servers' }).click();
    await expect(card(page, 'Edge 1').getByTestId('plugin-counts')).toHaveText(
      '0 portables · 0 sources · 1 sink · 1 function',
    );
    await page.getByRole('link', { name: 'Extensions' }).click();
    await expect(rows(page, 'Sinks')).toHaveCount(1);

    // Describe it there (this remote is one of our hosts: its install record shows), then delete it there.
    await rows(page, 'Sinks').first().getByRole('button', { name: 'Details of webhook' }).click();
    const drawer = page.getByRole('dialog', { name: /webhook/ });
    await expect(drawer).toContainText('webhook.zip');
    await drawer.getByRole('button', { name: 'Delete…' }).click();
    const confirm = page.getByRole('dialog', { name: /Delete webhook/ });
    await confirm
      .getByRole('button', { name: /Delete/ })
      .last()
      .click();
    await expect(page.getByTestId('empty-state')).toBeVisible();
    expect(await listed(edge1.url, 'sinks')).toEqual([]);
    expect(await listed(host.url, 'sinks')).toEqual(['file2']);

    // A reload keeps the server.
    await page.reload();
    await expect(page.getByTestId('server-switcher')).toContainText('Edge 1');
    await expect(page.getByTestId('extensions-server')).toContainText('on Edge 1');

    // Edge 1 is one of this app's hosts: its settings are there to edit, named as its own.
    await page.getByRole('link', { name: 'Settings' }).click();
    await expect(page).toHaveURL(/#\/settings\?server=edge-1$/);
    await expect(page.getByRole('heading', { name: 'Settings of Edge 1' })).toBeVisible();
    await expect(page.getByLabel('Plugin hosts')).toBeVisible();
    await page.getByRole('link', { name: 'Extensions' }).click();

    // A server that goes away: red dot, a banner in its terms with Test connection and Edit.
    await edge2.stop();
    await page.getByTestId('server-switcher').click();
    await page
      .getByTestId('server-menu')
      .getByRole('menuitem', { name: /^Edge 2/ })
      .click();
    const banner = page.getByTestId('server-banner');
    await expect(banner).toContainText('Edge 2 is not reachable');
    await expect(banner).toContainText("This app's host is fine");
    await expect(page.getByTestId('server-switcher').getByRole('img', { name: 'Down' })).toBeVisible();
    await expect(page.getByText('The plugin host is not answering')).toBeHidden();
    await banner.getByRole('button', { name: 'Test connection' }).click();
    await expect(banner).toContainText('Still not connected');
    await expect(banner).toContainText('connection refused');
    await shoot(page, 'servers-banner-down');

    // Edit from the banner: one click to the server's settings.
    await banner.getByRole('button', { name: 'Edit server' }).click();
    const edit = page.getByRole('dialog', { name: 'Edit Edge 2' });
    await expect(edit.getByLabel('Address')).toHaveValue(edge2.url);
    await edit.getByLabel('Name').fill('Edge 2 (lab)');
    await edit.getByRole('button', { name: 'Save' }).click();
    await expect(edit).toBeHidden();
    await expect(page.getByTestId('server-switcher')).toContainText('Edge 2 (lab)');

    // Remove it: the confirmation names it, the window falls back to this computer.
    await page.getByRole('link', { name: 'Servers' }).click();
    await card(page, 'Edge 2 (lab)').getByRole('button', { name: 'Remove Edge 2 (lab)' }).click();
    const removal = page.getByRole('dialog', { name: 'Remove Edge 2 (lab)?' });
    await expect(removal).toContainText(edge2.url);
    await removal.getByRole('button', { name: 'Remove server' }).click();
    await expect(card(page, 'Edge 2 (lab)')).toBeHidden();
    await expect(page.getByTestId('server-switcher')).toContainText('This computer');
    await expect(page).toHaveURL(/#\/servers$/);
  } finally {
    await standIn.close();
    await edge1.close();
    await edge2.close();
  }
});

test('explains what a plain eKuiper server does not have', async ({ page, host }) => {
  test.setTimeout(90_000);
  const remote = await startRemote([
    { kind: 'sources', name: 'random2', zip: 'ekuiper-testzips/sources/random2.zip' },
  ]);
  const plain = await startPlainEkuiper(remote.url);
  const standIn = await startServersStandIn(host.url);
  try {
    const created = await fetch(`${standIn.url}/manager/servers`, {
      method: 'POST',
      body: JSON.stringify({ name: 'Factory eKuiper', kind: 'ekuiper', url: plain.url }),
    });
    expect(created.status).toBe(201);
    await open(page, `${standIn.url}/#/extensions?server=factory-ekuiper`);
    await expect(page.getByTestId('extensions-server')).toContainText('on Factory eKuiper');
    await page.getByRole('tab', { name: /Sources/ }).click();
    await expect(rows(page, 'Sources')).toHaveCount(1);
    await rows(page, 'Sources').first().getByRole('button', { name: 'Details of random2' }).click();
    const drawer = page.getByRole('dialog', { name: /random2/ });
    await expect(drawer).toContainText('Factory eKuiper is a plain eKuiper: it keeps no install record');
    await expect(drawer).toContainText('does not serve plugin metadata');
    await expect(drawer.getByTestId('details-placeholder')).toHaveCount(0);
    await shoot(page, 'servers-plain-drawer');
    await page.keyboard.press('Escape');
    await page.getByRole('link', { name: 'Settings' }).click();
    await expect(page.getByRole('heading', { name: 'Settings of Factory eKuiper' })).toBeVisible();
    await expect(page.getByTestId('capability-note')).toContainText(
      'its settings live in its own configuration',
    );
    await shoot(page, 'servers-plain-settings');
  } finally {
    await standIn.close();
    await plain.close();
    await remote.close();
  }
});
