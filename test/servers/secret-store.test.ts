import { chmod, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { fileSecretStore, memorySecretStore } from '../../main/servers/secret-store.js';

// The headless host's secrets: a JSON file of their own, 0600, on a real file system in a temp folder.

let folder: string;
let file: string;
let logs: string[];
beforeEach(async () => {
  folder = await mkdtemp(join(tmpdir(), 'ekm-secrets-'));
  file = join(folder, 'server-secrets.json');
  logs = [];
});
afterEach(() => rm(folder, { recursive: true, force: true }));

const log = (line: string) => logs.push(line);
const mode = async (path: string) => (await stat(path)).mode & 0o777;

describe('the file secret store', () => {
  test('creates the file readable only by the user and reads back what it wrote', async () => {
    const store = fileSecretStore(file, { log });
    await store.write('edge', { token: 't-1' });
    await store.write('nx', { password: 'p-1' });
    expect(await mode(file)).toBe(0o600);
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual({
      version: 1,
      servers: { edge: { token: { plain: 't-1' } }, nx: { password: { plain: 'p-1' } } },
    });
    const again = fileSecretStore(file, { log });
    expect(await again.read('edge')).toEqual({ token: 't-1' });
    expect(await again.read('nx')).toEqual({ password: 'p-1' });
    expect(await again.read('other')).toEqual({});
  });

  test('write replaces a server’s secrets, delete removes them; concurrent writes all land', async () => {
    const store = fileSecretStore(file, { log });
    await Promise.all(['a', 'b', 'c', 'd'].map((id) => store.write(id, { token: id })));
    await store.write('a', { privateKey: 'k' });
    await store.delete('b');
    const servers = (JSON.parse(await readFile(file, 'utf8')) as { servers: object }).servers;
    expect(servers).toEqual({
      a: { privateKey: { plain: 'k' } },
      c: { token: { plain: 'c' } },
      d: { token: { plain: 'd' } },
    });
    expect((await readdir(folder)).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });

  test('a server without secrets leaves no file behind', async () => {
    await fileSecretStore(file, { log }).write('open', {});
    expect(await readdir(folder)).toEqual([]);
  });

  test('puts a file found readable by others back to 0600 and says so', async () => {
    await writeFile(file, JSON.stringify({ version: 1, servers: { a: { token: { plain: 'x' } } } }));
    await chmod(file, 0o644);
    const store = fileSecretStore(file, { log });
    expect(await store.read('a')).toEqual({ token: 'x' });
    expect(await mode(file)).toBe(0o600);
    expect(logs).toContain(
      `server secrets: ${file} could be read by other users (mode 644); it is now 600, readable only by you`,
    );
  });

  test('a corrupt file is kept aside and the store starts empty', async () => {
    await writeFile(file, '{"servers": {"a": ', { mode: 0o600 });
    const store = fileSecretStore(file, { log });
    expect(await store.read('a')).toEqual({});
    const aside = (await readdir(folder)).filter((name) => name.startsWith('server-secrets.json.bad-'));
    expect(aside).toHaveLength(1);
    expect(logs[0]).toMatch(/was not used because it is not valid JSON.*; kept as .*bad-/);
    await store.write('b', { token: 'y' });
    expect(await fileSecretStore(file).read('b')).toEqual({ token: 'y' });
  });

  test('a corrupt file is reported without quoting it: the text around the error may be a secret', async () => {
    // A hand edit that lost the quotes: V8's own message would quote `..."plain":hand-edited-s"...`.
    await writeFile(file, '{"version":1,"servers":{"a":{"token":{"plain":hand-edited-secret}}}}', {
      mode: 0o600,
    });
    expect(await fileSecretStore(file, { log }).read('a')).toEqual({});
    expect(logs).toHaveLength(1);
    expect(logs[0]).toMatch(/was not used because it is not valid JSON; kept as .*bad-/);
    expect(logs[0]).not.toContain('hand-edited');
  });

  test('keeps secrets sealed by the desktop app untouched, and says once that it cannot open them', async () => {
    await writeFile(
      file,
      JSON.stringify({
        version: 1,
        servers: { a: { token: { safeStorage: 'c2VhbGVk' } }, b: { password: { safeStorage: 'eA==' } } },
      }),
      { mode: 0o600 },
    );
    const store = fileSecretStore(file, { log });
    expect(await store.read('a')).toEqual({});
    expect(await store.read('b')).toEqual({});
    expect(logs.filter((line) => line.includes('sealed by the desktop app'))).toHaveLength(1);
    await store.write('c', { token: 'z' });
    const servers = (JSON.parse(await readFile(file, 'utf8')) as { servers: Record<string, unknown> })
      .servers;
    expect(servers.a).toEqual({ token: { safeStorage: 'c2VhbGVk' } });
  });

  test('no secret ever reaches the log', async () => {
    const store = fileSecretStore(file, { log });
    await store.write('a', { token: 'super-secret-token', password: 'super-secret-password' });
    await fileSecretStore(file, { log }).read('a');
    expect(logs.join('\n')).not.toMatch(/super-secret/);
  });
});

test('the memory store keeps copies, not the caller’s objects', async () => {
  const store = memorySecretStore();
  const secrets = { token: 'a' };
  await store.write('x', secrets);
  secrets.token = 'changed';
  expect(await store.read('x')).toEqual({ token: 'a' });
  await store.delete('x');
  expect(await store.read('x')).toEqual({});
});
