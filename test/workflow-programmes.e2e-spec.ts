import {
  eagletData,
  gazelleData,
  littleGiantData,
  techRetrofitData,
} from '@engine/incubation/testing/sample-applications';
import { EngineDriver, enterpriseOf, officerOf } from '../apps/demo/src/engine-driver';
import { type Harness, startApi } from './support/api-harness';
import { creditCode } from './support/fixtures';

const WINDOW = { opensAt: '2026-03-01T00:00:00+08:00', closesAt: '2026-04-30T17:00:00+08:00' };

/**
 * The programmes' own endings: promotion on the ladder (a gazelle admission ends the eaglet
 * membership), the ministry's decision on little giants, the finance bureau's opinion and
 * financing on tech-retrofit projects, and a missed annual report that costs the right to
 * re-review.
 */
describe('programmes: promotion, ministry, finance bureau, annual reports', () => {
  let h: Harness;
  let d: EngineDriver;
  let serial = 0;
  const rounds: Record<string, { id: string; city: string; district: string }> = {};

  async function enterprise(prefix: string, jurisdiction: string, establishedOn: string, name: string) {
    const code = creditCode(`${prefix}${String(++serial).padStart(17 - prefix.length, '0')}`);
    await d.registerEnterprise({ creditCode: code, name, jurisdiction, establishedOn });
    return code;
  }

  /** Applies, passes the reviews and the panel (scores 85). */
  async function passed(programme: string, code: string, data: unknown) {
    const r = rounds[programme];
    const id = await d.apply(code, r.id, data);
    await d.passReviews(id, r.district, r.city);
    expect(await d.scoreAll(id, await d.drawPanel(id, r.city), 85)).toBe('passed');
    return id;
  }

  /** Publicity from today, then the clock past its end: the sagas finalize. */
  async function publicityRunsOut(programme: string) {
    const r = rounds[programme];
    const { endsOn } = await d.publicise(r.id, r.city);
    await h.settle();
    await h.advanceTo(`${endsOn}T16:00:00Z`);
  }

  beforeAll(async () => {
    h = await startApi({ now: '2026-03-02T02:00:00.000Z' });
    d = new EngineDriver((method, url, options) => h.request(method, url, options));
    const specs = [
      ['eaglet', 'js.wuxi', 'js.wuxi.xinwu'],
      ['gazelle', 'js.wuxi', 'js.wuxi.xinwu'],
      ['little-giant', 'sd.weihai', 'sd.weihai.gaoqu'],
      ['tech-retrofit', 'fj.xiamen', 'fj.xiamen.huli'],
    ] as const;
    for (const [programme, city, district] of specs) {
      const id = await d.openRound({
        programme,
        year: 2026,
        batch: 1,
        title: `${programme} 2026`,
        jurisdiction: city,
        ...WINDOW,
      });
      rounds[programme] = { id, city, district };
    }
    await d.registerExperts('x', 20, 4);
  }, 60_000);
  afterAll(() => h.close());

  it('judges a round by the rules of the nearest issuer above it: a Xiamen eaglet round has none, never Wuxi’s', async () => {
    const xiamen = await h.request('GET', '/v1/programmes?jurisdiction=fj.xiamen.huli', {
      as: officerOf('fj.xiamen'),
    });
    expect(xiamen.body.map((p: { policyVersion: string }) => p.policyVersion)).toEqual([
      'little-giant/miit-2022',
      'tech-retrofit/xiamen-2022',
    ]);
    const wuxi = await h.request('GET', '/v1/programmes?jurisdiction=js.wuxi', { as: officerOf('js.wuxi') });
    expect(wuxi.body.find((p: { code: string }) => p.code === 'eaglet')).toMatchObject({
      policyVersion: 'eaglet/wuxi-2024',
      jurisdiction: 'js.wuxi',
    });
    expect(
      (await h.request('GET', '/v1/programmes?jurisdiction=JS..wuxi', { as: officerOf('js.wuxi') })).status,
    ).toBe(400);
    const refused = await h.request('POST', '/v1/rounds', {
      as: officerOf('fj.xiamen'),
      body: {
        programme: 'eaglet',
        year: 2026,
        batch: 1,
        title: '厦门 雏鹰',
        jurisdiction: 'fj.xiamen',
        ...WINDOW,
      },
    });
    expect(refused).toMatchObject({ status: 422, body: { code: 'NO_POLICY_IN_FORCE' } });
  }, 60_000);

  it('ends the eaglet membership with reason "promoted" when the enterprise is admitted as a gazelle', async () => {
    const code = await enterprise('91320214PR', 'js.wuxi.xinwu', '2018-03-01', '无锡晋级示范有限公司');
    const eagletApp = await passed('eaglet', code, eagletData());
    const gazelleApp = await passed('gazelle', code, gazelleData());
    h.clock.set(new Date('2026-04-30T10:00:00Z'));
    await publicityRunsOut('eaglet');
    expect(await d.status(eagletApp)).toBe('admitted');
    let memberships = await d.memberships(`?programme=eaglet`);
    const eaglet = memberships.find((m: { creditCode: string }) => m.creditCode === code);
    expect(eaglet.status).toBe('active');

    await publicityRunsOut('gazelle');
    expect(await d.status(gazelleApp)).toBe('admitted');
    memberships = await d.memberships('');
    const mine = memberships.filter((m: { creditCode: string }) => m.creditCode === code);
    expect(
      mine
        .map((m: { programme: string; status: string; exitReason: string | null }) => [
          m.programme,
          m.status,
          m.exitReason,
        ])
        .sort(),
    ).toEqual([
      ['eaglet', 'exited', 'promoted'],
      ['gazelle', 'active', null],
    ]);
  }, 60_000);

  it('forwards little giants to the ministry and records its decision with the document number', async () => {
    h.clock.set(new Date('2026-03-03T02:00:00Z'));
    // Rounds closed already; open a fresh little-giant round for this case.
    const id = await d.openRound({
      programme: 'little-giant',
      year: 2026,
      batch: 2,
      title: '威海 小巨人 推荐',
      jurisdiction: 'sd.weihai',
      opensAt: '2026-06-01T00:00:00+08:00',
      closesAt: '2026-06-30T17:00:00+08:00',
    });
    rounds['little-giant'] = { ...rounds['little-giant'], id };
    const recognised = await enterprise(
      '91371000LG',
      'sd.weihai.gaoqu',
      '2009-06-16',
      '威海联桥新材料科技股份有限公司',
    );
    const refused = await enterprise(
      '91371000LG',
      'sd.weihai.gaoqu',
      '2011-04-08',
      '威海克莱特菲尔风机股份有限公司',
    );
    await h.advanceTo('2026-06-02T02:00:00Z');
    const a = await passed('little-giant', recognised, littleGiantData(0));
    const b = await passed('little-giant', refused, littleGiantData(1));
    expect(
      (
        await h.request('POST', `/v1/applications/${a}/national-decision`, {
          as: officerOf('sd.weihai'),
          body: { decision: 'recognized', documentNumber: 'x' },
        })
      ).status,
    ).toBe(409);
    await h.advanceTo('2026-06-30T10:00:00Z');
    await publicityRunsOut('little-giant');
    expect(await d.application(a)).toMatchObject({ status: 'recommended', awaiting: 'ministry' });
    expect((await d.round(id)).final).toMatchObject({ outcome: 'forward', admitted: 2 });

    const doc = '工信部企业函〔2026〕88号';
    const ok = await h.request('POST', `/v1/applications/${a}/national-decision`, {
      as: officerOf('sd.weihai'),
      body: { decision: 'recognized', documentNumber: doc },
    });
    expect(ok).toMatchObject({ status: 200, body: { status: 'admitted' } });
    const no = await h.request('POST', `/v1/applications/${b}/national-decision`, {
      as: officerOf('sd.weihai'),
      body: { decision: 'rejected', documentNumber: doc },
    });
    expect(no).toMatchObject({ status: 200, body: { status: 'rejected' } });
    await h.settle();
    const lg = (await d.memberships('?programme=little-giant')).filter((m: { creditCode: string }) =>
      [recognised, refused].includes(m.creditCode),
    );
    expect(lg.map((m: { creditCode: string }) => m.creditCode)).toEqual([recognised]);
    expect((await d.application(a)).nationalDecision).toEqual({
      decision: 'recognized',
      documentNumber: doc,
    });
  }, 60_000);

  it("takes the finance bureau's opinion on a tech-retrofit project within the policy's caps", async () => {
    h.clock.set(new Date('2026-07-01T02:00:00Z'));
    const id = await d.openRound({
      programme: 'tech-retrofit',
      year: 2026,
      batch: 3,
      title: '厦门 技改基金白名单',
      jurisdiction: 'fj.xiamen',
      opensAt: '2026-07-01T00:00:00+08:00',
      closesAt: '2026-07-31T17:00:00+08:00',
    });
    rounds['tech-retrofit'] = { ...rounds['tech-retrofit'], id };
    const code = await enterprise('91350203TR', 'fj.xiamen.huli', '2012-08-09', '厦门顾德益电器有限公司');
    const app = await passed(
      'tech-retrofit',
      code,
      techRetrofitData({ name: '扩产技术改造项目', totalInvestment: 60_000_000 }),
    );
    expect(await d.application(app)).toMatchObject({ status: 'passed', awaiting: 'finance-bureau' });
    const city = officerOf('fj.xiamen');
    // 2022 rules: at most 80% of the total investment.
    const over = await h.request('POST', `/v1/applications/${app}/finance-opinion`, {
      as: city,
      body: { approved: true, opinion: '同意', financing: { amount: 48_000_001 } },
    });
    expect(over).toMatchObject({ status: 422, body: { code: 'FINANCING_OVER_CAP' } });
    const ok = await h.request('POST', `/v1/applications/${app}/finance-opinion`, {
      as: city,
      body: { approved: true, opinion: '同意纳入白名单', financing: { amount: 42_000_000, termYears: 5 } },
    });
    expect(ok).toMatchObject({
      status: 200,
      body: { status: 'passed', financing: { amount: 42_000_000, ratePercent: 2, termYears: 5 } },
    });
    await h.advanceTo('2026-07-31T10:00:00Z');
    await publicityRunsOut('tech-retrofit');
    expect(await d.application(app)).toMatchObject({ status: 'admitted', financing: { amount: 42_000_000 } });
    const entry = (await d.memberships('?programme=tech-retrofit')).find(
      (m: { creditCode: string }) => m.creditCode === code,
    );
    expect(entry).toMatchObject({ status: 'active' });
  }, 60_000);

  it('flags a membership whose annual data was not filed by its due date (no re-review), and still takes the late data', async () => {
    const gazelle = (await d.memberships('?programme=gazelle'))[0];
    expect(gazelle.lostReReviewRight).toBe(false);
    // Gazelle (Wuxi): annual data due 31 May; the reminder goes out 30 days before.
    await h.advanceTo('2027-05-02T02:00:00Z');
    const membership = (
      await h.request('GET', `/v1/memberships?programme=gazelle`, { as: officerOf('js.wuxi') })
    ).body[0];
    expect(membership.lostReReviewRight).toBe(false);
    // The enterprise sees what it owes in its portal: each year's report with its due date.
    const owed = async () =>
      (
        await h.request('GET', `/v1/enterprises/${membership.creditCode}`, {
          as: enterpriseOf(membership.creditCode),
        })
      ).body.memberships.find((m: { id: string }) => m.id === membership.id);
    expect(await owed()).toMatchObject({
      lostReReviewRight: false,
      annualReports: expect.arrayContaining([{ year: 2026, dueOn: '2027-05-31', status: 'open' }]),
    });
    await h.advanceTo('2027-06-01T02:00:00Z');
    expect((await owed()).annualReports).toContainEqual({
      year: 2026,
      dueOn: '2027-05-31',
      status: 'missed',
    });
    const after = (await d.memberships('?programme=gazelle'))[0];
    expect(after.lostReReviewRight).toBe(true);
    const filedLate = await h.request('POST', `/v1/memberships/${after.id}/annual-reports`, {
      as: enterpriseOf(after.creditCode),
      body: { year: 2026, data: { revenue: 52_000_000 } },
    });
    expect(filedLate.status).toBe(201); // late data is still taken; the flag stays
    expect(await owed()).toMatchObject({
      lostReReviewRight: true,
      annualReports: expect.arrayContaining([{ year: 2026, dueOn: '2027-05-31', status: 'filed' }]),
    });
    expect((await d.memberships('?programme=gazelle'))[0].lostReReviewRight).toBe(true);
  });

  it('refuses a re-review of a membership that lost the right to it, and one of another enterprise', async () => {
    const membership = (await d.memberships('?programme=gazelle'))[0];
    const round = await d.openRound({
      programme: 'gazelle',
      year: 2027,
      batch: 1,
      title: '2027 瞪羚 复核',
      jurisdiction: 'js.wuxi',
      opensAt: '2027-06-01T00:00:00+08:00',
      closesAt: '2027-06-30T17:00:00+08:00',
    });
    const lost = await h.request('POST', '/v1/applications', {
      as: enterpriseOf(membership.creditCode),
      body: {
        roundId: round,
        creditCode: membership.creditCode,
        data: gazelleData(),
        reReviewOf: membership.id,
      },
    });
    expect(lost).toMatchObject({ status: 422, body: { code: 'RE_REVIEW_RIGHT_LOST' } });
    const other = await enterprise('91320214RR', 'js.wuxi.xinwu', '2018-03-01', '无锡他人复核有限公司');
    const notTheirs = await h.request('POST', '/v1/applications', {
      as: enterpriseOf(other),
      body: { roundId: round, creditCode: other, data: gazelleData(), reReviewOf: membership.id },
    });
    expect(notTheirs).toMatchObject({ status: 404, body: { code: 'MEMBERSHIP_NOT_FOUND' } });
  });
});
