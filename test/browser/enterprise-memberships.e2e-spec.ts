import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { eagletData } from '@engine/incubation/testing/sample-applications';
import type { Principal } from '@engine/platform';
import { EngineDriver } from '../../apps/demo/src/engine-driver';
import { workingDaysUntil } from '../../apps/web/src/expert/working-days';
import { type Harness, startApi } from '../support/api-harness';
import {
  CHROMIUM,
  launchChromium,
  SCREENSHOTS,
  seriousViolations,
  withScreenshot,
  personContext,
  serveOnLoopback,
} from '../support/browser';
import { creditCode } from '../support/fixtures';

/**
 * The enterprise portal's memberships (issue #20, screen 7): an admitted enterprise sees its
 * membership, the annual report it owes with its due date counted in working days from the
 * engine's day (the engine runs a year ahead of the browser here, so a count from the
 * browser's clock would be visibly wrong), files it from the page, and sees it filed.
 */
jest.setTimeout(120_000);

const ADMIN: Principal = { sub: 'admin-1', role: 'admin' };
const PASSWORD = 'Cultivate-2026-Wuxi!';
const NAME = '无锡年报测试科技有限公司';
/** The engine's day when the enterprise opens the page: 2026's data is due on 2027-05-31. */
const ENGINE_DAY = '2027-05-10';

const describeBrowser = existsSync(CHROMIUM) ? describe : describe.skip;

describeBrowser('enterprise memberships and annual reports (skipped without /usr/bin/chromium)', () => {
  let h: Harness;
  let d: EngineDriver;
  let origin: string;
  let browser: Browser;
  let context: BrowserContext | undefined;
  let page: Page | undefined;
  let code: string;

  beforeAll(async () => {
    h = await startApi({ now: '2026-03-02T02:00:00.000Z' });
    d = new EngineDriver((method, url, options) => h.request(method, url, options));
    origin = await serveOnLoopback(h);
    code = creditCode('91320214MY0000001');
    await d.registerEnterprise({
      creditCode: code,
      name: NAME,
      jurisdiction: 'js.wuxi.xinwu',
      establishedOn: '2020-05-20',
    });
    await d.registerExperts('x', 20, 4);
    const round = await d.openRound({
      programme: 'eaglet',
      year: 2026,
      batch: 1,
      title: '2026年度雏鹰企业第一批',
      jurisdiction: 'js.wuxi',
      opensAt: '2026-03-01T00:00:00+08:00',
      closesAt: '2026-04-30T17:00:00+08:00',
    });
    const app = await d.apply(code, round, eagletData());
    await d.passReviews(app, 'js.wuxi.xinwu', 'js.wuxi');
    expect(await d.scoreAll(app, await d.drawPanel(app, 'js.wuxi'), 85)).toBe('passed');
    await d.closeRound(round, 'js.wuxi');
    const { endsOn } = await d.publicise(round, 'js.wuxi');
    await h.settle();
    await h.advanceTo(`${endsOn}T16:00:00Z`);
    expect(await d.status(app)).toBe('admitted');
    await h.advanceTo(`${ENGINE_DAY}T02:00:00Z`);
    await d.expect(201, 'POST', '/v1/accounts', {
      as: ADMIN,
      body: { login: 'nianbao', name: NAME, role: 'enterprise', org: code, password: PASSWORD },
    });
    browser = await launchChromium();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await h?.close();
  });

  beforeEach(async () => {
    // The browser keeps its own (real) clock: the page must count from the engine's day.
    context = await personContext(browser);
    page = await context.newPage();
  });
  afterEach(async () => {
    await context?.close();
    context = undefined;
    page = undefined;
  });

  it('an admitted enterprise sees the annual report it owes, files it, and sees it filed', () =>
    withScreenshot(
      () => page,
      'enterprise-memberships',
      async () => {
        const p = page!;
        await p.goto(`${origin}/`);
        await p.getByLabel('账号').fill('nianbao');
        await p.getByLabel('密码').fill(PASSWORD);
        await p.getByRole('button', { name: /登\s*录/ }).click();
        await p.getByRole('link', { name: '入库与年报' }).click();
        await p.getByRole('heading', { name: '入库与年报' }).waitFor();
        await p.getByRole('heading', { name: '雏鹰企业' }).waitFor();
        const row = p.getByRole('row', { name: /2026 年度数据/ });
        await row.getByText('2027-05-31').waitFor();
        const left = workingDaysUntil('2027-05-31', ENGINE_DAY);
        await row.getByText(`待报送，剩 ${left} 个工作日`).waitFor();
        // 2027's data is not filed before 2027 is over.
        const next = p.getByRole('row', { name: /2027 年度数据/ });
        await next.getByText('年度未结束，暂不报送').waitFor();
        expect(await next.getByRole('button').count()).toBe(0);
        mkdirSync(SCREENSHOTS, { recursive: true });
        await p.screenshot({ path: join(SCREENSHOTS, 'screen-enterprise-memberships.png'), fullPage: true });
        expect(await seriousViolations(p)).toEqual([]);

        await row.getByRole('button', { name: '报送 2026 年度数据' }).click();
        const form = p.getByRole('dialog', { name: '报送 2026 年度数据' });
        await form.getByLabel('营业收入（元）').fill('52000000');
        await form.getByLabel('研发费用（元）').fill('3100000');
        await form.getByLabel('净利润（元）').fill('4200000');
        await form.getByLabel('职工总数').fill('86');
        await form.getByLabel('研发人员数').fill('21');
        await form.getByRole('button', { name: /下一步/ }).click();
        const confirm = p.getByRole('dialog', { name: '确认报送年度数据' });
        await confirm.getByText('52,000,000').waitFor();
        await p.screenshot({ path: join(SCREENSHOTS, 'screen-enterprise-annual-report.png') });
        await confirm.getByRole('button', { name: '确认报送' }).click();
        await row.getByText('已报送').waitFor();

        // The engine recorded the figures as filed, by the enterprise.
        const membership = (await d.memberships('?programme=eaglet'))[0];
        const events = (
          await h.request(
            'GET',
            `/v1/audit/events?stream=membership-${membership.id}&type=AnnualReportFiled`,
            {
              as: ADMIN,
            },
          )
        ).body.events;
        expect(events).toEqual([
          expect.objectContaining({
            data: expect.objectContaining({
              year: 2026,
              data: {
                financials: { year: 2026, revenue: 52_000_000, rdExpense: 3_100_000, netProfit: 4_200_000 },
                employees: 86,
                rdStaff: 21,
              },
            }),
          }),
        ]);
      },
    ));
});
