import { existsSync } from 'node:fs';
import { generate } from 'otplib';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { Principal } from '@engine/platform';
import { type Harness, startApi } from '../support/api-harness';
import {
  CHROMIUM,
  launchChromium,
  personContext,
  seriousViolations,
  withScreenshot,
  serveOnLoopback,
} from '../support/browser';

/**
 * Sign-in as a person meets it in the console (issue 15): an officer who forgot the password
 * asks for a link, opens it, is told why a weak password is refused, sets a good one; the
 * officer's role must use a second factor (AUTH_TOTP_REQUIRED_ROLES=officer), so the console
 * shows the QR code, takes a code from the app and shows the recovery codes once; the next
 * sign-in asks for the code. Real Chromium against the booted app; codes come from otplib at
 * the engine's (manual) time, as the officer's phone would make them.
 */
jest.setTimeout(120_000);

const ADMIN: Principal = { sub: 'admin-browser', role: 'admin' };
const FIRST_PASSWORD = 'Forgotten-2026-Pass';
const NEW_PASSWORD = 'Taihu-lake-2027!';

const describeBrowser = existsSync(CHROMIUM) ? describe : describe.skip;

describeBrowser(
  'sign-in recovery and second factor in the console (skipped without /usr/bin/chromium)',
  () => {
    let h: Harness;
    let origin: string;
    let browser: Browser;
    let context: BrowserContext | undefined;
    let page: Page | undefined;

    beforeAll(async () => {
      h = await startApi({ captureLogs: true, env: { AUTH_TOTP_REQUIRED_ROLES: 'officer' } });
      origin = await serveOnLoopback(h);
      const created = await h.request('POST', '/v1/accounts', {
        as: ADMIN,
        body: {
          login: 'officer.forgot',
          name: '吴科长',
          password: FIRST_PASSWORD,
          role: 'officer',
          jurisdiction: 'js.wuxi.xinwu',
          email: 'wu@xinwu.gov.cn',
        },
      });
      expect(created.status).toBe(201);
      browser = await launchChromium();
    });
    afterAll(async () => {
      await context?.close();
      await browser?.close();
      await h?.close();
    });

    /** The reset link the development mailer logged (no SMTP_URL): its token. */
    function loggedResetToken(): string | undefined {
      const line = h.logLines.find((l) => l.includes('password-reset link'));
      return line ? /#token=([A-Za-z0-9_-]{43})/.exec(line)?.[1] : undefined;
    }

    async function signIn(p: Page, password: string) {
      await p.goto(`${origin}/sign-in`);
      await p.getByLabel('账号').fill('officer.forgot');
      await p.getByLabel('密码').fill(password);
      await p.getByRole('button', { name: /登\s*录/ }).click();
    }

    const codeNow = (secret: string) =>
      generate({ secret, epoch: Math.floor(h.clock.now().getTime() / 1000) });

    it('resets a forgotten password by the emailed link, enrols an authenticator, and signs in with its code', () =>
      withScreenshot(
        () => page,
        'sign-in-recovery',
        async () => {
          context = await personContext(browser);
          const p = (page = await context.newPage());

          await p.goto(`${origin}/sign-in`);
          await p.getByRole('link', { name: '忘记密码？' }).click();
          await p.getByRole('heading', { name: '重置密码' }).waitFor();
          expect(await seriousViolations(p)).toEqual([]);
          await p.getByLabel('账号').fill('officer.forgot');
          await p.getByRole('button', { name: '发送重置链接' }).click();
          await p.getByText(/重置链接已发送，30 分钟内有效/).waitFor();
          const token = loggedResetToken();
          expect(token).toBeDefined();

          // The link, opened from the mail in a new tab (the api serves the page itself): a
          // refused password says why and leaves the link usable.
          await p.close();
          const q = (page = await context!.newPage());
          await q.goto(`${origin}/reset-password#token=${token}`);
          await q.getByLabel('新密码（至少 10 个字符）').fill('officer.forgot');
          await q.getByLabel('再次输入新密码').fill('officer.forgot');
          await q.getByRole('button', { name: '设置新密码' }).click();
          await q.getByText('密码不符合要求：不能与登录名相同').first().waitFor();
          await q.getByLabel('新密码（至少 10 个字符）').fill(NEW_PASSWORD);
          await q.getByLabel('再次输入新密码').fill(NEW_PASSWORD);
          await q.getByRole('button', { name: '设置新密码' }).click();
          await q.getByText('密码已重置，请用新密码登录').waitFor();
          await q.waitForURL(`${origin}/sign-in`);

          // The officer's role must have a second factor: enrolment comes before anything else.
          await signIn(q, NEW_PASSWORD);
          await q.getByRole('heading', { name: '绑定身份验证器' }).waitFor();
          await q.getByRole('img', { name: '绑定身份验证器' }).waitFor();
          expect(await seriousViolations(q)).toEqual([]);
          const secret = (await q.locator('code').first().textContent())!.trim();
          await q.getByLabel('身份验证器显示的 6 位动态码').fill('000000');
          await q.getByRole('button', { name: '确认绑定' }).click();
          await q.getByText(/动态码不正确/).waitFor();
          await q.getByLabel('身份验证器显示的 6 位动态码').fill(await codeNow(secret));
          await q.getByRole('button', { name: '确认绑定' }).click();
          await q.getByRole('heading', { name: '恢复码' }).waitFor();
          const recovery = (await q.locator('pre').textContent())!.split('\n').filter(Boolean);
          expect(recovery).toHaveLength(10);
          await q.getByRole('button', { name: /继\s*续/ }).click();
          await q.getByRole('button', { name: '退出登录' }).click();

          // The next sign-in asks for the app's code, in a field that appears when needed.
          h.clock.set(new Date(h.clock.now().getTime() + 60_000));
          await signIn(q, NEW_PASSWORD);
          await q.getByText('请输入身份验证器中的动态码').waitFor();
          await q.getByLabel('动态码（或恢复码）').fill(await codeNow(secret));
          await q.getByRole('button', { name: /登\s*录/ }).click();
          await q.getByRole('button', { name: '退出登录' }).waitFor();
          expect((await q.context().cookies()).find((c) => c.name === 'sid')).toMatchObject({
            httpOnly: true,
          });
        },
      ));

    it('says in Chinese why a single sign-on was refused when the callback sends the person back', () =>
      withScreenshot(
        () => page,
        'sign-in-sso-refused',
        async () => {
          // A new browser: the one above is signed in.
          await context?.close();
          context = await personContext(browser);
          const p = (page = await context.newPage());
          await p.goto(`${origin}/sign-in?sso_error=no-role`);
          await p
            .getByRole('alert')
            .getByText('您的统一身份认证账号在本系统没有可用的角色或辖区，请联系本局系统管理员开通')
            .waitFor();
          expect(await seriousViolations(p)).toEqual([]);
          // The form stays usable: the person may sign in with a password instead.
          await p.getByLabel('账号').waitFor();
        },
      ));
  },
);
