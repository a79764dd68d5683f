import { randomBytes } from 'node:crypto';
import http from 'node:http';
import { mkdir, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { snapshotTree } from '../support/data-snapshot.js';
import { fileUrl, startTestHost, TEST_ZIPS, type TestHost } from '../support/host-harness.js';

let t: TestHost;
let uploads: string;
const defaults = { maxDownloadBytes: 0, allowExternalFileAccess: true };

beforeAll(async () => {
  t = await startTestHost();
  uploads = join(t.dataDir, 'data/uploads');
  defaults.maxDownloadBytes = t.settings.maxDownloadBytes;
});
afterAll(async () => t.close());
afterEach(async () => {
  t.settings.maxDownloadBytes = defaults.maxDownloadBytes;
  t.settings.allowExternalFileAccess = defaults.allowExternalFileAccess;
  // Each test starts with an empty uploads folder and no plugins.
  for (const name of await readdir(uploads)) await rm(join(uploads, name), { recursive: true, force: true });
  for (const name of (await t.request('GET', '/plugins/sources')).json<string[]>()) {
    await t.request('DELETE', `/plugins/sources/${name}`);
  }
});

function upload(name: string, content: Buffer | string, field = 'uploadFile') {
  const form = new FormData();
  form.append(field, new Blob([content]), name);
  return t.request('POST', '/config/uploads', form);
}

function uploadJson(body: unknown) {
  return t.request('POST', '/config/uploads', JSON.stringify(body), { 'Content-Type': 'application/json' });
}

/** A request sent as written: fetch would resolve `%2E%2E` segments before sending them. */
function rawRequest(method: string, path: string): Promise<{ status: number; text: string }> {
  const { hostname, port } = new URL(t.url);
  return new Promise((resolve, reject) => {
    const request = http.request({ host: hostname, port, method, path }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () =>
        resolve({ status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }),
      );
    });
    request.on('error', reject);
    request.end();
  });
}

function errorMessage(text: string): string {
  return (JSON.parse(text) as { message: string }).message;
}

/** Everything in the temp folder outside data/uploads: a traversal would land there. */
async function outsideUploads(): Promise<Record<string, string>> {
  const tree = await snapshotTree(t.tempDir);
  return Object.fromEntries(Object.entries(tree).filter(([key]) => !key.startsWith('data/data/uploads/')));
}

async function waitFor(condition: () => Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await condition()) return true;
    await sleep(10);
  }
  return condition();
}

describe('multipart uploads', () => {
  test('uploadFile answers 201 with the absolute path under data/uploads, content identical', async () => {
    const zip = await readFile(`${TEST_ZIPS}/sources/random3.zip`);
    const response = await upload('random3.zip', zip);
    expect(response.status).toBe(201);
    expect(response.text).toBe(join(uploads, 'random3.zip'));
    expect(Buffer.compare(await readFile(response.text), zip)).toBe(0);
  });

  test('the uploaded zip installs from file://<that path>', async () => {
    const zip = await readFile(`${TEST_ZIPS}/sources/random3.zip`);
    const path = (await upload('random3.zip', zip)).text;
    const created = await t.request('POST', '/plugins/sources', { name: 'random3', file: fileUrl(path) });
    expect(created.status).toBe(201);
    expect(created.text).toBe('sources plugin random3 is created');
    expect((await t.request('GET', '/plugins/sources/random3')).json()).toEqual({
      name: 'random3',
      version: '1.0.0',
    });
  });

  test('a large binary upload arrives byte for byte', async () => {
    const content = randomBytes(6 * 1024 * 1024);
    const response = await upload('big.bin', content);
    expect(response.status).toBe(201);
    expect(Buffer.compare(await readFile(join(uploads, 'big.bin')), content)).toBe(0);
  });

  test('GET /config/uploads lists absolute paths, sorted, and never a file still arriving', async () => {
    for (const name of ['b.zip', 'a.txt', 'C.zip', 'aa.txt'])
      expect((await upload(name, name)).status).toBe(201);
    await writeFile(join(uploads, '.upload-123.part'), 'in flight');
    const listed = await t.request('GET', '/config/uploads');
    expect(listed.status).toBe(200);
    expect(listed.json()).toEqual(['C.zip', 'a.txt', 'aa.txt', 'b.zip'].map((name) => join(uploads, name)));
  });

  test('a form without the uploadFile field is refused and writes nothing', async () => {
    const response = await upload('x.zip', 'x', 'file');
    expect(response.status).toBe(400);
    expect(errorMessage(response.text)).toContain('uploadFile');
    expect(await readdir(uploads)).toEqual([]);
  });
});

