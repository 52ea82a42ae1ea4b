import type { AddressInfo } from 'node:net';
import { existsSync } from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { eagletData } from '@engine/incubation/testing/sample-applications';
import type { Principal } from '@engine/platform';
import { type Harness, startApi } from '../support/api-harness';
import { CHROMIUM, launchChromium, seriousViolations, withScreenshot } from '../support/browser';
import { creditCode } from '../support/fixtures';

/**
 * The officers' console in a real browser (headless Chromium from the OS package): signing in,
 * finding and acting on applications, live updates, a stale page's conflict, a table of 1,000
 * rows, and an accessibility scan of every officer page. A screenshot is kept for each failure.
 */
jest.setTimeout(120_000);

const ADMIN: Principal = { sub: 'admin-1', role: 'admin' };
const PASSWORD = 'Cultivate-2026-Wuxi!';
const CITY_OFFICER = { login: 'wuxi.city', name: '王科长', role: 'officer', jurisdiction: 'js.wuxi' };
const DISTRICT_OFFICER = {
  login: 'xinwu.district',
  name: '李主任',
  role: 'officer',
  jurisdiction: 'js.wuxi.xinwu',
};
const wuxi: Principal = { sub: 'seed-officer', role: 'officer', jurisdiction: 'js.wuxi' };

const describeBrowser = existsSync(CHROMIUM) ? describe : describe.skip;

