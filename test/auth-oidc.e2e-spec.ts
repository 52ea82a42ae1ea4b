import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EventStore } from '@engine/event-store';
import { type Harness, startApi } from './support/api-harness';
import { BrowserSession, CONSOLE_HOST, CONSOLE_ORIGIN } from './support/browser-session';

/**
 * Single sign-on against a real OpenID provider started in the test (`oidc-provider`, a
 * certified implementation): authorization code + PKCE, the claims mapped by configuration
 * to an officer of js.wuxi.xinwu, then the same session cookie as a password sign-in.
 */
const MAPPING = `
nameClaim: name
rules:
  - when: { claim: groups, contains: xinwu-science-bureau }
    role: officer
    jurisdiction: js.wuxi.xinwu
  - when: { claim: groups, contains: auditors }
    role: auditor
`;

interface Person {
  name: string;
  groups: string[];
}

describe('OpenID Connect sign-in against a real provider', () => {
  let provider: Server;
  let issuer: string;
  let h: Harness;
  let dir: string;
  const people: Record<string, Person> = {
    'wang-001': { name: '王新吴', groups: ['xinwu-science-bureau'] },
    'visitor-9': { name: '访客', groups: ['visitors'] },
  };
  /** Who the provider's login step signs in next (the test's stand-in for a person typing). */
  let nextLogin = 'wang-001';

  beforeAll(async () => {
    // oidc-provider ships no types; the test uses its documented API.
    const { default: Provider } = await import('oidc-provider');
    provider = createServer();
    await new Promise<void>((resolve) => provider.listen(0, '127.0.0.1', resolve));
    issuer = `http://127.0.0.1:${(provider.address() as AddressInfo).port}`;
    const oidc = new Provider(issuer, {
      clients: [
        {
          client_id: 'cultivation-engine',
          client_secret: 'a-client-secret-for-the-test',
          redirect_uris: [`${CONSOLE_ORIGIN}/v1/auth/oidc/callback`],
          grant_types: ['authorization_code'],
          response_types: ['code'],
        },
      ],
      claims: { openid: ['sub'], profile: ['name', 'groups'] },
      conformIdTokenClaims: false,
      pkce: { required: () => true },
      findAccount: (_ctx: unknown, sub: string) =>
        people[sub] ? { accountId: sub, claims: () => ({ sub, ...people[sub] }) } : undefined,
      // First-party client: no consent screen.
      // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the provider's context is untyped
      loadExistingGrant: async (ctx: any) => {
        const grant = new ctx.oidc.provider.Grant({
          clientId: ctx.oidc.client.clientId,
          accountId: ctx.oidc.session.accountId,
        });
        grant.addOIDCScope('openid profile');
        await grant.save();
        return grant;
      },
      features: { devInteractions: { enabled: false } },
      interactions: {
        url: (_ctx: unknown, interaction: { uid: string }) => `/interaction/${interaction.uid}`,
      },
    });
    const handler = oidc.callback();
    provider.on('request', (req, res) => {
      const match = /^\/interaction\/([\w-]+)/.exec(req.url ?? '');
      if (!match) return handler(req, res);
      // The provider's login page: here the person is who `nextLogin` says.
      void oidc
        .interactionFinished(
          req,
          res,
          // The person cancels at the provider: it answers the callback with access_denied.
          nextLogin === '(cancel)'
            ? { error: 'access_denied', error_description: 'End-User aborted interaction' }
            : { login: { accountId: nextLogin } },
          { mergeWithLastSubmission: false },
        )
        .catch((error: Error) => {
          res.statusCode = 500;
          res.end(error.message);
        });
    });

    dir = mkdtempSync(join(tmpdir(), 'oidc-mapping-'));
    writeFileSync(join(dir, 'claims.yaml'), MAPPING);
    h = await startApi({
      captureLogs: true,
      env: {
        PUBLIC_URL: CONSOLE_ORIGIN,
        OIDC_ISSUER: issuer,
        OIDC_CLIENT_ID: 'cultivation-engine',
        OIDC_CLIENT_SECRET: 'a-client-secret-for-the-test',
        OIDC_SCOPES: 'openid profile',
        OIDC_CLAIMS_MAPPING_FILE: join(dir, 'claims.yaml'),
      },
    });
  }, 30_000);
  afterAll(async () => {
    await h?.close();
    await new Promise((resolve) => provider?.close(resolve));
    rmSync(dir, { recursive: true, force: true });
  });

  /** Walks the browser through the provider (real HTTP, its cookies kept) back to our callback. */
  let lastCallback = '';
  async function ssoSignIn(
    browser: BrowserSession,
    returnTo = '/console/worklist',
    headers: Record<string, string> = {},
  ) {
    const start = await browser.request(
      'GET',
      `/v1/auth/oidc/login?returnTo=${encodeURIComponent(returnTo)}`,
    );
    expect(start.status).toBe(302);
    let url = new URL(String(start.headers.location));
    expect(url.origin).toBe(issuer);
    expect(url.searchParams.get('code_challenge_method')).toBe('S256');
    const jar = new Map<string, string>();
    for (let hops = 0; hops < 10 && url.origin === issuer; hops++) {
      const res = await fetch(url, {
        redirect: 'manual',
        headers: { cookie: [...jar].map(([k, v]) => `${k}=${v}`).join('; ') },
      });
      for (const line of res.headers.getSetCookie()) {
        const [pair] = line.split(';');
        const i = pair.indexOf('=');
        jar.set(pair.slice(0, i), pair.slice(i + 1));
      }
      await res.arrayBuffer();
      expect([302, 303]).toContain(res.status);
      url = new URL(res.headers.get('location')!, url);
    }
    expect(url.origin).toBe(CONSOLE_ORIGIN);
    lastCallback = `${url.pathname}${url.search}`;
    return browser.request('GET', lastCallback, { headers });
  }

  it('signs in an officer of js.wuxi.xinwu mapped from the provider’s claims, with the usual session cookie', async () => {
    nextLogin = 'wang-001';
    // The sign-in page learns that single sign-on is there, and where it starts.
    expect((await h.request('GET', '/v1/auth/oidc')).body).toEqual({
      enabled: true,
      loginUrl: '/v1/auth/oidc/login',
    });
    const browser = new BrowserSession(h);
    const back = await ssoSignIn(browser);
    expect(back.status).toBe(303);
    expect(back.headers.location).toBe('/console/worklist');
    expect(browser.cookies.get('sid')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const me = await browser.request('GET', '/v1/me');
    expect(me.body).toMatchObject({ role: 'officer', jurisdiction: 'js.wuxi.xinwu', name: '王新吴' });
    expect((await browser.request('GET', '/v1/worklist')).status).toBe(200);

    // The account is on the record like any other, created by the sign-in.
    const stream = await h.app.get(EventStore).readStream(`account-${me.body.sub}`);
    expect(stream[0]).toMatchObject({
      type: 'AccountCreated',
      data: { role: 'officer', jurisdiction: 'js.wuxi.xinwu', source: 'oidc' },
    });

    // A second sign-in reuses the account; an admin's disable holds against the provider.
    const again = new BrowserSession(h);
    expect((await ssoSignIn(again)).status).toBe(303);
    expect((await again.request('GET', '/v1/me')).body.sub).toBe(me.body.sub);
    await h.request('POST', `/v1/accounts/${me.body.sub}/disable`, {
      as: { sub: 'admin-sso', role: 'admin' },
    });
    expect((await again.request('GET', '/v1/me')).status).toBe(401);
    expect(await ssoSignIn(new BrowserSession(h))).toMatchObject({
      status: 303,
      headers: { location: '/sign-in?sso_error=disabled' },
    });
    expect(await ssoSignIn(new BrowserSession(h), '/', { accept: 'application/json' })).toMatchObject({
      status: 403,
      body: { code: 'ACCOUNT_DISABLED' },
    });
  });

  it('refuses a person whose claims map to no role and a forged callback, and never redirects off-site', async () => {
    nextLogin = 'visitor-9';
    const before = await h.app.get(EventStore).headPosition();
    // A person's browser goes back to the sign-in page, told why in a word: no code, no token.
    const browser = new BrowserSession(h);
    const noRole = await ssoSignIn(browser);
    expect(noRole.status).toBe(303);
    expect(noRole.headers.location).toBe('/sign-in?sso_error=no-role');
    expect(noRole.headers['set-cookie']).toBeUndefined();
    expect(browser.cookies.has('sid')).toBe(false);
    // A machine client that asks for JSON keeps the error body.
    expect(await ssoSignIn(new BrowserSession(h), '/', { accept: 'application/json' })).toMatchObject({
      status: 403,
      body: { code: 'OIDC_NO_ROLE' },
    });
    expect(await h.app.get(EventStore).headPosition()).toBe(before);

    const forged = await h.request('GET', '/v1/auth/oidc/callback?code=abc&state=' + 'A'.repeat(43), {
      headers: { host: CONSOLE_HOST, accept: 'application/json' },
    });
    expect(forged).toMatchObject({ status: 401, body: { code: 'OIDC_STATE_INVALID' } });

    // The sign-in itself sends the browser back only to a path of this site.
    nextLogin = 'auditor-7';
    people['auditor-7'] = { name: '审计员', groups: ['auditors'] };
    const back = await ssoSignIn(new BrowserSession(h), '//evil.example/');
    expect(back).toMatchObject({ status: 303, headers: { location: '/' } });
  });

  it('sends a person whose sign-in is refused back to the sign-in page with a word for why, and appends nothing', async () => {
    const store = h.app.get(EventStore);
    const before = await store.headPosition();
    const logged = h.logLines.length;

    // The person cancels at the provider's page: access_denied at our callback.
    nextLogin = '(cancel)';
    const cancelled = await ssoSignIn(new BrowserSession(h));
    expect(lastCallback).toMatch(/[?&]error=access_denied/);
    expect(cancelled).toMatchObject({
      status: 303,
      headers: { location: '/sign-in?sso_error=provider-refused', 'cache-control': 'no-store' },
    });
    // The same callback again (a replay, or the back button): its state is spent.
    const replayed = await new BrowserSession(h).request('GET', lastCallback, {
      headers: { accept: 'text/html' },
    });
    expect(replayed).toMatchObject({ status: 303, headers: { location: '/sign-in?sso_error=expired' } });
    // A code the provider never issued: the exchange fails.
    nextLogin = 'wang-001';
    const start = await new BrowserSession(h).request('GET', '/v1/auth/oidc/login?returnTo=/');
    const state = new URL(String(start.headers.location)).searchParams.get('state')!;
    const badCode = await new BrowserSession(h).request(
      'GET',
      `/v1/auth/oidc/callback?code=not-a-code&state=${state}&iss=${encodeURIComponent(issuer)}`,
    );
    expect(badCode).toMatchObject({ status: 303, headers: { location: '/sign-in?sso_error=failed' } });

    expect(await store.headPosition()).toBe(before);
    const refusals = h.logLines
      .slice(logged)
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .filter((l) => l.event === 'access-refused');
    expect(refusals).toEqual([
      expect.objectContaining({ status: 401, reason: 'OIDC provider refused the sign-in: access_denied' }),
      expect.objectContaining({
        status: 401,
        reason: 'OIDC callback with an unknown, expired or used state',
      }),
      expect.objectContaining({ status: 401, reason: expect.stringMatching(/^OIDC code exchange refused/) }),
    ]);
    expect(JSON.stringify(refusals)).not.toContain(state);

    // The sign-in page asks for the words (Chinese unless English is preferred).
    expect((await h.request('GET', '/v1/auth/oidc?sso_error=no-role')).body).toEqual({
      enabled: true,
      loginUrl: '/v1/auth/oidc/login',
      error: {
        code: 'OIDC_NO_ROLE',
        message: '您的统一身份认证账号在本系统没有可用的角色或辖区，请联系本局系统管理员开通',
      },
    });
    const english = await h.request('GET', '/v1/auth/oidc?sso_error=provider-refused', {
      headers: { 'accept-language': 'en' },
    });
    expect(english.body.error).toEqual({
      code: 'OIDC_PROVIDER_REFUSED',
      message: 'the identity provider refused this sign-in; try again or ask your administrator',
    });
    expect((await h.request('GET', '/v1/auth/oidc?sso_error=<script>')).body.error).toBeUndefined();
  });
});

describe('OpenID Connect sign-in while the identity provider cannot be reached', () => {
  let h: Harness;
  let dir: string;
  beforeAll(async () => {
    // A port that nothing listens on: opened, then closed again.
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise((resolve) => closed.close(resolve));
    dir = mkdtempSync(join(tmpdir(), 'oidc-mapping-'));
    writeFileSync(join(dir, 'claims.yaml'), MAPPING);
    h = await startApi({
      env: {
        PUBLIC_URL: CONSOLE_ORIGIN,
        OIDC_ISSUER: `http://127.0.0.1:${port}/oidc`,
        OIDC_CLIENT_ID: 'cultivation-engine',
        OIDC_CLIENT_SECRET: 'a-client-secret-for-the-test',
        OIDC_CLAIMS_MAPPING_FILE: join(dir, 'claims.yaml'),
      },
    });
  }, 30_000);
  afterAll(async () => {
    await h?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('sends a browser back to the sign-in page, which says so in Chinese; a JSON client gets 503', async () => {
    const browser = await h.request('GET', '/v1/auth/oidc/login', {
      headers: { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' },
    });
    expect(browser.status).toBe(303);
    expect(browser.headers.location).toBe('/sign-in?sso_error=unavailable');
    expect(browser.headers['set-cookie']).toBeUndefined();

    const machine = await h.request('GET', '/v1/auth/oidc/login', {
      headers: { accept: 'application/json' },
    });
    expect(machine.status).toBe(503);
    expect(machine.body.code).toBe('OIDC_UNAVAILABLE');

    expect((await h.request('GET', '/v1/auth/oidc?sso_error=unavailable')).body.error).toEqual({
      code: 'OIDC_UNAVAILABLE',
      message: '暂时无法连接统一身份认证服务，请稍后再试，或使用账号密码登录',
    });
  });
});
