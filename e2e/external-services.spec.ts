import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Page } from '@playwright/test';
import { buildZip } from '../test/support/zip-writer';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, openWithPreferences, screenshot, startRemoteHost, test } from './host-fixture';
import { startingWith, strings } from './layout-checks';

/**
 * The External services tab against a real host: NeuronEX's simple form, the list, the drawer's SQL, Try it
 * against a REST server the test starts, a service zip with a proto built here, a zip with a problem explained
 * before anything is uploaded, update and delete. Screens in English and Chinese, light and dark.
 */

const CALC_PROTO = `syntax = "proto3";
package calc;
service Calculator {
  rpc Add (Pair) returns (Sum) {}
}
message Pair { int64 left = 1; int64 right = 2; }
message Sum { int64 value = 1; }
`;

/** A service zip as eKuiper's docs lay it out: `calc.json` at the root, its proto under `schemas/`. */
function calcZip(proto = CALC_PROTO, schemaFile = 'calc.proto', name = 'calc'): Buffer {
  return buildZip([
    {
      name: `${name}.json`,
      data: JSON.stringify({
        about: { description: { en_US: 'A calculator over REST', zh_CN: 'REST 计算器' } },
        interfaces: {
          calc: {
            address: 'http://127.0.0.1:51234',
            protocol: 'rest',
            schemaType: 'protobuf',
            schemaFile,
            functions: [{ name: 'calc_add', serviceName: 'Add' }],
          },
        },
      }),
    },
    { name: 'schemas/' },
    { name: 'schemas/calc.proto', data: proto },
  ]);
}

