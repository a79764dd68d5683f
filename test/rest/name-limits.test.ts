import { readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { maxNameLength } from '../../shared/plugin-names.js';
import { fileUrl, startTestHost, type TestHost } from '../support/host-harness.js';
import { buildZip, type TestZipEntry } from '../support/zip-writer.js';
import {
  expectError,
  expectErrorStarting,
  expectJson,
  expectText,
  failsWithoutChange,
} from './rest-helpers.js';

// Everything the host installs it can describe and delete, also after a restart; a name too long for the
// files (or the socket) an install writes is refused before anything is downloaded, saying the limit.

let t: TestHost;
let counter = 0;
beforeAll(async () => {
  t = await startTestHost();
});
afterAll(() => t.close());

async function zipFile(entries: TestZipEntry[]): Promise<string> {
  const path = join(t.tempDir, `plugin-${++counter}.zip`);
  await writeFile(path, buildZip(entries));
  return fileUrl(path);
}

const nameOf = (length: number, start = 'sink'): string => start + 'x'.repeat(length - start.length);

describe('long names', () => {
  test('the longest native name installs, and is described and deleted — also after a restart', async () => {
    const limit = maxNameLength('sinks');
    expect(limit).toBe(250);
    const name = nameOf(limit);
    const file = await zipFile([{ name: `${name}.so`, data: 'not really a library' }]);
    expectText(
      await t.request('POST', '/plugins/sinks', { name, file }),
      201,
      `sinks plugin ${name} is created`,
    );
    expectJson(await t.request('GET', `/plugins/sinks/${name}`), `{"name":"${name}","version":""}`);
    expect((await t.request('GET', `/manager/plugins/sinks/${name}`)).status).toBe(200);

    await t.restart();
    expectJson(await t.request('GET', `/plugins/sinks/${name}`), `{"name":"${name}","version":""}`);
    expectText(
      await t.request('DELETE', `/plugins/sinks/${name}`),
      200,
      `sinks plugin ${name} is deleted and eKuiper must restart for the change to take effect.`,
    );
    expect(await readdir(join(t.dataDir, 'plugins/sinks'))).toEqual([]);
  });

  test('one character more is refused with the limit and why, before the zip is read', async () => {
    const name = nameOf(251);
    const response = await failsWithoutChange(t, () =>
      t.request('POST', '/plugins/sinks', { name, file: 'file:///nowhere/x.zip' }),
    );
    expectError(
      response,
      400,
      `sinks plugins create command error: invalid name ${name.slice(0, 40)}…: 251 characters is too long. ` +
        'Plugin names can be at most 250 characters, because eKuiper stores the plugin in files named after it ' +
        `(S${name.slice(1, 40)}….so) and a file name can be at most 255 bytes`,
    );
    const source = nameOf(251, 'src');
    expectErrorStarting(
      await t.request('POST', '/plugins/sources', { name: source, file: 'file:///nowhere/x.zip' }),
      400,
      `sources plugins create command error: invalid name ${source.slice(0, 40)}…: 251 characters is too long`,
      `(${source.slice(0, 40)}….yaml)`,
    );
  });

  test('a portable name is limited by the socket eKuiper reaches it through', async () => {
    expect(maxNameLength('portables')).toBe(87);
    const name = nameOf(88, 'port');
    const response = await failsWithoutChange(t, () =>
      t.request('POST', '/plugins/portables', { name, file: 'file:///nowhere/x.zip' }),
    );
    expectError(
      response,
      400,
      `portable plugin create command error: invalid name ${name.slice(0, 40)}…: 88 characters is too long. ` +
        'Portable plugin names can be at most 87 characters, because eKuiper talks to the plugin through the ' +
        'socket /tmp/plugin_<name>.ipc, and a socket path can be at most 103 bytes on macOS (107 on Linux)',
    );
  });

  test('a valid name whose library file (with its version) is too long for a file name', async () => {
    const name = nameOf(248);
    const library = `${name}@v1.0.0.so`;
    const file = await zipFile([{ name: library, data: 'x' }]);
    const response = await failsWithoutChange(t, () => t.request('POST', '/plugins/sinks', { name, file }));
    expectError(
      response,
      400,
      'sinks plugins create command error: fail to install plugin: invalid zip file: installing it would write the file ' +
        `${library.slice(0, 30)}…${library.slice(-20)}, whose name is 258 bytes long; file names can be at most ` +
        '255 bytes — shorten the plugin name or the file name in the zip',
    );
  });

  test('function names are limited like plugin names', async () => {
    const long = 'f'.repeat(251);
    const file = await zipFile([{ name: 'funcs.so', data: 'x' }]);
    const response = await failsWithoutChange(t, () =>
      t.request('POST', '/plugins/functions', { name: 'funcs', file, functions: ['ok', long] }),
    );
    expectError(
      response,
      400,
      `functions plugins create command error: invalid function name ${long.slice(0, 40)}…: 251 characters ` +
        'is too long; function names can be at most 250 characters',
    );
  });

  test('a name longer than any valid one gets eKuiper’s answers, not the router’s 414', async () => {
    const name = 'y'.repeat(600);
    expectError(
      await t.request('GET', `/plugins/sinks/${name}`),
      404,
      `describe sinks plugin ${name} error: not found`,
    );
    expectError(
      await t.request('DELETE', `/plugins/portables/${name}`),
      404,
      `delete portable plugin ${name} error: portable plugin ${name} is not found`,
    );
    expectError(
      await t.request('GET', `/plugins/udfs/${name}`),
      404,
      `describe function ${name} error: not found`,
    );
  });

  test('an upload with a 250-character file name can be deleted', async () => {
    const fileName = `${'u'.repeat(246)}.zip`;
    const form = new FormData();
    form.append('uploadFile', new Blob([buildZip([{ name: 'a.so', data: 'x' }])]), fileName);
    const uploaded = await fetch(`${t.url}/config/uploads`, { method: 'POST', body: form });
    expect(uploaded.status).toBe(201);
    expectText(await t.request('DELETE', `/config/uploads/${fileName}`), 200, 'ok');
  });
});
