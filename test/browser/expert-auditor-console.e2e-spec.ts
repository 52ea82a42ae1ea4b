import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { eagletData, gazelleData } from '@engine/incubation/testing/sample-applications';
import type { Principal } from '@engine/platform';
import { verifyExport } from '../../apps/cli/src/commands/verify-export.command';
import { EngineDriver, officerOf } from '../../apps/demo/src/engine-driver';
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
import { samples, upload } from '../support/materials';

/**
 * The experts' and auditors' console in a real browser (one boot for both, to keep the suite
 * short): an expert opens an assignment in its blind view (neither name nor credit code on the
 * page or in any response it received), declares no conflict and scores from the policy's
 * sheet with the total computed, and a second submission from a stale tab is told it was
 * refused; an auditor finds an application, reads its events, recomputes its expert draw in
 * the page, sees a round's list as it stood before an upheld objection, and verifies the chain
 * before and after the store is tampered with.
 */
jest.setTimeout(120_000);

const ADMIN: Principal = { sub: 'admin-1', role: 'admin' };
const PASSWORD = 'Cultivate-2026-Wuxi!';
const CITY = 'js.wuxi';
const DISTRICT = 'js.wuxi.xinwu';
/** The engine's time once the scenario is set up; the browser's clock is fixed to it. */
const NOW = '2026-04-14T02:30:00.000Z';

/** The eaglet policy with a scoring sheet (a test fixture: DOMAIN.md gives no indicators). */
const SHEET = `    scoring:
      indicators:
        - code: innovation
          label: { zh: 技术创新能力, en: Technological innovation }
          weight: 40
          maxScore: 40
        - code: growth
          label: { zh: 成长性, en: Growth }
          weight: 30
          maxScore: 30
        - code: management
          label: { zh: 经营管理水平, en: Management }
          weight: 30
          maxScore: 30
`;

const describeBrowser = existsSync(CHROMIUM) ? describe : describe.skip;

