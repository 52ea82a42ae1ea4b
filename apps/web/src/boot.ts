/**
 * The console's first script: a chunk of its own (about 1 KB, no imports) that index.html runs
 * before the app's bundle has even arrived (vite.config.ts injects it). It asks who is signed in
 * and, for the page the address names, starts that page's first API calls, so that they are
 * answered while the browser is still parsing the bundle: the app (main.tsx) then knows the
 * role at once (it fetches the role's chunks and the page's chunk together) and the page renders
 * once, with its data (preloaded.ts hands the answers over). docs/console.md, "Performance".
 *
 * The calls are the exact URLs the pages make with their first render's query (openapi-fetch's
 * serialization), so a page that does not find its answer here simply makes the call itself.
 */

/** One call started here; `value` is set once it is answered. */
export interface BootCall {
  done: Promise<void>;
  value?: { ok: boolean; status: number; body: unknown };
}

export interface Boot {
  /** When the calls were started (performance.now()): an answer is used only while fresh. */
  at: number;
  /** The signed-in person (GET /v1/me), or null when signed out or the call failed. */
  me: Promise<{ role: string } | null>;
  /** Pathname and search (as the page will ask for it) → the call. */
  calls: Map<string, BootCall>;
}

declare global {
  interface Window {
    __consoleBoot?: Boot;
  }
}

const UUID = '[0-9a-fA-F-]{36}';

/**
 * Each lazily loaded workspace's (and the round page's) chunk files, filled in by the build
 * (vite.config.ts); empty under `vite` dev.
 */
const CHUNKS = JSON.parse('{"__chunks__":[]}') as Record<string, string[] | undefined>;

/** The modules (as CHUNKS names them) of the page at `path` for `role`. */
function pageModules(role: string, path: string): string[] {
  if (role === 'officer')
    return /^\/rounds\/[^/]+$/.test(path)
      ? ['src/officer/OfficerApp.tsx', 'src/officer/RoundPage.tsx']
      : ['src/officer/OfficerApp.tsx'];
  if (role === 'auditor') return ['src/auditor/AuditorApp.tsx'];
  if (role === 'expert') return ['src/expert/ExpertApp.tsx'];
  if (role === 'enterprise') return ['src/enterprise/EnterpriseApp.tsx'];
  return [];
}

/** Asks the browser to fetch (not yet run) the page's chunks, beside the app's own bundle. */
function preloadChunks(role: string, path: string): void {
  const files = new Set(pageModules(role, path).flatMap((module) => CHUNKS[module] ?? []));
  for (const file of files) {
    const link = document.createElement('link');
    link.rel = 'modulepreload';
    link.crossOrigin = '';
    link.href = `/${file}`;
    document.head.appendChild(link);
  }
}

/** What each role's page asks for first, by path (only the heavy landing and table pages). */
function pageCalls(role: string, path: string): string[] {
  const round = new RegExp(`^/rounds/(${UUID})$`).exec(path)?.[1];
  if (role === 'officer') {
    if (path === '/') return ['/v1/rounds?status=open', '/v1/worklist?limit=100', '/v1/calendar/today'];
    if (round)
      return [
        `/v1/rounds/${round}`,
        `/v1/rounds/${round}/stats`,
        `/v1/rounds/${round}/applications?offset=0&limit=20`,
      ];
  }
  if (role === 'auditor' && path === '/') return ['/v1/rounds?limit=100'];
  return [];
}

function boot(): Boot {
  const headers = { 'Accept-Language': localStorage.getItem('locale') === 'en' ? 'en' : 'zh-CN' };
  const calls = new Map<string, BootCall>();
  const call = (url: string): BootCall => {
    const result: BootCall = {
      done: fetch(url, { credentials: 'same-origin', headers })
        .then(async (res) => {
          result.value = { ok: res.ok, status: res.status, body: await res.json() };
        })
        .catch(() => undefined),
    };
    return result;
  };
  const start = (url: string) => calls.set(url, call(url));
  // Not in `calls`: the app asks /v1/me again after a sign-in, and must not get this answer.
  const meCall = call('/v1/me');
  const me = meCall.done.then(() => {
    const value = meCall.value;
    if (!value?.ok) return null;
    const person = value.body as { role: string };
    // The calls first: a browser has six connections per host, and they are the small requests.
    for (const url of pageCalls(person.role, location.pathname)) start(url);
    start('/v1/labels');
    preloadChunks(person.role, location.pathname);
    return person;
  });
  return { at: performance.now(), me, calls };
}

window.__consoleBoot = boot();
