import type { Boot } from './boot';

/** An answer of boot.ts is used only this long after its call started; then the page asks again. */
const FRESH_MS = 15_000;

function fresh(boot: Boot | undefined): boot is Boot {
  return boot !== undefined && performance.now() - boot.at < FRESH_MS;
}

/**
 * The answer boot.ts already has for `url` (pathname and search), if it has arrived, succeeded
 * and is fresh; each answer is handed out once. A page uses it as its first state, so it renders
 * once, with its data, instead of rendering empty and calling the api from an effect.
 */
export function preloaded<T>(url: string): T | undefined {
  return preloadedAll<[T]>([url])?.[0];
}

/**
 * The answers to all of `urls`, as preloaded() gives one, or undefined (and none taken) when
 * any is missing: a page that needs several renders with all of them or asks for all itself
 * (the calls still in flight are then answered from boot.ts, by the api client).
 */
export function preloadedAll<T extends unknown[]>(urls: string[]): T | undefined {
  const boot = window.__consoleBoot;
  if (!fresh(boot)) return undefined;
  const calls = urls.map((url) => boot.calls.get(url));
  if (!calls.every((call) => call?.value?.ok)) return undefined;
  for (const url of urls) boot.calls.delete(url);
  return calls.map((call) => call!.value!.body) as T;
}

/**
 * For the api client (api.ts): a GET that boot.ts started (answered or still in flight) is
 * answered from there, once, instead of being sent again; any other request returns undefined.
 */
export function preloadedResponse(request: Request): Promise<Response> | undefined {
  const boot = window.__consoleBoot;
  if (request.method !== 'GET' || !fresh(boot)) return undefined;
  const url = new URL(request.url);
  if (url.origin !== location.origin) return undefined;
  const key = url.pathname + url.search;
  const call = boot.calls.get(key);
  if (!call) return undefined;
  boot.calls.delete(key);
  return call.done.then(() =>
    call.value
      ? new Response(JSON.stringify(call.value.body), {
          status: call.value.status,
          headers: { 'content-type': 'application/json' },
        })
      : fetch(request),
  );
}

/** Who boot.ts found signed in (undefined: boot.ts did not run, e.g. under `vite` dev without it). */
export function bootMe(): Promise<{ role: string } | null> | undefined {
  return window.__consoleBoot?.me;
}
