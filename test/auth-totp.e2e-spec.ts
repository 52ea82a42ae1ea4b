import { EventStore } from '@engine/event-store';
import type { Principal } from '@engine/platform';
import { generate } from 'otplib';
import { type Harness, startApi } from './support/api-harness';
import { BrowserSession } from './support/browser-session';

/**
 * Second factor (issue 15): with AUTH_TOTP_REQUIRED_ROLES=officer an officer must enrol an
 * authenticator app before doing anything else, and then signs in with its code; codes are
 * never accepted twice; recovery codes work once. The codes are made by otplib from the
 * secret the api handed out, at the engine's (manual) time.
 */
const ADMIN: Principal = { sub: 'admin-totp', role: 'admin' };
const PASSWORD = 'Officer-xinwu-2026!';

describe('TOTP second factor, mandatory for officers when configured', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startApi({ captureLogs: true, env: { AUTH_TOTP_REQUIRED_ROLES: 'officer,admin' } });
  });
  afterAll(() => h.close());

  const codeAt = (secret: string, offsetSeconds = 0) =>
    generate({ secret, epoch: Math.floor(h.clock.now().getTime() / 1000) + offsetSeconds });

  it('an officer enrols before anything else, then signs in with a code; wrong or replayed codes are refused', async () => {
    const created = await h.request('POST', '/v1/accounts', {
      as: ADMIN,
      body: {
        login: 'officer.totp',
        name: '钱科长',
        password: PASSWORD,
        role: 'officer',
        jurisdiction: 'js.wuxi.xinwu',
      },
    });
    expect(created.status).toBe(201);
    const browser = new BrowserSession(h);
    const signedIn = await browser.signIn('officer.totp', PASSWORD);
    expect(signedIn).toMatchObject({ status: 200, body: { role: 'officer', totpEnrolmentRequired: true } });

    // Until enrolled, only /v1/me, sign-out and the enrolment itself.
    expect(await browser.request('GET', '/v1/worklist')).toMatchObject({
      status: 403,
      body: { code: 'TOTP_ENROLMENT_REQUIRED' },
    });
    expect((await browser.request('GET', '/v1/me')).body).toMatchObject({ totpEnrolmentRequired: true });

    const enrol = await browser.request('POST', '/v1/auth/totp/enrol');
    expect(enrol.status).toBe(200);
    expect(enrol.body.uri).toMatch(/^otpauth:\/\/totp\/.*secret=/);
    expect(enrol.body.qr).toMatch(/^data:image\/png;base64,/);
    const secret = enrol.body.secret as string;

    const before = await h.app.get(EventStore).headPosition();
    expect(
      await browser.request('POST', '/v1/auth/totp/confirm', { body: { code: '000000' } }),
    ).toMatchObject({
      status: 403,
      body: { code: 'TOTP_INVALID' },
    });
    expect(await h.app.get(EventStore).headPosition()).toBe(before);
    const confirmed = await browser.request('POST', '/v1/auth/totp/confirm', {
      body: { code: await codeAt(secret) },
    });
    expect(confirmed.status).toBe(200);
    const recovery = confirmed.body.recoveryCodes as string[];
    expect(recovery).toHaveLength(10);
    expect((await browser.request('GET', '/v1/worklist')).status).toBe(200);

    // The next sign-in needs a code.
    h.clock.set(new Date(h.clock.now().getTime() + 60_000));
    expect(await new BrowserSession(h).signIn('officer.totp', PASSWORD)).toMatchObject({
      status: 401,
      body: { code: 'TOTP_REQUIRED' },
    });
    const beforeWrong = await h.app.get(EventStore).headPosition();
    expect(await new BrowserSession(h).signIn('officer.totp', PASSWORD, '123456')).toMatchObject({
      status: 401,
      body: { code: 'TOTP_INVALID' },
    });
    expect(await h.app.get(EventStore).headPosition()).toBe(beforeWrong);
    expect(
      h.logLines
        .map((line) => JSON.parse(line) as Record<string, unknown>)
        .filter((l) => l.event === 'access-refused'),
    ).toContainEqual(
      expect.objectContaining({ status: 401, reason: 'wrong second factor', route: '/v1/auth/sign-in' }),
    );
    const code = await codeAt(secret);
    const withCode = await new BrowserSession(h).signIn('officer.totp', PASSWORD, code);
    expect(withCode).toMatchObject({ status: 200, body: { role: 'officer', jurisdiction: 'js.wuxi.xinwu' } });
    expect(withCode.body.totpEnrolmentRequired).toBeUndefined();
    // The same code twice: refused (replay).
    expect((await new BrowserSession(h).signIn('officer.totp', PASSWORD, code)).status).toBe(401);

    // A recovery code works once.
    expect((await new BrowserSession(h).signIn('officer.totp', PASSWORD, recovery[0])).status).toBe(200);
    expect((await new BrowserSession(h).signIn('officer.totp', PASSWORD, recovery[0])).status).toBe(401);

    // The officer may not drop the factor its role must keep; the record shows the enrolment.
    const types = (await h.app.get(EventStore).readStream(`account-${created.body.id}`)).map((e) => e.type);
    expect(types).toEqual(['AccountCreated', 'TotpEnabled', 'RecoveryCodesIssued']);
    const stored = JSON.stringify(await h.app.get(EventStore).readStream(`account-${created.body.id}`));
    expect(stored).not.toContain(secret);
  });

  it('a role that need not enrol (auditor) may still enrol, and an admin can reset a lost factor', async () => {
    const created = await h.request('POST', '/v1/accounts', {
      as: ADMIN,
      body: { login: 'auditor.totp', name: '孙审计', password: PASSWORD, role: 'auditor' },
    });
    const browser = new BrowserSession(h);
    const signedIn = await browser.signIn('auditor.totp', PASSWORD);
    expect(signedIn.body.totpEnrolmentRequired).toBeUndefined();
    const enrol = await browser.request('POST', '/v1/auth/totp/enrol');
    await browser.request('POST', '/v1/auth/totp/confirm', {
      body: { code: await codeAt(enrol.body.secret) },
    });
    h.clock.set(new Date(h.clock.now().getTime() + 60_000));
    expect((await new BrowserSession(h).signIn('auditor.totp', PASSWORD)).status).toBe(401);
    expect(
      (await h.request('POST', `/v1/accounts/${created.body.id}/totp/reset`, { as: ADMIN })).status,
    ).toBe(204);
    expect((await browser.request('GET', '/v1/me')).status).toBe(401); // its sessions ended
    expect((await new BrowserSession(h).signIn('auditor.totp', PASSWORD)).status).toBe(200);
  });
  it('guessing codes to remove the factor counts toward the lockout, as at sign-in', async () => {
    await h.request('POST', '/v1/accounts', {
      as: ADMIN,
      body: { login: 'auditor.guess', name: '冯审计', password: PASSWORD, role: 'auditor' },
    });
    const browser = new BrowserSession(h, '198.51.100.40');
    await browser.signIn('auditor.guess', PASSWORD);
    const enrol = await browser.request('POST', '/v1/auth/totp/enrol');
    await browser.request('POST', '/v1/auth/totp/confirm', {
      body: { code: await codeAt(enrol.body.secret) },
    });
    h.clock.set(new Date(h.clock.now().getTime() + 60_000));
    // AUTH_MAX_FAILURES defaults to 5.
    for (const guess of ['000001', '000002', '000003', '000004', '000005'])
      expect(await browser.request('POST', '/v1/auth/totp/disable', { body: { code: guess } })).toMatchObject(
        { status: 403, body: { code: 'TOTP_INVALID' } },
      );
    expect(
      await browser.request('POST', '/v1/auth/totp/disable', {
        body: { code: await codeAt(enrol.body.secret) },
      }),
    ).toMatchObject({ status: 429, body: { code: 'SIGN_IN_LOCKED' } });
  });
});
