import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { Principal } from '@engine/platform';
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
import { samples } from '../support/materials';
import { roundInPublicity } from '../support/publicity';

/**
 * The enterprise portal and the public publicity page in a real browser (headless Chromium from
 * the OS package): an enterprise registers, records its profile, fills the application form,
 * is refused while a required material is missing, uploads it (a wrong type is refused in
 * Chinese), submits, is returned and answers before the deadline while the page follows live;
 * the public reads a publicised list and lodges a real-name objection. axe-core finds no serious
 * or critical violation on the registration, application and publicity pages. PORTAL_SCREENSHOTS=1
 * keeps a screenshot of every screen in test-results/browser/portal-*.png.
 */
jest.setTimeout(120_000);

const NOW = '2026-04-01T02:00:00.000Z';
const PASSWORD = 'Cultivate-2026-Xinwu!';
const CODE = creditCode('91320214MA7P8RT01');
const COMPANY = '无锡澄光精密仪器有限公司';
const ROUND_TITLE = '2026年度雏鹰企业第一批';
const PUBLICISED = '无锡星河生物医药有限公司';
const wuxi: Principal = { sub: 'seed-officer', role: 'officer', jurisdiction: 'js.wuxi' };
const xinwu: Principal = { sub: 'xinwu-officer', role: 'officer', jurisdiction: 'js.wuxi.xinwu' };

const describeBrowser = existsSync(CHROMIUM) ? describe : describe.skip;

