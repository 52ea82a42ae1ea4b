import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eagletData } from '@engine/incubation/testing/sample-applications';
import type { Principal } from '@engine/platform';
import { EngineDriver, officerOf } from '../apps/demo/src/engine-driver';
import { type Harness, startApi } from './support/api-harness';
import { creditCode } from './support/fixtures';

const CITY = 'js.wuxi';
const DISTRICT = 'js.wuxi.xinwu';

/** The eaglet policy with a scoring sheet, as a bureau would write it in its policy file. */
const SHEET = `
    scoring:
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

const expert = (sub: string): Principal => ({ sub, role: 'expert' });
const sheet = (innovation: number, growth: number, management: number) => [
  { code: 'innovation', score: innovation, comment: '核心技术自主可控' },
  { code: 'growth', score: growth },
  { code: 'management', score: management },
];

/**
 * Expert review from a policy's scoring sheet: the sheet is served with the programme, an
 * expert declares no conflict and scores each indicator, the engine computes the total, a
 * second score is 409; an expert who declares a conflict is replaced by a fresh draw.
 */
/** The officers' inbox notice for the first event of `type`, once the outbox delivered it (10 s at most). */
async function officerNoticeIn(
  h: Harness,
  type: string,
): Promise<{ rule: string; subject: string; body: string }> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const inbox = (await h.request('GET', '/v1/inbox', { as: officerOf(CITY) })).body;
    const found = inbox.items.find((n: { type: string }) => n.type === type);
    if (found) return found;
    if (Date.now() > deadline)
      throw new Error(`no ${type} notice in the officers' inbox: ${JSON.stringify(inbox)}`);
    await h.settle();
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('expert scoring sheet and conflict-of-interest declarations', () => {
  let h: Harness;
  let d: EngineDriver;
  let policies: string;
  let applicationId: string;
  let panel: string[];
  const officerNotice = (type: string) => officerNoticeIn(h, type);

  beforeAll(async () => {
    policies = mkdtempSync(join(tmpdir(), 'e2e-policies-'));
    cpSync('policies', policies, { recursive: true });
    const file = join(policies, 'eaglet', 'wuxi-2024.yaml');
    const yaml = readFileSync(file, 'utf8').replace(
      /^( {4}minFinancialExperts: 1\n)/m,
      `$1${SHEET.slice(1)}`,
    );
    expect(yaml).toContain('maxScore: 40');
    writeFileSync(file, yaml);
    h = await startApi({ now: '2026-03-02T02:00:00.000Z', env: { POLICIES_DIR: policies } });
    d = new EngineDriver((method, url, options) => h.request(method, url, options));
    const roundId = await d.openRound({
      programme: 'eaglet',
      year: 2026,
      batch: 1,
      title: '2026年度无锡市雏鹰企业第一批',
      jurisdiction: CITY,
      opensAt: '2026-03-01T00:00:00+08:00',
      closesAt: '2026-04-30T17:00:00+08:00',
    });
    await d.registerExperts('sheet-e', 18, 3);
    const code = creditCode('91320214MT0000001');
    await d.registerEnterprise({
      creditCode: code,
      name: '无锡评分表科技有限公司',
      jurisdiction: DISTRICT,
      establishedOn: '2020-05-20',
    });
    applicationId = await d.apply(code, roundId, eagletData(0));
    await d.passReviews(applicationId, DISTRICT, CITY);
    panel = await d.drawPanel(applicationId, CITY);
  }, 60_000);
  afterAll(async () => {
    await h.close();
    rmSync(policies, { recursive: true, force: true });
  });

  it('serves the scoring sheet with the programme', async () => {
    const programmes = (await h.request('GET', '/v1/programmes', { as: expert(panel[0]) })).body;
    const eaglet = programmes.find((p: { code: string }) => p.code === 'eaglet');
    expect(eaglet.scoring.indicators).toEqual([
      {
        code: 'innovation',
        label: { zh: '技术创新能力', en: 'Technological innovation' },
        weight: 40,
        maxScore: 40,
      },
      { code: 'growth', label: { zh: '成长性', en: 'Growth' }, weight: 30, maxScore: 30 },
      { code: 'management', label: { zh: '经营管理水平', en: 'Management' }, weight: 30, maxScore: 30 },
    ]);
  });

  it('takes a declaration of no conflict, then the indicators, and computes the total; a second score is 409', async () => {
    const as = expert(panel[0]);
    const early = await h.request('POST', `/v1/applications/${applicationId}/scores`, {
      as,
      body: { indicators: sheet(35, 22, 25) },
    });
    expect(early).toMatchObject({ status: 409, body: { code: 'DECLARATION_REQUIRED' } });
    const declared = await h.request('POST', `/v1/applications/${applicationId}/conflict-declaration`, {
      as,
      body: { conflict: false },
    });
    expect(declared).toMatchObject({ status: 200, body: { conflict: false, replacementRequested: false } });
    const typed = await h.request('POST', `/v1/applications/${applicationId}/scores`, {
      as,
      body: { score: 95 },
    });
    expect(typed).toMatchObject({ status: 400, body: { code: 'SCORE_COMPUTED' } });
    const over = await h.request('POST', `/v1/applications/${applicationId}/scores`, {
      as,
      body: { indicators: sheet(41, 22, 25) },
    });
    expect(over).toMatchObject({ status: 400, body: { code: 'SCORE_INVALID' } });
    expect(over.body.details).toEqual([
      { field: 'indicators.innovation.score', message: '须为 0 到 40 之间的整数' },
    ]);
    const scored = await h.request('POST', `/v1/applications/${applicationId}/scores`, {
      as,
      body: { indicators: sheet(35, 22, 25) },
    });
    expect(scored).toMatchObject({ status: 200, body: { status: 'in-expert-review', score: 82 } });
    const again = await h.request('POST', `/v1/applications/${applicationId}/scores`, {
      as,
      body: { indicators: sheet(40, 30, 30) },
    });
    expect(again).toMatchObject({ status: 409, body: { code: 'ALREADY_SCORED' } });
    const history = (
      await h.request('GET', `/v1/applications/${applicationId}/history`, { as: officerOf(CITY) })
    ).body;
    const event = history.find((e: { type: string }) => e.type === 'ExpertScoreSubmitted');
    expect(event.data).toEqual({
      expertId: panel[0],
      score: 82,
      comment: null,
      exact: '82',
      indicators: [
        { code: 'innovation', score: 35, comment: '核心技术自主可控' },
        { code: 'growth', score: 22, comment: null },
        { code: 'management', score: 25, comment: null },
      ],
    });
  });

  it('replaces an expert who declares a conflict through the replacement draw', async () => {
    const as = expert(panel[1]);
    const noReason = await h.request('POST', `/v1/applications/${applicationId}/conflict-declaration`, {
      as,
      body: { conflict: true },
    });
    expect(noReason).toMatchObject({ status: 400, body: { code: 'REASON_REQUIRED' } });
    const declared = await h.request('POST', `/v1/applications/${applicationId}/conflict-declaration`, {
      as,
      body: { conflict: true, reason: '本人曾担任该企业技术顾问' },
    });
    expect(declared).toMatchObject({ status: 200, body: { replacementRequested: true } });
    await h.settle();
    const history = (
      await h.request('GET', `/v1/applications/${applicationId}/history`, { as: officerOf(CITY) })
    ).body;
    const replaced = history.filter((e: { type: string }) => e.type === 'ExpertReplaced');
    expect(replaced).toHaveLength(1);
    expect(replaced[0].data).toMatchObject({ expertId: panel[1], reason: 'conflict-of-interest' });
    expect(panel).not.toContain(replaced[0].data.replacement);
    // The city's officers, who ran the draw, are told in their inbox (notifications/rules.yaml,
    // the rule `where: { data.conflict: true }`), in Chinese with the catalogue's labels.
    const notice = await officerNotice('ExpertConflictDeclared');
    expect(notice).toMatchObject({
      rule: 'expert-conflict-declared',
      subject: '评审专家声明利益冲突，需抽选替补专家',
    });
    expect(notice.body).toContain(
      `评审专家${panel[1]}对雏鹰企业申报（编号 ${applicationId}，无锡评分表科技有限公司）`,
    );
    expect(notice.body).toContain('提交了专家利益冲突声明，理由：本人曾担任该企业技术顾问');
    // The outbox handles events in order: the earlier declaration of no conflict (the test
    // above) was handled before this one, and told no one.
    const inbox = (await h.request('GET', '/v1/inbox', { as: officerOf(CITY) })).body;
    expect(inbox.items.filter((n: { type: string }) => n.type === 'ExpertConflictDeclared')).toHaveLength(1);
    const late = await h.request('POST', `/v1/applications/${applicationId}/scores`, {
      as,
      body: { indicators: sheet(30, 20, 20) },
    });
    expect(late).toMatchObject({ status: 409, body: { code: 'NOT_ON_PANEL' } });

    // The rest of the panel, the replacement included, declares and scores: the review concludes on the totals.
    const seats = [...panel.slice(2), replaced[0].data.replacement as string];
    for (const id of seats) {
      expect(
        (
          await h.request('POST', `/v1/applications/${applicationId}/conflict-declaration`, {
            as: expert(id),
            body: { conflict: false },
          })
        ).status,
      ).toBe(200);
      expect(
        (
          await h.request('POST', `/v1/applications/${applicationId}/scores`, {
            as: expert(id),
            body: { indicators: sheet(30, 20, 20) },
          })
        ).status,
      ).toBe(200);
    }
    const application = (await h.request('GET', `/v1/applications/${applicationId}`, { as: officerOf(CITY) }))
      .body;
    // (82 + 4 × 70) / 5 = 72.4 > 70
    expect(application).toMatchObject({ status: 'passed', score: '72.4' });
  });
});
