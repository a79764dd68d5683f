import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Locator, Page } from '@playwright/test';
import { unzipSync } from 'fflate';
import { buildZip } from '../test/support/zip-writer';
import {
  FIXTURES,
  expect,
  openWithPreferences,
  screenshot,
  servePluginRepo,
  test,
  usePrebuiltRepo,
} from './host-fixture';
import {
  expectHeaderOverColumns,
  expectInViewport,
  expectNoSidewaysScroll,
  expectOneLine,
  overlaps,
  startingWith,
  strings,
} from './layout-checks';

/**
 * Every page, the describe drawer and every dialog at the window sizes users run the app at, in both languages:
 * nothing makes the page scroll sideways, table headers sit over their columns (also scrolled sideways), action
 * buttons are on screen, dialogs open on the field to fill and give focus back to what opened them. Each screen
 * is saved as `sizes-{language}-{width}-{screen}.png`.
 */

const SIZES = [
  { width: 1280, height: 800 },
  { width: 1024, height: 700 },
  { width: 800, height: 600 },
] as const;
const LANGUAGES = ['en', 'zh-CN'] as const;
type Language = (typeof LANGUAGES)[number];

/** Below this width the navigation folds behind the burger (Mantine's `md`). */
const NAV_FOLDS_BELOW = 992;

/** The 70-byte stand-in library of the fixture echo2.zip: only a native library's file name matters. */
const STAND_IN_SO = Buffer.from(
  unzipSync(readFileSync(join(FIXTURES, 'ekuiper-testzips/functions/echo2.zip')))['Echo2.so']!,
);

async function open(
  page: Page,
  url: string,
  language: Language,
  colorScheme: 'light' | 'dark' = 'light',
): Promise<void> {
  await openWithPreferences(page, url, language, colorScheme);
  await expect(page.getByRole('tablist')).toBeVisible();
}

/**
 * mirror.zip as an update whose program fails at once, printing a long explanation on stderr: the refusal the
 * dialog shows is long, and the dialog's buttons must stay on screen below it.
 */
function failingMirror(): Buffer {
  const files = unzipSync(readFileSync(join(FIXTURES, 'portable/mirror.zip')));
  const reasons = Array.from({ length: 40 }, (_, i) => `echo "configuration check ${i + 1} failed" >&2`);
  return buildZip([
    { name: 'mirror.json', data: Buffer.from(files['mirror.json']!) },
    { name: 'mirror2', data: `#!/bin/sh\n${reasons.join('\n')}\nexit 3\n`, mode: 0o755 },
    { name: 'sources/random.yaml', data: Buffer.from(files['sources/random.yaml']!) },
    { name: 'sources/random.json', data: Buffer.from(files['sources/random.json']!) },
    { name: 'sinks/file.json', data: Buffer.from(files['sinks/file.json']!) },
    { name: 'functions/echo.json', data: Buffer.from(files['functions/echo.json']!) },
  ]);
}

/** A drawer's × is on screen and its body does not scroll sideways. */
async function expectDrawerFits(page: Page, drawer: Locator, closeLabel: string): Promise<void> {
  await expectInViewport(page, drawer.getByRole('button', { name: closeLabel }), 'the drawer’s ×');
  const overflow = await drawer.evaluate((element) => {
    const body = element.querySelector<HTMLElement>('.mantine-Drawer-body')!;
    return body.scrollWidth - body.clientWidth;
  });
  expect(overflow, 'the drawer scrolls sideways').toBeLessThanOrEqual(1);
}

/** A dialog's footer buttons are on screen and not covered. */
async function expectActionsOnScreen(
  page: Page,
  dialog: Locator,
  names: string[],
  what: string,
): Promise<void> {
  for (const name of names) {
    await expectInViewport(page, dialog.getByRole('button', { name, exact: true }), `${what}: ${name}`);
  }
}

