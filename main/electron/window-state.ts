import type { BrowserWindow, Rectangle } from 'electron';

/** What is remembered of the window between runs. */
export interface WindowState {
  x?: number;
  y?: number;
  width: number;
  height: number;
  maximized: boolean;
}

export const DEFAULT_WINDOW_STATE: WindowState = { width: 1280, height: 820, maximized: false };
export const MIN_WINDOW_SIZE = { width: 760, height: 520 } as const;

/** Where window state is kept: an electron-store of its own, so it never mixes with the host's settings. */
export interface WindowStateStore {
  get(): unknown;
  set(state: WindowState): void;
}

const isFiniteInteger = (value: unknown): value is number =>
  typeof value === 'number' && Number.isSafeInteger(value);

function overlaps(a: Rectangle, b: Rectangle): boolean {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}

/**
 * The state to open the window with: the remembered one when it is well-formed and still on a screen
 * (a monitor may have been unplugged since), else the defaults. The remembered size is kept even when its
 * position is dropped, so the window comes back centred at the size the user chose.
 */
export function restoreWindowState(stored: unknown, workAreas: readonly Rectangle[]): WindowState {
  if (typeof stored !== 'object' || stored === null) return { ...DEFAULT_WINDOW_STATE };
  const state = stored as Partial<Record<keyof WindowState, unknown>>;
  const width =
    isFiniteInteger(state.width) && state.width >= MIN_WINDOW_SIZE.width ? state.width : undefined;
  const height =
    isFiniteInteger(state.height) && state.height >= MIN_WINDOW_SIZE.height ? state.height : undefined;
  const restored: WindowState = {
    width: width ?? DEFAULT_WINDOW_STATE.width,
    height: height ?? DEFAULT_WINDOW_STATE.height,
    maximized: state.maximized === true,
  };
  if (isFiniteInteger(state.x) && isFiniteInteger(state.y)) {
    const bounds = { x: state.x, y: state.y, width: restored.width, height: restored.height };
    if (workAreas.some((area) => overlaps(bounds, area))) {
      restored.x = state.x;
      restored.y = state.y;
    }
  }
  return restored;
}

/**
 * Saves the window's normal (not maximised) bounds and its maximised flag whenever it moves, resizes or
 * closes. Returns a function that stops tracking, so nothing keeps listening after the window is gone.
 */
export function trackWindowState(window: BrowserWindow, store: WindowStateStore): () => void {
  const save = (): void => {
    if (window.isDestroyed()) return;
    const bounds = window.getNormalBounds();
    store.set({
      x: bounds.x,
      y: bounds.y,
      width: bounds.width,
      height: bounds.height,
      maximized: window.isMaximized(),
    });
  };
  const events = ['resized', 'moved', 'maximize', 'unmaximize', 'close'] as const;
  for (const event of events) window.on(event as 'close', save);
  return () => {
    for (const event of events) window.removeListener(event as 'close', save);
  };
}
