import { timingSafeEqual } from 'node:crypto';
import type { AppConfig } from '@engine/platform';

/** The browser session's cookies (shared/API.md, Sign-in). */
export const SESSION_COOKIE = 'sid';
export const CSRF_COOKIE = 'csrf';
export const CSRF_HEADER = 'x-csrf-token';

type Headers = Record<string, string | string[] | undefined>;

const header = (headers: Headers, name: string) => {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
};

/** A cookie's value from the Cookie header (the first of that name). */
export function cookieValue(headers: Headers, name: string): string | undefined {
  for (const part of (header(headers, 'cookie') ?? '').split(';')) {
    const index = part.indexOf('=');
    if (index < 0) continue;
    if (part.slice(0, index).trim() === name) {
      try {
        return decodeURIComponent(part.slice(index + 1).trim());
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}

/**
 * `Set-Cookie` values for a new session: `sid` HttpOnly (scripts never see it), `csrf` readable
 * by the console's scripts (it echoes it in X-CSRF-Token); both SameSite=Lax, Path=/, Secure
 * in production, ending with the session's absolute lifetime.
 */
export function sessionCookies(
  config: Pick<AppConfig, 'NODE_ENV'>,
  session: { id: string; csrf: string },
  maxAgeSeconds: number,
): string[] {
  const common = ['Path=/', 'SameSite=Lax', `Max-Age=${maxAgeSeconds}`];
  if (config.NODE_ENV === 'production') common.push('Secure');
  return [
    [`${SESSION_COOKIE}=${session.id}`, ...common, 'HttpOnly'].join('; '),
    [`${CSRF_COOKIE}=${session.csrf}`, ...common].join('; '),
  ];
}

/** `Set-Cookie` values that remove both cookies. */
export function clearedCookies(config: Pick<AppConfig, 'NODE_ENV'>): string[] {
  const secure = config.NODE_ENV === 'production' ? '; Secure' : '';
  return [
    `${SESSION_COOKIE}=; Path=/; SameSite=Lax; Max-Age=0; HttpOnly${secure}`,
    `${CSRF_COOKIE}=; Path=/; SameSite=Lax; Max-Age=0${secure}`,
  ];
}

export const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Whether an Origin header names this api (scheme, host and port of the request itself, or of
 * PUBLIC_URL) or one of CORS_ORIGINS. `undefined` when there is no Origin header.
 */
export function originAllowed(
  config: Pick<AppConfig, 'CORS_ORIGINS' | 'PUBLIC_URL'>,
  request: { headers: Headers; protocol?: string; host?: string },
): boolean | undefined {
  const origin = header(request.headers, 'origin');
  if (origin === undefined) return undefined;
  if (origin === 'null') return false;
  const own = new Set<string>([new URL(config.PUBLIC_URL).origin, ...config.CORS_ORIGINS]);
  const host = request.host ?? header(request.headers, 'host');
  if (host) own.add(`${request.protocol ?? 'http'}://${host}`);
  return own.has(origin);
}

/** Why a cookie-authenticated write is refused as a possible cross-site request, or undefined. */
export function csrfProblem(
  config: Pick<AppConfig, 'CORS_ORIGINS' | 'PUBLIC_URL'>,
  request: { headers: Headers; protocol?: string; host?: string },
  sessionCsrf: string,
): string | undefined {
  const origin = originAllowed(config, request);
  if (origin === undefined) return 'no Origin header on a write with a session cookie';
  if (!origin) return 'foreign Origin on a write with a session cookie';
  const sent = header(request.headers, CSRF_HEADER);
  const cookie = cookieValue(request.headers, CSRF_COOKIE);
  if (!sent || !cookie) return 'no CSRF token on a write with a session cookie';
  const same = (a: string, b: string) =>
    a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));
  if (!same(sent, cookie) || !same(sent, sessionCsrf)) return 'CSRF token does not match the session';
  return undefined;
}
