import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Locator, Page } from '@playwright/test';
import { frontProxy } from '../test/support/server-stand-ins.js';
import { expect, openWithPreferences, screenshot, startRemoteHost, test } from './host-fixture';

/**
 * The Custom functions tab against the real host: a function created from the sample, listed, described, edited,
 * tried; newer-than-ES5 syntax warned about in the editor; a broken script refused in the host's words; deleted.
 * On a server whose eKuiper lacks `/udf/javascript` the tab stays and says why; on a plain eKuiper Try it says
 * where it is. Screens are saved as `javascript-*.png`.
 */

async function openTab(page: Page, url: string, language = 'en', colorScheme: 'light' | 'dark' = 'light') {
  await openWithPreferences(page, url, language, colorScheme);
  await expect(page.getByRole('tablist')).toBeVisible();
}

/** The editor's text as CodeMirror shows it (one line per `.cm-line`). */
async function editorText(editor: Locator): Promise<string> {
  const lines = await editor.locator('.cm-line').allTextContents();
  return lines.join('\n');
}

/** Replaces the editor's whole text by typing, as a user would after selecting everything. */
async function replaceScript(page: Page, editor: Locator, script: string): Promise<void> {
  await editor.locator('.cm-content').click();
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.press('Delete');
  // insertText: typing would let CodeMirror auto-indent each new line on top of the script's own indentation.
  await page.keyboard.insertText(script);
}

