import { createElement, lazy, useEffect, useState, type ComponentType } from 'react';

/**
 * `React.lazy` for a named export, so components keep their named exports (and their direct imports in tests)
 * while the window loads them in a chunk of their own. The returned `preload` starts the download early.
 *
 * A chunk that fails to load (the host stopped, the network dropped) can be asked for again: `React.lazy` keeps a
 * failure for good, so after `retryFailedLazyParts()` (a `LazyPart`'s "Try again") a failed instance is replaced
 * by a fresh one on its next render. Not before: React renders a failed part once more on its own, and a fresh
 * instance then would start a new download each time instead of ever showing the failure.
 */
export function lazyNamed<Module, Name extends keyof Module>(
  load: () => Promise<Module>,
  name: Name,
): Module[Name] & { preload: () => Promise<Module> } {
  interface Attempt {
    component: ComponentType<object>;
    generation: number;
    failed: boolean;
  }
  const start = (): Attempt => {
    const attempt: Attempt = { component: () => null, generation: retryGeneration, failed: false };
    attempt.component = lazy(async () => {
      try {
        return { default: (await load())[name] as ComponentType<object> };
      } catch (error) {
        attempt.failed = true;
        throw error;
      }
    });
    return attempt;
  };
  let current = start();
  const component = ((props: object) => {
    if (current.failed && current.generation !== retryGeneration) current = start();
    return createElement(current.component, props);
  }) as unknown as Module[Name] & { preload: () => Promise<Module> };
  component.preload = load;
  return component;
}

let retryGeneration = 0;

/** Lets every lazily loaded part whose code failed to load try again the next time it renders. */
export function retryFailedLazyParts(): void {
  retryGeneration++;
}

/** False until `flag` is first true, then true for good: mounts a lazily loaded dialog from its first opening. */
export function useOnceTrue(flag: boolean): boolean {
  const [seen, setSeen] = useState(flag);
  if (flag && !seen) setSeen(true);
  return seen || flag;
}

/**
 * Runs `task` once the page has painted and the browser is idle (or after `fallbackMs` where
 * `requestIdleCallback` is missing), e.g. to fetch the chunks of dialogs so opening one does not wait for the
 * network. It waits for two animation frames first: an idle period can fall between the frame that paints a
 * new list and the next one, and background work there would hold the next frame back while the user looks
 * at the list. Returns a function that cancels it.
 */
export function whenIdle(task: (deadline?: IdleDeadline) => void, fallbackMs = 500): () => void {
  let cancel = afterTwoFrames(() => {
    if (typeof window.requestIdleCallback === 'function') {
      const id = window.requestIdleCallback(task, { timeout: 3_000 });
      cancel = () => window.cancelIdleCallback(id);
    } else {
      const timer = setTimeout(task, fallbackMs);
      cancel = () => clearTimeout(timer);
    }
  });
  return () => cancel();
}

/**
 * False until the page has painted, then true: for parts nobody sees at first (an empty notification area, the
 * window-wide drop target), so the first paint of the page does not wait for them.
 */
export function useAfterFirstPaint(): boolean {
  const [painted, setPainted] = useState(false);
  useEffect(() => afterTwoFrames(() => setPainted(true)), []);
  return painted;
}

/** Calls `then` after the next two animation frames (at once where there are none); returns a cancel. */
function afterTwoFrames(then: () => void): () => void {
  if (typeof window.requestAnimationFrame !== 'function') {
    then();
    return () => {};
  }
  let frame = window.requestAnimationFrame(() => {
    frame = window.requestAnimationFrame(then);
  });
  return () => window.cancelAnimationFrame(frame);
}

/**
 * Calls `work` for every item in idle time, a slice at a time, leaving each idle period before its deadline, so
 * preparing thousands of rows never makes the page miss a frame. Returns a function that stops it.
 */
export function inIdleSlices<Item>(items: readonly Item[], work: (item: Item) => void): () => void {
  let next = 0;
  let cancel = () => {};
  const slice = (deadline?: IdleDeadline) => {
    // Without a deadline (no requestIdleCallback): a slice of a fixed size.
    const end = deadline === undefined ? Math.min(items.length, next + 500) : items.length;
    while (next < end && (deadline === undefined || deadline.timeRemaining() > 1 || deadline.didTimeout)) {
      work(items[next++]!);
    }
    if (next < items.length) cancel = whenIdle(slice);
  };
  cancel = whenIdle(slice);
  return () => cancel();
}
