import { lazy, useState, type ComponentType } from 'react';

/**
 * `React.lazy` for a named export, so components keep their named exports (and their direct imports in tests)
 * while the window loads them in a chunk of their own. The returned `preload` starts the download early.
 */
export function lazyNamed<Module, Name extends keyof Module>(
  load: () => Promise<Module>,
  name: Name,
): Module[Name] & { preload: () => Promise<Module> } {
  const component = lazy(async () => ({
    default: (await load())[name] as ComponentType<unknown>,
  })) as unknown as Module[Name] & { preload: () => Promise<Module> };
  component.preload = load;
  return component;
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
