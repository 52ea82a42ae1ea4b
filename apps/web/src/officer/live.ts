import { useEffect, useRef } from 'react';

/**
 * Live updates: one Server-Sent Events stream per application shown (GET
 * /v1/applications/:id/stream, authenticated by the session cookie); any status change calls
 * `onChange`. At most 2 streams at once: a browser has only six connections per host.
 */
export function useLive(applicationIds: string[], onChange: () => void) {
  const callback = useRef(onChange);
  callback.current = onChange;
  const key = applicationIds.slice(0, 2).join(',');
  useEffect(() => {
    if (!key) return;
    const sources = key.split(',').map((id) => {
      const source = new EventSource(`/v1/applications/${id}/stream`);
      let first = true;
      source.addEventListener('status', () => {
        // The first message is the status as it is now: the page already shows it.
        if (first) first = false;
        else callback.current();
      });
      return source;
    });
    return () => sources.forEach((s) => s.close());
  }, [key]);
}
