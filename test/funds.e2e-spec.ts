import { littleGiantData, techRetrofitData } from '@engine/incubation/testing/sample-applications';
import { EngineDriver, officerOf, enterpriseOf } from '../apps/demo/src/engine-driver';
import { type Harness, startApi } from './support/api-harness';
import { creditCode } from './support/fixtures';
import { expectMatches } from './support/openapi-contract';

const auditor = { sub: 'auditor-funds', role: 'auditor' as const };

/**
 * The source pages' money, through the api: Xiamen's tech-retrofit terms (2% in the 2021
 * promotion, the city's interest subsidy year by year), Weihai's central SME funds (5.95 million
 * = 4.15 million to two key little giants + 1.80 million to one platform, and not a yuan more),
 * and pool memberships read as innovation-points indicators.
 */
describe('funds, financing terms and innovation indicators', () => {
  let h: Harness;
  let d: EngineDriver;
  let serial = 0;

  async function enterprise(prefix: string, jurisdiction: string, establishedOn: string, name: string) {
    const code = creditCode(`${prefix}${String(++serial).padStart(17 - prefix.length, '0')}`);
    await d.registerEnterprise({ creditCode: code, name, jurisdiction, establishedOn });
    return code;
  }

  beforeAll(async () => {
    h = await startApi({ now: '2021-03-02T01:00:00.000Z' });
    d = new EngineDriver((method, url, options) => h.request(method, url, options));
    await d.registerExperts('fx', 20, 4);
  }, 60_000);
  afterAll(() => h.close());

  it("shows an approved Xiamen project's terms: 70% of investment, 5 years, 2% in the 2021 promotion, and the subsidy the city owes each year", async () => {
    const roundId = await d.openRound({
      programme: 'tech-retrofit',
      year: 2021,
      batch: 8,
      title: '厦门 技改基金白名单第八批',
      jurisdiction: 'fj.xiamen',
      opensAt: '2021-03-01T00:00:00+08:00',
      closesAt: '2021-04-30T17:00:00+08:00',
    });
    const code = await enterprise('91350203FT', 'fj.xiamen.torch', '2012-08-09', '厦门顾德益电器有限公司');
    const id = await d.apply(
      code,
      roundId,
      techRetrofitData({ name: '扩产技术改造项目', totalInvestment: 60_000_000 }),
    );
    await d.passReviews(id, 'fj.xiamen.torch', 'fj.xiamen');
    h.clock.set(new Date('2021-04-06T01:00:00Z'));
    expect(await d.scoreAll(id, await d.drawPanel(id, 'fj.xiamen'), 85)).toBe('passed');

    const before = await h.request('GET', `/v1/applications/${id}/financing`, { as: enterpriseOf(code) });
    expect(before).toMatchObject({ status: 409, body: { code: 'FINANCING_NOT_APPROVED' } });

    await d.expect(200, 'POST', `/v1/applications/${id}/finance-opinion`, {
      as: officerOf('fj.xiamen'),
      body: {
        approved: true,
        opinion: '同意纳入技改服务基金白名单',
        financing: { amount: 42_000_000, termYears: 5, bankRatePercent: 3.85 },
      },
    });
    const terms = await h.request('GET', `/v1/applications/${id}/financing`, { as: enterpriseOf(code) });
    expect(terms.status).toBe(200);
    expect(terms.body).toMatchObject({
      policyVersion: 'tech-retrofit/xiamen-2020',
      approvedOn: '2021-04-06',
      project: { name: '扩产技术改造项目', totalInvestment: 60_000_000 },
      financing: {
        amount: 42_000_000,
        termYears: 5,
        ratePercent: 2,
        promotion: { from: '2021-04-01', to: '2021-12-31' },
        bankRatePercent: 3.85,
        yearlyInterestSubsidy: 777_000,
        cap: 42_000_000,
      },
      terms: { maxAmount: 500_000_000, maxSharePercent: 70, maxTermYears: 5, ratePercent: 3 },
    });
    // 42,000,000 × (3.85% − 2%) = 777,000 yuan a year, five years from the opinion.
    expect(
      terms.body.schedule.periods.map((p: { from: string; to: string; subsidy: number }) => [
        p.from,
        p.to,
        p.subsidy,
      ]),
    ).toEqual([
      ['2021-04-06', '2022-04-05', 777_000],
      ['2022-04-06', '2023-04-05', 777_000],
      ['2023-04-06', '2024-04-05', 777_000],
      ['2024-04-06', '2025-04-05', 777_000],
      ['2025-04-06', '2026-04-05', 777_000],
    ]);
    expect(terms.body.schedule.total).toBe(3_885_000);
    await expectMatches(h, 'GET', '/v1/applications/{id}/financing', 200, terms.body);
    // Another district's officer is told it does not exist.
    const elsewhere = await h.request('GET', `/v1/applications/${id}/financing`, {
      as: officerOf('fj.xiamen.huli'),
    });
    expect(elsewhere).toMatchObject({ status: 404, body: { code: 'APPLICATION_NOT_FOUND' } });
  });

  it('allocates Weihai’s 5.95 million of central SME funds: 4.15 million to two key little giants, 1.80 million to one platform, and refuses a further yuan', async () => {
    h.clock.set(new Date('2026-03-02T02:00:00Z'));
    const roundId = await d.openRound({
      programme: 'little-giant',
      year: 2026,
      batch: 1,
      title: '威海 专精特新"小巨人" 推荐',
      jurisdiction: 'sd.weihai',
      opensAt: '2026-03-01T00:00:00+08:00',
      closesAt: '2026-04-30T17:00:00+08:00',
    });
    const giants = [
      await enterprise('91371000FW', 'sd.weihai.gaoqu', '2009-06-16', '威海联桥新材料科技股份有限公司'),
      await enterprise('91371000FW', 'sd.weihai.gaoqu', '2011-04-08', '威海克莱特菲尔风机股份有限公司'),
    ];
    const apps: string[] = [];
    for (const [i, code] of giants.entries()) {
      const id = await d.apply(code, roundId, littleGiantData(i));
      await d.passReviews(id, 'sd.weihai.gaoqu', 'sd.weihai');
      expect(await d.scoreAll(id, await d.drawPanel(id, 'sd.weihai'), 85)).toBe('passed');
      apps.push(id);
    }
    await h.advanceTo('2026-04-30T10:00:00Z');
    const { endsOn } = await d.publicise(roundId, 'sd.weihai');
    await h.settle();
    await h.advanceTo(`${endsOn}T16:00:00Z`);
    for (const id of apps) {
      await d.expect(200, 'POST', `/v1/applications/${id}/national-decision`, {
        as: officerOf('sd.weihai'),
        body: { decision: 'recognized', documentNumber: '工信部企业函〔2026〕88号' },
      });
    }
    await h.settle();
    const memberships = (await d.memberships('?programme=little-giant')).filter((m: { creditCode: string }) =>
      giants.includes(m.creditCode),
    );
    expect(memberships).toHaveLength(2);

    const zone = officerOf('sd.weihai.gaoqu');
    const created = await h.request('POST', '/v1/funds', {
      as: zone,
      body: {
        name: '2026年中小企业发展专项资金（专精特新）',
        budget: 5_950_000,
        source: '中央财政中小企业发展专项资金',
        jurisdiction: 'sd.weihai.gaoqu',
        year: 2026,
        programmes: ['little-giant'],
      },
    });
    expect(created).toMatchObject({
      status: 201,
      body: { budget: 5_950_000, allocated: 0, remaining: 5_950_000 },
    });
    const fundId = created.body.id as string;
    await expectMatches(h, 'POST', '/v1/funds', 201, created.body);
    const again = await h.request('POST', '/v1/funds', {
      as: zone,
      body: {
        name: '2026年中小企业发展专项资金（专精特新）',
        budget: 1,
        source: '中央财政中小企业发展专项资金',
        jurisdiction: 'sd.weihai.gaoqu',
        year: 2026,
      },
    });
    expect(again).toMatchObject({ status: 409, body: { code: 'FUND_EXISTS' } });

    // The page gives the little giants' 4.15 million as one figure: split evenly here.
    const allocate = (recipient: Record<string, string>, amount: number, purpose: string) =>
      h.request('POST', `/v1/funds/${fundId}/allocations`, {
        as: zone,
        body: { recipient, amount, purpose },
      });
    const allocations: string[] = [];
    for (const m of memberships) {
      const res = await allocate({ membershipId: m.id }, 2_075_000, '专精特新"小巨人"企业奖补');
      expect(res.status).toBe(201);
      allocations.push(res.body.id);
    }
    const platform = await allocate(
      { platform: '威海高新区中小企业公共服务示范平台' },
      1_800_000,
      '中小企业公共服务示范平台奖补',
    );
    expect(platform).toMatchObject({ status: 201, body: { fund: { allocated: 5_950_000, remaining: 0 } } });
    await expectMatches(h, 'POST', '/v1/funds/{id}/allocations', 201, platform.body);

    const further = await allocate({ platform: '威海高新区中小企业公共服务示范平台' }, 1, '追加');
    expect(further).toMatchObject({
      status: 422,
      body: {
        code: 'FUND_BUDGET_EXCEEDED',
        explanation: { budget: 5_950_000, allocated: 5_950_000, remaining: 0 },
      },
    });
    expect(further.body.message).toMatch(/[\u4e00-\u9fff]/);
    const notAMember = await allocate({ membershipId: '00000000-0000-4000-8000-000000000000' }, 1, 'x');
    expect(notAMember).toMatchObject({ status: 422, body: { code: 'RECIPIENT_NOT_ADMITTED' } });

    const pay = (allocationId: string, amount: number, documentNumber: string) =>
      h.request('POST', `/v1/funds/${fundId}/allocations/${allocationId}/payments`, {
        as: zone,
        body: { amount, documentNumber },
      });
    const paid = await pay(allocations[0], 2_075_000, '威高财字[2026]12号');
    expect(paid.status).toBe(201);
    await expectMatches(h, 'POST', '/v1/funds/{id}/allocations/{allocationId}/payments', 201, paid.body);
    const over = await pay(allocations[1], 2_075_001, '威高财字〔2026〕13号');
    expect(over).toMatchObject({ status: 422, body: { code: 'PAYMENT_EXCEEDS_ALLOCATION' } });

    const fund = await h.request('GET', `/v1/funds/${fundId}`, { as: auditor });
    expect(fund.status).toBe(200);
    await expectMatches(h, 'GET', '/v1/funds/{id}', 200, fund.body);
    expect(fund.body).toMatchObject({
      source: '中央财政中小企业发展专项资金',
      budget: 5_950_000,
      allocated: 5_950_000,
      remaining: 0,
      paid: 2_075_000,
    });
    expect(
      fund.body.allocations.map((a: { recipient: { kind: string }; amount: number; unpaid: number }) => [
        a.recipient.kind,
        a.amount,
        a.unpaid,
      ]),
    ).toEqual([
      ['membership', 2_075_000, 0],
      ['membership', 2_075_000, 2_075_000],
      ['platform', 1_800_000, 1_800_000],
    ]);
    // The document number as one spelling, whatever brackets were typed.
    expect(fund.body.allocations[0].payments[0].documentNumber).toBe('威高财字〔2026〕12号');
    const toGiants = fund.body.allocations
      .filter((a: { recipient: { kind: string } }) => a.recipient.kind === 'membership')
      .reduce((n: number, a: { amount: number }) => n + a.amount, 0);
    expect(toGiants).toBe(4_150_000);
    // Out of reach for a neighbouring district: not found.
    const other = await h.request('GET', `/v1/funds/${fundId}`, { as: officerOf('sd.weihai.huancui') });
    expect(other).toMatchObject({ status: 404, body: { code: 'FUND_NOT_FOUND' } });

    // Pool membership is an innovation-points indicator while it is valid.
    const indicators = await h.request('GET', '/v1/innovation-indicators?jurisdiction=sd.weihai', {
      as: officerOf('sd.weihai'),
    });
    expect(indicators.status).toBe(200);
    await expectMatches(h, 'GET', '/v1/innovation-indicators', 200, indicators.body);
    expect(
      indicators.body.items
        .filter((i: { creditCode: string }) => giants.includes(i.creditCode))
        .map((i: { indicator: string; programme: string }) => [i.indicator, i.programme]),
    ).toEqual([
      ['pool-membership', 'little-giant'],
      ['pool-membership', 'little-giant'],
    ]);
    await d.expect(200, 'POST', `/v1/memberships/${memberships[0].id}/exit`, {
      as: officerOf('sd.weihai'),
      body: { reason: 'withdrawn' },
    });
    const after = await h.request('GET', `/v1/innovation-indicators?creditCode=${giants[0]}`, {
      as: auditor,
    });
    expect(after.body.items).toEqual([]);
  }, 120_000);
});