for (const language of LANGUAGES) {
  for (const size of SIZES) {
    const tag = `sizes-${language}-${size.width}`;

    test(`every page, the drawer and every dialog fit ${size.width}×${size.height} in ${language}`, async ({
      page,
      host,
    }) => {
      test.setTimeout(120_000);
      const t = strings(language);
      const narrow = size.width < NAV_FOLDS_BELOW;
      await page.setViewportSize(size);
      // A custom function for the Custom functions tab, its drawer and Try it.
      const created = await fetch(`${host.url}/udf/javascript`, {
        method: 'POST',
        body: JSON.stringify({
          id: 'area',
          description:
            'Area of a rectangle, as width times height, for the sizes of the cut sheets on line 3',
          script: 'function area(a, b) {\n  return a * b;\n}\n',
          isAgg: false,
        }),
      });
      expect(created.status).toBe(201);
      await open(page, host.url, language);

      // ---- Extensions, every tab ----
      const tab = (kind: string) =>
        page.getByRole('tab', { name: startingWith(t(`extensions.tabs.${kind}`)) });
      const firstRow: Record<string, string> = {
        portables: 'mirror',
        sources: 'random2',
        sinks: 'file2',
        functions: 'comp',
      };
      for (const [kind, name] of Object.entries(firstRow)) {
        await tab(kind).click();
        const table = page.getByRole('table', { name: t(`extensions.tabs.${kind}`) });
        await expect(table.getByRole('button', { name: t('extensions.delete', { name }) })).toBeVisible();
        await expectHeaderOverColumns(table);
        for (const button of [
          t('extensions.describe', { name }),
          t('manage.actions.update', { name }),
          t('extensions.delete', { name }),
        ]) {
          await expectInViewport(page, table.getByRole('button', { name: button }), `${kind}: ${button}`);
        }
        await expectNoSidewaysScroll(page);
        await screenshot(page, `${tag}-${kind}`);
      }

      await tab('prebuilt').click();
      const prebuiltSources = page.getByRole('region', { name: t('extensions.tabs.sources') });
      const kafka = prebuiltSources.getByRole('row', { name: 'kafka', exact: true });
      await expect(kafka).toBeVisible();
      await expectOneLine(kafka.getByRole('link'), 'the prebuilt download URL');
      await expectInViewport(
        page,
        kafka.getByRole('button', { name: t('manage.prebuilt.installName', { name: 'kafka' }) }),
        'Install kafka',
      );
      await expectNoSidewaysScroll(page);
      await screenshot(page, `${tag}-prebuilt`);
      await tab('portables').click();

      // ---- Navigation: folded behind the burger in a narrow window ----
      const navigation = page.getByRole('navigation', { name: t('app.navigation') });
      const settingsLink = navigation.getByRole('link', { name: t('app.nav.settings') });
      if (narrow) {
        await expect(settingsLink).not.toBeInViewport();
        const burger = page.getByRole('button', { name: t('shell.openNavigation') });
        await burger.click();
        await expect(settingsLink).toBeInViewport();
        await expect(navigation.getByRole('link', { name: t('app.nav.extensions') })).toBeFocused();
        await screenshot(page, `${tag}-navigation`);
        await settingsLink.click();
        await expect(burger).toBeFocused();
        await expect(settingsLink).not.toBeInViewport();
      } else {
        await expect(page.getByRole('button', { name: t('shell.openNavigation') })).toBeHidden();
        await settingsLink.click();
      }

      // ---- Settings ----
      const form = page.getByRole('form', { name: t('settingsPage.title') });
      await expect(form.getByLabel(t('settingsPage.prebuilt.pluginHosts'))).toBeVisible();
      for (const label of await form.locator('.mantine-InputWrapper-label').all()) {
        if (await label.isVisible()) await expectOneLine(label, `the label “${await label.textContent()}”`);
      }
      await expectInViewport(
        page,
        form.getByRole('button', { name: t('settingsPage.save') }),
        'Save changes',
      );
      await expectNoSidewaysScroll(page);
      await screenshot(page, `${tag}-settings`);
      await form.getByRole('region', { name: t('settingsPage.rest.title') }).scrollIntoViewIfNeeded();
      await screenshot(page, `${tag}-settings-rest`);

      // ---- The Servers and Fleet pages ----
      for (const other of ['servers', 'fleet'] as const) {
        await page.goto(`${host.url}/#/${other}`);
        await expect(page.getByRole('heading', { level: 2, name: t(`app.nav.${other}`) })).toBeVisible();
        await page.waitForLoadState('networkidle');
        await expectNoSidewaysScroll(page);
        await screenshot(page, `${tag}-${other}`);
      }

      // Back to the Extensions page by address (the navigation is tested above).
      await page.goto(`${host.url}/#/`);
      await expect(page.getByRole('tablist')).toBeVisible();

      // ---- The describe drawer ----
      const details = page.getByRole('button', {
        name: t('extensions.describe', { name: 'mirror' }),
        exact: true,
      });
      await details.click();
      const drawer = page.getByRole('dialog', { name: /mirror/ });
      await expect(drawer.getByRole('region', { name: t('describe.overview') })).toContainText('mirror.zip');
      await expectDrawerFits(page, drawer, t('describe.close'));
      await screenshot(page, `${tag}-describe`);
      await page.keyboard.press('Escape');
      await expect(drawer).toBeHidden();
      await expect(details).toBeFocused();

      // ---- Create: opens on the Name field; × and Cancel apart; Escape gives focus back ----
      const createPortable = page.getByRole('button', {
        name: t('extensions.create.portables'),
        exact: true,
      });
      await createPortable.click();
      let dialog = page.getByRole('dialog', { name: t('create.title.portables') });
      await expect(dialog.getByRole('combobox', { name: t('create.name') })).toBeFocused();
      await expect(dialog.getByRole('button', { name: t('dialog.close') })).toBeVisible();
      await expect(dialog.getByRole('button', { name: t('create.cancel'), exact: true })).toHaveCount(1);
      await expectActionsOnScreen(page, dialog, [t('create.cancel'), t('create.submit')], 'Create');
      await screenshot(page, `${tag}-create`);
      await page.keyboard.press('Escape');
      await expect(dialog).toBeHidden();
      await expect(createPortable).toBeFocused();

      // ---- Create a function plugin that fails: Enter installs, the refusal and the buttons are on screen ----
      await tab('functions').click();
      const createFunction = page.getByRole('button', {
        name: t('extensions.create.functions'),
        exact: true,
      });
      await createFunction.click();
      dialog = page.getByRole('dialog', { name: t('create.title.functions') });
      await dialog.getByRole('combobox', { name: t('create.name') }).fill('ghost');
      const address = dialog.getByRole('textbox', { name: startingWith(t('create.address')) });
      await address.fill('file:///nowhere/at/all/ghost.zip');
      await address.press('Enter');
      const refusal = dialog.getByRole('alert').filter({ hasText: t('create.failed', { name: 'ghost' }) });
      await expect(refusal).toBeVisible();
      await expectInViewport(page, refusal, 'the install refusal');
      await expectActionsOnScreen(page, dialog, [t('create.cancel'), t('create.submit')], 'Create (failed)');
      await screenshot(page, `${tag}-create-failed`);
      await dialog.getByRole('button', { name: t('create.cancel'), exact: true }).click();
      await expect(dialog).toBeHidden();
      await expect(createFunction).toBeFocused();

      // ---- Register functions ----
      const registerComp = page.getByRole('button', {
        name: t('manage.actions.register', { name: 'comp' }),
        exact: true,
      });
      await registerComp.click();
      dialog = page.getByRole('dialog', { name: t('manage.register.title', { name: 'comp' }) });
      await expect(dialog.getByRole('combobox', { name: t('manage.register.label') })).toBeFocused();
      await expectActionsOnScreen(
        page,
        dialog,
        [t('create.cancel'), t('manage.register.submit')],
        'Register',
      );
      await screenshot(page, `${tag}-register`);
      await page.keyboard.press('Escape');
      await expect(dialog).toBeHidden();
      await expect(registerComp).toBeFocused();

      // ---- Update with a program that fails: the long refusal scrolls, the buttons stay ----
      await tab('portables').click();
      const updateMirror = page.getByRole('button', {
        name: t('manage.actions.update', { name: 'mirror' }),
        exact: true,
      });
      await updateMirror.click();
      dialog = page.getByRole('dialog', { name: t('manage.update.title', { name: 'mirror' }) });
      await expect(dialog.getByTestId('zip-dropzone')).toBeFocused();
      await dialog
        .getByLabel(t('create.browse'))
        .setInputFiles({ name: 'mirror-broken.zip', mimeType: 'application/zip', buffer: failingMirror() });
      await expect(dialog.getByTestId('chosen-file')).toHaveText('mirror-broken.zip');
      await dialog.getByRole('button', { name: t('manage.update.submit'), exact: true }).click();
      const failed = dialog
        .getByRole('alert')
        .filter({ hasText: t('manage.update.failed', { name: 'mirror' }) });
      await expect(failed).toBeVisible({ timeout: 30_000 });
      await expectActionsOnScreen(
        page,
        dialog,
        [t('create.cancel'), t('manage.update.submit')],
        'Update (failed)',
      );
      // The refusal's start is in view: the user sees what happened without hunting for it.
      const failedTitle = failed.getByText(t('manage.update.failed', { name: 'mirror' }));
      await expectInViewport(page, failedTitle, 'the update refusal');
      await screenshot(page, `${tag}-update-failed`);
      await dialog.getByRole('button', { name: t('create.cancel'), exact: true }).click();
      await expect(dialog).toBeHidden();
      await expect(updateMirror).toBeFocused();

      // ---- Custom functions: the list, the drawer with Try it, the dialog with the editor ----
      await tab('javascript').click();
      const functionsTable = page.getByRole('table', { name: t('extensions.tabs.javascript') });
      const areaDetails = functionsTable.getByRole('button', { name: 'area', exact: true });
      await expect(areaDetails).toBeVisible();
      for (const button of [
        t('javascriptFunctions.edit', { name: 'area' }),
        t('extensions.delete', { name: 'area' }),
      ]) {
        await expectInViewport(
          page,
          functionsTable.getByRole('button', { name: button }),
          `javascript: ${button}`,
        );
      }
      await expectNoSidewaysScroll(page);
      await screenshot(page, `${tag}-javascript`);
      await areaDetails.click();
      const functionDrawer = page.getByRole('dialog', {
        name: t('javascriptFunctions.describe.title', { name: 'area' }),
      });
      await functionDrawer.getByRole('button', { name: t('javascriptFunctions.tryIt.call') }).click();
      await expect(functionDrawer.getByTestId('javascript-result')).toHaveText('6');
      await expectInViewport(
        page,
        functionDrawer.getByRole('button', { name: t('describe.close') }),
        'the function drawer’s ×',
      );
      const functionDrawerOverflow = await functionDrawer.evaluate((element) => {
        const body = element.querySelector<HTMLElement>('.mantine-Drawer-body')!;
        return body.scrollWidth - body.clientWidth;
      });
      expect(functionDrawerOverflow, 'the function drawer scrolls sideways').toBeLessThanOrEqual(1);
      await screenshot(page, `${tag}-javascript-describe`);
      await page.keyboard.press('Escape');
      await expect(functionDrawer).toBeHidden();
      await expect(areaDetails).toBeFocused();

      const createJavascript = page.getByRole('button', {
        name: t('extensions.create.javascript'),
        exact: true,
      });
      await createJavascript.click();
      dialog = page.getByRole('dialog', { name: t('javascriptFunctions.form.createTitle') });
      await expect(dialog.getByRole('textbox', { name: t('javascriptFunctions.form.name') })).toBeFocused();
      await expect(dialog.getByTestId('code-editor').locator('.cm-content')).toBeVisible();
      await expectActionsOnScreen(
        page,
        dialog,
        [t('javascriptFunctions.form.cancel'), t('javascriptFunctions.form.create')],
        'Create custom function',
      );
      await screenshot(page, `${tag}-javascript-create`);
      await page.keyboard.press('Escape');
      await expect(dialog).toBeHidden();
      await expect(createJavascript).toBeFocused();

      // ---- Delete: starts on Cancel, × named; after a delete, focus goes to the tab ----
      await tab('sinks').click();
      const deleteFile2 = page.getByRole('button', {
        name: t('extensions.delete', { name: 'file2' }),
        exact: true,
      });
      await deleteFile2.click();
      dialog = page.getByRole('dialog', { name: t('delete.title', { name: 'file2' }) });
      await expect(dialog.getByRole('button', { name: t('delete.cancel'), exact: true })).toBeFocused();
      await expect(dialog.getByRole('button', { name: t('dialog.close') })).toBeVisible();
      await expectActionsOnScreen(page, dialog, [t('delete.cancel'), t('delete.confirm')], 'Delete');
      await screenshot(page, `${tag}-delete`);
      await page.keyboard.press('Escape');
      await expect(dialog).toBeHidden();
      await expect(deleteFile2).toBeFocused();
      await deleteFile2.click();
      await dialog.getByRole('button', { name: t('delete.confirm'), exact: true }).click();
      await expect(dialog).toBeHidden();
      await expect(tab('sinks')).toBeFocused();
    });
  }
}

