import { loadConfig } from '@engine/platform';
import { clearedCookies, cookieValue, csrfProblem, originAllowed, sessionCookies } from './session-cookies';

const config = loadConfig({
  PUBLIC_URL: 'https://kjj.wuxi.gov.cn',
  CORS_ORIGINS: 'https://portal.example.gov.cn',
});

describe('session cookies', () => {
  it('keeps the session id from scripts and sends it only over TLS in production', () => {
    const session = { id: 'S'.repeat(43), csrf: 'C'.repeat(43) };
    const [sid, csrf] = sessionCookies({ NODE_ENV: 'production' }, session, 43200);
    expect(sid).toBe(`sid=${session.id}; Path=/; SameSite=Lax; Max-Age=43200; Secure; HttpOnly`);
    expect(csrf).toBe(`csrf=${session.csrf}; Path=/; SameSite=Lax; Max-Age=43200; Secure`);
    expect(sessionCookies({ NODE_ENV: 'development' }, session, 60)[0]).not.toContain('Secure');
    expect(clearedCookies({ NODE_ENV: 'production' })).toEqual([
      'sid=; Path=/; SameSite=Lax; Max-Age=0; HttpOnly; Secure',
      'csrf=; Path=/; SameSite=Lax; Max-Age=0; Secure',
    ]);
  });

  it('reads a cookie by exact name', () => {
    expect(cookieValue({ cookie: 'xsid=1; sid=abc; csrf=def' }, 'sid')).toBe('abc');
    expect(cookieValue({ cookie: 'csrf=def' }, 'sid')).toBeUndefined();
  });
});

describe('cross-site request checks', () => {
  const request = (headers: Record<string, string>) => ({
    headers,
    protocol: 'https',
    host: 'kjj.wuxi.gov.cn',
  });
  it('allows the public address, the request’s own origin and CORS_ORIGINS; nothing else', () => {
    expect(originAllowed(config, request({ origin: 'https://kjj.wuxi.gov.cn' }))).toBe(true);
    expect(originAllowed(config, request({ origin: 'https://portal.example.gov.cn' }))).toBe(true);
    expect(originAllowed(config, request({ origin: 'https://kjj.wuxi.gov.cn.evil.example' }))).toBe(false);
    expect(originAllowed(config, request({ origin: 'null' }))).toBe(false);
    expect(originAllowed(config, request({}))).toBeUndefined();
  });

  it('wants the token in the header, the cookie and the session alike', () => {
    const ok = { origin: 'https://kjj.wuxi.gov.cn', cookie: 'csrf=tok', 'x-csrf-token': 'tok' };
    expect(csrfProblem(config, request(ok), 'tok')).toBeUndefined();
    expect(csrfProblem(config, request(ok), 'other')).toMatch(/does not match/);
    expect(csrfProblem(config, request({ ...ok, 'x-csrf-token': 'tak' }), 'tok')).toMatch(/does not match/);
    expect(csrfProblem(config, request({ ...ok, origin: 'https://evil.example' }), 'tok')).toMatch(
      /foreign Origin/,
    );
    const { origin: _origin, ...noOrigin } = ok;
    expect(csrfProblem(config, request(noOrigin), 'tok')).toMatch(/no Origin/);
  });
});
