import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { packFolder } from '../../../main/authoring/pack/pack-folder.js';
import { writePackedZip } from '../../../main/authoring/pack/pack-output.js';
import { FIXTURES, fileUrl, startTestHost, type TestHost } from '../../support/host-harness.js';
import { isAlive } from '../../support/process-helpers.js';
import { acquireTestLock, LOCK_WAIT_MS } from '../../support/test-lock.js';

/**
 * eKuiper's Go sample `mirror` unpacked into a folder the way a user keeps it — the binary copied without its
 * exec bit, a `.git` and an editor folder beside it — packaged here and installed on the host: the exec bit the
 * zip gives it is what lets it start.
 */
let t: TestHost;
let releaseMirror: () => Promise<void>;
let folder: string;

beforeAll(async () => {
  releaseMirror = await acquireTestLock('mirror');
  t = await startTestHost({ portableInitTimeoutMs: 15_000 });
  folder = join(t.tempDir, 'src', 'mirror');
  const files = unzipSync(await readFile(join(FIXTURES, 'portable/mirror.zip')));
  for (const [path, data] of Object.entries(files)) {
    if (path.endsWith('/')) continue;
    await mkdir(dirname(join(folder, path)), { recursive: true });
    await writeFile(join(folder, path), data, { mode: 0o644 });
  }
  await mkdir(join(folder, '.git'));
  await writeFile(join(folder, '.git', 'HEAD'), 'ref: refs/heads/main\n');
  await mkdir(join(folder, '.vscode'));
  await writeFile(join(folder, '.vscode', 'launch.json'), '{}');
}, LOCK_WAIT_MS);
afterAll(async () => {
  await t?.close();
  await releaseMirror?.();
});

describe('the Go mirror packaged from its folder', () => {
  test('installs, starts (the exec bit set in the zip) and its function answers', async () => {
    const packed = await packFolder(folder, {
      target: { id: 'local', name: 'local', os: 'linux', arch: 'amd64' },
    });
    expect(packed.problems).toEqual([]);
    expect(packed.warnings.map((warning) => warning.code)).toEqual(['exec-bit-set']);
    expect(packed.leftOut).toEqual([
      { path: '.git/', reason: 'git' },
      { path: '.vscode/', reason: 'editor' },
    ]);
    const result = await writePackedZip(packed, join(t.tempDir, 'dist', 'mirror-v1.0.0.zip'));
    const installed = await t.request('POST', '/plugins/portables', {
      name: 'mirror',
      file: fileUrl(result.path),
    });
    expect(installed.text).toBe('portable plugin mirror is created');
    const status = (await t.request('GET', '/plugins/portables/mirror/status')).json<{
      status: string;
      pid: number;
    }>();
    expect(status.status).toBe('running');
    expect(isAlive(status.pid)).toBe(true);
    const echo = await t.request('POST', '/manager/portables/mirror/functions/echo/call', {
      args: ['packed'],
    });
    expect(echo.json()).toMatchObject({ ok: true, stage: 'exec', result: 'packed' });
    expect((await t.request('DELETE', '/plugins/portables/mirror')).status).toBe(200);
  });
});
