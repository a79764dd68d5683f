import { useEffect, useState } from 'react';

/**
 * The current time, refreshed every `everyMs`, for text that depends on it ("3 minutes ago", "retrying in 4 s",
 * "silent for 12 s") and must stay true while the window is open without the whole page re-rendering.
 */
export function useClock(everyMs: number): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(timer);
  }, [everyMs]);
  return now;
}

/** The current time, refreshed every minute, so "3 minutes ago" stays true while the window is open. */
export function useMinuteClock(): number {
  return useClock(60_000);
}
