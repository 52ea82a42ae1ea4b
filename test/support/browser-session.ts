import type { Harness } from './api-harness';

/** The origin the e2e "console" runs at: requests carry it as Host and as Origin. */
export const CONSOLE_HOST = 'console.test';
export const CONSOLE_ORIGIN = `http://${CONSOLE_HOST}`;

type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

/**
 * A browser talking to the api with cookies, as the console does: it keeps what Set-Cookie
 * gives it, sends Origin on writes and echoes the `csrf` cookie in X-CSRF-Token.
 */
export class BrowserSession {
  readonly cookies = new Map<string, string>();
  /** The Set-Cookie values of the last response that had any. */
  lastSetCookie: string[] = [];

  constructor(
    private readonly h: Harness,
    private readonly remoteAddress = '127.0.0.1',
  ) {}

  cookieHeader(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }

  async request(
    method: Method,
    url: string,
    options: {
      body?: unknown;
      headers?: Record<string, string>;
      csrf?: boolean;
      origin?: string | null;
    } = {},
  ) {
    const headers: Record<string, string> = { host: CONSOLE_HOST };
    if (this.cookies.size > 0) headers.cookie = this.cookieHeader();
    if (method !== 'GET') {
      if (options.origin !== null) headers.origin = options.origin ?? CONSOLE_ORIGIN;
      if (options.csrf !== false && this.cookies.has('csrf'))
        headers['x-csrf-token'] = this.cookies.get('csrf')!;
    }
    const res = await this.h.request(method, url, {
      body: options.body,
      headers: { ...headers, ...options.headers },
      remoteAddress: this.remoteAddress,
    });
    const set = res.headers['set-cookie'];
    if (set) {
      this.lastSetCookie = [set].flat() as string[];
      for (const line of this.lastSetCookie) {
        const [pair] = line.split(';');
        const index = pair.indexOf('=');
        const name = pair.slice(0, index);
        const value = pair.slice(index + 1);
        if (/Max-Age=0/i.test(line) || value === '') this.cookies.delete(name);
        else this.cookies.set(name, value);
      }
    }
    return res;
  }

  signIn(login: string, password: string, totp?: string) {
    return this.request('POST', '/v1/auth/sign-in', {
      body: { login, password, ...(totp ? { totp } : {}) },
    });
  }
}