describeBrowser(
  'officer console (skipped without /usr/bin/chromium: run .ci/run or apt-get install chromium)',
  () => {
    let h: Harness;
    let origin: string;
    let browser: Browser;
    let context: BrowserContext | undefined;
    let page: Page | undefined;
    let roundId: string;
    let bigRoundId: string;
    const apps: { id: string; code: string; name: string; owner: Principal }[] = [];

    async function ok(method: 'GET' | 'POST', url: string, as: Principal, body?: unknown) {
      const res = await h.request(method, url, { as, body });
      if (res.status >= 300) throw new Error(`${method} ${url}: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body;
    }

    async function openRound(title: string, batch: number) {
      return (
        await ok('POST', '/v1/rounds', wuxi, {
          programme: 'eaglet',
          year: 2026,
          batch,
          title,
          jurisdiction: 'js.wuxi',
          opensAt: '2026-03-01T00:00:00+08:00',
          closesAt: '2026-12-31T17:00:00+08:00',
        })
      ).id as string;
    }

    async function apply(round: string, n: number, name: string, district = 'js.wuxi.xinwu') {
      const code = creditCode(`91320214MA${String(1_000_000 + n).slice(1)}`.slice(0, 17).padEnd(17, '0'));
      const owner: Principal = { sub: `ent-${code}`, role: 'enterprise', org: code };
      await ok('POST', '/v1/enterprises', owner, {
        creditCode: code,
        name,
        jurisdiction: district,
        establishedOn: '2019-05-20',
      });
      const created = await ok('POST', '/v1/applications', owner, {
        roundId: round,
        creditCode: code,
        data: eagletData(n % 7),
      });
      await ok('POST', `/v1/applications/${created.id}/submit`, owner);
      return { id: created.id as string, code, name, owner };
    }

    beforeAll(async () => {
      h = await startApi({ now: '2026-04-01T02:00:00.000Z' });
      const fastify = h.app.getHttpAdapter().getInstance();
      await fastify.listen({ port: 0, host: '127.0.0.1' });
      origin = `http://127.0.0.1:${(fastify.server.address() as AddressInfo).port}`;
      for (const account of [CITY_OFFICER, DISTRICT_OFFICER])
        await ok('POST', '/v1/accounts', ADMIN, { ...account, password: PASSWORD });
      roundId = await openRound('2026年度雏鹰企业第一批', 1);
      for (const [i, name] of [
        '无锡芯动微电子科技有限公司',
        '无锡星河生物医药有限公司',
        '无锡青岚智能装备有限公司',
      ].entries())
        apps.push(await apply(roundId, i + 1, name));
      // The district recommends the second, so the city can return it.
      await ok('POST', `/v1/applications/${apps[1].id}/reviews`, wuxi, {
        stage: 'district',
        decision: 'recommend',
        reason: '同意推荐',
      });
      bigRoundId = await openRound('2026年度雏鹰企业第二批', 2);
      const queue = Array.from({ length: 1000 }, (_, i) => i);
      await Promise.all(
        Array.from({ length: 8 }, async () => {
          for (let i = queue.shift(); i !== undefined; i = queue.shift())
            await apply(
              bigRoundId,
              100 + i,
              `无锡测试企业${String(i + 1).padStart(4, '0')}有限公司`,
              i % 2 ? 'js.wuxi.xinwu' : 'js.wuxi.liangxi',
            );
        }),
      );
      browser = await launchChromium();
    }, 600_000);

    afterAll(async () => {
      await browser?.close();
      await h?.close();
    });

    beforeEach(async () => {
      context = await browser.newContext({ locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
      context.setDefaultTimeout(15_000);
      page = await context.newPage();
    });
    afterEach(async () => {
      await context?.close();
      context = undefined;
      page = undefined;
    });

    async function signIn(p: Page, account: { login: string }) {
      await p.goto(`${origin}/`);
      await p.getByLabel('账号').fill(account.login);
      await p.getByLabel('密码').fill(PASSWORD);
      await p.getByRole('button', { name: /登\s*录/ }).click();
      await p.getByRole('heading', { name: '首页' }).waitFor();
    }

    it('a district officer signs in, finds an application by name and recommends it', () =>
      withScreenshot(
        () => page,
        'recommend',
        async () => {
          const p = page!;
          await signIn(p, DISTRICT_OFFICER);
          // The worklist names the enterprises and shows stages by label.
          await p
            .getByRole('link', { name: /有限公司$/ })
            .first()
            .waitFor();
          await p.getByRole('cell', { name: '区级初审' }).first().waitFor();
          await p.getByRole('link', { name: '申报批次' }).click();
          await p.getByRole('link', { name: '2026年度雏鹰企业第一批' }).click();
          await p.getByLabel('企业名称或信用代码').fill('芯动');
          await p.getByLabel('企业名称或信用代码').press('Enter');
          await p.getByRole('link', { name: apps[0].name }).click();
          await p.getByText('已提交').first().waitFor();
          await p.getByRole('button', { name: /^推\s*荐$/ }).click();
          await p.getByLabel('理由').fill('材料齐全，同意推荐');
          await p.getByRole('button', { name: /确\s*认/ }).click();
          await p.getByText('已推荐').first().waitFor();
          const now = (await ok('GET', `/v1/applications/${apps[0].id}`, wuxi)).status;
          expect(now).toBe('recommended');
          await p.getByText('区级推荐').first().waitFor(); // the timeline, by label
        },
      ));

    it('a city officer returns one with a deadline and sees the enterprise answer arrive live', () =>
      withScreenshot(
        () => page,
        'return-live',
        async () => {
          const p = page!;
          await signIn(p, CITY_OFFICER);
          await p.goto(`${origin}/applications/${apps[1].id}`);
          await p.getByText('已推荐').first().waitFor();
          await p.getByRole('button', { name: '退回补正' }).click();
          await p.getByLabel('理由').fill('请补充2025年度研发费用专项审计报告');
          await p.getByLabel('补正期限').fill('2026-04-20');
          await p.getByLabel('补正期限').press('Enter'); // takes the date and submits the dialog
          const confirm = p.getByRole('button', { name: /确\s*认/ });
          if (await confirm.isVisible()) await confirm.click();
          await p.getByText('退回补正').first().waitFor();
          await p.getByText('2026-04-20').first().waitFor();
          // The enterprise answers (in another browser, here over the api): the page follows by itself.
          await ok('POST', `/v1/applications/${apps[1].id}/submit`, apps[1].owner);
          await p.getByText('已提交').first().waitFor({ timeout: 15_000 });
        },
      ));

    it('a stale page shows who acted first and never overwrites', () =>
      withScreenshot(
        () => page,
        'stale',
        async () => {
          const p = page!;
          await signIn(p, DISTRICT_OFFICER);
          await p.goto(`${origin}/applications/${apps[2].id}`);
          await p.getByText('已提交').first().waitFor();
          await p.getByRole('button', { name: /^推\s*荐$/ }).click();
          await p.getByLabel('理由').fill('同意');
          // Meanwhile another officer rejects it.
          await ok('POST', `/v1/applications/${apps[2].id}/reviews`, wuxi, {
            stage: 'district',
            decision: 'reject',
            reason: '不符合条件',
          });
          await p.getByRole('button', { name: /确\s*认/ }).click();
          await p.getByText('该申报已被他人处理').waitFor();
          await p.getByText('不予通过').first().waitFor();
          expect((await ok('GET', `/v1/applications/${apps[2].id}`, wuxi)).status).toBe('rejected');
          await p.getByRole('button', { name: /刷\s*新/ }).click();
          await p.getByText('未通过').first().waitFor();
        },
      ));

    it('pages through a round of 1,000 applications', () =>
      withScreenshot(
        () => page,
        'thousand',
        async () => {
          const p = page!;
          await signIn(p, CITY_OFFICER);
          await p.goto(`${origin}/rounds/${bigRoundId}`);
          await p.getByText('合计 1000').waitFor();
          // Sorted by name on the server (the column header), then paged to the end and back.
          await p.getByRole('columnheader', { name: '企业名称' }).click();
          await p.getByText('无锡测试企业0001有限公司').waitFor();
          await p.getByTitle('50', { exact: true }).click();
          await p.getByText('无锡测试企业1000有限公司').waitFor();
          await p.getByTitle('49', { exact: true }).click();
          await p.getByText('无锡测试企业0980有限公司').waitFor();
        },
      ));

    it('has no serious or critical accessibility violation on any officer page', () =>
      withScreenshot(
        () => page,
        'axe',
        async () => {
          const p = page!;
          await signIn(p, CITY_OFFICER);
          const pages = [
            ['/', '首页'],
            ['/rounds', '申报批次'],
            [`/rounds/${roundId}`, '2026年度雏鹰企业第一批'],
            [`/applications/${apps[0].id}`, apps[0].code],
            ['/memberships', '入库企业'],
          ];
          const found: Record<string, unknown> = {};
          for (const [path, heading] of pages) {
            await p.goto(`${origin}${path}`);
            await p.getByRole('heading', { name: heading }).first().waitFor();
            await p
              .locator('.ant-spin-spinning')
              .first()
              .waitFor({ state: 'detached' })
              .catch(() => undefined);
            await p.waitForTimeout(300);
            const violations = await seriousViolations(p);
            if (violations.length) found[path] = violations;
          }
          expect(found).toEqual({});
        },
      ));
  },
);