for (const language of LANGUAGES) {
  test(`a notification keeps clear of a dialog's buttons; the reinstall dialog fits 800×600 in ${language}`, async ({
    page,
    host,
  }) => {
    test.setTimeout(60_000);
    const t = strings(language);
    const geohash = buildZip([{ name: 'Geohash@v1.2.0.so', data: STAND_IN_SO }]);
    const repo = await servePluginRepo([
      { path: '/kuiper-plugins/2.1.0/debian/functions/geohash_amd64.zip', bytes: geohash, hold: true },
    ]);
    try {
      await usePrebuiltRepo(host.url, repo.url);
      await page.setViewportSize({ width: 800, height: 600 });
      await open(page, host.url, language);
      await page.getByRole('tab', { name: startingWith(t('extensions.tabs.prebuilt')) }).click();
      const row = page
        .getByRole('region', { name: t('extensions.tabs.functions') })
        .getByRole('row', { name: 'geohash', exact: true });
      await row.getByRole('button', { name: t('manage.prebuilt.installName', { name: 'geohash' }) }).click();
      await expect(row.getByTestId('prebuilt-progress')).toBeVisible();

      // While it downloads, the user opens a dialog; the install then finishes and says so.
      await page.getByRole('tab', { name: startingWith(t('extensions.tabs.functions')) }).click();
      await page.getByRole('button', { name: t('extensions.create.functions'), exact: true }).click();
      const dialog = page.getByRole('dialog', { name: t('create.title.functions') });
      await expect(dialog).toBeVisible();
      repo.release();
      const notice = page
        .getByRole('alert')
        .filter({ hasText: t('manage.prebuilt.installed', { name: 'geohash' }) });
      await expect(notice).toBeVisible();
      await expectInViewport(page, notice, 'the notification');
      const noticeBox = (await notice.boundingBox())!;
      for (const name of [t('create.cancel'), t('create.submit')]) {
        const button = (await dialog.getByRole('button', { name, exact: true }).boundingBox())!;
        expect(overlaps(noticeBox, button), `the notification covers ${name}`).toBe(false);
      }
      await screenshot(page, `sizes-${language}-800-notification-beside-dialog`);
      await page.keyboard.press('Escape');

      // The reinstall dialog.
      await page.getByRole('tab', { name: startingWith(t('extensions.tabs.prebuilt')) }).click();
      const reinstall = row.getByRole('button', {
        name: t('manage.prebuilt.reinstallName', { name: 'geohash' }),
      });
      await reinstall.click();
      const confirm = page.getByRole('dialog', {
        name: t('manage.prebuilt.reinstallTitle', { name: 'geohash' }),
      });
      await expect(confirm.getByRole('button', { name: t('create.cancel'), exact: true })).toBeFocused();
      await expect(confirm.getByRole('button', { name: t('dialog.close') })).toBeVisible();
      await expectActionsOnScreen(
        page,
        confirm,
        [t('create.cancel'), t('manage.prebuilt.reinstall')],
        'Reinstall',
      );
      await screenshot(page, `sizes-${language}-800-reinstall`);
      await page.keyboard.press('Escape');
      await expect(reinstall).toBeFocused();
    } finally {
      await repo.close();
    }
  });
}

