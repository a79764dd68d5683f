import { useEffect, useState } from 'react';

/** The current time, refreshed every minute, so "3 minutes ago" stays true while the window is open. */
export function useMinuteClock(): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 60_000);
    return () => clearInterval(timer);
  }, []);
  return now;
}
