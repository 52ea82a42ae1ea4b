import { Workbook } from 'exceljs';
import { existsSync } from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { eagletData } from '@engine/incubation/testing/sample-applications';
import { chinaDate, type Principal, workingDayPeriod } from '@engine/platform';
import { workingDaysSince } from '../../apps/web/src/time';
import { type Harness, startApi } from '../support/api-harness';
import {
  CHROMIUM,
  launchChromium,
  seriousViolations,
  withScreenshot,
  personContext,
  serveOnLoopback,
} from '../support/browser';
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
      origin = await serveOnLoopback(h);
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
      context = await personContext(browser);
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
          // The issuing jurisdiction by its name, not its code (js.wuxi).
          await p.getByRole('cell', { name: '无锡市', exact: true }).first().waitFor();
          expect(await p.getByRole('cell', { name: 'js.wuxi', exact: true }).count()).toBe(0);
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
          const dialog = p.getByRole('dialog');
          await dialog.getByLabel('补正期限').fill('2026-04-20');
          // Commit the typed date by leaving the field (a click on the dialog's title), never by
          // Enter (which may also submit the form): the picker closes and keeps the date.
          await dialog.getByText('退回补正', { exact: true }).click();
          await p
            .locator('.ant-picker-dropdown:not(.ant-picker-dropdown-hidden)')
            .waitFor({ state: 'hidden' });
          expect(await dialog.getByLabel('补正期限').inputValue()).toBe('2026-04-20');
          await dialog.getByRole('button', { name: /确\s*认/ }).click();
          await dialog.waitFor({ state: 'hidden' });
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
            ['/statistics', '统计'],
          ];
          const found: Record<string, unknown> = {};
          for (const [path, heading] of pages) {
            await p.goto(`${origin}${path}`);
            await p.getByRole('heading', { name: heading }).first().waitFor();
            await p.locator('.ant-spin-spinning').first().waitFor({ state: 'detached' });
            const violations = await seriousViolations(p);
            if (violations.length) found[path] = violations;
          }
          expect(found).toEqual({});
        },
      ));

    it("shows a year's figures by programme and status, in words, as bars and a table", () =>
      withScreenshot(
        () => page,
        'statistics',
        async () => {
          const p = page!;
          // A round of its own year, so its figures are the year's alone.
          const round = (
            await ok('POST', '/v1/rounds', wuxi, {
              programme: 'eaglet',
              year: 2025,
              batch: 1,
              title: '2025年度雏鹰企业第一批',
              jurisdiction: 'js.wuxi',
              opensAt: '2026-03-01T00:00:00+08:00',
              closesAt: '2026-12-31T17:00:00+08:00',
            })
          ).id as string;
          const [first] = [
            await apply(round, 51, '无锡恒远光电科技有限公司'),
            await apply(round, 52, '无锡嘉禾软件有限公司'),
            await apply(round, 53, '无锡东林环保科技有限公司', 'js.wuxi.liangxi'),
          ];
          await ok('POST', `/v1/applications/${first.id}/reviews`, wuxi, {
            stage: 'district',
            decision: 'recommend',
            reason: '同意推荐',
          });
          await signIn(p, CITY_OFFICER);
          await p.getByRole('link', { name: '统计' }).click();
          await p.getByRole('heading', { name: '统计', level: 1 }).waitFor();
          // The engine's year first (2026), then the year chosen.
          const years = p.getByRole('radiogroup', { name: '年度' });
          expect(await years.getByRole('radio', { name: '2026年' }).isChecked()).toBe(true);
          await years.getByText('2025年').click();
          await p.getByRole('progressbar', { name: '雏鹰企业：3' }).waitFor();
          const table = p.getByRole('table');
          const header = (await table.getByRole('columnheader').allInnerTexts()).map((s) => s.trim());
          expect(header).toEqual(['培育库', '已提交', '已推荐', '合计']);
          const rows = await table
            .getByRole('row')
            .evaluateAll((trs) =>
              trs.slice(1).map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent?.trim())),
            );
          expect(rows).toEqual([
            ['雏鹰企业', '2', '1', '3'],
            ['合计', '2', '1', '3'],
          ]);
          expect(await seriousViolations(p)).toEqual([]);
          // The same figures by district, as the workbook leadership prints.
          const downloading = p.waitForEvent('download');
          await p.getByRole('link', { name: '下载统计表（XLSX，含区县）' }).click();
          const workbook = new Workbook();
          await workbook.xlsx.readFile((await (await downloading).path())!);
          const sheet = workbook.worksheets[0];
          expect(sheet.getCell('A1').value).toBe('2025年度企业培育库申报统计表');
          const printed: unknown[][] = [];
          sheet.eachRow((row) => printed.push((row.values as unknown[]).slice(1)));
          expect(printed.filter((r) => r[0] === '雏鹰企业' && r[1] !== '小计')).toHaveLength(2);
          expect(printed.find((r) => r[0] === '合计')).toContain(3);
        },
      ));

    // Last: it moves the engine's clock past the publicity period.
    it("a city officer runs a round's expert review, publicity, objections and lists", () =>
      withScreenshot(
        () => page,
        'lifecycle',
        async () => {
          const p = page!;
          const round = await openRound('2026年度雏鹰企业第三批', 3);
          const [a, b] = [
            await apply(round, 31, '无锡澄光精密机械有限公司', 'js.wuxi.binhu'),
            await apply(round, 32, '无锡百川新材料有限公司', 'js.wuxi.liangxi'),
          ];
          const recommend = (app: { id: string }, stage: string) =>
            ok('POST', `/v1/applications/${app.id}/reviews`, wuxi, {
              stage,
              decision: 'recommend',
              reason: '同意',
            });
          await recommend(b, 'district');
          // A district with nothing else pending: its officer's worklist is this one application.
          const binhu = {
            login: 'binhu.district',
            name: '赵科长',
            role: 'officer',
            jurisdiction: 'js.wuxi.binhu',
          };
          await ok('POST', '/v1/accounts', ADMIN, { ...binhu, password: PASSWORD });
          for (let n = 1; n <= 16; n++)
            await ok('POST', '/v1/experts', ADMIN, {
              id: `lc-e-${n}`,
              name: `专家${n}`,
              field: n <= 3 ? 'finance' : 'engineering',
              affiliations: [],
            });
          await h.settle();
          const shot = async (name: string) => {
            if (process.env.CONSOLE_SCREENSHOTS)
              await p.screenshot({ path: `${process.env.CONSOLE_SCREENSHOTS}/${name}.png`, fullPage: true });
          };

          // The worklist follows its live stream: what another officer accepts leaves it by itself.
          await signIn(p, binhu);
          await p.getByRole('link', { name: a.name }).waitFor();
          // Waiting time in working days, to the engine's day (this browser's clock is another).
          const [waiting] = (
            await ok('GET', '/v1/worklist', { sub: 'binhu', role: 'officer', jurisdiction: 'js.wuxi.binhu' })
          ).items as { since: string }[];
          const days = workingDaysSince(waiting.since, chinaDate(h.clock.now()));
          await p
            .getByRole('row', { name: new RegExp(a.name) })
            .getByRole('cell', { name: String(days), exact: true })
            .waitFor();
          await recommend(a, 'district');
          await p.getByRole('link', { name: a.name }).waitFor({ state: 'detached' });
          await p.getByRole('button', { name: '退出登录' }).click();
          await p.getByLabel('账号').waitFor();
          for (const app of [a, b]) await recommend(app, 'city');

          // Expert review: both panels drawn in one action, progress per application.
          await signIn(p, CITY_OFFICER);
          await p.goto(`${origin}/rounds/${round}`);
          await p.getByRole('tab', { name: '专家评审' }).click();
          await p.getByRole('cell', { name: '未抽取' }).first().waitFor();
          await p.getByRole('button', { name: '批量抽取评审专家' }).click();
          await p
            .getByRole('tooltip')
            .getByRole('button', { name: /确\s*定|OK/ })
            .click();
          await p.getByText('已抽取 2').waitFor();
          await p.getByRole('cell', { name: '0 / 5' }).nth(1).waitFor();
          await p.getByRole('button', { name: '展开行' }).first().click();
          await p.getByRole('cell', { name: '待评分' }).first().waitFor();
          // The drawn experts by name (the pool's), beside their ids.
          const drawnSeats = (await ok('GET', `/v1/rounds/${round}/panels`, wuxi)).items.flatMap(
            (i: { seats: { expertId: string; expertName: string }[] }) => i.seats,
          ) as { expertId: string; expertName: string }[];
          let named = 0;
          // An expert may sit on both panels: each counted once.
          for (const seat of new Map(drawnSeats.map((x) => [x.expertId, x])).values()) {
            expect(seat.expertName).toBe(`专家${seat.expertId.slice('lc-e-'.length)}`);
            named += await p
              .getByRole('cell', { name: `${seat.expertName} （${seat.expertId}）`, exact: true })
              .count();
          }
          expect(named).toBe(5); // the one expanded panel
          await shot('panels');

          // The experts score (95 and 100: as text "100" sorts before "95").
          for (const [app, score] of [
            [a, 95],
            [b, 100],
          ] as const) {
            const progress = await ok('GET', `/v1/rounds/${round}/panels`, wuxi);
            const seats = progress.items.find((i: { applicationId: string }) => i.applicationId === app.id)
              .seats as { expertId: string }[];
            const experts = seats.map((m) => m.expertId);
            expect(experts).toHaveLength(5);
            for (const expert of experts)
              await ok(
                'POST',
                `/v1/applications/${app.id}/scores`,
                { sub: expert, role: 'expert' },
                { score },
              );
          }
          await ok('POST', `/v1/rounds/${round}/close`, wuxi);
          await h.settle();

          // Publicity: the end date counted in working days is shown before confirming.
          await p.reload();
          await p.getByRole('tab', { name: '公示与异议' }).click();
          await p.getByRole('button', { name: '开始公示' }).click();
          const start = p.getByRole('dialog');
          // The first day is the engine's today (this browser's clock is another).
          await start.getByLabel('公示开始日期').fill('2026-04-01');
          await start.getByText('开始公示', { exact: true }).click(); // leave the field: the date is taken
          await start.getByLabel('公示文号').fill('锡科发〔2026〕12号');
          const endsOn = workingDayPeriod('2026-04-01', 10).endsOn;
          await start.getByText(`公示截止（预计）：${endsOn}`).waitFor();
          await shot('publicity-start');
          await start.getByRole('button', { name: /确\s*认/ }).click();
          await start.waitFor({ state: 'hidden' });
          const publicity = (await ok('GET', `/v1/rounds/${round}`, wuxi)).publicity;
          expect(publicity).toMatchObject({ startsOn: '2026-04-01', endsOn });
          await p.getByText(`2026-04-01 — ${endsOn}（10个工作日）`).waitFor();
          await p.getByText('锡科发〔2026〕12号').waitFor();

          // An objection arrives; the officer dismisses it with a reason.
          const objection = await h.request('POST', `/v1/applications/${a.id}/objections`, {
            body: {
              objector: { name: '张三', idNumber: '11010519491231002X', phone: '13800138000' },
              grounds: '营业收入数据不实',
              evidence: ['doc://evidence/1'],
            },
          });
          expect(objection.status).toBe(201);
          await p.reload();
          await p.getByRole('tab', { name: '公示与异议' }).click();
          await p.getByRole('cell', { name: '营业收入数据不实' }).waitFor();
          await p.getByRole('button', { name: /^处\s*理$/ }).click();
          const resolve = p.getByRole('dialog');
          await resolve.getByLabel('不成立').check();
          await resolve.getByLabel('理由').fill('经核查，营业收入数据与审计报告一致');
          await resolve.getByRole('button', { name: /确\s*认/ }).click();
          await resolve.waitFor({ state: 'hidden' });
          await p.getByText('异议不成立').waitFor();
          await shot('publicity');
          // One accessibility scan of the lifecycle screens (the densest tab; a scan costs seconds).
          expect(await seriousViolations(p)).toEqual([]);

          // Publicity ends with nothing open: the engine finalizes; the officer issues the notice.
          await h.advanceTo(`${endsOn}T18:00:00.000Z`); // the next morning in China
          await signIn(p, CITY_OFFICER); // two weeks later the session has expired
          await p.goto(`${origin}/rounds/${round}`);
          await p.getByRole('tab', { name: '公示与异议' }).click();
          await p.getByRole('button', { name: '印发入库通知' }).click();
          const notice = p.getByRole('dialog');
          await notice.getByLabel('入库通知文号').fill('锡科发〔2026〕30号');
          await notice.getByRole('button', { name: /确\s*认/ }).click();
          await notice.waitFor({ state: 'hidden' });
          await p.getByText('锡科发〔2026〕30号').waitFor();

          // The lists, sorted by score as numbers, and the documents.
          await p.getByRole('tab', { name: '名单与文书' }).click();
          const finalList = p
            .locator('.ant-card')
            .filter({ has: p.getByRole('heading', { name: '入库名单', exact: true }) });
          await finalList.getByRole('cell', { name: '无锡百川新材料有限公司' }).waitFor();
          await finalList.getByRole('columnheader', { name: '评审得分' }).click();
          const scores = await finalList.locator('tbody tr.ant-table-row td:last-child').allTextContents();
          expect(scores).toEqual(['95', '100']);
          await shot('lists');
          for (const name of ['final-list.xlsx', 'admission-notice.docx', 'publicity-list.xlsx']) {
            await p.locator(`a[href="/v1/rounds/${round}/documents/${name}"]`).waitFor();
            const res = await context!.request.get(`${origin}/v1/rounds/${round}/documents/${name}`);
            expect([name, res.status()]).toEqual([name, 200]);
          }
        },
      ));
  },
);
