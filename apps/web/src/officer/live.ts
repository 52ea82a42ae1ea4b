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

/**
 * The worklist's live updates: one stream for the whole list (GET /v1/worklist/stream), whatever
 * its length. A burst of changes (a batch of recommendations) is read once, 300 ms after the
 * last; after a lost connection (EventSource reconnects by itself) the list is read again, since
 * changes may have been missed meanwhile.
 */
export function useWorklistLive(onChange: () => void) {
  const callback = useRef(onChange);
  callback.current = onChange;
  useEffect(() => {
    const source = new EventSource('/v1/worklist/stream');
    let timer: ReturnType<typeof setTimeout> | undefined;
    let lost = false;
    const later = () => {
      clearTimeout(timer);
      timer = setTimeout(() => callback.current(), 300);
    };
    source.addEventListener('status', later);
    source.addEventListener('error', () => (lost = true));
    source.addEventListener('ready', () => {
      if (lost) later();
      lost = false;
    });
    return () => {
      clearTimeout(timer);
      source.close();
    };
  }, []);
}
