import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { describe, expect, test, vi } from 'vitest';
import type { Session, WebContents } from 'electron';
import { FakeWebContents, preventableEvent } from './fake-electron.js';

vi.mock('electron', async () => {
  const fake = await import('./fake-electron.js');
  return { ...fake, default: fake.default };
});

const { denyAllPermissions, guardWebContents, isAppUrl, secureWebPreferences } =
  await import('../../main/electron/security.js');

const APP = 'http://127.0.0.1:9081';

function guarded() {
  const contents = new FakeWebContents();
  const openExternal = vi.fn();
  guardWebContents(contents as unknown as WebContents, { appOrigin: () => APP, openExternal });
  return { contents, openExternal };
}

describe('web preferences', () => {
  test('isolate, sandbox and keep Node and webviews out of the page', () => {
    const preferences = secureWebPreferences('/app/out/preload/index.cjs');
    expect(preferences).toMatchObject({
      preload: '/app/out/preload/index.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webviewTag: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
    });
  });
});

describe('navigation', () => {
  test('stays on the host; an http(s) target opens in the system browser instead', () => {
    const { contents, openExternal } = guarded();
    const inside = preventableEvent({ url: `${APP}/?tab=sinks` });
    contents.emit('will-navigate', inside, inside.url);
    expect(inside.defaultPrevented).toBe(false);

    const away = preventableEvent({ url: 'https://ekuiper.org/docs/' });
    contents.emit('will-navigate', away, away.url);
    expect(away.defaultPrevented).toBe(true);
    expect(openExternal).toHaveBeenCalledWith('https://ekuiper.org/docs/');
  });

  test('refuses other schemes without handing them to the system', () => {
    const { contents, openExternal } = guarded();
    for (const url of [
      'file:///etc/passwd',
      'javascript:alert(1)',
      'ms-settings:',
      'http://user:pw@x.test/',
    ]) {
      const event = preventableEvent({ url });
      contents.emit('will-navigate', event, url);
      expect(event.defaultPrevented, url).toBe(true);
    }
    expect(openExternal).not.toHaveBeenCalled();
  });

  test('another port on the same machine is another origin', () => {
    expect(isAppUrl('http://127.0.0.1:9082/', APP)).toBe(false);
    expect(isAppUrl('http://localhost:9081/', APP)).toBe(false);
    expect(isAppUrl('not a url', APP)).toBe(false);
    const { contents } = guarded();
    const redirect = preventableEvent({ url: 'http://127.0.0.1:9082/' });
    contents.emit('will-redirect', redirect);
    expect(redirect.defaultPrevented).toBe(true);
    const frame = preventableEvent({ url: 'https://example.com/' });
    contents.emit('will-frame-navigate', frame);
    expect(frame.defaultPrevented).toBe(true);
  });
});

describe('new windows and webviews', () => {
  test('window.open never opens a window; http(s) links go to the browser', () => {
    const { contents, openExternal } = guarded();
    expect(contents.windowOpenHandler?.({ url: 'https://github.com/lf-edge/ekuiper' })).toEqual({
      action: 'deny',
    });
    expect(openExternal).toHaveBeenCalledWith('https://github.com/lf-edge/ekuiper');
    expect(contents.windowOpenHandler?.({ url: `${APP}/` })).toEqual({ action: 'deny' });
    expect(contents.windowOpenHandler?.({ url: 'file:///tmp/x.zip' })).toEqual({ action: 'deny' });
    expect(openExternal).toHaveBeenCalledTimes(2);
  });

  test('a webview is never attached', () => {
    const { contents } = guarded();
    const event = preventableEvent();
    contents.emit('will-attach-webview', event, {}, {});
    expect(event.defaultPrevented).toBe(true);
  });
});

describe('permissions', () => {
  test('every request and check is denied', () => {
    const handlers: Record<string, (...args: unknown[]) => unknown> = {};
    const session = {
      setPermissionRequestHandler: (handler: (...args: unknown[]) => unknown) => (handlers.request = handler),
      setPermissionCheckHandler: (handler: (...args: unknown[]) => unknown) => (handlers.check = handler),
      setDevicePermissionHandler: (handler: (...args: unknown[]) => unknown) => (handlers.device = handler),
    };
    denyAllPermissions(session as unknown as Session);
    for (const permission of ['media', 'notifications', 'geolocation', 'clipboard-read', 'openExternal']) {
      const answer = vi.fn();
      handlers.request!(null, permission, answer, {});
      expect(answer).toHaveBeenCalledWith(false);
      expect(handlers.check!(null, permission, APP, {})).toBe(false);
    }
    expect(handlers.device!({ deviceType: 'usb' })).toBe(false);
  });
});

describe('content security policy', () => {
  test('the page allows scripts and API calls only from its own host', async () => {
    const html = await readFile(resolve(import.meta.dirname, '../../renderer/index.html'), 'utf8');
    const policy = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(html)?.[1];
    expect(policy).toBeDefined();
    const directives = new Map(
      policy!.split(';').map((part) => {
        const [name, ...values] = part.trim().split(/\s+/);
        return [name!, values] as const;
      }),
    );
    expect(directives.get('default-src')).toEqual(["'none'"]);
    expect(directives.get('script-src')).toEqual(["'self'"]);
    expect(directives.get('connect-src')).toEqual(["'self'"]);
    expect(directives.get('object-src')).toEqual(["'none'"]);
    expect(directives.get('base-uri')).toEqual(["'none'"]);
    expect(policy).not.toContain('unsafe-eval');
  });
});
