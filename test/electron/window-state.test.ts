import { describe, expect, test, vi } from 'vitest';
import type { BrowserWindow } from 'electron';
import { FakeBrowserWindow } from './fake-electron.js';

vi.mock('electron', async () => {
  const fake = await import('./fake-electron.js');
  return { ...fake, default: fake.default };
});

const { DEFAULT_WINDOW_STATE, restoreWindowState, trackWindowState } =
  await import('../../main/electron/window-state.js');

const SCREEN = [{ x: 0, y: 0, width: 1920, height: 1080 }];

describe('restoring', () => {
  test('keeps a remembered state that is still on a screen', () => {
    const stored = { x: 50, y: 40, width: 1000, height: 700, maximized: true };
    expect(restoreWindowState(stored, SCREEN)).toEqual(stored);
  });

  test('drops a position on a monitor that is gone but keeps the size', () => {
    expect(
      restoreWindowState({ x: 3000, y: 40, width: 1000, height: 700, maximized: false }, SCREEN),
    ).toEqual({
      width: 1000,
      height: 700,
      maximized: false,
    });
  });

  test('ignores what is not a window state', () => {
    for (const stored of [undefined, null, 'big', [], { width: 'wide' }, { width: 10, height: 10 }]) {
      expect(restoreWindowState(stored, SCREEN)).toEqual(DEFAULT_WINDOW_STATE);
    }
    expect(restoreWindowState({ x: 1.5, y: 2, width: 900, height: 600 }, SCREEN)).toEqual({
      width: 900,
      height: 600,
      maximized: false,
    });
  });
});

describe('tracking', () => {
  test('saves normal bounds on move and close, and stops listening when asked', () => {
    const window = new FakeBrowserWindow({ x: 10, y: 20, width: 800, height: 600 });
    const saved: unknown[] = [];
    const stop = trackWindowState(window as unknown as BrowserWindow, {
      get: () => undefined,
      set: (state) => saved.push(state),
    });
    window.moveTo({ x: 30, y: 40, width: 900, height: 650 });
    expect(saved.at(-1)).toEqual({ x: 30, y: 40, width: 900, height: 650, maximized: false });
    window.maximized = true;
    window.emit('maximize');
    expect(saved.at(-1)).toMatchObject({ width: 900, maximized: true });
    const count = saved.length;
    stop();
    window.moveTo({ x: 0, y: 0, width: 800, height: 600 });
    expect(saved).toHaveLength(count);
    for (const event of ['resized', 'moved', 'maximize', 'unmaximize', 'close']) {
      expect(window.listenerCount(event), event).toBe(0);
    }
  });
});