test('create from the sample, list, describe, try, edit with a warning, refuse a broken script, delete', async ({
  page,
  host,
}) => {
  test.setTimeout(90_000);
  await openTab(page, host.url);
  const tab = page.getByRole('tab', { name: /^Custom functions/ });
  await tab.click();
  await expect(page.getByTestId('empty-state')).toContainText('No custom functions yet');
  await expect(tab).toContainText('0');
  await screenshot(page, 'javascript-empty');

  // ---- Create from the sample: its function follows the name ----
  const create = page.getByRole('button', { name: 'Create function' }).first();
  await create.click();
  const dialog = page.getByRole('dialog', { name: 'Create custom function' });
  const name = dialog.getByRole('textbox', { name: 'Name' });
  await expect(name).toBeFocused();
  const editor = dialog.getByTestId('code-editor');
  await expect(editor.locator('.cm-content')).toBeVisible();
  expect(await editorText(editor)).toContain('function multiply(a, b) {');
  await name.fill('area');
  await expect.poll(() => editorText(editor)).toContain('function area(a, b) {');
  expect(await editorText(editor)).toContain('// Arguments in SQL order: SELECT area(a, b) FROM demo');
  await dialog.getByRole('textbox', { name: 'Description' }).fill('Area of a rectangle');
  await expect(dialog.getByTestId('script-es5-warning')).toHaveCount(0);
  await expect(dialog.getByTestId('script-no-function')).toHaveCount(0);
  await screenshot(page, 'javascript-dialog-en-light');
  // Enter in a field submits the form.
  await dialog.getByRole('textbox', { name: 'Description' }).press('Enter');
  await expect(dialog).toBeHidden();
  await expect(page.getByText('javascript function area is created')).toBeVisible();
  // Focus goes back to the button that opened the dialog.
  await expect(create).toBeFocused();

  // ---- The list ----
  const table = page.getByRole('table', { name: 'Custom functions' });
  await expect(table.getByRole('row')).toHaveCount(2);
  await expect(table.getByRole('row').nth(1)).toContainText('area');
  await expect(table.getByRole('row').nth(1)).toContainText('Area of a rectangle');
  await expect(tab).toContainText('1');
  await page.getByRole('searchbox', { name: 'Filter' }).fill('rectangle');
  await expect(table.getByRole('row')).toHaveCount(2);
  await page.getByRole('searchbox', { name: 'Filter' }).fill('nothing like it');
  await expect(page.getByTestId('no-match')).toBeVisible();
  await page.getByRole('button', { name: 'Clear filter' }).first().click();
  await screenshot(page, 'javascript-list');

  // ---- Describe and Try it: a*b ----
  await table.getByRole('button', { name: 'area', exact: true }).click();
  const drawer = page.getByRole('dialog', { name: 'Custom function area' });
  await expect(drawer.getByTestId('javascript-script')).toContainText('return a * b;');
  await expect(drawer).toContainText('Area of a rectangle');
  await expect(drawer).toContainText('SELECT area(a, b) FROM demo');
  const args = drawer.getByRole('textbox', { name: 'Arguments (a JSON array)' });
  await args.fill('[6, 7]');
  await drawer.getByRole('button', { name: 'Call' }).click();
  await expect(drawer.getByTestId('javascript-result')).toHaveText('42');
  await expect(drawer.getByTestId('javascript-timing')).toContainText(/Call [\d.]+ ms · round trip/);
  await screenshot(page, 'javascript-try-it');
  // New arguments clear the old answer.
  await args.fill('[6, 8]');
  await expect(drawer.getByTestId('javascript-result')).toHaveCount(0);
  await args.fill('[6, "x"]');
  await drawer.getByRole('button', { name: 'Call' }).click();
  await expect(drawer.getByRole('alert')).toContainText('result is NaN');

  // ---- Edit: newer syntax is a warning, marked in the editor, and does not block ----
  await drawer.getByRole('button', { name: 'Edit…' }).click();
  const edit = page.getByRole('dialog', { name: 'Edit area' });
  await expect(edit.getByRole('textbox', { name: 'Name' })).toHaveAttribute('readonly', '');
  await expect(edit.getByRole('textbox', { name: 'Description' })).toBeFocused();
  const editEditor = edit.getByTestId('code-editor');
  await replaceScript(page, editEditor, 'const k = 2;\nfunction area(a, b) {\n  return a * b * k;\n}\n');
  await expect(edit.getByTestId('script-es5-warning')).toContainText(
    'Line 1: let and const are newer than ECMAScript 5.1',
  );
  await expect(editEditor.locator('.cm-lintRange-warning')).toHaveText('const k = 2;');
  await expect(editEditor.locator('.cm-lint-marker-warning')).toHaveCount(1);
  await screenshot(page, 'javascript-dialog-es6-warning');
  await edit.getByRole('button', { name: 'Save' }).click();
  await expect(edit).toBeHidden();
  await expect(page.getByText('javascript function area is updated')).toBeVisible();
  await expect(drawer.getByTestId('javascript-script')).toContainText('const k = 2;');
  await args.fill('[2, 3]');
  await drawer.getByRole('button', { name: 'Call' }).click();
  await expect(drawer.getByTestId('javascript-result')).toHaveText('12');

  // ---- A broken script: marked as an error, refused by the host in its words ----
  await drawer.getByRole('button', { name: 'Edit…' }).click();
  await expect(edit).toBeVisible();
  await replaceScript(page, editEditor, 'function area(a, b) {\n  return a * ;\n}\n');
  await expect(edit.getByTestId('script-syntax-error')).toContainText('Line 2: Unexpected token');
  await expect(editEditor.locator('.cm-lint-marker-error')).toHaveCount(1);
  await edit.getByRole('button', { name: 'Save' }).click();
  const refusal = edit.getByTestId('javascript-save-failure');
  await expect(refusal).toContainText(
    'javascript function update command error: failed to interprete script',
  );
  await expect(refusal).toBeInViewport();
  // A script without the function: said before the host says it.
  await replaceScript(page, editEditor, 'function other(a) {\n  return a;\n}\n');
  await expect(refusal).toHaveCount(0);
  await expect(edit.getByTestId('script-no-function')).toContainText('No global function named area');
  await edit.getByRole('button', { name: 'Save' }).click();
  await expect(refusal).toContainText('cannot find function "area" in script');
  // Escape in the editor arms Tab to move on; it does not close the dialog.
  await editEditor.locator('.cm-content').click();
  await page.keyboard.press('Escape');
  await expect(edit).toBeVisible();
  await page.keyboard.press('Tab');
  await expect(editEditor.locator('.cm-content')).not.toBeFocused();
  await edit.getByRole('button', { name: 'Cancel' }).click();
  await expect(edit).toBeHidden();
  // Nothing was saved.
  await expect(drawer.getByTestId('javascript-script')).toContainText('const k = 2;');

  // ---- Delete ----
  await drawer.getByRole('button', { name: 'Delete…' }).click();
  const confirm = page.getByRole('dialog', { name: 'Delete area?' });
  await expect(confirm).toContainText('Rules already running keep calling area until they restart');
  await expect(confirm.getByRole('button', { name: 'Cancel' })).toBeFocused();
  await confirm.getByRole('button', { name: 'Delete', exact: true }).click();
  await expect(confirm).toBeHidden();
  await expect(page.getByText('javascript function area is deleted')).toBeVisible();
  await expect(drawer).toBeHidden();
  await expect(page.getByTestId('empty-state')).toBeVisible();
  expect(await (await fetch(`${host.url}/udf/javascript`)).json()).toEqual([]);
});

