import { useEffect, useState } from 'react';

/** The current time, re-read every `intervalMs` while `live` (for elapsed times and "5 min ago"). */
export function useNow(live: boolean, intervalMs = 1000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!live) return;
    const timer = window.setInterval(() => setNow(Date.now()), intervalMs);
    return () => window.clearInterval(timer);
  }, [live, intervalMs]);
  return now;
}
