import { mkdir, readFile, readdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { ScaffoldWritten } from '../../../shared/scaffold-dto.js';
import { inspectZip } from '../../../shared/zip-inspect.js';
import { readZipDirectoryFromBytes } from '../../../shared/zip-directory.js';
import { startTestHost, type TestHost } from '../../support/host-harness.js';

/** `POST /manager/authoring/scaffold` over real HTTP: written to a folder, refused, or downloaded as a zip. */

let t: TestHost;
const url = '/manager/authoring/scaffold';
const python = {
  language: 'python',
  name: 'weather',
  sources: ['station'],
  sinks: ['archive'],
  functions: ['c2f'],
};

beforeAll(async () => {
  t = await startTestHost();
});
afterAll(async () => {
  await t.close();
});

const errorOf = (response: { status: number; text: string }) => {
  expect(response.status).toBe(400);
  expect(response.text.endsWith('}\n')).toBe(true);
  return JSON.parse(response.text) as { error: number; message: string };
};

/** Every file under a folder, relative, forward slashes. */
async function filesUnder(folder: string): Promise<string[]> {
  const entries = await readdir(folder, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name).slice(folder.length + 1))
    .sort();
}

describe('with a folder', () => {
  test('writes the plugin into a new folder, creating its parents, and answers 201 with the files', async () => {
    const folder = join(t.tempDir, 'projects', 'deep', 'weather');
    const response = await t.request('POST', url, { ...python, folder });
    expect(response.status).toBe(201);
    const written = response.json<ScaffoldWritten>();
    expect(written.folder).toBe(folder);
    expect(written.files).toContain('weather.json');
    expect(await filesUnder(folder)).toEqual([...written.files].sort());
    expect(JSON.parse(await readFile(join(folder, 'weather.json'), 'utf8'))).toMatchObject({
      language: 'python',
      executable: 'weather.py',
      sources: ['station'],
    });
    expect((await stat(join(folder, 'install.sh'))).mode & 0o777).toBe(0o755);
    expect((await stat(join(folder, 'weather.py'))).mode & 0o111).toBe(0);
    // Nothing else was left beside it (no staging folder).
    expect(await readdir(join(t.tempDir, 'projects', 'deep'))).toEqual(['weather']);
  });

  test('uses an empty folder that exists', async () => {
    const folder = join(t.tempDir, 'empty-go');
    await mkdir(folder);
    const response = await t.request('POST', url, {
      language: 'go',
      name: 'mirror2',
      functions: ['echo'],
      folder,
    });
    expect(response.status).toBe(201);
    expect(await filesUnder(folder)).toContain('main.go');
    expect((await stat(join(folder, 'build.sh'))).mode & 0o777).toBe(0o755);
  });

  test('refuses a folder that is not empty and leaves it as it was', async () => {
    const folder = join(t.tempDir, 'taken');
    await mkdir(folder);
    await writeFile(join(folder, 'notes.txt'), 'mine');
    const error = errorOf(await t.request('POST', url, { ...python, folder }));
    expect(error).toEqual({
      error: 1000,
      message: `the folder ${folder} already exists and is not empty: choose a new folder, the scaffold never writes over files`,
    });
    expect(await readdir(folder)).toEqual(['notes.txt']);
    expect(await readdir(t.tempDir)).not.toContainEqual(expect.stringMatching(/scaffold-/));
  });

  test('refuses a file and a relative path', async () => {
    const file = join(t.tempDir, 'a-file');
    await writeFile(file, 'x');
    expect(errorOf(await t.request('POST', url, { ...python, folder: file })).message).toBe(
      `${file} is a file, not a folder: choose a new folder for the plugin`,
    );
    expect(errorOf(await t.request('POST', url, { ...python, folder: 'rel/weather' })).message).toBe(
      'folder rel/weather is not an absolute path: give the full path of the new plugin folder',
    );
  });

  test('a write that fails half-way: refused with the reason, nothing left, the parents it made removed', async () => {
    // A path so deep that the folders fit within PATH_MAX (4096) but the files inside them do not: the
    // staging folder is made and the first files written before one fails (root ignores permissions).
    const top = join(t.tempDir, 'deep-made');
    let parent = top;
    while (parent.length < 3865) parent = join(parent, 'd'.repeat(200));
    parent = join(parent, 'e'.repeat(4065 - parent.length - 1));
    const folder = join(parent, 'weather');
    const error = errorOf(await t.request('POST', url, { ...python, folder }));
    expect(error.message).toMatch(
      /^could not write the plugin to .*: .*ENAMETOOLONG.*; nothing was left there$/,
    );
    await expect(stat(top)).rejects.toThrow(/ENOENT/);
  });

  test('bad names are refused before anything is written', async () => {
    const folder = join(t.tempDir, 'never');
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ name: 'bad name' }, "id 'bad name' contains invalid characters"],
      [
        { functions: ['json'], sources: [], sinks: [] },
        "invalid name 'json' for a function: the file json.py would hide",
      ],
      [{ sources: [], sinks: [], functions: [] }, 'a plugin needs at least one source, sink or function'],
      [{ sinks: ['a-b'] }, "invalid name 'a-b' for a sink"],
      [{ language: 'java' }, "language 'java' is not supported"],
    ];
    for (const [change, message] of cases) {
      expect(errorOf(await t.request('POST', url, { ...python, ...change, folder })).message).toContain(
        message,
      );
    }
    await expect(stat(folder)).rejects.toThrow();
  });

  test('a body of the wrong shape says what to send', async () => {
    expect(errorOf(await t.request('POST', url, 'not json')).message).toMatch(
      /^invalid body: it is not JSON/,
    );
    expect(errorOf(await t.request('POST', url, { ...python, sources: 'station' })).message).toBe(
      'invalid body: sources must be a list of names; send a JSON object with language ("python" or "go"), name, sources, sinks and functions (lists of names) and, to write the plugin to disk, folder',
    );
    expect(errorOf(await t.request('POST', url, { ...python, folder: 7 })).message).toContain(
      'folder must be a path',
    );
  });

  test('other methods: 405', async () => {
    expect((await t.request('GET', url)).status).toBe(405);
  });
});

