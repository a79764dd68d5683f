import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Locator, Page } from '@playwright/test';
import { zipSync } from 'fflate';
import { startEkuiperJwtStandIn } from '../test/support/ekuiper-jwt-stand-in.js';
import { startNeuronexStandIn } from '../test/support/neuronex-stand-in.js';
import { frontProxy } from '../test/support/server-stand-ins.js';
import { holdingProxy, PLUGIN_LISTS } from './holding-proxy';
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
 * stopped to show the banner for a server that is down, then edited and removed. A NeuronEX and an eKuiper with
 * JWT authentication (the stand-ins in test/support, each in front of one of our hosts) are added through the
 * dialog with their credentials, right and wrong; a NeuronEX Viewer account shows the server as read-only.
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
  await dialog.getByRole('textbox', { name: 'Name', exact: true }).fill(name);
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
  return page.getByRole('article', { name, exact: true });
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
  /** Every request the page made to the host, `METHOD /path`. */
  const requests: string[] = [];
  page.on('request', (request) => {
    const url = new URL(request.url());
    requests.push(`${request.method()} ${url.pathname}`);
  });
  try {
    await open(page, host.url);
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
    expect(requests.filter((line) => line.startsWith('POST /manager/servers'))).toEqual([]);

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
      '1 个 Portable · 2 个源 · 1 个 Sink · 2 个函数',
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
    await expect(banner).toContainText('refused the connection: nothing listens on port');
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
    await edge1.close();
    await edge2.close();
  }
});

test('explains what a plain eKuiper server does not have', async ({ page, host }) => {
  test.setTimeout(90_000);
  const remote = await startRemote([
    { kind: 'sources', name: 'random2', zip: 'ekuiper-testzips/sources/random2.zip' },
  ]);
  const plain = await frontProxy(remote.url, { plainEkuiper: true });
  try {
    const created = await fetch(`${host.url}/manager/servers`, {
      method: 'POST',
      body: JSON.stringify({ name: 'Factory eKuiper', kind: 'ekuiper', url: plain.url }),
    });
    expect(created.status).toBe(201);
    await open(page, `${host.url}/#/extensions?server=factory-ekuiper`);
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
    await plain.close();
    await remote.close();
  }
});