describe('JSON uploads', () => {
  test('{name, content} writes the content and answers the path', async () => {
    const response = await uploadJson({ name: 'a.txt', content: 'hi' });
    expect(response.status).toBe(201);
    expect(response.text).toBe(join(uploads, 'a.txt'));
    expect(await readFile(join(uploads, 'a.txt'), 'utf8')).toBe('hi');
  });

  test('{name, file: "file:///…"} copies the file', async () => {
    const source = `${TEST_ZIPS}/sinks/file2.zip`;
    const response = await uploadJson({ name: 'file2.zip', file: fileUrl(source) });
    expect(response.status).toBe(201);
    expect(response.text).toBe(join(uploads, 'file2.zip'));
    expect(Buffer.compare(await readFile(response.text), await readFile(source))).toBe(0);
  });

  test('a missing name, or neither content nor file, is a 400', async () => {
    for (const body of [{ content: 'hi' }, { name: '', content: 'hi' }, { name: 'a.txt' }]) {
      const response = await uploadJson(body);
      expect(response.status, JSON.stringify(body)).toBe(400);
      expect(errorMessage(response.text)).toMatch(/missing necessary field/);
    }
    expect(await readdir(uploads)).toEqual([]);
  });
});

describe('DELETE /config/uploads/{name}', () => {
  test('removes the file with 200 ok; a second time it is a 400', async () => {
    expect((await uploadJson({ name: 'a.txt', content: 'hi' })).status).toBe(201);
    const deleted = await t.request('DELETE', '/config/uploads/a.txt');
    expect(deleted.status).toBe(200);
    expect(deleted.text).toBe('ok');
    expect(await readdir(uploads)).toEqual([]);
    const again = await t.request('DELETE', '/config/uploads/a.txt');
    expect(again.status).toBe(400);
    expect(errorMessage(again.text)).toMatch(/no such file/);
  });
});

describe('names that would leave data/uploads', () => {
  const traversals = ['../x.zip', 'a/b.zip', '..', '.', '..\\x.zip', '../../../x.zip', 'C:\\evil\\y.zip'];

  test('multipart filenames with a path are refused and nothing is written anywhere', async () => {
    const before = await outsideUploads();
    for (const name of traversals) {
      const response = await upload(name, 'payload');
      expect(response.status, name).toBe(400);
      expect(errorMessage(response.text), name).toMatch(/plain file name/);
    }
    expect(await readdir(uploads)).toEqual([]);
    expect(await outsideUploads()).toEqual(before);
  });

  test('JSON names with a path are refused and nothing is written anywhere', async () => {
    const before = await outsideUploads();
    for (const name of traversals) {
      const response = await uploadJson({ name, content: 'payload' });
      expect(response.status, name).toBe(400);
      expect(errorMessage(response.text), name).toMatch(/plain file name/);
    }
    expect(await readdir(uploads)).toEqual([]);
    expect(await outsideUploads()).toEqual(before);
  });

  test('DELETE with an encoded path is refused and deletes nothing outside', async () => {
    // Targets a real file one level up, so a traversal would show.
    const victim = join(dirname(uploads), 'x');
    await writeFile(victim, 'keep me');
    await mkdir(join(uploads, 'sub'), { recursive: true }).catch(() => {});
    const before = await outsideUploads();
    for (const path of ['..%2Fx', '%2E%2E%2Fx', '..%5Cx', '%2E%2E', 'sub%2F..%2F..%2Fx']) {
      const response = await rawRequest('DELETE', `/config/uploads/${path}`);
      // 400 from the name check, or 404 where, as in eKuiper's router, an encoded slash leaves the route.
      expect([400, 404], `${path}: ${response.text}`).toContain(response.status);
    }
    expect(await readFile(victim, 'utf8')).toBe('keep me');
    expect(await outsideUploads()).toEqual(before);
  });
});

