import type { ApplicationDataInput } from './application-data';
import { compareQuantity, createEvaluationContext, displayQuantity } from './evaluate';
import { computeMeasure, FACTS, type Observation, type Quantity } from './measures';
import { buildPolicy, FINANCING_2020, FINANCING_2022, rule } from './policy.fixtures';
import type { DatePoint, MeasureParams, Policy } from './policy-types';
import { Rational } from './rational';

const PLACEHOLDER = [rule('placeholder', { measure: 'employees', atLeast: 0 })];
const EAGLET = buildPolicy(PLACEHOLDER);
const RETROFIT_2020 = buildPolicy(PLACEHOLDER, {
  id: 'tech-retrofit/test-2020',
  programme: 'tech-retrofit',
  referenceDate: 'application-date',
  financing: FINANCING_2020,
});
const RETROFIT_2022 = buildPolicy(PLACEHOLDER, {
  id: 'tech-retrofit/test-2022',
  programme: 'tech-retrofit',
  referenceDate: 'application-date',
  financing: FINANCING_2022,
});

const FINANCIALS = [
  { year: 2021, revenue: 10_000_000, mainBusinessRevenue: 9_000_000, rdExpense: 400_000, netProfit: 500_000 },
  {
    year: 2022,
    revenue: 12_000_000,
    mainBusinessRevenue: 11_000_000,
    rdExpense: 500_000,
    netProfit: -200_000,
  },
  {
    year: 2023,
    revenue: 15_000_000,
    mainBusinessRevenue: 13_500_000,
    rdExpense: 600_000,
    netProfit: 300_000,
  },
  {
    year: 2024,
    revenue: 20_000_000,
    mainBusinessRevenue: 18_000_000,
    rdExpense: 600_000,
    netProfit: 900_000,
    totalAssets: 40_000_000,
    totalLiabilities: 28_000_000,
  },
];

function measure(
  name: string,
  params: MeasureParams,
  data: ApplicationDataInput,
  options: { policy?: Policy; establishedOn?: string; applicationDate?: string } = {},
): Observation[] {
  const ctx = createEvaluationContext(options.policy ?? EAGLET, {
    enterprise: { establishedOn: options.establishedOn },
    data,
    applicationDate: options.applicationDate ?? '2025-03-10',
  });
  return computeMeasure(ctx, name, params);
}

function exactValue(observation: Observation): Rational {
  if (observation.status !== 'value' || observation.quantity.kind !== 'exact')
    throw new Error(`not an exact value: ${JSON.stringify(observation)}`);
  return observation.quantity.value;
}

const r = (value: number | string) => Rational.parse(value);

