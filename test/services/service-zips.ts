import { readFileSync, readdirSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { expectText } from '../rest/rest-helpers.js';
import { fileUrl, type TestHost } from '../support/host-harness.js';
import type { TestZipEntry } from '../support/zip-writer.js';
import { buildZip } from '../support/zip-writer.js';

/** The service fixtures (our own files, shaped like eKuiper's `internal/service/test`). */
export const SERVICE_FIXTURES = resolve(import.meta.dirname, '../fixtures/services');

/** The text of a fixture file. */
export function fixtureText(path: string): string {
  return readFileSync(join(SERVICE_FIXTURES, path), 'utf8');
}

/** Every file under a fixture folder as zip entries, with folder entries first as `zip -r` writes them. */
export function folderEntries(folder: string): TestZipEntry[] {
  const root = join(SERVICE_FIXTURES, folder);
  const entries: TestZipEntry[] = [];
  const walk = (dir: string): void => {
    for (const item of readdirSync(dir, { withFileTypes: true }).sort((a, b) =>
      a.name.localeCompare(b.name),
    )) {
      const path = join(dir, item.name);
      const name = relative(root, path).split('\\').join('/');
      if (item.isDirectory()) {
        entries.push({ name: `${name}/` });
        walk(path);
      } else {
        entries.push({ name, data: readFileSync(path) });
      }
    }
  };
  walk(root);
  return entries;
}

/** A descriptor and the schema files it names, as zip entries (`<name>.json` at the root, `schemas/…`). */
export function serviceEntries(
  name: string,
  descriptor: string | object,
  schemas: string[] = [],
): TestZipEntry[] {
  const text = typeof descriptor === 'string' ? descriptor : JSON.stringify(descriptor);
  return [
    { name: `${name}.json`, data: text },
    ...schemas.map((schema) => ({ name: `schemas/${schema}`, data: fixtureText(`schemas/${schema}`) })),
  ];
}

/** Writes a zip built from entries into `folder` and answers its path. */
export async function writeServiceZip(
  folder: string,
  file: string,
  entries: readonly TestZipEntry[],
): Promise<string> {
  const path = join(folder, file);
  await writeFile(path, buildZip(entries));
  return path;
}

/** `file://` URLs of the three fixture services as zips: `sample`, `httpSample`, and `dynamic` (TestManage's `toadd`). */
export async function fixtureServiceUrls(
  folder: string,
): Promise<{ sample: string; httpSample: string; dynamic: string }> {
  const zip = async (name: string, entries: TestZipEntry[]) =>
    fileUrl(await writeServiceZip(folder, `${name}.zip`, entries));
  return {
    sample: await zip('sample', serviceEntries('sample', fixtureText('sample.json'), ['hw.proto'])),
    httpSample: await zip(
      'httpSample',
      serviceEntries('httpSample', fixtureText('httpSample.json'), [
        'http_bookstore.proto',
        'http_messaging.proto',
      ]),
    ),
    // As TestManage does, the toadd folder is zipped at run time.
    dynamic: await zip('dynamic', folderEntries('toadd')),
  };
}

/** `POST /services` that must answer eKuiper's 201 text. */
export async function expectCreated(t: TestHost, name: string, file: string): Promise<void> {
  expectText(await t.request('POST', '/services', { name, file }), 201, `service ${name} is created`);
}