describeBrowser(
  'expert and auditor console (skipped without /usr/bin/chromium: run .ci/run or apt-get install chromium)',
  () => {
    let h: Harness;
    let d: EngineDriver;
    let policies: string;
    let origin: string;
    let browser: Browser;
    let context: BrowserContext | undefined;
    let page: Page | undefined;
    let publicRound: string;
    const ent: Record<'a' | 'b' | 'c', { code: string; name: string; app: string }> = {
      a: { code: '', name: '无锡隐名评审科技有限公司', app: '' },
      b: { code: '', name: '无锡公示通过智能有限公司', app: '' },
      c: { code: '', name: '无锡异议成立材料有限公司', app: '' },
    };
    let expertId: string;
    let dueOn: string;
    /** A gazelle application (its policy has no scoring sheet) and the expert who scores it. */
    const gazelle = { app: '', expert: { login: '', id: '' } };

    const expert = (sub: string): Principal => ({ sub, role: 'expert' });
    const sheet = (scores: [number, number, number]) =>
      ['innovation', 'growth', 'management'].map((code, i) => ({ code, score: scores[i] }));

    async function ok(method: 'GET' | 'POST', url: string, as: Principal | undefined, body?: unknown) {
      const res = await h.request(method, url, { as, body });
      if (res.status >= 300)
        throw new Error(`${method} ${url}: ${res.status} ${JSON.stringify(res.body.details ?? res.body)}`);
      return res.body;
    }

    async function enterprise(key: 'a' | 'b' | 'c', n: number) {
      ent[key].code = creditCode(`91320214MX${String(n).padStart(7, '0')}`);
      await d.registerEnterprise({
        creditCode: ent[key].code,
        name: ent[key].name,
        jurisdiction: DISTRICT,
        establishedOn: '2020-05-20',
      });
    }

    async function scorePanel(applicationId: string, scores: [number, number, number]) {
      const panel = (await d.application(applicationId)).panel.map((m: { expertId: string }) => m.expertId);
      for (const id of panel) {
        await ok('POST', `/v1/applications/${applicationId}/conflict-declaration`, expert(id), {
          conflict: false,
        });
        await ok('POST', `/v1/applications/${applicationId}/scores`, expert(id), {
          indicators: sheet(scores),
        });
      }
    }

    beforeAll(async () => {
      policies = mkdtempSync(join(tmpdir(), 'browser-policies-'));
      cpSync('policies', policies, { recursive: true });
      const file = join(policies, 'eaglet', 'wuxi-2024.yaml');
      const yaml = readFileSync(file, 'utf8').replace(/^( {4}minFinancialExperts: 1\n)/m, `$1${SHEET}`);
      expect(yaml).toContain('maxScore: 40');
      writeFileSync(file, yaml);
      h = await startApi({ now: '2026-04-01T02:00:00.000Z', env: { POLICIES_DIR: policies } });
      d = new EngineDriver((method, url, options) => h.request(method, url, options));
      origin = await serveOnLoopback(h);
      await d.registerExperts('x', 16, 3);

      // A round publicised with two passed applications; an objection against c is upheld later.
      publicRound = await d.openRound({
        programme: 'eaglet',
        year: 2026,
        batch: 1,
        title: '2026年度雏鹰企业第一批（审计）',
        jurisdiction: CITY,
        opensAt: '2026-03-01T00:00:00+08:00',
        closesAt: '2026-04-10T17:00:00+08:00',
      });
      await enterprise('b', 2);
      await enterprise('c', 3);
      for (const key of ['b', 'c'] as const) {
        ent[key].app = await d.apply(ent[key].code, publicRound, eagletData(1));
        await d.passReviews(ent[key].app, DISTRICT, CITY);
        await d.drawPanel(ent[key].app, CITY);
        await scorePanel(ent[key].app, [35, 25, 25]);
      }
      await h.advanceTo('2026-04-13T01:00:00Z');
      await d.publicise(publicRound, CITY);
      await h.settle();
      const raised = await ok('POST', `/v1/applications/${ent.c.app}/objections`, undefined, {
        objector: { name: '张三', idNumber: '11010519491231002X', phone: '13800138000' },
        grounds: '该企业研发费用数据不实，申报材料与审计报告不符',
        evidence: ['审计报告第3页'],
      });
      await h.advanceTo('2026-04-14T01:00:00Z');
      await ok('POST', `/v1/objections/${raised.id}/resolution`, officerOf(CITY), {
        upheld: true,
        reason: '经核查，研发费用数据不实',
      });
      await h.settle();

      // A second round whose application a is under expert review, with materials of two kinds.
      const expertRound = await d.openRound({
        programme: 'eaglet',
        year: 2026,
        batch: 2,
        title: '2026年度雏鹰企业第二批（评审）',
        jurisdiction: CITY,
        opensAt: '2026-04-01T00:00:00+08:00',
        closesAt: '2026-12-31T17:00:00+08:00',
      });
      await enterprise('a', 1);
      const owner: Principal = { sub: `ent-${ent.a.code}`, role: 'enterprise', org: ent.a.code };
      ent.a.app = (
        await ok('POST', '/v1/applications', owner, {
          roundId: expertRound,
          creditCode: ent.a.code,
          data: eagletData(0),
        })
      ).id;
      for (const kind of ['business-licence', 'rd-expense-audit']) {
        const res = await upload(h, ent.a.app, owner, kind, { name: `${kind}.pdf`, content: samples.pdf() });
        expect(res.status).toBe(201);
      }
      await ok('POST', `/v1/applications/${ent.a.app}/submit`, owner);
      await d.passReviews(ent.a.app, DISTRICT, CITY);
      h.clock.set(new Date(NOW));
      [expertId] = await d.drawPanel(ent.a.app, CITY);
      dueOn = (await d.application(ent.a.app)).panel[0].dueOn;

      // A gazelle application: its policy has no scoring sheet, so experts give one total.
      const gazelleRound = await d.openRound({
        programme: 'gazelle',
        year: 2026,
        batch: 1,
        title: '2026年度瞪羚企业第一批（评审）',
        jurisdiction: CITY,
        opensAt: '2026-04-01T00:00:00+08:00',
        closesAt: '2026-12-31T17:00:00+08:00',
      });
      const gazelleCode = creditCode('91320214MX0000009');
      await d.registerEnterprise({
        creditCode: gazelleCode,
        name: '无锡整数评分瞪羚有限公司',
        jurisdiction: DISTRICT,
        establishedOn: '2018-03-01',
      });
      gazelle.app = await d.apply(gazelleCode, gazelleRound, gazelleData());
      await d.passReviews(gazelle.app, DISTRICT, CITY);
      const gazellePanel = await d.drawPanel(gazelle.app, CITY);
      gazelle.expert = gazellePanel.includes(expertId)
        ? { login: 'expert.wang', id: expertId }
        : { login: 'expert.zhao', id: gazellePanel[0] };

      for (const account of [
        { login: 'expert.wang', name: '王教授', role: 'expert', id: expertId, field: 'engineering' },
        ...(gazelle.expert.id === expertId
          ? []
          : [
              {
                login: 'expert.zhao',
                name: '赵研究员',
                role: 'expert',
                id: gazelle.expert.id,
                field: 'engineering',
              },
            ]),
        { login: 'auditor.li', name: '李审计', role: 'auditor' },
      ])
        await ok('POST', '/v1/accounts', ADMIN, { ...account, password: PASSWORD });
      browser = await launchChromium();
    }, 300_000);

    afterAll(async () => {
      await browser?.close();
      await h?.close();
      rmSync(policies, { recursive: true, force: true });
    });

    beforeEach(async () => {
      context = await personContext(browser);
      await context.clock.setFixedTime(new Date(NOW));
      page = await context.newPage();
    });
    afterEach(async () => {
      await context?.close();
      context = undefined;
      page = undefined;
    });

    async function signIn(p: Page, login: string, heading: string) {
      await p.goto(`${origin}/`);
      await p.getByLabel('账号').fill(login);
      await p.getByLabel('密码').fill(PASSWORD);
      await p.getByRole('button', { name: /登\s*录/ }).click();
      await p.getByRole('heading', { name: heading }).waitFor();
    }

    async function noSeriousViolations(p: Page) {
      expect(await seriousViolations(p)).toEqual([]);
    }

    /** Saves a screenshot of what the person sees, for review of layout and Chinese rendering. */
    async function keep(p: Page, name: string) {
      mkdirSync(SCREENSHOTS, { recursive: true });
      await p.screenshot({ path: join(SCREENSHOTS, `screen-${name}.png`), fullPage: true });
    }

    it('an expert scores blind from the sheet after declaring no conflict; a second submission is refused', () =>
      withScreenshot(
        () => page,
        'expert',
        async () => {
          const p = page!;
          const bodies: Promise<string>[] = [];
          const watch = (tab: Page) =>
            tab.on('response', (res) => {
              if (new URL(res.url()).pathname.startsWith('/v1/')) bodies.push(res.text().catch(() => ''));
            });
          watch(p);
          await signIn(p, 'expert.wang', '我的评审任务');
          const row = p.getByRole('row', { name: new RegExp(ent.a.app) });
          await row.waitFor();
          await row.getByRole('cell', { name: dueOn }).waitFor();
          const left = workingDaysUntil(dueOn, '2026-04-14');
          await row.getByRole('cell', { name: String(left), exact: true }).waitFor();
          await keep(p, 'expert-assignments');
          await noSeriousViolations(p);

          await row.getByRole('link').click();
          await p
            .getByText(/匿名评审/)
            .first()
            .waitFor();
          await p.getByText('研发费用专项审计报告（1').waitFor();
          expect(await p.getByText('营业执照').count()).toBe(0); // not a kind experts see
          const download = p.waitForEvent('download');
          await p.getByRole('link', { name: /下载 研发费用专项审计报告/ }).click();
          expect((await (await download).path()) !== null).toBe(true);

          await p.getByLabel('本人与该申报企业无利益冲突').check();
          await p.getByRole('button', { name: '提交声明' }).click();
          await p.getByText('已声明无利益冲突').waitFor();
          await noSeriousViolations(p);

          // A second tab opened now stays on the unscored sheet after the first one submits.
          const stale = await context!.newPage();
          watch(stale);
          await stale.goto(`${origin}/applications/${ent.a.app}`);
          await stale.getByRole('heading', { name: '评分表' }).waitFor();

          await p.getByLabel('技术创新能力 评分').fill('35');
          await p.getByLabel('技术创新能力 评语').fill('核心技术自主可控');
          await p.getByLabel('成长性 评分').fill('25');
          await p.getByLabel('经营管理水平 评分').fill('24');
          await p.getByLabel('经营管理水平 评分').blur();
          await expect(p.getByLabel('总分（系统计算）').textContent()).resolves.toBe('84');
          await keep(p, 'expert-sheet');
          await p.getByRole('button', { name: '提交评分' }).click();
          await p.getByRole('button', { name: /确\s*认/ }).click();
          await p.getByText('评分已提交：您的评分 84').waitFor();
          const seat = (await ok('GET', `/v1/applications/${ent.a.app}`, expert(expertId))).seat;
          expect(seat).toMatchObject({ scored: true, score: 84, declaration: 'none' });

          await stale.getByLabel('技术创新能力 评分').fill('30');
          await stale.getByLabel('成长性 评分').fill('20');
          await stale.getByLabel('经营管理水平 评分').fill('20');
          await stale.getByRole('button', { name: '提交评分' }).click();
          await stale.getByRole('button', { name: /确\s*认/ }).click();
          await stale.getByRole('alert').filter({ hasText: '每位专家只能评分一次' }).waitFor();
          await keep(stale, 'expert-refused');

          // Neither the name nor the credit code anywhere: the pages, and every response received.
          for (const tab of [p, stale]) {
            const text = await tab.locator('body').innerText();
            expect(text).not.toContain(ent.a.name);
            expect(text).not.toContain(ent.a.code);
          }
          const received = (await Promise.all(bodies)).join('\n');
          expect(received.length).toBeGreaterThan(0);
          expect(received).not.toContain(ent.a.name);
          expect(received).not.toContain(ent.a.code);
        },
      ));

    it('without a scoring sheet in the policy, an expert gives one total after the declaration', () =>
      withScreenshot(
        () => page,
        'expert-no-sheet',
        async () => {
          const p = page!;
          await signIn(p, gazelle.expert.login, '我的评审任务');
          await p.goto(`${origin}/applications/${gazelle.app}`);
          await p.getByLabel('本人与该申报企业无利益冲突').check();
          await p.getByRole('button', { name: '提交声明' }).click();
          await p.getByText('该培育库政策未设置评分表，请直接给出 0–100 的整数总分。').waitFor();
          await p.getByLabel('评审得分（0–100）').fill('78');
          await p.getByRole('button', { name: '提交评分' }).click();
          await p.getByRole('button', { name: /确\s*认/ }).click();
          await p.getByText('评分已提交：您的评分 78').waitFor();
          const seat = (await ok('GET', `/v1/applications/${gazelle.app}`, expert(gazelle.expert.id))).seat;
          expect(seat).toMatchObject({ scored: true, score: 78, declaration: 'none' });
        },
      ));

    it('an auditor finds an application, reads its events and recomputes its expert draw', () =>
      withScreenshot(
        () => page,
        'auditor-application',
        async () => {
          const p = page!;
          await signIn(p, 'auditor.li', '查询');
          await p.getByLabel('企业名称、统一社会信用代码、申报编号或批次编号').fill('公示通过');
          await p.getByLabel('企业名称、统一社会信用代码、申报编号或批次编号').press('Enter');
          await p.getByRole('link', { name: ent.b.name }).click();
          await p.getByRole('heading', { name: ent.b.name }).waitFor();
          // Every event with actor, correlation id and hash; one opened shows its data.
          const drawn = p.getByRole('row', { name: /抽取评审专家/ });
          await drawn.waitFor();
          await drawn.getByRole('button', { name: /查看/ }).click();
          const data = p.getByLabel('事件数据');
          await data.waitFor();
          expect(await data.textContent()).toContain('"seed"');
          await keep(p, 'auditor-event');
          await p.keyboard.press('Escape');
          await data.waitFor({ state: 'hidden' });

          const recorded = (await ok('GET', `/v1/applications/${ent.b.app}`, { sub: 'a', role: 'auditor' }))
            .panel;
          const panelDraw = p.getByRole('region', { name: /评审专家抽取/ });
          await panelDraw.getByRole('button', { name: '重新计算' }).click();
          await panelDraw.getByText('一致：抽取结果可复现').waitFor();
          const recomputed = await panelDraw.getByLabel(/本页计算结果/).textContent();
          expect(recomputed).toBe(recorded.map((m: { expertId: string }) => m.expertId).join('、'));
          // As of an instant before the publicity, beside now.
          const instantA = p.getByLabel('时点甲');
          await instantA.click();
          await instantA.fill('2026-04-10 12:00:00');
          await instantA.press('Enter');
          await p.getByRole('button', { name: /对\s*比/ }).click();
          await p
            .getByRole('region', { name: /^时点甲/ })
            .getByText('评审通过')
            .waitFor();
          await p
            .getByRole('region', { name: /^时点乙/ })
            .getByText('公示中')
            .waitFor();
          await keep(p, 'auditor-application');
          await noSeriousViolations(p);
        },
      ));

    it('an auditor sees a round list as it stood before an upheld objection, beside the list now', () =>
      withScreenshot(
        () => page,
        'auditor-as-of',
        async () => {
          const p = page!;
          await signIn(p, 'auditor.li', '查询');
          await p.getByRole('link', { name: '2026年度雏鹰企业第一批（审计）' }).click();
          await p.getByRole('heading', { name: /2026年度雏鹰企业第一批（审计）/ }).waitFor();
          const instantA = p.getByLabel('时点甲');
          await instantA.click();
          await instantA.fill('2026-04-13 12:00:00');
          await instantA.press('Enter');
          await p.getByRole('button', { name: /对\s*比/ }).click();
          const before = p.getByRole('region', { name: /^公示名单 时点甲/ });
          const now = p.getByRole('region', { name: /^公示名单 时点乙/ });
          await before.getByText(ent.c.name).waitFor();
          await before.getByText(ent.b.name).waitFor();
          await now.getByText(ent.b.name).waitFor();
          expect(await now.getByText(ent.c.name).count()).toBe(0);
          await keep(p, 'auditor-round-as-of');
          await noSeriousViolations(p);
        },
      ));

    it('an auditor verifies the chain, and a tampered store shows its first break', () =>
      withScreenshot(
        () => page,
        'auditor-verify',
        async () => {
          const p = page!;
          await signIn(p, 'auditor.li', '查询');
          await p.getByRole('link', { name: '哈希链校验与导出' }).click();
          await p.getByText('npm run cli -- verify-export ./event-export-*/').waitFor();
          await p.getByRole('button', { name: '校验全部哈希链' }).click();
          await p.getByText('校验通过：记录完整，未被篡改').waitFor();
          // The page followed the streamed check to its end: a bar per phase, full, with the counts.
          const events = (await h.request('GET', '/v1/audit/verify', { as: ADMIN })).body.events;
          await p.getByText(`哈希链：已校验 ${events} / ${events} 个事件`).waitFor();
          await p.getByText('材料文件：已校验').waitFor();
          await keep(p, 'auditor-verify');
          await noSeriousViolations(p);

          // The bundle downloads from the page and passes the offline check of its steps.
          const downloading = p.waitForEvent('download');
          await p.getByRole('link', { name: '下载导出包（.tar.gz）' }).click();
          const download = await downloading;
          expect(download.suggestedFilename()).toMatch(/^event-export-\d{8}T\d{6}Z\.tar\.gz$/);
          const unpacked = mkdtempSync(join(tmpdir(), 'browser-bundle-'));
          try {
            execFileSync('tar', ['-xzf', (await download.path())!, '-C', unpacked]);
            const root = join(unpacked, download.suggestedFilename().replace(/\.tar\.gz$/, ''));
            const checked = await verifyExport(root);
            expect(checked).toMatchObject({ ok: true, problems: [] });
            expect(checked.events).toBeGreaterThan(20);
          } finally {
            rmSync(unpacked, { recursive: true, force: true });
          }

          // Someone edits a stored decision behind the engine's back (the district's, after the
          // application's materials and its submission).
          const file = new Database(join(h.dataDir, 'events.sqlite'));
          let decided: number;
          try {
            const stream = `application-${ent.b.app}`;
            decided = (
              file
                .prepare(
                  `SELECT revision FROM events WHERE stream = ? AND json_extract(data, '$.stage') = 'district'
                    ORDER BY revision LIMIT 1`,
                )
                .get(stream) as { revision: number }
            ).revision;
            file
              .prepare(`UPDATE events SET data = ? WHERE stream = ? AND revision = ?`)
              .run(JSON.stringify({ reason: '不同意', stage: 'district' }), stream, decided);
          } finally {
            file.close();
          }
          await p.getByRole('button', { name: '校验全部哈希链' }).click();
          await p.getByText('校验失败：记录被改动').waitFor();
          expect(await p.getByLabel('首个断点').textContent()).toContain(
            `application-${ent.b.app} 第 ${decided} 版`,
          );
          await keep(p, 'auditor-verify-broken');
        },
      ));
  },
);