describe('derived measures', () => {
  describe('ageYears', () => {
    it('given an enterprise founded 2019-05-20 and an application in 2025, when measured, then the age is taken at 2024-12-31', () => {
      const [age] = measure('ageYears', {}, {}, { establishedOn: '2019-05-20' });
      expect(age).toMatchObject({ status: 'value', basis: '成立于 2019-05-20，基准日 2024-12-31' });
      expect(age.status === 'value' && age.quantity.kind === 'exact' && age.quantity.text).toBe(
        '5 年 7 个月 11 天',
      );
      expect(exactValue(age).floor()).toBe(5n);
    });

    it('given no founding date, when measured, then it is missing', () => {
      expect(measure('ageYears', {}, {})).toEqual([
        { status: 'missing', missing: ['enterprise.establishedOn'] },
      ]);
    });

    it('given a founding after the reference date, when measured, then it says not yet established', () => {
      const [age] = measure('ageYears', {}, {}, { establishedOn: '2025-01-15' });
      expect(age.status === 'value' && age.quantity.kind === 'exact' && age.quantity.text).toBe('尚未成立');
    });
  });

  describe('yearly amounts and periods', () => {
    it('given financials, when revenue is measured for the latest year, then it is the 2024 figure', () => {
      expect(exactValue(measure('revenue', {}, { financials: FINANCIALS })[0]).eq(r(20_000_000))).toBe(true);
    });

    it('given financials, when main-business revenue is measured, then it is the 2024 figure with its year', () => {
      const [value] = measure('mainBusinessRevenue', {}, { financials: FINANCIALS });
      expect(exactValue(value).eq(r(18_000_000))).toBe(true);
      expect(value.label).toBe('2024');
    });

    it('given financials, when R&D is taken for each of the last 2 years, then there is one observation per year', () => {
      const observations = measure(
        'rdExpense',
        { period: { kind: 'eachOfLast', years: 2 } },
        { financials: FINANCIALS },
      );
      expect(observations.map((o) => o.label)).toEqual(['2023', '2024']);
    });

    it('given financials, when R&D is averaged over 3 years, then the mean is exact and the arithmetic shown', () => {
      const [average] = measure(
        'rdExpense',
        { period: { kind: 'averageOfLast', years: 3 } },
        { financials: FINANCIALS },
      );
      expect(exactValue(average).eq(Rational.of(1_700_000, 3))).toBe(true);
      expect(average).toMatchObject({
        label: '2022–2024 平均',
        basis: '(2022: 500,000 元 + 2023: 600,000 元 + 2024: 600,000 元) / 3',
      });
    });

    it('given financials, when R&D is totalled over 2 years, then it is the sum', () => {
      const [total] = measure(
        'rdExpense',
        { period: { kind: 'totalOfLast', years: 2 } },
        { financials: FINANCIALS },
      );
      expect(exactValue(total).eq(r(1_200_000))).toBe(true);
    });

    it('given a year missing from the financials, when averaged, then the whole average is missing, naming the year', () => {
      const [average] = measure(
        'rdExpense',
        { period: { kind: 'averageOfLast', years: 5 } },
        { financials: FINANCIALS },
      );
      expect(average).toEqual({ status: 'missing', label: '2020–2024 平均', missing: ['financials[2020]'] });
    });

    it('given a year filed twice, when measured, then it is treated as missing, not guessed', () => {
      const [revenue] = measure(
        'revenue',
        {},
        { financials: [...FINANCIALS, { year: 2024, revenue: 1, rdExpense: 0 }] },
      );
      expect(revenue).toMatchObject({ status: 'missing', missing: ['financials[2024] (appears twice)'] });
    });

    it('given a negative revenue or a text where a number belongs, when measured, then it is missing', () => {
      expect(
        measure('revenue', {}, { financials: [{ year: 2024, revenue: -5, rdExpense: 0 }] })[0].status,
      ).toBe('missing');
      const malformed = {
        financials: [{ year: 2024, revenue: '20000000', rdExpense: 0 }],
      } as unknown as ApplicationDataInput;
      expect(measure('revenue', {}, malformed)[0].status).toBe('missing');
    });

    it('given a loss, when net profit is measured, then a negative amount is accepted', () => {
      expect(
        exactValue(
          measure('netProfit', { period: { kind: 'eachOfLast', years: 3 } }, { financials: FINANCIALS })[0],
        ).eq(r(-200_000)),
      ).toBe(true);
    });
  });

  describe('ratios', () => {
    it('given R&D of 600,000 on revenue of 20,000,000, when the share is measured, then it is exactly 3%', () => {
      const [share] = measure('rdShareOfRevenue', {}, { financials: FINANCIALS });
      expect(exactValue(share).eq(r(3))).toBe(true);
      expect(share).toMatchObject({ basis: '600,000 元 / 20,000,000 元', label: '2024' });
    });

    it('given two years, when the share is pooled (totalOfLast), then it is total R&D over total revenue, not the mean of shares', () => {
      const [pooled] = measure(
        'rdShareOfRevenue',
        { period: { kind: 'totalOfLast', years: 2 } },
        { financials: FINANCIALS },
      );
      const [mean] = measure(
        'rdShareOfRevenue',
        { period: { kind: 'averageOfLast', years: 2 } },
        { financials: FINANCIALS },
      );
      expect(exactValue(pooled).eq(Rational.of(1_200_000, 35_000_000).toPercent())).toBe(true);
      expect(exactValue(mean).eq(r(3.5))).toBe(true);
    });

    it('given zero revenue, when the share is measured, then it is unavailable with the reason', () => {
      const [share] = measure(
        'rdShareOfRevenue',
        {},
        { financials: [{ year: 2024, revenue: 0, rdExpense: 10 }] },
      );
      expect(share).toEqual({
        status: 'unavailable',
        label: '2024',
        reason: '2024 年营业收入为 0，比例无法计算',
      });
    });

    it('given main-business revenue, when its share is measured, then it is 90%', () => {
      expect(exactValue(measure('mainBusinessShare', {}, { financials: FINANCIALS })[0]).eq(r(90))).toBe(
        true,
      );
    });

    it('given assets and liabilities, when debt to assets is measured, then it is 70% exactly', () => {
      expect(exactValue(measure('debtToAssets', {}, { financials: FINANCIALS })[0]).eq(r(70))).toBe(true);
    });

    it('given no liabilities filed, when debt to assets is measured, then the missing field is named', () => {
      expect(
        measure('debtToAssets', { period: { kind: 'eachOfLast', years: 2 } }, { financials: FINANCIALS })[0],
      ).toEqual({
        status: 'missing',
        label: '2023',
        missing: ['financials[2023].totalLiabilities', 'financials[2023].totalAssets'],
      });
    });

    it('given staff figures, when the R&D staff share is measured, then it is exact; with no employees it is unavailable', () => {
      expect(exactValue(measure('rdStaffShare', {}, { employees: 120, rdStaff: 60 })[0]).eq(r(50))).toBe(
        true,
      );
      expect(measure('rdStaffShare', {}, { employees: 0, rdStaff: 0 })[0].status).toBe('unavailable');
    });
  });

  describe('growth and CAGR', () => {
    it('given revenue of 15 then 20 million, when growth is measured, then it is exactly 100/3 %', () => {
      const [growth] = measure('growth', { of: 'revenue' }, { financials: FINANCIALS });
      expect(exactValue(growth).eq(Rational.of(100, 3))).toBe(true);
      expect(growth).toMatchObject({ basis: '(2024: 20,000,000 元 − 2023: 15,000,000 元) / 15,000,000 元' });
    });

    it('given main-business revenue, when the 2-year average growth is measured, then it is the mean of the two growths', () => {
      const [average] = measure(
        'growth',
        { of: 'mainBusinessRevenue', period: { kind: 'averageOfLast', years: 2 } },
        { financials: FINANCIALS },
      );
      const g2023 = Rational.of(13_500_000 - 11_000_000, 11_000_000).toPercent();
      const g2024 = Rational.of(18_000_000 - 13_500_000, 13_500_000).toPercent();
      expect(exactValue(average).eq(g2023.add(g2024).div(r(2)))).toBe(true);
    });

    it('given a loss the year before, when net-profit growth is measured, then it is unavailable, not a huge number', () => {
      const [growth] = measure(
        'growth',
        { of: 'netProfit', period: { kind: 'eachOfLast', years: 2 } },
        { financials: FINANCIALS },
      );
      expect(growth).toMatchObject({ status: 'unavailable', label: '2023' });
    });

    it('given revenue from 10 to 20 million over 3 years, when the CAGR is measured, then the ratio is kept exact', () => {
      const [cagr] = measure('cagr', { of: 'revenue', years: 3 }, { financials: FINANCIALS });
      expect(cagr.status === 'value' && cagr.quantity).toEqual({
        kind: 'cagr',
        unit: 'percent',
        ratio: r(2),
        years: 3,
      });
    });

    it('given a CAGR, when compared with thresholds, then it is exact at the boundary (1.44 over 2 years is exactly 20%)', () => {
      const cagr: Quantity = { kind: 'cagr', unit: 'percent', ratio: r(1.44), years: 2 };
      expect(compareQuantity(cagr, r(20))).toBe(0);
      expect(compareQuantity(cagr, r('19.99'))).toBe(1);
      expect(compareQuantity(cagr, r('20.01'))).toBe(-1);
      expect(displayQuantity(cagr, [r(20)])).toBe('20%');
      expect(displayQuantity(cagr)).toBe('20.00%');
    });

    it('given a CAGR of 2^(1/3) - 1, when shown, then it is approximate and on the right side of 26%', () => {
      const cagr: Quantity = { kind: 'cagr', unit: 'percent', ratio: r(2), years: 3 };
      expect(compareQuantity(cagr, r(26))).toBe(-1); // 25.99...%
      expect(displayQuantity(cagr, [r(26)])).toBe('≈ 25.99%');
    });

    it('given a zero starting year, when the CAGR is measured, then it is unavailable', () => {
      const data = {
        financials: [
          { year: 2022, revenue: 0, rdExpense: 0 },
          { year: 2024, revenue: 5, rdExpense: 0 },
        ],
      };
      expect(measure('cagr', { years: 2 }, data)[0].status).toBe('unavailable');
    });
  });

  describe('counts and declared figures', () => {
    it('given IP rights, when counted by class, then only the classes listed are summed', () => {
      const data = { ipRights: { classI: 2, classII: 5, applied: 3 } };
      expect(exactValue(measure('ipRights', {}, data)[0]).eq(r(10))).toBe(true);
      expect(exactValue(measure('ipRights', { classes: ['classI', 'classII'] }, data)[0]).eq(r(7))).toBe(
        true,
      );
      expect(exactValue(measure('ipRights', { classes: ['classI'] }, data)[0]).eq(r(2))).toBe(true);
      expect(measure('ipRights', {}, {})[0]).toEqual({
        status: 'missing',
        missing: ['ipRights.classI', 'ipRights.classII', 'ipRights.applied'],
      });
    });

    it.each([
      ['employees', { employees: 85 }, 85],
      ['rdStaff', { rdStaff: 30 }, 30],
      ['ventureInvestment3y', { ventureInvestment3y: 12_000_000 }, 12_000_000],
      ['equityFinancing2y', { equityFinancing2y: 90_000_000 }, 90_000_000],
      ['nicheYears', { nicheYears: 12 }, 12],
      ['nationalMarketShare', { nationalMarketShare: 13.5 }, 13.5],
    ] as const)('given %s in the data, when measured, then it is read exactly', (name, data, value) => {
      expect(exactValue(measure(name, {}, data as ApplicationDataInput)[0]).eq(r(value))).toBe(true);
      expect(measure(name, {}, {})[0]).toEqual({ status: 'missing', missing: [name] });
    });
  });

  describe('valuationCny', () => {
    it('given a valuation in yuan, when measured, then it is taken as is', () => {
      expect(
        exactValue(
          measure('valuationCny', {}, { valuation: { amount: 650_000_000, currency: 'CNY' } })[0],
        ).eq(r(650_000_000)),
      ).toBe(true);
    });

    it("given a valuation in dollars, when measured, then the policy's own rate converts it exactly", () => {
      const [valuation] = measure('valuationCny', {}, { valuation: { amount: 84_507_043, currency: 'USD' } });
      expect(exactValue(valuation).eq(r('600000005.3'))).toBe(true);
      expect(valuation).toMatchObject({ basis: '84,507,043 美元 × 7.1' });
    });

    it('given no valuation, when measured, then it is missing', () => {
      expect(measure('valuationCny', {}, {})[0]).toEqual({
        status: 'missing',
        missing: ['valuation.amount'],
      });
    });
  });

  describe('awardRank', () => {
    const awards = [
      { kind: 'maker-china' as const, year: 2020, rank: 8 },
      { kind: 'maker-china' as const, year: 2023, rank: 35 },
      { kind: 'maker-china' as const, year: 2024, rank: 61 },
      { kind: 'national-science-award' as const, year: 2024, rank: 2 },
    ];

    it('given awards, when the best maker-china rank of the last 3 years is asked, then older awards do not count', () => {
      const [rank] = measure('awardRank', { kind: 'maker-china', withinYears: 3 }, { awards });
      expect(exactValue(rank).eq(r(35))).toBe(true);
      expect(rank).toMatchObject({ basis: '2023 年' });
    });

    it('given no award of the kind, when asked, then it is unavailable (none), not missing', () => {
      expect(measure('awardRank', { kind: 'maker-china', withinYears: 3 }, {})[0]).toEqual({
        status: 'unavailable',
        reason: '2022–2025 年无此类奖项',
      });
    });
  });

  describe('project financing', () => {
    const project = (totalInvestment: number, fixedAssetInvestment: number, requestedFinancing = 1) => ({
      project: { name: '产线技改', totalInvestment, fixedAssetInvestment, requestedFinancing, termYears: 5 },
    });

    it('given a project, when its figures are measured, then they are read exactly', () => {
      const data = project(60_000_000, 48_000_000, 40_000_000);
      expect(exactValue(measure('totalInvestment', {}, data)[0]).eq(r(60_000_000))).toBe(true);
      expect(exactValue(measure('fixedAssetInvestment', {}, data)[0]).eq(r(48_000_000))).toBe(true);
      expect(exactValue(measure('requestedFinancing', {}, data)[0]).eq(r(40_000_000))).toBe(true);
      expect(exactValue(measure('termYears', {}, data)[0]).eq(r(5))).toBe(true);
      expect(exactValue(measure('financingShareOfInvestment', {}, data)[0]).eq(Rational.of(200, 3))).toBe(
        true,
      );
    });

    it('given the 2020 terms and a 100 million project, when the cap is measured, then it is 70% of the investment', () => {
      const [cap] = measure('financingCap', {}, project(100_000_000, 90_000_000), { policy: RETROFIT_2020 });
      expect(exactValue(cap).eq(r(70_000_000))).toBe(true);
      expect(cap).toMatchObject({
        basis: 'min(单个项目上限 500,000,000 元; 总投资 100,000,000 元 × 70% = 70,000,000 元)',
      });
    });

    it('given the 2020 terms and a 1 billion project, when the cap is measured, then the 500 million ceiling binds', () => {
      expect(
        exactValue(
          measure('financingCap', {}, project(1_000_000_000, 800_000_000), { policy: RETROFIT_2020 })[0],
        ).eq(r(500_000_000)),
      ).toBe(true);
    });

    it('given the 2022 terms and a project mostly of fixed assets, when the cap is measured, then the split binds', () => {
      // fixed part min(70M, 95M) = 70M; working part min(10M, 5M) = 5M; 75M < 80% of 100M
      const [cap] = measure('financingCap', {}, project(100_000_000, 95_000_000), { policy: RETROFIT_2022 });
      expect(exactValue(cap).eq(r(75_000_000))).toBe(true);
    });

    it('given the 2022 terms and fixed assets of 80%, when the cap is measured, then it is 80% of the investment', () => {
      // fixed part min(70M, 80M) = 70M; working part min(10M, 20M) = 10M
      expect(
        exactValue(
          measure('financingCap', {}, project(100_000_000, 80_000_000), { policy: RETROFIT_2022 })[0],
        ).eq(r(80_000_000)),
      ).toBe(true);
    });

    it('given the 2022 terms and fixed assets of 60%, when the cap is measured, then no more than the fixed assets is lent for them', () => {
      // fixed part min(70M, 60M) = 60M; working part min(10M, 40M) = 10M
      expect(
        exactValue(
          measure('financingCap', {}, project(100_000_000, 60_000_000), { policy: RETROFIT_2022 })[0],
        ).eq(r(70_000_000)),
      ).toBe(true);
    });

    it('given a cap that is not whole yuan, when measured, then it stays exact', () => {
      expect(
        exactValue(
          measure('financingCap', {}, project(1_234_567, 1_000_000), { policy: RETROFIT_2020 })[0],
        ).eq(r('864196.9')),
      ).toBe(true);
    });

    it('given no project, when the cap is measured, then it is missing', () => {
      expect(measure('financingCap', {}, {}, { policy: RETROFIT_2020 })[0]).toEqual({
        status: 'missing',
        missing: ['project.totalInvestment'],
      });
    });
  });
});

