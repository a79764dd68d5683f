import { useState } from 'react';
import { useClock } from './use-clock';

/**
 * Whole seconds since the component showing a wait appeared, ticking once a second, so a wait that goes on can
 * say how long it has lasted (a server that is slow, not a window that froze).
 */
export function useSecondsWaiting(): number {
  const [started] = useState(() => Date.now());
  const now = useClock(1000);
  return Math.floor((now - started) / 1000);
}
