import createClient, { type Middleware } from 'openapi-fetch';
import { preloadedResponse } from './preloaded';
import type { paths } from './schema';

/** The csrf cookie the sign-in sets; every non-GET request authenticated by the session sends it back. */
function csrfToken(): string | undefined {
  return document.cookie
    .split('; ')
    .find((c) => c.startsWith('csrf='))
    ?.slice('csrf='.length);
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const csrf: Middleware = {
  onRequest({ request }) {
    if (request.method !== 'GET') {
      const token = csrfToken();
      if (token) request.headers.set('X-CSRF-Token', decodeURIComponent(token));
    }
    const lang = localStorage.getItem('locale') === 'en' ? 'en' : 'zh-CN';
    request.headers.set('Accept-Language', lang);
    return request;
  },
};

/** The typed client: paths and bodies come from the api's own OpenAPI document (src/schema.d.ts). */
// A GET that boot.ts already started for the page being opened is answered from there.
export const api = createClient<paths>({
  baseUrl: window.location.origin,
  credentials: 'same-origin',
  fetch: (request) => preloadedResponse(request) ?? fetch(request),
});
api.use(csrf);

/** Unwraps a result, throwing the contract's error (`{statusCode, code, message}`) as an ApiError. */
export function must<T>(result: { data?: T; error?: unknown; response: Response }): T {
  if (result.error !== undefined || !result.response.ok) {
    const e = (result.error ?? {}) as { code?: string; message?: string };
    throw new ApiError(result.response.status, e.code ?? 'ERROR', e.message ?? result.response.statusText);
  }
  return result.data as T;
}

/** A field the api named in a refusal (`details` of the contract's error body). */
export interface FieldProblem {
  field: string;
  message: string;
}

/** A refused call as a form shows it: the api's message (already in the console's language) and the fields it names. */
export function refusalOf(result: { error?: unknown; response: Response }): {
  code?: string;
  message: string;
  details: FieldProblem[];
} {
  const e = (result.error ?? {}) as { code?: string; message?: string; details?: FieldProblem[] };
  return { code: e.code, message: e.message ?? result.response.statusText, details: e.details ?? [] };
}

export interface Me {
  sub: string;
  role: 'enterprise' | 'officer' | 'expert' | 'auditor' | 'admin';
  jurisdiction?: string;
  org?: string;
  name: string;
  /** This session must enrol a second factor before anything else (AUTH_TOTP_REQUIRED_ROLES). */
  totpEnrolmentRequired?: boolean;
}