describe('facts', () => {
  function fact(
    name: string,
    data: ApplicationDataInput,
    at: DatePoint = 'referenceDate',
    applicationDate = '2025-03-10',
  ) {
    const ctx = createEvaluationContext(EAGLET, { enterprise: {}, data, applicationDate });
    return FACTS.get(name)!.read(ctx, at);
  }

  it.each([
    ['majorAccident', { negativeRecords: { majorAccident: true, seriousDishonesty: false } }, true],
    ['seriousDishonesty', { negativeRecords: { majorAccident: false, seriousDishonesty: false } }, false],
    ['hasRdInstitution', { hasRdInstitution: true }, true],
    ['emergingIndustry', { emergingIndustry: false }, false],
    ['managementSystemCertified', { managementSystemCertified: true }, true],
    ['coreProcessOnInformationSystem', { coreProcessOnInformationSystem: true }, true],
    ['ownBrand', { ownBrand: false }, false],
  ] as const)('given %s declared, when read, then the value is the declaration', (name, data, value) => {
    expect(fact(name, data)).toMatchObject({ status: 'value', value });
    expect(fact(name, {})).toMatchObject({ status: 'missing' });
  });

  describe('provincialSrdiValid', () => {
    const certificate = (validUntil: string) => ({
      provincialSrdi: { certificateNo: '鲁专精特新2023-0412', validUntil },
    });

    it('given a certificate valid through the reference date, when read at it, then it holds', () => {
      expect(fact('provincialSrdiValid', certificate('2024-12-31'))).toMatchObject({
        status: 'value',
        value: true,
      });
    });

    it('given a certificate that lapsed after the reference date, when read at the application date, then it does not hold', () => {
      const result = fact('provincialSrdiValid', certificate('2025-01-31'), 'applicationDate');
      expect(result).toEqual({
        status: 'value',
        value: false,
        text: '否 (no)：证书 鲁专精特新2023-0412 有效期至 2025-01-31，早于 2025-03-10',
      });
    });

    it('given no certificate, when read, then the answer is no (not missing)', () => {
      expect(fact('provincialSrdiValid', {})).toMatchObject({ status: 'value', value: false });
    });
  });

  it('given a credit rating, when read, then it is the trimmed text; absent, it is missing', () => {
    expect(fact('creditRating', { creditRating: ' AA ' })).toEqual({
      status: 'value',
      value: 'AA',
      text: 'AA',
    });
    expect(fact('creditRating', {})).toEqual({ status: 'missing', missing: ['creditRating'] });
  });
});