test("adds a NeuronEX and an eKuiper with JWT through the dialog, says each refusal in the server's words, and shows a Viewer as read-only", async ({
  page,
  host,
}) => {
  test.setTimeout(120_000);
  const remote = await startRemote([
    { kind: 'sources', name: 'random2', zip: 'ekuiper-testzips/sources/random2.zip' },
  ]);
  const neuronex = await startNeuronexStandIn({ upstream: remote.url, version: '3.6.0' });
  const jwt = await startEkuiperJwtStandIn({ upstream: remote.url });
  try {
    await open(page, `${host.url}/#/servers`);
    await expect(card(page, 'This computer')).toContainText('Up');

    // NeuronEX: its own address, logged in as admin; a wrong password is refused in NeuronEX's terms.
    await page.getByRole('button', { name: 'Add server' }).click();
    const dialog = page.getByRole('dialog', { name: 'Add server' });
    await dialog.getByText('NeuronEX', { exact: true }).click();
    await dialog.getByRole('textbox', { name: 'Name', exact: true }).fill('Line 3');
    await dialog.getByLabel('Address').fill(neuronex.url);
    await expect(dialog.getByLabel('Type')).toHaveValue('neuronex-login');
    await expect(dialog.getByLabel('User name')).toHaveValue('admin');
    await dialog.getByLabel('Password', { exact: true }).fill('wrong');
    await dialog.getByRole('button', { name: 'Test connection' }).click();
    const result = dialog.getByTestId('server-check-result');
    await expect(result).toContainText('Reachable, but the credentials are refused');
    await expect(result).toContainText(
      'The server refused the credentials: check them under Authentication.',
    );
    await expect(result).toContainText(
      'NeuronEX refused the user name or password of admin (401 on /api/login)',
    );
    await shoot(page, 'servers-neuronex-refused');

    await dialog.getByLabel('Password', { exact: true }).fill('0000');
    await dialog.getByRole('button', { name: 'Test connection' }).click();
    await expect(result).toContainText('Connected');
    await expect(result).toContainText(/NeuronEX version\s*3\.6\.0/);
    await expect(result).toContainText(/eKuiper version\s*2\.1\.0/);
    await expect(result).toContainText(/Role\s*Administrator/);
    await shoot(page, 'servers-neuronex-tested');
    await dialog.getByRole('button', { name: 'Add server' }).click();
    await expect(dialog).toBeHidden();

    // eKuiper with basic.authentication: the private key pasted, the public key's file name as issuer.
    await page.getByRole('button', { name: 'Add server' }).click();
    await dialog.getByRole('textbox', { name: 'Name', exact: true }).fill('Cloud');
    await dialog.getByLabel('Address').fill(jwt.url);
    await dialog.getByLabel('Type').selectOption('ekuiper-jwt');
    await dialog.getByLabel('Issuer').fill('other.pub');
    await dialog.getByRole('textbox', { name: /Private key/ }).fill(jwt.privateKey);
    await dialog.getByRole('button', { name: 'Test connection' }).click();
    await expect(result).toContainText('Reachable, but the credentials are refused');
    await expect(result).toContainText('not found target key file other.pub');
    await dialog.getByLabel('Issuer').fill(jwt.issuer);
    await dialog.getByRole('button', { name: 'Test connection' }).click();
    await expect(result).toContainText('Connected');
    await expect(result).toContainText(/Version\s*2\.1\.0/);
    await expect(result).not.toContainText('NeuronEX');
    await shoot(page, 'servers-jwt-tested');
    await dialog.getByRole('button', { name: 'Add server' }).click();
    await expect(dialog).toBeHidden();

    // NeuronEX's viewer account may only read.
    await page.getByRole('button', { name: 'Add server' }).click();
    await dialog.getByText('NeuronEX', { exact: true }).click();
    await dialog.getByRole('textbox', { name: 'Name', exact: true }).fill('Line 3 (viewer)');
    await dialog.getByLabel('Address').fill(neuronex.url);
    await dialog.getByLabel('User name').fill('viewer');
    await dialog.getByLabel('Password', { exact: true }).fill('viewer-pass');
    await dialog.getByRole('button', { name: 'Test connection' }).click();
    await expect(result).toContainText('Connected, read-only');
    await expect(result).toContainText(/Role\s*Viewer/);
    await expect(result).toContainText('The account viewer is a NeuronEX Viewer: it may only read');
    await dialog.getByRole('button', { name: 'Add server' }).click();
    await expect(dialog).toBeHidden();

    // The cards: NeuronEX's version beside eKuiper's, the viewer amber; no secret in what the host answers.
    const line3 = card(page, 'Line 3');
    await expect(line3).toContainText('Up');
    await expect(line3).toContainText(/NeuronEX version\s*3\.6\.0/);
    await expect(line3).toContainText(/eKuiper version\s*2\.1\.0/);
    await expect(line3.getByTestId('plugin-counts')).toHaveText(
      '0 portables · 1 source · 0 sinks · 0 functions',
    );
    await expect(card(page, 'Cloud')).toContainText('Up');
    await expect(card(page, 'Cloud').getByTestId('plugin-counts')).toHaveText(
      '0 portables · 1 source · 0 sinks · 0 functions',
    );
    const viewer = card(page, 'Line 3 (viewer)');
    await expect(viewer).toContainText('Read-only');
    await expect(viewer).toContainText('is a NeuronEX Viewer: it may only read');
    const listed = await (await fetch(`${host.url}/manager/servers`)).text();
    // NeuronEX's default password is digits a timeout also holds (10000): looked for as a JSON string.
    for (const secret of ['"0000"', 'viewer-pass', 'PRIVATE KEY']) expect(listed).not.toContain(secret);
    await shoot(page, 'servers-page-auth');
    await page.getByLabel('Language').selectOption('zh-CN');
    await expect(line3).toContainText(/NeuronEX 版本\s*3\.6\.0/);
    await expect(line3).toContainText(/eKuiper 版本\s*2\.1\.0/);
    await shoot(page, 'servers-page-auth-zh');
    await page.getByLabel('语言').selectOption('en');

    // On the viewer's server the plugins are listed, and every write is disabled with the reason.
    await viewer.getByRole('button', { name: 'Open Line 3 (viewer)' }).click();
    await expect(page.getByTestId('extensions-server')).toContainText('on Line 3 (viewer)');
    const reason =
      'Line 3 (viewer) is read-only for this account: installs, updates and deletes would be refused.';
    const create = page.getByRole('button', { name: 'Create portable plugin' });
    await expect(create).toBeDisabled();
    await expect(create).toHaveAttribute('aria-description', reason);
    await page.getByRole('tab', { name: /Sources/ }).click();
    await expect(rows(page, 'Sources')).toHaveCount(1);
    const remove = rows(page, 'Sources').first().getByRole('button', { name: 'Delete random2' });
    await expect(remove).toBeDisabled();
    await expect(remove).toHaveAttribute('title', `Delete random2: ${reason}`);
    await expect(
      rows(page, 'Sources').first().getByRole('button', { name: 'Details of random2' }),
    ).toBeEnabled();
    await page.getByRole('button', { name: 'Create source plugin' }).hover({ force: true });
    await shoot(page, 'servers-viewer-extensions');
  } finally {
    await jwt.close();
    await neuronex.close();
    await remote.close();
  }
});

