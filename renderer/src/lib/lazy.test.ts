import { afterEach, describe, expect, it, vi } from 'vitest';
import { inIdleSlices, whenIdle } from './lazy';

/** A browser's idle callbacks, driven by the test: each gets a deadline with `budget` ms left. */
function idleCallbacks() {
  const pending: IdleRequestCallback[] = [];
  vi.stubGlobal('requestIdleCallback', (callback: IdleRequestCallback) => pending.push(callback));
  vi.stubGlobal('cancelIdleCallback', () => {});
  return {
    pending,
    /** Runs the oldest idle callback with a deadline that allows `calls` checks of the time left. */
    run(calls: number) {
      let left = calls;
      pending.shift()?.({ didTimeout: false, timeRemaining: () => (left-- > 0 ? 10 : 0) });
    },
  };
}

describe('whenIdle', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
    vi.useRealTimers();
  });

  it('waits for two frames after the call before asking for idle time', async () => {
    const idle = idleCallbacks();
    const task = vi.fn();
    whenIdle(task);
    expect(idle.pending).toHaveLength(0);
    await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(idle.pending).toHaveLength(1);
    idle.run(1);
    expect(task).toHaveBeenCalledTimes(1);
  });

  it('does nothing once cancelled', async () => {
    const idle = idleCallbacks();
    const task = vi.fn();
    whenIdle(task)();
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(idle.pending).toHaveLength(0);
    expect(task).not.toHaveBeenCalled();
  });
});

describe('inIdleSlices', () => {
  afterEach(() => vi.unstubAllGlobals());

  const frames = () =>
    new Promise((resolve) =>
      requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(resolve, 0))),
    );

  it('works through the items a slice per idle period, stopping before each deadline', async () => {
    const idle = idleCallbacks();
    const done: number[] = [];
    inIdleSlices([1, 2, 3, 4, 5], (item) => done.push(item));
    await frames();
    idle.run(2);
    expect(done).toEqual([1, 2]);
    await frames();
    idle.run(2);
    expect(done).toEqual([1, 2, 3, 4]);
    await frames();
    idle.run(5);
    expect(done).toEqual([1, 2, 3, 4, 5]);
    await frames();
    expect(idle.pending).toHaveLength(0);
  });

  it('stops when cancelled between slices', async () => {
    const idle = idleCallbacks();
    const done: number[] = [];
    const stop = inIdleSlices([1, 2, 3], (item) => done.push(item));
    await frames();
    idle.run(1);
    stop();
    await frames();
    expect(idle.pending).toHaveLength(0);
    expect(done).toEqual([1]);
  });
});
