import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { uniqueName } from '../test/support/node-plugin-bundle';
import { sdkVendorEntries } from '../test/support/python-sdk-plugin-zip';
import { expect, openWithPreferences, screenshot, test } from './host-fixture';

/**
 * The whole path of writing a plugin, in the browser against the real host: New plugin writes a Python folder on
 * this computer, Package zips it as eKuiper accepts it, Install puts it on this computer's host, Develop live
 * watches the folder, Try it calls the function, a change to the file on disk reaches the same Try it panel.
 */

let parent: string;
test.beforeEach(async () => {
  parent = await mkdtemp(join(tmpdir(), 'ekm-whole-path-'));
});
test.afterEach(async () => {
  await rm(parent, { recursive: true, force: true });
});

test('new plugin → package → install → try → change a file → see the change', async ({ page, host }) => {
  test.setTimeout(180_000);
  const name = uniqueName('path');
  const fn = uniqueName('shout');
  const folder = join(parent, name);
  await openWithPreferences(page, `${host.url}/#/develop`, 'en', 'light');

  // New plugin: a Python plugin with one function, written into a folder on this computer.
  await page.getByRole('button', { name: 'New plugin' }).click();
  const dialog = page.getByRole('dialog', { name: 'New plugin' });
  await dialog.getByRole('textbox', { name: 'Plugin name' }).fill(name);
  await dialog.getByTestId('new-plugin-functions').click();
  await page.keyboard.type(fn);
  await page.keyboard.press('Enter');
  await dialog.getByRole('textbox', { name: 'Folder on this computer (optional)' }).fill(parent);
  await dialog.getByRole('button', { name: 'Create' }).click();
  const done = dialog.getByTestId('new-plugin-done');
  await expect(done.getByTestId('new-plugin-where')).toContainText(folder);
  await expect(done).toContainText('Package and Develop live below now work on this folder.');
  await screenshot(page, 'develop-path-created');
  await dialog.getByRole('button', { name: 'Close' }).last().click();
  await expect(dialog).toBeHidden();
  expect(readFileSync(join(folder, `${fn}.py`), 'utf8')).toContain('return args[0]');

  // What `pip install -r requirements.txt` gives a user: pynng cannot be installed here, so the SDK and the
  // tests' pynng stand-in go beside the plugin, where its install.sh finds them.
  for (const entry of sdkVendorEntries()) {
    mkdirSync(dirname(join(folder, entry.name)), { recursive: true });
    writeFileSync(join(folder, entry.name), entry.data);
  }

  // Package: the folder is already there; the zip's SHA-256 names the build; install it on this computer.
  const pack = page.getByTestId('pack-panel');
  await expect(pack.getByTestId('pack-folder')).toHaveValue(folder);
  await pack.getByRole('button', { name: 'Package', exact: true }).click();
  await expect(pack.getByTestId('pack-zip')).toContainText(`${name}-v1.0.0.zip`, { timeout: 30_000 });
  await expect(pack.getByTestId('pack-zip')).toContainText(/[0-9a-f]{64}/);
  await pack.getByRole('button', { name: 'Install on this computer' }).click();
  await expect(pack.getByTestId('pack-installed')).toHaveText(
    `This computer: portable plugin ${name} is created`,
    { timeout: 60_000 },
  );
  await screenshot(page, 'develop-path-packaged');

  // Develop live on the same folder: the installed plugin is taken over, Try it answers.
  const live = page.getByTestId('develop-live');
  await expect(live.getByTestId('develop-folder')).toHaveValue(folder);
  await live.getByRole('button', { name: 'Start developing' }).click();
  await expect(live.getByTestId('develop-state')).toHaveText('Running', { timeout: 60_000 });
  const tryIt = live.getByTestId('develop-try');
  const args = tryIt.getByRole('textbox', { name: 'Arguments' });
  await args.fill('["edge"]');
  await tryIt.getByRole('button', { name: 'Call' }).click();
  await expect(tryIt.getByTestId('function-result')).toHaveText('"edge"', { timeout: 30_000 });

  // A change to the file on disk: the plugin is updated in place and the same panel answers anew.
  const source = join(folder, `${fn}.py`);
  writeFileSync(
    source,
    readFileSync(source, 'utf8').replace('return args[0]', 'return str(args[0]).upper()'),
  );
  await expect(live.getByTestId('develop-build').first()).toHaveAttribute('data-result', 'updated', {
    timeout: 30_000,
  });
  await expect(args).toHaveValue('["edge"]');
  await tryIt.getByRole('button', { name: 'Call' }).click();
  await expect(tryIt.getByTestId('function-result')).toHaveText('"EDGE"');
  await live.scrollIntoViewIfNeeded();
  await screenshot(page, 'develop-path-changed');

  await live.getByRole('button', { name: 'Stop developing' }).click();
  expect((await fetch(`${host.url}/plugins/portables/${name}`, { method: 'DELETE' })).status).toBe(200);
});