describe('without a folder', () => {
  test('answers the plugin as a zip download the host accepts, the same bytes each time', async () => {
    const download = async () => {
      const response = await fetch(`${t.url}${url}`, { method: 'POST', body: JSON.stringify(python) });
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('application/zip');
      expect(response.headers.get('content-disposition')).toBe('attachment; filename="weather.zip"');
      return new Uint8Array(await response.arrayBuffer());
    };
    const zip = await download();
    expect(Buffer.from(await download()).equals(Buffer.from(zip))).toBe(true);
    const inspection = inspectZip(zip, 'portables', 'weather');
    expect(inspection.problems).toEqual([]);
    expect(inspection.hasInstallScript).toBe(true);
    const install = readZipDirectoryFromBytes(zip).find((entry) => entry.name === 'install.sh');
    expect(install!.mode & 0o777).toBe(0o755);
  });

  test('Go: build.sh has its exec bit; installScript false leaves install.sh out of a Python zip', async () => {
    const go = await fetch(`${t.url}${url}`, {
      method: 'POST',
      body: JSON.stringify({ language: 'go', name: 'gadget', sources: ['probe'] }),
    });
    const goEntries = readZipDirectoryFromBytes(new Uint8Array(await go.arrayBuffer()));
    expect(goEntries.find((entry) => entry.name === 'build.sh')!.mode & 0o777).toBe(0o755);
    const bare = await fetch(`${t.url}${url}`, {
      method: 'POST',
      body: JSON.stringify({ ...python, installScript: false }),
    });
    const names = readZipDirectoryFromBytes(new Uint8Array(await bare.arrayBuffer())).map(
      (entry) => entry.name,
    );
    expect(names).not.toContain('install.sh');
    expect(names).toContain('requirements.txt');
  });
});