/** A port on loopback that nothing listens on: taken, then let go. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

test('a refused connection and refused credentials read in Chinese', async ({ page, host }) => {
  test.setTimeout(120_000);
  const port = await closedPort();
  const jwt = await startEkuiperJwtStandIn();
  try {
    await open(page, host.url, 'zh-CN');
    await page.getByRole('link', { name: '服务器' }).click();
    await page.getByRole('button', { name: '添加服务器' }).click();
    const dialog = page.getByRole('dialog', { name: '添加服务器' });
    await dialog.getByRole('textbox', { name: '名称', exact: true }).fill('边缘 9');
    await dialog.getByLabel('地址').fill(`http://127.0.0.1:${port}`);
    await dialog.getByRole('button', { name: '测试连接' }).click();
    const result = dialog.getByTestId('server-check-result');
    await expect(result).toContainText('未连接');
    await expect(result).toContainText(
      `127.0.0.1:${port} 拒绝了连接：该机器的 ${port} 端口上没有服务在监听。服务器是否在运行？`,
    );
    await expect(result).not.toContainText('refused the connection');
    await shoot(page, 'servers-test-refused-zh');

    // eKuiper with authentication on, asked without credentials: its own words kept, the advice in Chinese.
    await dialog.getByLabel('地址').fill(jwt.url);
    await dialog.getByRole('button', { name: '测试连接' }).click();
    await expect(result).toContainText('服务器拒绝了凭据（GET ');
    await expect(result).toContainText('服务器答复“missing_token”');
    await expect(result).toContainText('服务器需要凭据（eKuiper 的 basic.authentication 已开启）');
    await shoot(page, 'servers-test-credentials-zh');

    // Saved: the card and, once switched to, the banner say why in Chinese.
    await dialog.getByLabel('地址').fill(`http://127.0.0.1:${port}`);
    await dialog.getByRole('button', { name: '添加服务器' }).click();
    await expect(dialog).toBeHidden();
    const down = card(page, '边缘 9');
    await expect(down).toContainText(`127.0.0.1:${port} 拒绝了连接`);
    // Opened again once the host's check found it down, its plugins are not counted: a dash, not a "counting…"
    // that never ends.
    await expect
      .poll(async () => {
        const listed = (await (await fetch(`${host.url}/manager/servers`)).json()) as Array<{
          name: string;
          health?: { reachable: boolean };
        }>;
        return listed.find((server) => server.name === '边缘 9')?.health?.reachable;
      })
      .toBe(false);
    await page.reload();
    await expect(down).toContainText(`127.0.0.1:${port} 拒绝了连接`);
    await expect(down.getByTestId('plugin-counts-none')).toHaveAttribute(
      'title',
      '未统计：该服务器没有应答。',
    );
    await expect(down).not.toContainText('正在统计');
    await shoot(page, 'servers-card-refused-zh');
    await page.getByTestId('server-switcher').click();
    await page
      .getByTestId('server-menu')
      .getByRole('menuitem', { name: /边缘 9/ })
      .click();
    const banner = page.getByTestId('server-banner');
    await expect(banner).toContainText('无法连接 边缘 9');
    await expect(banner).toContainText(`127.0.0.1:${port} 拒绝了连接`);
    // The last failed request words it: a list through the forwarding route names the address too, a fleet
    // answer only the server; which of the two arrives last is a race the banner need not settle.
    await expect(banner).toContainText(/服务器 '边缘 9'(（http:\/\/127\.0\.0\.1:\d+）没有应答)?：/);
    await expect(banner).not.toContainText('refused');
    await shoot(page, 'servers-banner-refused-zh');
  } finally {
    await jwt.close();
  }
});

test('the header switcher cuts a long name without a gap, and its tooltip never covers the menu', async ({
  page,
  host,
}) => {
  test.setTimeout(90_000);
  const remote = await startRemote([]);
  const longName = 'Edge A (Shenzhen plant, line 2)';
  try {
    const created = await fetch(`${host.url}/manager/servers`, {
      method: 'POST',
      body: JSON.stringify({ name: longName, kind: 'ekuiper', url: remote.url }),
    });
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };

    // This computer fits: hovering shows no tooltip that would only repeat it.
    await open(page, host.url);
    const switcher = page.getByTestId('server-switcher');
    await expect(switcher).toContainText('This computer');
    await switcher.hover();
    await page.waitForTimeout(800);
    await expect(page.getByRole('tooltip')).toHaveCount(0);

    // The long name is cut right before the kind badge, and whole on hover.
    await page.goto(`${host.url}/#/extensions?server=${id}`);
    await expect(page.getByTestId('extensions-server')).toContainText(`on ${longName}`);
    const name = switcher.getByText(longName);
    const badge = switcher.locator('.mantine-Badge-root');
    const nameBox = (await name.boundingBox())!;
    const badgeBox = (await badge.boundingBox())!;
    expect(badgeBox.x - (nameBox.x + nameBox.width)).toBeLessThanOrEqual(12);
    await name.hover();
    await expect(page.getByRole('tooltip')).toHaveText(longName);

    // Opening the menu puts the tooltip away: nothing covers the menu's first lines.
    await switcher.click();
    await expect(page.getByTestId('server-menu')).toBeVisible();
    await expect(page.getByRole('tooltip')).toHaveCount(0);
    await page.mouse.move(640, 790);
    await screenshot(page, 'servers-switcher-long-name');
    await page.keyboard.press('Escape');
    await page.setViewportSize({ width: 800, height: 600 });
    const cut = (await name.boundingBox())!;
    const badgeAt800 = (await badge.boundingBox())!;
    expect(badgeAt800.x - (cut.x + cut.width)).toBeLessThanOrEqual(12);
    await expect(page.getByRole('heading', { name: 'eKuiper Extension Manager' })).toBeVisible();
    await page.mouse.move(400, 590);
    await screenshot(page, 'servers-switcher-long-name-800');
  } finally {
    await remote.close();
  }
});

test('a server slow to answer is named while the window waits, and a wait past ten seconds is not taken for this computer being down', async ({
  page,
  host,
}) => {
  test.setTimeout(120_000);
  const remote = await startRemote([
    { kind: 'sources', name: 'random2', zip: 'ekuiper-testzips/sources/random2.zip' },
  ]);
  const slow = await holdingProxy(remote.url, PLUGIN_LISTS);
  try {
    // A server on a slow link, given 30 s to answer.
    const created = await fetch(`${host.url}/manager/servers`, {
      method: 'POST',
      body: JSON.stringify({ name: 'Slow edge', kind: 'ekuiper', url: slow.url, timeoutMs: 30_000 }),
    });
    expect(created.status).toBe(201);
    await open(page, `${host.url}/#/extensions?server=slow-edge`);
    await page.getByRole('tab', { name: /Sources/ }).click();
    const hint = page.getByTestId('slow-server');
    await expect(hint).toContainText('Slow edge has not answered for');
    await expect(hint).toContainText(
      "The app waits up to 30 s, the server's timeout (Edit server changes it).",
    );
    await screenshot(page, 'servers-slow-waiting');

    // Past the window's usual ten seconds: still waiting on the server, this computer is not reported down.
    await expect(hint).toContainText(/not answered for 1[2-9] s/, { timeout: 20_000 });
    await expect(page.getByText('The plugin host is not answering')).toBeHidden();
    slow.release();
    await expect(rows(page, 'Sources')).toHaveCount(1);
    await expect(rows(page, 'Sources').first()).toContainText('random2');
    await expect(hint).toBeHidden();
    await expect(page.getByText('The plugin host is not answering')).toBeHidden();
  } finally {
    slow.release();
    await slow.close();
    await remote.close();
  }
});
