import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { resetFakeElectron, safeStorage } from './fake-electron.js';

vi.mock('electron', async () => {
  const fake = await import('./fake-electron.js');
  return { ...fake, default: fake.default };
});

const { safeStorageSecretStore } = await import('../../main/electron/safe-storage-secrets.js');

// The desktop app's secret store: server-secrets.json with each secret sealed by Electron's safeStorage (mocked:
// the real binary cannot run here), or the headless host's 0600 plain file where no keychain is available.

let userData: string;
let file: string;
let logs: string[];
beforeEach(async () => {
  userData = await mkdtemp(join(tmpdir(), 'ekm-safe-'));
  file = join(userData, 'server-secrets.json');
  logs = [];
  resetFakeElectron(userData);
});
afterEach(() => rm(userData, { recursive: true, force: true }));

const log = (line: string) => logs.push(line);
const stored = async () =>
  JSON.parse(await readFile(file, 'utf8')) as {
    servers: Record<string, Record<string, Record<string, string>>>;
  };

describe('secrets in the desktop app', () => {
  test('are sealed with safeStorage: the file never holds the secret, and they read back', async () => {
    const store = safeStorageSecretStore(file, log);
    await store.write('edge', { privateKey: 'my-private-key', token: 'my-token' });
    const text = await readFile(file, 'utf8');
    expect(text).not.toContain('my-private-key');
    expect(text).not.toContain('my-token');
    expect(Object.keys((await stored()).servers.edge!.token!)).toEqual(['safeStorage']);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(await safeStorageSecretStore(file, log).read('edge')).toEqual({
      privateKey: 'my-private-key',
      token: 'my-token',
    });
    expect(logs).toEqual([
      `server secrets are kept encrypted with the operating system's keychain (Electron safeStorage) (${file})`,
    ]);
  });

  test('without a keychain, fall back to the plain 0600 file and say so once', async () => {
    safeStorage.available = false;
    const store = safeStorageSecretStore(file, log);
    await store.write('edge', { token: 'plain-token' });
    expect((await stored()).servers.edge).toEqual({ token: { plain: 'plain-token' } });
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(await store.read('edge')).toEqual({ token: 'plain-token' });
    expect(logs.filter((line) => line.includes('offers no keychain'))).toHaveLength(1);
    expect(logs.join('\n')).not.toContain('plain-token');
  });

  test('read secrets written plainly before (by the headless host) and seal them when next written', async () => {
    await writeFile(
      file,
      JSON.stringify({ version: 1, servers: { a: { password: { plain: 'old-pass' } } } }),
      {
        mode: 0o600,
      },
    );
    const store = safeStorageSecretStore(file, log);
    const secrets = await store.read('a');
    expect(secrets).toEqual({ password: 'old-pass' });
    await store.write('a', secrets);
    expect(await readFile(file, 'utf8')).not.toContain('old-pass');
    expect(await safeStorageSecretStore(file, log).read('a')).toEqual({ password: 'old-pass' });
  });

  test('a secret another keychain sealed reads as missing and stays in the file', async () => {
    await safeStorageSecretStore(file, log).write('a', { token: 'from-another-machine' });
    safeStorage.keychainId = 2;
    const store = safeStorageSecretStore(file, log);
    expect(await store.read('a')).toEqual({});
    expect(logs.some((line) => line.includes('cannot be opened here'))).toBe(true);
    await store.write('b', { token: 'new' });
    expect(Object.keys(await stored().then((file) => file.servers))).toEqual(['a', 'b']);
  });

  test('on Linux without a keyring, says the encryption key is a fixed one', () => {
    safeStorage.backend = 'basic_text';
    safeStorageSecretStore(file, log);
    expect(logs.some((line) => line.includes('safeStorage encrypts with a fixed key'))).toBe(
      process.platform === 'linux',
    );
  });
});