test('an aggregate function starts from the aggregate sample and is tried with arrays of values', async ({
  page,
  host,
}) => {
  await openTab(page, host.url);
  await page.getByRole('tab', { name: /^Custom functions/ }).click();
  await page.getByRole('button', { name: 'Create function' }).first().click();
  const dialog = page.getByRole('dialog', { name: 'Create custom function' });
  await dialog.getByRole('textbox', { name: 'Name' }).fill('total');
  await dialog.getByRole('checkbox', { name: 'Aggregate function' }).check();
  const editor = dialog.getByTestId('code-editor');
  await expect.poll(() => editorText(editor)).toContain('function total(values) {');
  await dialog.getByRole('button', { name: 'Create' }).click();
  await expect(dialog).toBeHidden();
  const table = page.getByRole('table', { name: 'Custom functions' });
  await expect(table.getByRole('row').nth(1)).toContainText('aggregate');
  await table.getByRole('button', { name: 'total', exact: true }).click();
  const drawer = page.getByRole('dialog', { name: 'Custom function total' });
  await expect(drawer).toContainText('each argument as an array of the group');
  await expect(drawer.getByRole('textbox', { name: 'Arguments (a JSON array)' })).toHaveValue('[[2, 3, 4]]');
  await drawer.getByRole('button', { name: 'Call' }).click();
  await expect(drawer.getByTestId('javascript-result')).toHaveText('9');
});

test('the dialog in light and dark, English and Chinese', async ({ page, host }) => {
  for (const language of ['en', 'zh-CN'] as const) {
    for (const colorScheme of ['light', 'dark'] as const) {
      await openTab(page, host.url, language, colorScheme);
      await page.getByRole('tab').nth(2).click();
      await page.getByTestId('extensions-create').click();
      const dialog = page.getByRole('dialog');
      await expect(dialog.getByTestId('code-editor').locator('.cm-content')).toBeVisible();
      await dialog.getByRole('textbox').first().fill('area');
      await replaceScript(
        page,
        dialog.getByTestId('code-editor'),
        '// Area of a rectangle\nlet unit = 1;\nfunction area(a, b) {\n  return a * b * unit;\n}\n',
      );
      await expect(dialog.getByTestId('script-es5-warning')).toBeVisible();
      await screenshot(page, `javascript-dialog-${language}-${colorScheme}`);
    }
  }
});

test('a server without /udf/javascript keeps the tab and says why; a plain eKuiper has no Try it', async ({
  page,
  host,
}) => {
  test.setTimeout(60_000);
  const remote = await startRemoteHost(mkdtempSync(join(tmpdir(), 'ekm-e2e-remote-')));
  // eKuiper's default build (no script tag) and a plain eKuiper with the script tag, in front of one host.
  const alpine = await frontProxy(remote.url, { plainEkuiper: true, lacks: ['/udf/javascript'] });
  const slim = await frontProxy(remote.url, { plainEkuiper: true });
  try {
    const created = await fetch(`${remote.url}/udf/javascript`, {
      method: 'POST',
      body: JSON.stringify({
        id: 'area',
        description: '',
        script: 'function area(a, b) { return a * b; }',
        isAgg: false,
      }),
    });
    expect(created.status).toBe(201);
    for (const [name, url] of [
      ['Alpine', alpine.url],
      ['Slim', slim.url],
    ]) {
      const added = await fetch(`${host.url}/manager/servers`, {
        method: 'POST',
        body: JSON.stringify({ name, kind: 'ekuiper', url }),
      });
      expect(added.status).toBe(201);
    }

    await openTab(page, `${host.url}/#/extensions?server=alpine`);
    await expect(page.getByTestId('extensions-server')).toContainText('on Alpine');
    await page.getByRole('tab', { name: /^Custom functions/ }).click();
    const reason =
      'Alpine has no custom JavaScript functions: it answered that /udf/javascript does not exist (eKuiper builds without the script tag, such as the default image, lack it).';
    await expect(page.getByTestId('capability-note')).toHaveText(reason);
    const create = page.getByRole('button', { name: 'Create function' });
    await expect(create).toBeDisabled();
    await expect(create).toHaveAttribute('aria-description', reason);
    await screenshot(page, 'javascript-missing-route');

    await openTab(page, `${host.url}/#/extensions?server=slim`);
    await expect(page.getByTestId('extensions-server')).toContainText('on Slim');
    await page.getByRole('tab', { name: /^Custom functions/ }).click();
    await page.getByRole('button', { name: 'area', exact: true }).click();
    const drawer = page.getByRole('dialog', { name: 'Custom function area' });
    await expect(drawer.getByTestId('javascript-script')).toContainText('return a * b;');
    await expect(drawer.getByTestId('capability-note')).toHaveText(
      "Slim cannot try JavaScript functions: Try it runs on this app's own hosts only.",
    );
    await expect(drawer.getByRole('button', { name: 'Call' })).toHaveCount(0);
  } finally {
    await slim.close();
    await alpine.close();
    await remote.close();
  }
});
