import { describe, expect, test } from 'vitest';
import { SpError, ipcPath, maxUnixPathBytes } from '../../main/sp/index.js';

describe('ipcPath', () => {
  test('a unix address is the path after ipc://', () => {
    expect(ipcPath('ipc:///tmp/plugin_mirror.ipc', 'linux')).toBe('/tmp/plugin_mirror.ipc');
    expect(ipcPath('ipc:///tmp/func_echo.ipc', 'darwin')).toBe('/tmp/func_echo.ipc');
  });

  test('on Windows it is the named pipe mangos and nng use: \\\\.\\pipe\\ + path', () => {
    expect(ipcPath('ipc:///tmp/plugin_mirror.ipc', 'win32')).toBe('\\\\.\\pipe\\/tmp/plugin_mirror.ipc');
  });

  test('a relative path stays relative', () => {
    expect(ipcPath('ipc://x.ipc', 'linux')).toBe('x.ipc');
  });

  test.each(['tcp://127.0.0.1:5555', '/tmp/x.ipc', 'ipc://', 'inproc://x'])('refuses %s', (url) => {
    expect(() => ipcPath(url, 'linux')).toThrowError(SpError);
  });

  test('a unix path of 107 bytes is fine on Linux, 108 is too long with a clear message', () => {
    const fits = '/tmp/' + 'a'.repeat(102);
    expect(Buffer.byteLength(fits)).toBe(107);
    expect(ipcPath(`ipc://${fits}`, 'linux')).toBe(fits);
    const long = fits + 'b';
    let error: unknown;
    try {
      ipcPath(`ipc://${long}`, 'linux');
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(SpError);
    expect((error as SpError).code).toBe('EINVAL');
    expect((error as SpError).message).toContain('108 bytes');
    expect((error as SpError).message).toContain('at most 107');
  });

  test('macOS allows fewer bytes, and length counts bytes, not characters', () => {
    expect(maxUnixPathBytes('darwin')).toBe(103);
    const path = '/tmp/' + 'é'.repeat(50); // 105 bytes, 55 characters
    expect(() => ipcPath(`ipc://${path}`, 'darwin')).toThrowError(/105 bytes/);
    expect(ipcPath(`ipc://${path}`, 'linux')).toBe(path);
  });

  test('named pipes have no unix length limit', () => {
    const long = '/tmp/' + 'a'.repeat(200);
    expect(ipcPath(`ipc://${long}`, 'win32')).toBe('\\\\.\\pipe\\' + long);
  });
});
