import { EventStore } from '@engine/event-store';
import type { Principal } from '@engine/platform';
import { AccountService } from '@engine/read-models';
import { type Harness, startApi } from './support/api-harness';
import { BrowserSession, CONSOLE_ORIGIN } from './support/browser-session';
import { creditCode } from './support/fixtures';
import { eventually, smtpReceiver } from './support/notification-receivers';

/**
 * Sign-in for people (issue 15, docs/security.md): accounts, browser sessions in cookies,
 * CSRF protection, lockout, reset links, and the same calls working with a cookie as with
 * a bearer token. Everything over HTTP against the booted app.
 */
const ADMIN: Principal = { sub: 'admin-e2e', role: 'admin' };
const PASSWORD = 'Xinwu-chip-2026!';

const refusals = (h: Harness) =>
  h.logLines
    .map((line) => JSON.parse(line) as Record<string, unknown>)
    .filter((log) => log.event === 'access-refused');

describe('sign-in, sessions and CSRF', () => {
  let h: Harness;
  let smtp: Awaited<ReturnType<typeof smtpReceiver>>;
  let serial = 0;
  const nextCode = () => creditCode(`91320214MA1AU${String(1000 + ++serial)}`);

  beforeAll(async () => {
    smtp = await smtpReceiver();
    h = await startApi({
      captureLogs: true,
      env: {
        AUTH_MAX_FAILURES: '3',
        AUTH_MAX_FAILURES_PER_ADDRESS: '6',
        AUTH_LOCKOUT_MINUTES: '15',
        SMTP_URL: smtp.url,
        PUBLIC_URL: CONSOLE_ORIGIN,
      },
    });
  });
  afterAll(async () => {
    await h.close();
    await smtp.close();
  });

  const head = () => h.app.get(EventStore).headPosition();

  async function registerEnterprise(code = nextCode()) {
    const res = await h.request('POST', '/v1/auth/register', {
      body: {
        creditCode: code,
        companyName: '无锡芯动微电子科技有限公司',
        contactPerson: '张三',
        mobile: '13812345678',
        email: `contact-${code.toLowerCase()}@example.com`,
        password: PASSWORD,
      },
    });
    expect(res.status).toBe(201);
    return { code, id: res.body.id as string };
  }

  async function createAccount(body: Record<string, unknown>) {
    const res = await h.request('POST', '/v1/accounts', { as: ADMIN, body: { password: PASSWORD, ...body } });
    expect(res).toMatchObject({ status: 201 });
    return res.body as { id: string; login: string };
  }

  it('an enterprise registers itself, signs in, and its cookie makes the calls a bearer token would', async () => {
    const { code, id } = await registerEnterprise();

    const browser = new BrowserSession(h);
    const signedIn = await browser.signIn(code, PASSWORD);
    expect(signedIn.status).toBe(200);
    expect(signedIn.body).toEqual({
      sub: id,
      role: 'enterprise',
      org: code,
      name: '无锡芯动微电子科技有限公司',
    });

    // Cookie flags: the session id is out of scripts' reach; the CSRF token is for them.
    const sid = browser.lastSetCookie.find((c) => c.startsWith('sid='))!;
    const csrf = browser.lastSetCookie.find((c) => c.startsWith('csrf='))!;
    expect(sid).toMatch(/; HttpOnly/);
    expect(sid).toMatch(/; SameSite=Lax/);
    expect(sid).toMatch(/; Path=\//);
    expect(sid).toMatch(/; Max-Age=43200/); // 12 h absolute
    expect(sid).not.toMatch(/Secure/); // development: plain http works
    expect(csrf).not.toMatch(/HttpOnly/);
    expect(csrf).toMatch(/; SameSite=Lax/);
    expect(browser.cookies.get('sid')).toMatch(/^[A-Za-z0-9_-]{43}$/);

    expect((await browser.request('GET', '/v1/me')).body).toEqual(signedIn.body);

    const created = await browser.request('POST', '/v1/enterprises', {
      body: {
        creditCode: code,
        name: '无锡芯动微电子科技有限公司',
        jurisdiction: 'js.wuxi.xinwu',
        establishedOn: '2019-05-20',
      },
    });
    expect(created.status).toBe(201);
    const read = await browser.request('GET', `/v1/enterprises/${code}`);
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({ creditCode: code, jurisdiction: 'js.wuxi.xinwu' });
    // Another enterprise's record stays out of reach, as with a bearer token.
    const other = nextCode();
    await h.request('POST', '/v1/enterprises', {
      as: { sub: 'ent-other', role: 'enterprise', org: other },
      body: {
        creditCode: other,
        name: '别家公司',
        jurisdiction: 'js.wuxi.xinwu',
        establishedOn: '2019-05-20',
      },
    });
    expect((await browser.request('GET', `/v1/enterprises/${other}`)).status).toBe(404);

    // The account's changes are events; the password and contact data are not in them in clear.
    const stream = await h.app.get(EventStore).readStream(`account-${id}`);
    expect(stream.map((e) => e.type)).toEqual(['AccountCreated']);
    const recorded = JSON.stringify(stream);
    for (const secret of [PASSWORD, '13812345678', '张三', `contact-${code.toLowerCase()}`])
      expect(recorded).not.toContain(secret);
  });

  it('refuses registration with a wrong check character, a weak password or a taken login', async () => {
    const code = nextCode();
    const wrongCheck = code.slice(0, 17) + (code[17] === '0' ? '1' : '0');
    const base = {
      companyName: '某公司',
      contactPerson: '李四',
      mobile: '13900000000',
      email: 'a@example.com',
    };
    const bad = await h.request('POST', '/v1/auth/register', {
      body: { ...base, creditCode: wrongCheck, password: PASSWORD },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.details).toEqual([expect.objectContaining({ field: 'creditCode' })]);
    for (const password of ['short-1', 'password123', code.toLowerCase()]) {
      const weak = await h.request('POST', '/v1/auth/register', {
        body: { ...base, creditCode: code, password },
      });
      expect(weak).toMatchObject({ status: 400, body: { code: 'WEAK_PASSWORD' } });
    }
    await registerEnterprise(code);
    const again = await h.request('POST', '/v1/auth/register', {
      body: { ...base, creditCode: code, password: PASSWORD },
    });
    expect(again).toMatchObject({ status: 409, body: { code: 'LOGIN_TAKEN' } });
  });

  it('refuses a cookie write without the CSRF token or from a foreign Origin, and appends nothing', async () => {
    const { code } = await registerEnterprise();
    const browser = new BrowserSession(h);
    expect((await browser.signIn(code, PASSWORD)).status).toBe(200);
    const body = {
      creditCode: code,
      name: '某公司',
      jurisdiction: 'js.wuxi.xinwu',
      establishedOn: '2019-05-20',
    };
    const before = await head();

    const noToken = await browser.request('POST', '/v1/enterprises', { body, csrf: false });
    expect(noToken).toMatchObject({ status: 403, body: { code: 'CSRF_REFUSED', statusCode: 403 } });
    const foreign = await browser.request('POST', '/v1/enterprises', {
      body,
      origin: 'https://evil.example',
    });
    expect(foreign).toMatchObject({ status: 403, body: { code: 'CSRF_REFUSED' } });
    const noOrigin = await browser.request('POST', '/v1/enterprises', { body, origin: null });
    expect(noOrigin).toMatchObject({ status: 403, body: { code: 'CSRF_REFUSED' } });
    const wrongToken = await browser.request('POST', '/v1/enterprises', {
      body,
      headers: { 'x-csrf-token': 'A'.repeat(43) },
    });
    expect(wrongToken).toMatchObject({ status: 403, body: { code: 'CSRF_REFUSED' } });
    expect(await head()).toBe(before);
    expect(refusals(h)).toContainEqual(
      expect.objectContaining({
        status: 403,
        reason: 'foreign Origin on a write with a session cookie',
        route: '/v1/enterprises',
      }),
    );
    // Reads need no token; the same write with it goes through.
    expect((await browser.request('GET', '/v1/me')).status).toBe(200);
    expect((await browser.request('POST', '/v1/enterprises', { body })).status).toBe(201);
    // A sign-in form posted from another site is refused too (login CSRF).
    const crossSignIn = await new BrowserSession(h).request('POST', '/v1/auth/sign-in', {
      body: { login: code, password: PASSWORD },
      origin: 'https://evil.example',
    });
    expect(crossSignIn).toMatchObject({ status: 403, body: { code: 'CSRF_REFUSED' } });
  });

  it('sign-out ends the session; sign-out-everywhere ends the others; the old cookie is refused', async () => {
    const { code } = await registerEnterprise();
    const laptop = new BrowserSession(h);
    const phone = new BrowserSession(h);
    const tablet = new BrowserSession(h);
    for (const b of [laptop, phone, tablet]) expect((await b.signIn(code, PASSWORD)).status).toBe(200);
    const sid = laptop.cookies.get('sid')!;
    const csrf = laptop.cookies.get('csrf')!;

    const out = await laptop.request('POST', '/v1/auth/sign-out');
    expect(out.status).toBe(204);
    expect(laptop.lastSetCookie.join()).toMatch(/sid=; .*Max-Age=0/);
    const replay = await h.request('GET', '/v1/me', { headers: { cookie: `sid=${sid}; csrf=${csrf}` } });
    expect(replay).toMatchObject({ status: 401, body: { code: 'SESSION_ENDED' } });

    expect((await phone.request('POST', '/v1/auth/sign-out-everywhere')).body).toEqual({ ended: 2 });
    expect((await phone.request('GET', '/v1/me')).status).toBe(401);
    expect((await tablet.request('GET', '/v1/me')).status).toBe(401);
  });

  it('sessions end after 30 minutes idle and 12 hours after sign-in', async () => {
    const { code } = await registerEnterprise();
    const browser = new BrowserSession(h);
    await browser.signIn(code, PASSWORD);
    const start = h.clock.now().getTime();
    // Active every 20 minutes: alive past the idle timeout...
    for (let minutes = 20; minutes < 12 * 60; minutes += 20) {
      h.clock.set(new Date(start + minutes * 60_000));
      expect((await browser.request('GET', '/v1/me')).status).toBe(200);
    }
    // ...but not past the absolute end.
    h.clock.set(new Date(start + 12 * 3_600_000));
    expect((await browser.request('GET', '/v1/me')).status).toBe(401);

    const idle = new BrowserSession(h);
    await idle.signIn(code, PASSWORD);
    const signedInAt = h.clock.now().getTime();
    h.clock.set(new Date(signedInAt + 29 * 60_000));
    expect((await idle.request('GET', '/v1/me')).status).toBe(200);
    h.clock.set(new Date(signedInAt + 29 * 60_000 + 30 * 60_000));
    expect((await idle.request('GET', '/v1/me')).status).toBe(401);
  });

  it("an admin disables an officer: the officer's open session is refused on its next request", async () => {
    const officer = await createAccount({
      login: 'officer.disable',
      name: '王科长',
      role: 'officer',
      jurisdiction: 'js.wuxi.xinwu',
    });
    const browser = new BrowserSession(h);
    expect((await browser.signIn('officer.disable', PASSWORD)).body).toEqual({
      sub: officer.id,
      role: 'officer',
      jurisdiction: 'js.wuxi.xinwu',
      name: '王科长',
    });
    expect((await browser.request('GET', '/v1/worklist')).status).toBe(200);

    const disabled = await h.request('POST', `/v1/accounts/${officer.id}/disable`, {
      as: ADMIN,
      body: { reason: '调离岗位' },
    });
    expect(disabled).toMatchObject({ status: 200, body: { status: 'disabled' } });
    const refused = await browser.request('GET', '/v1/worklist');
    expect(refused).toMatchObject({ status: 401, body: { code: 'SESSION_ENDED' } });
    // Nor can it sign in again (the right password learns that the account is disabled).
    expect(await new BrowserSession(h).signIn('officer.disable', PASSWORD)).toMatchObject({
      status: 403,
      body: { code: 'ACCOUNT_DISABLED' },
    });
    // Who did it is on the record.
    const stream = await h.app.get(EventStore).readStream(`account-${officer.id}`);
    expect(stream.at(-1)).toMatchObject({
      type: 'AccountDisabled',
      data: { accountId: officer.id, reason: '调离岗位' },
      metadata: { actor: { sub: ADMIN.sub, role: 'admin' } },
    });

    await h.request('POST', `/v1/accounts/${officer.id}/enable`, { as: ADMIN });
    expect((await new BrowserSession(h).signIn('officer.disable', PASSWORD)).status).toBe(200);
  });

  it('a role change ends the sessions at once; the next sign-in carries the new scope', async () => {
    const officer = await createAccount({
      login: 'officer.move',
      name: '赵科员',
      role: 'officer',
      jurisdiction: 'js.wuxi.xinwu',
    });
    const browser = new BrowserSession(h);
    await browser.signIn('officer.move', PASSWORD);
    const changed = await h.request('POST', `/v1/accounts/${officer.id}/role`, {
      as: ADMIN,
      body: { role: 'officer', jurisdiction: 'js.wuxi' },
    });
    expect(changed).toMatchObject({ status: 200, body: { jurisdiction: 'js.wuxi' } });
    expect((await browser.request('GET', '/v1/me')).status).toBe(401);
    expect((await browser.signIn('officer.move', PASSWORD)).body).toMatchObject({ jurisdiction: 'js.wuxi' });
    const types = (await h.app.get(EventStore).readStream(`account-${officer.id}`)).map((e) => e.type);
    expect(types).toEqual(['AccountCreated', 'RoleChanged']);
  });

  it('locks sign-in after repeated failures, says the same whether or not the login exists, and releases it', async () => {
    const { code } = await registerEnterprise();
    const from = new BrowserSession(h, '198.51.100.31');
    const unknown = await from.signIn('no-such-login', PASSWORD);
    const wrong = await from.signIn(code, 'Wrong-password-1');
    expect(unknown).toMatchObject({ status: 401, body: { code: 'SIGN_IN_FAILED' } });
    expect(wrong).toMatchObject({ status: 401, body: { code: 'SIGN_IN_FAILED' } });
    expect(wrong.body.message).toBe(unknown.body.message);

    const before = await head();
    await from.signIn(code, 'Wrong-password-2');
    await from.signIn(code, 'Wrong-password-3');
    // Three failures: locked, even with the right password, from any address.
    const locked = await new BrowserSession(h, '198.51.100.32').signIn(code, PASSWORD);
    expect(locked).toMatchObject({ status: 429, body: { code: 'SIGN_IN_LOCKED' } });
    expect(Number(locked.headers['retry-after'])).toBeGreaterThan(0);
    expect(await head()).toBe(before);
    expect(refusals(h)).toContainEqual(
      expect.objectContaining({ status: 401, reason: 'wrong login or password', route: '/v1/auth/sign-in' }),
    );
    expect(h.logLines.join('\n')).not.toContain('Wrong-password-2');

    // Released once the lockout has passed.
    h.clock.set(new Date(h.clock.now().getTime() + 15 * 60_000 + 1000));
    expect((await new BrowserSession(h, '198.51.100.32').signIn(code, PASSWORD)).status).toBe(200);
  });

  it('a reset link sent by email works once, within 30 minutes, and ends every session', async () => {
    const { code } = await registerEnterprise();
    const browser = new BrowserSession(h);
    await browser.signIn(code, PASSWORD);

    // Unknown logins get the same answer and no mail.
    expect(
      (await h.request('POST', '/v1/auth/password-reset', { body: { login: 'nobody-here' } })).status,
    ).toBe(202);
    const asked = await h.request('POST', '/v1/auth/password-reset', { body: { login: code } });
    expect(asked.status).toBe(202);
    // Asking again at once: the same answer, but no second mail (one link a minute at most).
    expect((await h.request('POST', '/v1/auth/password-reset', { body: { login: code } })).status).toBe(202);
    const mail = await eventually(
      () => smtp.messages.find((m) => m.to.includes(`contact-${code.toLowerCase()}@example.com`)),
      5000,
      'the reset email',
    );
    const token = /reset-password#token=([A-Za-z0-9_-]{43})/.exec(mail.text)![1];
    expect(mail.text).toContain(`${CONSOLE_ORIGIN}/reset-password#token=`);

    const newPassword = 'Taihu-lake-2027!';
    const reset = await h.request('POST', '/v1/auth/password-reset/confirm', {
      body: { token, password: newPassword },
    });
    expect(reset.status).toBe(204);
    expect((await browser.request('GET', '/v1/me')).status).toBe(401);
    expect((await new BrowserSession(h).signIn(code, PASSWORD)).status).toBe(401);
    expect((await new BrowserSession(h).signIn(code, newPassword)).status).toBe(200);

    const before = await head();
    const replayed = await h.request('POST', '/v1/auth/password-reset/confirm', {
      body: { token, password: 'Another-pass-2028!' },
    });
    expect(replayed).toMatchObject({ status: 400, body: { code: 'RESET_LINK_INVALID' } });
    expect(await head()).toBe(before);

    // A second link, used too late.
    const count = smtp.messages.length;
    await h.request('POST', '/v1/auth/password-reset', { body: { login: code } });
    const late = await eventually(() => smtp.messages[count], 20_000, 'the second reset email');
    const lateToken = /token=([A-Za-z0-9_-]{43})/.exec(late.text)![1];
    // Two mails in all: the request repeated at once above sent none.
    expect(
      smtp.messages.filter((m) => m.to.includes(`contact-${code.toLowerCase()}@example.com`)),
    ).toHaveLength(2);
    h.clock.set(new Date(h.clock.now().getTime() + 31 * 60_000));
    expect(
      await h.request('POST', '/v1/auth/password-reset/confirm', {
        body: { token: lateToken, password: 'Another-pass-2028!' },
      }),
    ).toMatchObject({ status: 400, body: { code: 'RESET_LINK_INVALID' } });
    expect(refusals(h)).toContainEqual(
      expect.objectContaining({ status: 400, reason: 'reset link unknown, expired or already used' }),
    );
  });

  it('locks sign-in per address too: many logins tried from one address, however few per login', async () => {
    const { code } = await registerEnterprise();
    const address = '198.51.100.77';
    // Six different logins, one failure each: no login reaches its limit of 3...
    for (let i = 0; i < 6; i++)
      expect((await new BrowserSession(h, address).signIn(`guess-${i}`, PASSWORD)).status).toBe(401);
    // ...but the address has: even a right password from it waits, and says so.
    const locked = await new BrowserSession(h, address).signIn(code, PASSWORD);
    expect(locked).toMatchObject({ status: 429, body: { code: 'SIGN_IN_LOCKED' } });
    expect(refusals(h)).toContainEqual(
      expect.objectContaining({ status: 429, reason: 'sign-in locked after repeated failures' }),
    );
    // The same person from elsewhere is not held back by that address.
    expect((await new BrowserSession(h, '198.51.100.78').signIn(code, PASSWORD)).status).toBe(200);
    h.clock.set(new Date(h.clock.now().getTime() + 15 * 60_000 + 1000));
    expect((await new BrowserSession(h, address).signIn(code, PASSWORD)).status).toBe(200);
  });

  it('answers each bad input with a 4xx in the usual shape and an access-refused line, and appends nothing', async () => {
    const officer = await createAccount({
      login: 'officer.abuse',
      name: '周科员',
      role: 'officer',
      jurisdiction: 'js.wuxi.xinwu',
      email: 'zhou@xinwu.gov.cn',
    });
    const accounts = h.app.get(AccountService);
    const link = (minutes: number) => accounts.issueToken('password-reset', officer.id, {}, minutes * 60_000);
    const spentLink = await link(30);
    expect(
      (
        await h.request('POST', '/v1/auth/password-reset/confirm', {
          body: { token: spentLink, password: 'Taihu-lake-2027!' },
        })
      ).status,
    ).toBe(204);
    await h.request('POST', `/v1/accounts/${officer.id}/password`, {
      as: ADMIN,
      body: { password: PASSWORD },
    });
    // A link issued after that, then left for 31 minutes: expired, never used.
    const expiredLink = await link(30);
    h.clock.set(new Date(h.clock.now().getTime() + 31 * 60_000));
    const open = new BrowserSession(h, '198.51.100.90');
    expect((await open.signIn('officer.abuse', PASSWORD)).status).toBe(200);
    const signedOut = new BrowserSession(h, '198.51.100.90');
    expect((await signedOut.signIn('officer.abuse', PASSWORD)).status).toBe(200);
    const staleCookie = signedOut.cookieHeader();
    expect((await signedOut.request('POST', '/v1/auth/sign-out')).status).toBe(204);
    const { code } = await registerEnterprise();
    const enterprise = new BrowserSession(h, '198.51.100.91');
    expect((await enterprise.signIn(code, PASSWORD)).status).toBe(200);
    const write = {
      body: { creditCode: code, name: '某公司', jurisdiction: 'js.wuxi.xinwu', establishedOn: '2019-05-20' },
    };

    const before = await head();
    const seen = refusals(h).length;
    const cases: [
      string,
      () => Promise<{ status: number; body: Record<string, unknown> }>,
      number,
      string,
      string,
    ][] = [
      [
        'unknown login',
        () => new BrowserSession(h, '198.51.100.92').signIn('nobody.here', PASSWORD),
        401,
        'SIGN_IN_FAILED',
        'wrong login or password',
      ],
      [
        'wrong password',
        () => new BrowserSession(h, '198.51.100.93').signIn(code, 'Wrong-password-9'),
        401,
        'SIGN_IN_FAILED',
        'wrong login or password',
      ],
      [
        'expired reset link',
        () =>
          h.request('POST', '/v1/auth/password-reset/confirm', {
            body: { token: expiredLink, password: 'Another-pass-2028!' },
          }),
        400,
        'RESET_LINK_INVALID',
        'reset link unknown, expired or already used',
      ],
      [
        'replayed reset link',
        () =>
          h.request('POST', '/v1/auth/password-reset/confirm', {
            body: { token: spentLink, password: 'Another-pass-2028!' },
          }),
        400,
        'RESET_LINK_INVALID',
        'reset link unknown, expired or already used',
      ],
      [
        'cookie after sign-out',
        () => h.request('GET', '/v1/worklist', { headers: { cookie: staleCookie } }),
        401,
        'SESSION_ENDED',
        'session cookie unknown, signed out, expired, or its account disabled',
      ],
      [
        'write without CSRF token',
        () => enterprise.request('POST', '/v1/enterprises', { ...write, csrf: false }),
        403,
        'CSRF_REFUSED',
        'no CSRF token on a write with a session cookie',
      ],
      [
        'write from a foreign Origin',
        () => enterprise.request('POST', '/v1/enterprises', { ...write, origin: 'https://evil.example' }),
        403,
        'CSRF_REFUSED',
        'foreign Origin on a write with a session cookie',
      ],
    ];
    for (const [what, send, status, errorCode, reason] of cases) {
      const res = await send();
      expect({ what, status: res.status, body: res.body }).toEqual({
        what,
        status,
        body: expect.objectContaining({
          statusCode: status,
          error: expect.any(String),
          code: errorCode,
          message: expect.any(String),
        }),
      });
      expect({ what, logged: refusals(h).slice(seen) }).toEqual({
        what,
        logged: expect.arrayContaining([
          expect.objectContaining({ event: 'access-refused', status, reason }),
        ]),
      });
    }
    expect(await head()).toBe(before);

    // The disabled account: its open session is refused, and so is signing in again. The
    // disable itself is the one event appended, and an admin's.
    await h.request('POST', `/v1/accounts/${officer.id}/disable`, { as: ADMIN });
    const afterDisable = await head();
    const disabledCases: [
      string,
      () => Promise<{ status: number; body: Record<string, unknown> }>,
      number,
      string,
      string,
    ][] = [
      [
        'cookie after disable',
        () => open.request('GET', '/v1/worklist'),
        401,
        'SESSION_ENDED',
        'session cookie unknown, signed out, expired, or its account disabled',
      ],
      [
        'disabled account signs in',
        () => new BrowserSession(h, '198.51.100.94').signIn('officer.abuse', PASSWORD),
        403,
        'ACCOUNT_DISABLED',
        'account disabled',
      ],
    ];
    for (const [what, send, status, errorCode, reason] of disabledCases) {
      const mark = refusals(h).length;
      const res = await send();
      expect({ what, status: res.status, code: res.body.code }).toEqual({ what, status, code: errorCode });
      expect(refusals(h).slice(mark)).toContainEqual(expect.objectContaining({ status, reason }));
    }
    expect(await head()).toBe(afterDisable);
    expect(h.logLines.join('\n')).not.toContain(PASSWORD);
  });

  it('counts wrong current passwords at a password change toward the lockout', async () => {
    const { code } = await registerEnterprise();
    const browser = new BrowserSession(h, '198.51.100.60');
    expect((await browser.signIn(code, PASSWORD)).status).toBe(200);
    const change = (currentPassword: string) =>
      browser.request('POST', '/v1/auth/password', {
        body: { currentPassword, newPassword: 'Taihu-lake-2027!' },
      });
    for (let i = 1; i <= 3; i++)
      expect(await change(`Guessed-pass-${i}`)).toMatchObject({
        status: 403,
        body: { code: 'WRONG_PASSWORD' },
      });
    expect(await change(PASSWORD)).toMatchObject({ status: 429, body: { code: 'SIGN_IN_LOCKED' } });
    h.clock.set(new Date(h.clock.now().getTime() + 15 * 60_000 + 1000));
    expect((await browser.signIn(code, PASSWORD)).status).toBe(200);
    expect((await change(PASSWORD)).status).toBe(204);
    expect((await new BrowserSession(h, '198.51.100.61').signIn(code, 'Taihu-lake-2027!')).status).toBe(200);
  });

  it('a refused new password leaves the reset link usable; the reason names the field', async () => {
    const { id, code } = await registerEnterprise();
    const token = await h.app.get(AccountService).issueToken('password-reset', id, {}, 30 * 60_000);
    const weak = await h.request('POST', '/v1/auth/password-reset/confirm', {
      body: { token, password: code.toLowerCase() },
    });
    expect(weak).toMatchObject({
      status: 400,
      body: { code: 'WEAK_PASSWORD', details: [{ field: 'password' }] },
    });
    expect(weak.body.message).toContain('登录名');
    const ok = await h.request('POST', '/v1/auth/password-reset/confirm', {
      body: { token, password: 'Taihu-lake-2027!' },
    });
    expect(ok.status).toBe(204);
    expect((await new BrowserSession(h, '198.51.100.95').signIn(code, 'Taihu-lake-2027!')).status).toBe(200);

    // An admin's form learns which field is wrong, in the caller's language.
    const noJurisdiction = await h.request('POST', '/v1/accounts', {
      as: ADMIN,
      body: { login: 'officer.nowhere', name: '无辖区', password: PASSWORD, role: 'officer' },
      headers: { 'accept-language': 'en' },
    });
    expect(noJurisdiction).toMatchObject({
      status: 400,
      body: {
        code: 'VALIDATION_FAILED',
        details: [
          { field: 'jurisdiction', message: 'an officer needs a jurisdiction such as js.wuxi.xinwu' },
        ],
      },
    });
  });

  it('a bearer token keeps working as before, and /v1/me answers for it', async () => {
    const me = await h.request('GET', '/v1/me', {
      as: { sub: 'officer-bearer', role: 'officer', jurisdiction: 'js.wuxi' },
    });
    expect(me).toMatchObject({
      status: 200,
      body: { sub: 'officer-bearer', role: 'officer', jurisdiction: 'js.wuxi', name: 'officer-bearer' },
    });
    expect((await h.request('GET', '/v1/me')).status).toBe(401);
    // A bearer write needs no CSRF token.
    const code = nextCode();
    const res = await h.request('POST', '/v1/enterprises', {
      as: { sub: 'ent-b', role: 'enterprise', org: code },
      body: { creditCode: code, name: '某公司', jurisdiction: 'js.wuxi.xinwu', establishedOn: '2019-05-20' },
    });
    expect(res.status).toBe(201);
  });
});

describe('rate limits count a signed-in browser per account, not per address', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startApi({ env: { RATE_LIMIT_MAX: '4' } });
  });
  afterAll(() => h.close());

  it('lets colleagues behind one address go on when one of them is limited', async () => {
    for (const login of ['colleague.a', 'colleague.b'])
      await h.request('POST', '/v1/accounts', {
        as: ADMIN,
        body: { login, name: login, password: PASSWORD, role: 'officer', jurisdiction: 'js.wuxi' },
      });
    const a = new BrowserSession(h, '203.0.113.50');
    const b = new BrowserSession(h, '203.0.113.50');
    expect((await a.signIn('colleague.a', PASSWORD)).status).toBe(200);
    expect((await b.signIn('colleague.b', PASSWORD)).status).toBe(200);
    for (let i = 0; i < 4; i++) expect((await a.request('GET', '/v1/me')).status).toBe(200);
    expect(await a.request('GET', '/v1/me')).toMatchObject({ status: 429, body: { code: 'RATE_LIMITED' } });
    expect((await b.request('GET', '/v1/me')).status).toBe(200);
  });
});