/** A REST server answering every POST with the sum of the body's `a` and `b`, as NeuronEX's example does. */
async function startSumServer(): Promise<{ url: string; server: Server; requests: string[] }> {
  const requests: string[] = [];
  const server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      requests.push(`${request.method} ${request.url} ${request.headers.authorization ?? ''} ${body}`);
      const input = (body === '' ? {} : JSON.parse(body)) as { a?: number; b?: number };
      response.setHeader('Content-Type', 'application/json');
      response.end(JSON.stringify({ result: (input.a ?? 0) + (input.b ?? 0) }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server, requests };
}

async function openServicesTab(page: Page, url: string, language: 'en' | 'zh-CN', scheme: 'light' | 'dark') {
  const t = strings(language);
  await openWithPreferences(page, url, language, scheme);
  await page.getByRole('tab', { name: startingWith(t('extensions.tabs.services')) }).click();
  await expect(page.getByTestId('services-panel')).toBeVisible();
}

/** Uploads the host keeps in `/config/uploads`: none are left behind, and none are made for a refused zip. */
async function uploads(url: string): Promise<string[]> {
  return (await (await fetch(`${url}/config/uploads`)).json()) as string[];
}

/**
 * Whether the host answers Try it for services (`POST /manager/services/functions/{name}/call`); a host built
 * without it answers mux's plain "404 page not found".
 */
async function canCall(url: string): Promise<boolean> {
  const answer = await fetch(`${url}/manager/services/functions/nothing/call`, {
    method: 'POST',
    body: '{"args":[]}',
  });
  return !(answer.status === 404 && (await answer.text()).includes('page not found'));
}

/** Adds `ex_service` pointing at `address` through the window's simple form, as a user would. */
async function addThroughForm(
  page: Page,
  language: 'en' | 'zh-CN',
  address: string,
  header?: string,
): Promise<void> {
  const t = strings(language);
  await page.getByRole('button', { name: t('extensions.create.services'), exact: true }).click();
  const dialog = page.getByRole('dialog', { name: t('services.add.title') });
  await dialog.getByRole('textbox', { name: startingWith(t('create.name')) }).fill('ex_service');
  await dialog.getByRole('textbox', { name: startingWith(t('services.add.address')) }).fill(address);
  if (header !== undefined) {
    await dialog.getByRole('button', { name: t('services.add.addHeader') }).click();
    await dialog
      .getByRole('textbox', { name: t('services.add.headerName', { number: 1 }) })
      .fill('Authorization');
    await dialog.getByLabel(t('services.add.headerValue', { number: 1 })).fill(header);
  }
  await dialog.getByRole('button', { name: t('services.add.submit'), exact: true }).click();
  await expect(dialog.getByTestId('service-added')).toBeVisible();
  await dialog.getByRole('button', { name: t('services.add.close') }).click();
  await expect(dialog).toBeHidden();
}

test('Try it calls a schemaless service on a REST server the test starts, as a rule would', async ({
  page,
  host,
}) => {
  test.skip(!(await canCall(host.url)), 'this host has no Try it route for services yet');
  const t = strings('en');
  const sum = await startSumServer();
  try {
    await page.setViewportSize({ width: 1280, height: 800 });
    await openServicesTab(page, host.url, 'en', 'light');
    await addThroughForm(page, 'en', sum.url, 'Bearer s3cr3t-token');
    await page
      .getByTestId('service-row-ex_service')
      .getByRole('button', { name: 'ex_service', exact: true })
      .click();
    const drawer = page.getByRole('dialog', { name: t('services.describe.title', { name: 'ex_service' }) });
    const tryIt = drawer.getByTestId('try-service');
    const args = tryIt.getByRole('textbox', { name: startingWith(t('services.try.args')) });
    await expect(args).toHaveValue('["post", "/", {}]');
    await args.fill('["post", "/api/test1", {"a": 1, "b": 2}]');
    await tryIt.getByRole('button', { name: t('services.try.call'), exact: true }).click();
    const outcome = tryIt.getByTestId('service-outcome');
    await expect(outcome).toBeVisible({ timeout: 15_000 });
    await expect(outcome.getByTestId('service-result')).toContainText('"result": 3');
    await expect(outcome.getByTestId('service-request')).toContainText(`POST ${sum.url}/api/test1`);
    await expect(outcome.getByTestId('service-request')).not.toContainText('s3cr3t');
    await expect(outcome.getByTestId('service-status')).toContainText('HTTP 200');
    expect(sum.requests).toEqual([`POST /api/test1 Bearer s3cr3t-token {"a":1,"b":2}`]);
    await outcome.scrollIntoViewIfNeeded();
    await screenshot(page, 'services-en-try');
  } finally {
    sum.server.close();
  }
});

test('simple form → listed → drawer SQL; zip with a proto → problem explained → update → delete', async ({
  page,
  host,
}) => {
  test.setTimeout(120_000);
  const t = strings('en');
  const sum = await startSumServer();
  try {
    await page.setViewportSize({ width: 1280, height: 800 });
    await openServicesTab(page, host.url, 'en', 'light');
    await expect(page.getByTestId('services-empty')).toBeVisible();

    // ---- NeuronEX's simple form ----
    const addButton = page.getByRole('button', { name: t('extensions.create.services'), exact: true });
    await addButton.click();
    let dialog = page.getByRole('dialog', { name: t('services.add.title') });
    const nameField = dialog.getByRole('textbox', { name: startingWith(t('create.name')) });
    await expect(nameField).toBeFocused();
    await nameField.fill('ex_service');
    const address = dialog.getByRole('textbox', { name: startingWith(t('services.add.address')) });
    await address.fill(`${sum.url}/api`);
    await expect(dialog.getByText(t('services.add.addressProblems.path'))).toBeVisible();
    await address.fill(sum.url);
    await dialog.getByRole('button', { name: t('services.add.addHeader') }).click();
    await dialog
      .getByRole('textbox', { name: t('services.add.headerName', { number: 1 }) })
      .fill('Authorization');
    await dialog.getByLabel(t('services.add.headerValue', { number: 1 })).fill('Bearer s3cr3t-token');
    await screenshot(page, 'services-en-add');
    await dialog.getByRole('button', { name: t('services.add.submit'), exact: true }).click();
    const added = dialog.getByTestId('service-added');
    await expect(added).toContainText('ex_service("post", "/path", object_construct(');
    await screenshot(page, 'services-en-added');
    await dialog.getByRole('button', { name: t('services.add.close') }).click();
    await expect(dialog).toBeHidden();
    await expect(addButton).toBeFocused();

    // What the host registered: eKuiper's schemaless REST interface named like the service.
    const described = (await (await fetch(`${host.url}/services/ex_service`)).json()) as {
      Interfaces: Record<string, { Addr: string; Protocol: string; Schema: { Schemaless: boolean } }>;
    };
    expect(described.Interfaces.ex_service).toMatchObject({
      Addr: sum.url,
      Protocol: 'rest',
      Schema: { Schemaless: true },
    });
    expect(await uploads(host.url)).toEqual([]);

    // ---- Listed ----
    const row = page.getByTestId('service-row-ex_service');
    await expect(row).toContainText('rest');
    await expect(row).toContainText(sum.url);
    await expect(page.getByRole('tab', { name: startingWith(t('extensions.tabs.services')) })).toContainText(
      '1',
    );

    // ---- The drawer: the SQL, the header masked ----
    await row.getByRole('button', { name: 'ex_service', exact: true }).click();
    const drawer = page.getByRole('dialog', { name: t('services.describe.title', { name: 'ex_service' }) });
    await expect(
      drawer.getByLabel(t('services.sql.label', { name: 'ex_service' }), { exact: true }),
    ).toHaveText('ex_service("post", "/path", object_construct("a", a, "b", b))');
    await expect(drawer).toContainText('Authorization: Bearer ••••••');
    await expect(drawer).not.toContainText('s3cr3t');
    await screenshot(page, 'services-en-drawer');

    await page.keyboard.press('Escape');
    await expect(drawer).toBeHidden();

    // ---- Create from a zip with a proto ----
    const zipButton = page.getByRole('button', { name: t('services.zip.open'), exact: true });
    await zipButton.click();
    dialog = page.getByRole('dialog', { name: t('services.zip.title') });
    await expect(dialog.getByRole('textbox', { name: startingWith(t('create.name')) })).toBeFocused();
    await dialog
      .getByLabel(t('create.browse'))
      .setInputFiles({ name: 'calc.zip', mimeType: 'application/zip', buffer: calcZip() });
    await expect(dialog.getByRole('textbox', { name: startingWith(t('create.name')) })).toHaveValue('calc');
    await expect(
      dialog.getByLabel(t('services.sql.label', { name: 'calc_add' }), { exact: true }),
    ).toHaveText('calc_add(left, right)');
    await screenshot(page, 'services-en-zip');
    await dialog.getByRole('button', { name: t('services.zip.submit'), exact: true }).click();
    await expect(dialog).toBeHidden({ timeout: 15_000 });
    await expect(zipButton).toBeFocused();
    await expect(page.getByTestId('service-row-calc')).toContainText('1');

    // ---- A zip with a problem: explained, nothing uploaded ----
    await zipButton.click();
    await dialog.getByLabel(t('create.browse')).setInputFiles({
      name: 'broken.zip',
      mimeType: 'application/zip',
      buffer: calcZip(CALC_PROTO, 'gone.proto'),
    });
    await dialog.getByRole('textbox', { name: startingWith(t('create.name')) }).fill('broken');
    const problem = dialog.getByRole('alert').filter({ hasText: t('services.zip.problem') });
    await expect(problem).toContainText(
      t('services.zip.problems.noDescriptor', { file: 'broken.json', found: 'calc.json' }),
    );
    await dialog.getByRole('textbox', { name: startingWith(t('create.name')) }).fill('calc2');
    await expect(problem).toContainText('calc2.json');
    await dialog.getByRole('textbox', { name: startingWith(t('create.name')) }).fill('calc');
    await expect(dialog.getByRole('textbox', { name: startingWith(t('create.name')) })).toHaveAttribute(
      'aria-invalid',
      'true',
    );
    await screenshot(page, 'services-en-zip-problem');
    await expect(dialog.getByRole('button', { name: t('services.zip.submit'), exact: true })).toBeDisabled();
    expect(await uploads(host.url)).toEqual([]);
    await page.keyboard.press('Escape');
    await expect(dialog).toBeHidden();

    // ---- Update calc with a proto that has a second rpc ----
    const calcRow = page.getByTestId('service-row-calc');
    await calcRow.getByRole('button', { name: t('services.actions.update', { name: 'calc' }) }).click();
    dialog = page.getByRole('dialog', { name: t('services.update.title', { name: 'calc' }) });
    const twoRpcs = CALC_PROTO.replace(
      'rpc Add (Pair) returns (Sum) {}',
      'rpc Add (Pair) returns (Sum) {}\n  rpc Mul (Pair) returns (Sum) {}',
    );
    await dialog
      .getByLabel(t('create.browse'))
      .setInputFiles({ name: 'calc-v2.zip', mimeType: 'application/zip', buffer: calcZip(twoRpcs) });
    await expect(dialog.getByLabel(t('services.sql.label', { name: 'Mul' }), { exact: true })).toHaveText(
      'Mul(left, right)',
    );
    await dialog.getByRole('button', { name: t('services.update.submit'), exact: true }).click();
    await expect(dialog).toBeHidden({ timeout: 15_000 });
    await expect(calcRow).toContainText('2');
    const functions = (await (await fetch(`${host.url}/services/functions`)).json()) as {
      FuncName: string;
    }[];
    expect(functions.map((fn) => fn.FuncName).sort()).toEqual(['Mul', 'calc_add', 'ex_service']);

    // ---- Delete calc ----
    const deleteCalc = calcRow.getByRole('button', { name: t('services.actions.delete', { name: 'calc' }) });
    await deleteCalc.click();
    dialog = page.getByRole('dialog', { name: t('delete.title', { name: 'calc' }) });
    await expect(dialog.getByRole('button', { name: t('delete.cancel'), exact: true })).toBeFocused();
    await expect(dialog).toContainText('calc_add, Mul');
    await dialog.getByRole('button', { name: t('delete.confirm'), exact: true }).click();
    await expect(dialog).toBeHidden();
    await expect(page.getByTestId('service-row-calc')).toHaveCount(0);
    expect(((await (await fetch(`${host.url}/services`)).json()) as string[]).sort()).toEqual(['ex_service']);
    expect(await uploads(host.url)).toEqual([]);
  } finally {
    sum.server.close();
  }
});

for (const language of ['en', 'zh-CN'] as const) {
  for (const scheme of ['light', 'dark'] as const) {
    test(`the tab, the drawer, both dialogs and a Try it result in ${language}, ${scheme}`, async ({
      page,
      host,
    }) => {
      test.setTimeout(60_000);
      const t = strings(language);
      const sum = await startSumServer();
      try {
        const created = await fetch(`${host.url}/config/uploads`, {
          method: 'POST',
          body: (() => {
            const form = new FormData();
            form.append('uploadFile', new Blob([new Uint8Array(calcZip())]), 'calc.zip');
            return form;
          })(),
        });
        const stored = (await created.text()).trim();
        const registered = await fetch(`${host.url}/services`, {
          method: 'POST',
          body: JSON.stringify({ name: 'calc', file: `file://${stored}` }),
        });
        expect(registered.status, await registered.text()).toBe(201);
        await page.setViewportSize({ width: 1024, height: 700 });
        await openServicesTab(page, host.url, language, scheme);
        const tag = `services-${language}-${scheme}`;
        await expect(page.getByTestId('service-row-calc')).toBeVisible();
        await screenshot(page, `${tag}-tab`);

        await page.getByRole('button', { name: t('extensions.create.services'), exact: true }).click();
        let dialog = page.getByRole('dialog', { name: t('services.add.title') });
        await dialog.getByRole('textbox', { name: startingWith(t('create.name')) }).fill('ex_service');
        await dialog
          .getByRole('textbox', { name: startingWith(t('services.add.address')) })
          .fill('10.0.0.1:80');
        await dialog.getByRole('button', { name: t('services.add.addHeader') }).click();
        await screenshot(page, `${tag}-add`);
        await dialog.getByRole('textbox', { name: startingWith(t('services.add.address')) }).fill(sum.url);
        await dialog.getByRole('button', { name: t('services.add.submit'), exact: true }).click();
        await expect(dialog.getByTestId('service-added')).toBeVisible();
        await dialog.getByRole('button', { name: t('services.add.close') }).click();

        await page.getByRole('button', { name: t('services.zip.open'), exact: true }).click();
        dialog = page.getByRole('dialog', { name: t('services.zip.title') });
        await dialog.getByLabel(t('create.browse')).setInputFiles({
          name: 'calc2.zip',
          mimeType: 'application/zip',
          buffer: calcZip(CALC_PROTO, 'gone.proto', 'calc2'),
        });
        await expect(dialog.getByRole('alert')).toBeVisible();
        await screenshot(page, `${tag}-zip`);
        await page.keyboard.press('Escape');

        await page
          .getByTestId('service-row-ex_service')
          .getByRole('button', { name: 'ex_service', exact: true })
          .click();
        const drawer = page.getByRole('dialog', {
          name: t('services.describe.title', { name: 'ex_service' }),
        });
        await expect(
          drawer.getByLabel(t('services.sql.label', { name: 'ex_service' }), { exact: true }),
        ).toBeVisible();
        await screenshot(page, `${tag}-drawer`);
        if (!(await canCall(host.url))) return;
        const tryIt = drawer.getByTestId('try-service');
        await tryIt
          .getByRole('textbox', { name: startingWith(t('services.try.args')) })
          .fill('["post", "/api/test1", {"a": 40, "b": 2}]');
        await tryIt.getByRole('button', { name: t('services.try.call'), exact: true }).click();
        await expect(tryIt.getByTestId('service-result')).toContainText('42', { timeout: 15_000 });
        await tryIt.getByTestId('service-outcome').scrollIntoViewIfNeeded();
        await screenshot(page, `${tag}-try`);
      } finally {
        sum.server.close();
      }
    });
  }
}

test('on another server, the simple form and a zip are uploaded to that server and registered from the path it answered', async ({
  page,
  host,
}) => {
  test.setTimeout(60_000);
  const t = strings('en');
  const edge = await startRemoteHost(mkdtempSync(join(tmpdir(), 'ekm-e2e-edge-services-')));
  try {
    const added = await fetch(`${host.url}/manager/servers`, {
      method: 'POST',
      body: JSON.stringify({ name: 'edge', kind: 'ekuiper', url: edge.url, auth: { type: 'none' } }),
    });
    expect(added.status).toBe(201);
    const requests: string[] = [];
    page.on('request', (request) => {
      if (request.method() !== 'GET') requests.push(`${request.method()} ${new URL(request.url()).pathname}`);
    });
    await openServicesTab(page, `${host.url}/#/extensions?server=edge`, 'en', 'light');
    await expect(page.getByTestId('extensions-server')).toContainText('edge');
    await addThroughForm(page, 'en', 'http://10.9.8.7:8080');
    await page.getByRole('button', { name: t('services.zip.open'), exact: true }).click();
    const dialog = page.getByRole('dialog', { name: t('services.zip.title') });
    await dialog
      .getByLabel(t('create.browse'))
      .setInputFiles({ name: 'calc.zip', mimeType: 'application/zip', buffer: calcZip() });
    await dialog.getByRole('button', { name: t('services.zip.submit'), exact: true }).click();
    await expect(dialog).toBeHidden({ timeout: 15_000 });
    await expect(page.getByTestId('service-row-calc')).toBeVisible();

    // On the edge server, not this computer; the uploads removed there afterwards.
    expect(((await (await fetch(`${edge.url}/services`)).json()) as string[]).sort()).toEqual([
      'calc',
      'ex_service',
    ]);
    expect(await (await fetch(`${host.url}/services`)).json()).toEqual([]);
    await expect.poll(() => uploads(edge.url)).toEqual([]);
    expect(requests.filter((line) => !line.includes('/call'))).toEqual([
      'POST /manager/servers/edge/api/config/uploads',
      'POST /manager/servers/edge/api/services',
      'DELETE /manager/servers/edge/api/config/uploads/ex_service.zip',
      'POST /manager/servers/edge/api/config/uploads',
      'POST /manager/servers/edge/api/services',
      'DELETE /manager/servers/edge/api/config/uploads/calc.zip',
    ]);
  } finally {
    await edge.close();
  }
});