describeBrowser(
  'enterprise portal and public publicity page (skipped without /usr/bin/chromium: run .ci/run or apt-get install chromium)',
  () => {
    let h: Harness;
    let origin: string;
    let browser: Browser;
    let context: BrowserContext | undefined;
    let page: Page | undefined;
    let applicationId: string;
    let publicRound: Awaited<ReturnType<typeof roundInPublicity>>;

    async function ok(method: 'GET' | 'POST', url: string, as: Principal, body?: unknown) {
      const res = await h.request(method, url, { as, body });
      if (res.status >= 300) throw new Error(`${method} ${url}: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body;
    }

    async function shot(p: Page, name: string) {
      if (!process.env.PORTAL_SCREENSHOTS) return;
      mkdirSync(SCREENSHOTS, { recursive: true });
      await p.screenshot({ path: join(SCREENSHOTS, `portal-${name}.png`), fullPage: true });
    }

    beforeAll(async () => {
      // The shipped policies: eaglet 2024 requires four files (docs/materials.md).
      h = await startApi({ now: NOW });
      origin = await serveOnLoopback(h);
      await ok('POST', '/v1/rounds', wuxi, {
        programme: 'eaglet',
        year: 2026,
        batch: 1,
        title: ROUND_TITLE,
        jurisdiction: 'js.wuxi',
        opensAt: '2026-03-01T00:00:00+08:00',
        closesAt: '2026-12-31T17:00:00+08:00',
      });
      publicRound = await roundInPublicity(h, {
        batch: 2,
        title: '2026年度雏鹰企业第二批',
        name: PUBLICISED,
        seed: 'portal',
        serial: 7001,
      });
      browser = await launchChromium();
    }, 120_000);

    afterAll(async () => {
      await browser?.close();
      await h?.close();
    });

    beforeEach(async () => {
      context = await personContext(browser);
      // The browser's clock is the engine's: default years and the working days left follow it.
      await context.clock.setFixedTime(new Date(NOW));
      page = await context.newPage();
    });
    afterEach(async () => {
      await context?.close();
      context = undefined;
      page = undefined;
    });

    async function signIn(p: Page) {
      await p.goto(`${origin}/sign-in`);
      await p.getByLabel('账号').fill(CODE);
      await p.getByLabel('密码').fill(PASSWORD);
      await p.getByRole('button', { name: /登\s*录/ }).click();
    }

    it('an enterprise registers, fills the form, uploads its licence, submits and sees its status', () =>
      withScreenshot(
        () => page,
        'portal-apply',
        async () => {
          const p = page!;
          await p.goto(`${origin}/`);
          await shot(p, 'sign-in');
          await p.getByRole('link', { name: '没有账号？企业注册' }).click();
          await p.getByRole('heading', { name: '企业注册' }).waitFor();
          // The check character is verified in the browser, with the reason in Chinese.
          const wrong = CODE.slice(0, 17) + (CODE[17] === '0' ? '1' : '0');
          await p.getByLabel('统一社会信用代码').fill(wrong);
          await p.getByLabel('企业名称').fill(COMPANY);
          await p.getByText(/校验码错误/).waitFor();
          await shot(p, 'register');
          expect(await seriousViolations(p)).toEqual([]);
          await p.getByLabel('统一社会信用代码').fill(CODE);
          await p.getByLabel('联系人').fill('张伟');
          await p.getByLabel('手机号码').fill('13812345678');
          await p.getByLabel('电子邮箱').fill('zhangwei@example.com');
          await p.getByLabel('密码', { exact: true }).fill(PASSWORD);
          await p.getByLabel('确认密码').fill(PASSWORD);
          await p.getByRole('button', { name: '企业注册' }).click();
          await p.getByText('注册成功，请以统一社会信用代码登录').waitFor();

          await signIn(p);
          await p.getByRole('heading', { name: '完善企业信息' }).waitFor();
          await p.getByLabel('所属辖区').click();
          await p.keyboard.type('新吴');
          await p.keyboard.press('Enter');
          await p.getByLabel('成立日期').fill('2019-05-20');
          await shot(p, 'profile');
          // Enter takes the typed date and submits the form (its last field), as a keyboard user does.
          await p.getByLabel('成立日期').press('Enter');

          await p.getByRole('heading', { name: '我的申报' }).waitFor();
          await p.getByRole('cell', { name: ROUND_TITLE }).waitFor();
          await shot(p, 'home-empty');
          await p.getByRole('button', { name: '我要申报' }).click();
          await p.getByRole('heading', { name: new RegExp(ROUND_TITLE) }).waitFor();
          // The form from the programme's data fields, labelled from the catalogue.
          await p.getByLabel('年度 1', { exact: true }).fill('2025');
          await p.getByLabel('营业收入（元） 1', { exact: true }).fill('12600000');
          await p.getByLabel('研发费用（元） 1', { exact: true }).fill('980000');
          await p.getByRole('button', { name: '添加年度' }).click();
          await p.getByLabel('年度 2', { exact: true }).fill('2024');
          await p.getByLabel('营业收入（元） 2', { exact: true }).fill('8200000');
          await p.getByLabel('研发费用（元） 2', { exact: true }).fill('610000');
          await p.getByLabel('职工总数', { exact: true }).fill('46');
          await p.getByLabel('研发人员数', { exact: true }).fill('17');
          await p.getByLabel('I类知识产权（件）', { exact: true }).fill('1');
          await p.getByLabel('II类知识产权（件）', { exact: true }).fill('5');
          await p.getByLabel('已申请未授权（件）', { exact: true }).fill('3');
          for (const group of ['重大安全、质量、环境污染等事故', '严重失信行为'])
            await p.getByRole('radiogroup', { name: group }).getByText('否').click();
          await p.getByRole('button', { name: '保存草稿' }).click();
          await p.waitForURL(/\/applications\/[0-9a-f-]{36}$/);
          applicationId = p.url().split('/').pop()!;
          // Amounts in yuan with thousands separators.
          expect(await p.getByLabel('营业收入（元） 1', { exact: true }).inputValue()).toBe('12,600,000');

          // Submit is refused while required files are missing: the list, in Chinese (eaglet
          // 2024 requires the licence, the audit report, the R&D audit and the commitment letter).
          await p.getByRole('button', { name: '提交申报' }).click();
          await p
            .getByRole('dialog')
            .getByRole('button', { name: /确\s*认/ })
            .click();
          const refusal = p.getByRole('alert').filter({ hasText: '未能提交' });
          await refusal.getByText('必需的申报材料尚未上传').waitFor();
          for (const label of [
            '营业执照',
            '上年度财务审计报告',
            '研发费用专项审计报告',
            '申报承诺书（盖章）',
          ])
            await refusal.getByRole('listitem').filter({ hasText: label }).waitFor();
          await shot(p, 'refused');

          // A file whose content is not PDF/OFD/JPEG/PNG is refused (415), whatever its name.
          const licenceRow = p.getByRole('row', { name: /营业执照/ });
          await licenceRow.locator('input[type=file]').setInputFiles({
            name: '营业执照.pdf',
            mimeType: 'application/pdf',
            buffer: Buffer.from('这不是PDF文件'),
          });
          await p.getByText(/文件类型不符：该材料仅接受 PDF、OFD、JPEG、PNG/).waitFor();
          await licenceRow.locator('input[type=file]').setInputFiles({
            name: '营业执照.pdf',
            mimeType: 'application/pdf',
            buffer: samples.pdf(64 * 1024),
          });
          await licenceRow.getByRole('link', { name: '营业执照.pdf' }).waitFor();
          for (const [label, name] of [
            ['上年度财务审计报告', '2025年度审计报告.pdf'],
            ['研发费用专项审计报告', '研发费用专项审计报告.pdf'],
            ['申报承诺书（盖章）', '申报承诺书.pdf'],
          ]) {
            const row = p.getByRole('row', { name: new RegExp(label.replace(/[（）]/g, '.')) });
            await row.locator('input[type=file]').setInputFiles({
              name,
              mimeType: 'application/pdf',
              buffer: samples.pdf(16 * 1024),
            });
            await row.getByRole('link', { name }).waitFor();
          }
          await shot(p, 'materials');

          await p.getByRole('button', { name: '提交申报' }).click();
          await p
            .getByRole('dialog')
            .getByRole('button', { name: /确\s*认/ })
            .click();
          await p.getByRole('heading', { level: 1 }).getByText('已提交').waitFor();
          await p.getByText('提交申报 — 企业').waitFor(); // the timeline, by label
          await shot(p, 'submitted');
          expect(await seriousViolations(p)).toEqual([]);
          expect((await ok('GET', `/v1/applications/${applicationId}`, wuxi)).status).toBe('submitted');

          await p.getByRole('link', { name: '我的申报' }).click();
          await p.getByRole('row', { name: /雏鹰企业.*已提交/ }).waitFor();
          await shot(p, 'home');
        },
      ));

    it('a returned application shows the reason and deadline live and is answered in time', () =>
      withScreenshot(
        () => page,
        'portal-return',
        async () => {
          const p = page!;
          // A browser whose clock is a week ahead of the engine's: the days left are still the
          // engine's count.
          await context!.clock.setFixedTime(new Date('2026-04-08T02:00:00.000Z'));
          await signIn(p);
          await p.getByRole('heading', { name: '我的申报' }).waitFor();
          await p.goto(`${origin}/applications/${applicationId}`);
          await p.getByRole('heading', { level: 1 }).getByText('已提交').waitFor();
          // The district returns it while the page is open: the page follows by itself (SSE).
          await ok('POST', `/v1/applications/${applicationId}/reviews`, xinwu, {
            stage: 'district',
            decision: 'return',
            reason: '请补充近两年主营业务收入',
            respondBy: '2026-04-15',
          });
          const notice = p.getByRole('alert').filter({ hasText: '申报被退回补正' });
          await notice.getByText(/请补充近两年主营业务收入/).waitFor();
          await notice
            .getByText(/2026-04-15/)
            .first()
            .waitFor();
          // Counted from the engine's day (2026-04-01), not the browser's: 4-02, 4-03, then
          // 4-07 to 4-10 and 4-13 to 4-15 (4-06 is the Qingming holiday).
          await notice.getByText('申报被退回补正：2026-04-15（还剩 9 个工作日）').waitFor();
          await shot(p, 'returned');
          await p.getByLabel('主营业务收入（元） 1', { exact: true }).fill('12100000');
          await p.getByRole('button', { name: '提交补正' }).click();
          await p
            .getByRole('dialog')
            .getByRole('button', { name: /确\s*认/ })
            .click();
          await p.getByRole('heading', { level: 1 }).getByText('已提交').waitFor();
          const now = await ok('GET', `/v1/applications/${applicationId}`, wuxi);
          expect(now.status).toBe('submitted');
        },
      ));

    it('anyone reads a publicised list without signing in and lodges a real-name objection with an evidence file', () =>
      withScreenshot(
        () => page,
        'portal-publicity',
        async () => {
          const p = page!;
          await p.goto(`${origin}/sign-in`);
          await p.getByRole('link', { name: '入库名单公示' }).click();
          await p.getByRole('link', { name: '2026年度雏鹰企业第二批' }).click();
          const row = p.getByRole('row', { name: new RegExp(PUBLICISED) });
          await row.getByRole('cell', { name: publicRound.code }).waitFor();
          await row.getByRole('cell', { name: publicRound.endsOn }).waitFor();
          await row.getByRole('cell', { name: '雏鹰企业' }).waitFor();
          await shot(p, 'publicity');
          expect(await seriousViolations(p)).toEqual([]);
          await row.getByRole('button', { name: '提出异议' }).click();
          const dialog = p.getByRole('dialog');
          await dialog.getByLabel('姓名').fill('李娜');
          await dialog.getByLabel('身份证号').fill('11010519491231002X');
          await dialog.getByLabel('联系电话').fill('13900001111');
          await dialog.getByLabel('异议理由').fill('该企业2025年度营业收入数据不实');
          await dialog.getByLabel('证据', { exact: true }).fill('2025年度纳税申报表（税务机关可查）');
          // An evidence file: refused when its content is no PDF/OFD/JPEG/PNG, kept when it is.
          const evidenceInput = dialog.locator('input[type=file]');
          await evidenceInput.setInputFiles({
            name: '证据.pdf',
            mimeType: 'application/pdf',
            buffer: Buffer.from('这不是PDF文件'),
          });
          await p.getByText(/证据\.pdf：文件类型不符/).waitFor();
          const evidence = samples.pdf(12 * 1024);
          await evidenceInput.setInputFiles({
            name: '纳税申报表.pdf',
            mimeType: 'application/pdf',
            buffer: evidence,
          });
          await dialog.getByText('纳税申报表.pdf').waitFor();
          await dialog
            .locator('.ant-upload-list-item-done, .ant-upload-list-item:not(.ant-upload-list-item-uploading)')
            .first()
            .waitFor();
          await shot(p, 'objection');
          await dialog.getByRole('button', { name: '提出异议' }).click();
          const filed = p.getByText(/^异议已提交，编号 /);
          await filed.waitFor();
          const id = (await filed.textContent())!.replace(/^异议已提交，编号 /, '');
          const objection = await ok('GET', `/v1/objections/${id}`, wuxi);
          expect(objection).toMatchObject({
            applicationId: publicRound.applicationId,
            evidenceFiles: [
              { fileName: '纳税申报表.pdf', mediaType: 'application/pdf', size: evidence.length },
            ],
          });
          // The officer downloads the very bytes.
          const download = await fetch(`${origin}${objection.evidenceFiles[0].href}`, {
            headers: { authorization: `Bearer ${await h.token(wuxi)}` },
          });
          expect(download.status).toBe(200);
          expect(Buffer.from(await download.arrayBuffer()).equals(evidence)).toBe(true);
        },
      ));
  },
);
