import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startTestHost, type TestHost } from '../../support/host-harness.js';

/** `/manager/develop` refuses what it cannot develop, in eKuiper's error shape, and starts nothing. */

let t: TestHost;
beforeAll(async () => {
  t = await startTestHost();
});
afterAll(async () => {
  await t.close();
});

const start = (body: unknown) => t.request('POST', '/manager/develop', body);
const refusal = async (body: unknown) => {
  const response = await start(body);
  expect(response.status).toBe(400);
  expect(response.headers.get('content-type')).toContain('text/plain');
  expect(response.text.endsWith('\n')).toBe(true);
  return response.json<{ error: number; message: string }>();
};
const send = 'Send a JSON object whose "folder" is the absolute path of the plugin folder';

describe('POST /manager/develop refuses', () => {
  test('a body that is empty, not JSON, not an object, or without a folder', async () => {
    expect(await refusal('')).toEqual({
      error: 1000,
      message: `invalid develop request: the body is empty. ${send}`,
    });
    expect((await refusal('{folder')).message).toBe(`invalid develop request: the body is not JSON. ${send}`);
    expect((await refusal([1])).message).toBe(`invalid develop request: the body is not an object. ${send}`);
    expect((await refusal({ folder: '  ' })).message).toBe(
      `invalid develop request: "folder" is missing. ${send}`,
    );
    expect((await refusal({ folder: 3 })).message).toBe(
      `invalid develop request: "folder" is missing. ${send}`,
    );
  });

  test('a relative path, a folder that does not exist, and a file', async () => {
    expect((await refusal({ folder: 'plugins/mine' })).message).toBe(
      'invalid develop request: the folder plugins/mine is not an absolute path; the host cannot tell what it is relative to',
    );
    const missing = join(t.tempDir, 'nowhere');
    expect((await refusal({ folder: missing })).message).toBe(
      `invalid develop request: the folder ${missing} does not exist on this computer`,
    );
    const file = join(t.tempDir, 'a-file.json');
    await writeFile(file, '{}');
    expect((await refusal({ folder: file })).message).toBe(
      `invalid develop request: ${file} is a file, not a folder; choose the plugin folder that holds the manifest`,
    );
  });

  test("a folder inside the host's data folder, or one that holds it", async () => {
    const inside = join(t.dataDir, 'plugins', 'portable');
    expect((await refusal({ folder: inside })).message).toContain(
      `invalid develop request: the folder ${inside} is inside the host's data folder ${t.dataDir}`,
    );
    expect((await refusal({ folder: t.tempDir })).message).toContain(
      `invalid develop request: the folder ${t.tempDir} holds the host's data folder ${t.dataDir}`,
    );
  });

  test('a folder without a manifest, with packaging saying what is missing', async () => {
    const folder = join(t.tempDir, 'outside', 'empty');
    await mkdir(folder, { recursive: true });
    await writeFile(join(folder, 'main.py'), 'print(1)\n');
    const { message } = await refusal({ folder });
    expect(message).toContain(`the folder ${folder} is not a plugin folder the host can develop: `);
    expect(message).toContain('missing or invalid json file empty.json');
    expect((await t.request('GET', '/manager/develop')).json()).toEqual([]);
  });
});

describe('sessions that do not exist', () => {
  test('read, stop and follow answer 404 with code 1002', async () => {
    for (const [method, path] of [
      ['GET', '/manager/develop/abc'],
      ['DELETE', '/manager/develop/abc'],
      ['GET', '/manager/develop/abc/events'],
    ] as const) {
      const response = await t.request(method, path);
      expect(response.status).toBe(404);
      expect(response.json()).toEqual({ error: 1002, message: 'develop session abc is not found' });
    }
  });

  test('other methods answer 405', async () => {
    expect((await t.request('PUT', '/manager/develop')).status).toBe(405);
    expect((await t.request('POST', '/manager/develop/abc')).status).toBe(405);
    expect((await t.request('DELETE', '/manager/develop/abc/events')).status).toBe(405);
  });
});