describe('size limit and interrupted uploads', () => {
  test('an upload over maxDownloadBytes is a 400 and leaves no file, not even a partial one', async () => {
    t.settings.maxDownloadBytes = 64 * 1024;
    const response = await upload('big.zip', randomBytes(1024 * 1024));
    expect(response.status).toBe(400);
    expect(errorMessage(response.text)).toMatch(/maxDownloadBytes/);
    expect(await readdir(uploads)).toEqual([]);
    // Just under the limit is fine.
    expect((await upload('small.zip', randomBytes(60 * 1024))).status).toBe(201);
  });

  test('a client that disconnects mid-upload leaves no partial file, and the host keeps serving', async () => {
    const { hostname, port } = new URL(t.url);
    const boundary = '----ekm-test-boundary';
    const head = Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="uploadFile"; filename="cut.zip"\r\n` +
        'Content-Type: application/zip\r\n\r\n',
    );
    const total = 8 * 1024 * 1024;
    const request = http.request({
      host: hostname,
      port,
      method: 'POST',
      path: '/config/uploads',
      headers: {
        'Content-Type': `multipart/form-data; boundary=${boundary}`,
        'Content-Length': String(head.length + total + boundary.length + 8),
      },
    });
    const ended = new Promise<void>((resolve) => {
      request.on('error', () => resolve());
      request.on('close', () => resolve());
    });
    request.write(head);
    request.write(randomBytes(total / 2));
    const partial = async () => (await readdir(uploads)).filter((name) => name.startsWith('.upload-'));
    // The host has started writing: the partial file exists under its temporary name.
    expect(await waitFor(async () => (await partial()).length === 1, 15_000)).toBe(true);
    request.destroy();
    await ended;
    expect(await waitFor(async () => (await readdir(uploads)).length === 0, 15_000)).toBe(true);
    await sleep(200);
    expect(await readdir(uploads)).toEqual([]);
    expect((await t.request('GET', '/ping')).status).toBe(200);
    expect((await t.request('GET', '/config/uploads')).json()).toEqual([]);
  });
});

describe('allowExternalFileAccess=false', () => {
  test('installing from file:// outside data/uploads is refused; an uploaded file installs', async () => {
    t.settings.allowExternalFileAccess = false;
    const before = await snapshotTree(t.dataDir);
    const outside = `${TEST_ZIPS}/sources/random3.zip`;
    const refused = await t.request('POST', '/plugins/sources', { name: 'random3', file: fileUrl(outside) });
    expect(refused.status).toBe(400);
    expect(errorMessage(refused.text)).toContain('file access denied');
    // Nor through the uploads folder's parent.
    const sneaky = await t.request('POST', '/plugins/sources', {
      name: 'random3',
      file: `file://${uploads}/../../../${outside}`,
    });
    expect(sneaky.status).toBe(400);
    expect(errorMessage(sneaky.text)).toContain('file access denied');
    // The JSON upload form cannot copy an outside file in either.
    const copied = await uploadJson({ name: 'random3.zip', file: fileUrl(outside) });
    expect(copied.status).toBe(400);
    expect(await snapshotTree(t.dataDir)).toEqual(before);

    const path = (await upload('random3.zip', await readFile(outside))).text;
    const created = await t.request('POST', '/plugins/sources', { name: 'random3', file: fileUrl(path) });
    expect(created.status).toBe(201);
    expect((await t.request('GET', '/plugins/sources')).json()).toEqual(['random3']);
  });
});
