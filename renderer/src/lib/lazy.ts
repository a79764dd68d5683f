import { createElement, lazy, useState, type ComponentType } from 'react';

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
 * Runs `task` when the browser is idle (or after `fallbackMs` where `requestIdleCallback` is missing), e.g. to
 * fetch the chunks of dialogs after the first paint so opening one does not wait for the network. Returns a
 * function that cancels it.
 */
export function whenIdle(task: () => void, fallbackMs = 500): () => void {
  if (typeof window.requestIdleCallback === 'function') {
    const id = window.requestIdleCallback(task, { timeout: 3_000 });
    return () => window.cancelIdleCallback(id);
  }
  const timer = setTimeout(task, fallbackMs);
  return () => clearTimeout(timer);
}