test('the header stays over its columns with a scrollbar, scrolled down, and scrolled sideways', async ({
  page,
  host,
}) => {
  test.setTimeout(90_000);
  // Enough sinks for the list to scroll.
  const folder = mkdtempSync(join(tmpdir(), 'ekm-e2e-sinks-'));
  try {
    for (let i = 0; i < 30; i++) {
      const name = `bulk${String(i).padStart(2, '0')}`;
      const zip = join(folder, `${name}.zip`);
      writeFileSync(
        zip,
        buildZip([{ name: `Bulk${String(i).padStart(2, '0')}@v1.0.${i}.so`, data: STAND_IN_SO }]),
      );
      const created = await fetch(`${host.url}/plugins/sinks`, {
        method: 'POST',
        body: JSON.stringify({ name, file: pathToFileURL(zip).href }),
      });
      expect(created.status, await created.text()).toBe(201);
    }
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
  await page.setViewportSize({ width: 1024, height: 700 });
  await open(page, host.url, 'en');
  await page.getByRole('tab', { name: /^Sinks/ }).click();
  const table = page.getByRole('table', { name: 'Sinks' });
  await expect(table.getByRole('button', { name: 'Delete bulk00' })).toBeVisible();
  const scroller = table.locator('xpath=..');
  const scrolls = await scroller.evaluate((element) => element.scrollHeight > element.clientHeight);
  expect(scrolls, 'the list should scroll for this test').toBe(true);
  await expectHeaderOverColumns(table);

  // Scrolled to the end: the header is still on top of the list, over its columns.
  await scroller.evaluate((element) => (element.scrollTop = element.scrollHeight));
  await expect(table.getByRole('button', { name: 'Delete file2' })).toBeVisible();
  const header = table.getByRole('columnheader', { name: 'Name' });
  const headerBox = (await header.boundingBox())!;
  const scrollerBox = (await scroller.boundingBox())!;
  expect(Math.abs(headerBox.y - scrollerBox.y)).toBeLessThanOrEqual(2);
  await expectHeaderOverColumns(table);
  await screenshot(page, 'sizes-en-1024-sinks-scrolled');

  // A window too narrow even for the name and the actions: the table scrolls sideways, header and rows together.
  await page.setViewportSize({ width: 280, height: 700 });
  const sideways = await scroller.evaluate((element) => element.scrollWidth > element.clientWidth);
  expect(sideways, 'the table should scroll sideways for this test').toBe(true);
  await expectHeaderOverColumns(table);
});

for (const language of LANGUAGES) {
  test(`the table and a failed install's dialog in the dark theme at 800×600 in ${language}`, async ({
    page,
    host,
  }) => {
    const t = strings(language);
    await page.setViewportSize({ width: 800, height: 600 });
    await open(page, host.url, language, 'dark');
    await page.getByRole('tab', { name: startingWith(t('extensions.tabs.functions')) }).click();
    const table = page.getByRole('table', { name: t('extensions.tabs.functions') });
    await expect(table.getByRole('button', { name: t('extensions.delete', { name: 'comp' }) })).toBeVisible();
    await expectHeaderOverColumns(table);
    await screenshot(page, `sizes-${language}-800-dark-functions`);
    await page.getByRole('button', { name: t('extensions.create.functions'), exact: true }).click();
    const dialog = page.getByRole('dialog', { name: t('create.title.functions') });
    await dialog.getByRole('combobox', { name: t('create.name') }).fill('ghost');
    const address = dialog.getByRole('textbox', { name: startingWith(t('create.address')) });
    await address.fill('file:///nowhere/at/all/ghost.zip');
    await address.press('Enter');
    await expect(
      dialog.getByRole('alert').filter({ hasText: t('create.failed', { name: 'ghost' }) }),
    ).toBeVisible();
    await expectActionsOnScreen(
      page,
      dialog,
      [t('create.cancel'), t('create.submit')],
      'Create (failed, dark)',
    );
    await screenshot(page, `sizes-${language}-800-dark-create-failed`);
  });
}

/** A schemaless service registered on the host from a zip on disk, as a script would do it. */
async function addSchemalessService(url: string, name: string, address: string): Promise<void> {
  const folder = mkdtempSync(join(tmpdir(), 'ekm-e2e-service-'));
  try {
    const zip = join(folder, `${name}.zip`);
    const descriptor = {
      interfaces: {
        [name]: {
          address,
          protocol: 'rest',
          schemaless: true,
          options: { headers: { Authorization: 'Bearer not-shown', 'X-Tenant': 'edge' } },
        },
      },
    };
    writeFileSync(zip, buildZip([{ name: `${name}.json`, data: JSON.stringify(descriptor) }]));
    const created = await fetch(`${url}/services`, {
      method: 'POST',
      body: JSON.stringify({ name, file: pathToFileURL(zip).href }),
    });
    expect(created.status, await created.text()).toBe(201);
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

for (const language of LANGUAGES) {
  for (const size of SIZES) {
    test(`the External services tab, its drawer and dialogs fit ${size.width}×${size.height} in ${language}`, async ({
      page,
      host,
    }) => {
      test.setTimeout(60_000);
      const t = strings(language);
      const tag = `sizes-${language}-${size.width}-services`;
      await addSchemalessService(
        host.url,
        'ex_service_with_a_rather_long_name',
        'http://192.168.100.200:18080',
      );
      await page.setViewportSize(size);
      await open(page, host.url, language);
      await page.getByRole('tab', { name: startingWith(t('extensions.tabs.services')) }).click();
      const table = page.getByRole('table', { name: t('services.table') });
      const name = 'ex_service_with_a_rather_long_name';
      for (const button of [
        t('services.actions.describe', { name }),
        t('services.actions.update', { name }),
        t('services.actions.delete', { name }),
      ]) {
        await expectInViewport(page, table.getByRole('button', { name: button }), `services: ${button}`);
      }
      await expectNoSidewaysScroll(page);
      await screenshot(page, `${tag}-tab`);

      // The drawer: nothing scrolls sideways, its × is on screen, a secret header is masked.
      const details = table.getByRole('button', { name: t('services.actions.describe', { name }) });
      await details.click();
      const drawer = page.getByRole('dialog', { name: t('services.describe.title', { name }) });
      await expect(drawer).toContainText('X-Tenant: edge');
      await expect(drawer).not.toContainText('not-shown');
      await expectDrawerFits(page, drawer, t('describe.close'));
      await screenshot(page, `${tag}-drawer`);
      await page.keyboard.press('Escape');
      await expect(drawer).toBeHidden();
      await expect(details).toBeFocused();

      // The simple form: opens on Name, the buttons on screen with three header rows, Escape gives focus back.
      const add = page.getByRole('button', { name: t('extensions.create.services'), exact: true });
      await add.click();
      let dialog = page.getByRole('dialog', { name: t('services.add.title') });
      await expect(dialog.getByRole('textbox', { name: startingWith(t('create.name')) })).toBeFocused();
      for (let row = 0; row < 3; row++) {
        await dialog.getByRole('button', { name: t('services.add.addHeader') }).click();
      }
      await dialog.getByRole('textbox', { name: startingWith(t('create.name')) }).fill('ex_service');
      await expectActionsOnScreen(
        page,
        dialog,
        [t('create.cancel'), t('services.add.submit')],
        'Add service',
      );
      await screenshot(page, `${tag}-add`);
      await page.keyboard.press('Escape');
      await expect(dialog).toBeHidden();
      await expect(add).toBeFocused();

      // The zip dialog with a refused zip: the explanation and the buttons on screen.
      const fromZip = page.getByRole('button', { name: t('services.zip.open'), exact: true });
      await fromZip.click();
      dialog = page.getByRole('dialog', { name: t('services.zip.title') });
      await expect(dialog.getByRole('textbox', { name: startingWith(t('create.name')) })).toBeFocused();
      await dialog.getByLabel(t('create.browse')).setInputFiles({
        name: 'nested.zip',
        mimeType: 'application/zip',
        buffer: buildZip([{ name: 'nested/nested.json', data: '{}' }]),
      });
      const refusal = dialog.getByRole('alert').filter({ hasText: t('services.zip.problem') });
      await expect(refusal).toBeVisible();
      await expectActionsOnScreen(
        page,
        dialog,
        [t('create.cancel'), t('services.zip.submit')],
        'Create from zip',
      );
      await screenshot(page, `${tag}-zip`);
      await page.keyboard.press('Escape');
      await expect(dialog).toBeHidden();
      await expect(fromZip).toBeFocused();
    });
  }
}
