import { useEffect, useState } from 'react';
import { api } from './api';
import { preloaded } from './preloaded';

/**
 * The engine's day in China (`GET /v1/calendar/today`), which deadlines and waiting times are
 * counted from: with a manual clock (demos, tests) it is not the browser's day. Undefined
 * until it has arrived.
 */
export function useServerToday(): string | undefined {
  // boot.ts may already have asked (the officer's home page).
  const [today, setToday] = useState<string | undefined>(
    () => preloaded<{ today: string }>('/v1/calendar/today')?.today,
  );
  useEffect(() => {
    if (today) return;
    let live = true;
    void api.GET('/v1/calendar/today').then((res) => {
      if (live && res.data) setToday(res.data.today);
    });
    return () => {
      live = false;
    };
  }, []);
  return today;
}
