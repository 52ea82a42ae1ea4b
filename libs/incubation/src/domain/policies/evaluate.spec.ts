import fc from 'fast-check';
import type { ApplicationDataInput } from './application-data';
import { evaluateEligibility, type Eligibility, type EligibilityCheck } from './evaluate';
import { buildPolicy, FINANCING_2020, rule } from './policy.fixtures';
import type { Policy } from './policy-types';

function evaluate(
  policy: Policy,
  data: ApplicationDataInput,
  establishedOn = '2018-06-01',
  applicationDate = '2025-03-10',
): Eligibility {
  return evaluateEligibility(policy, { enterprise: { establishedOn }, data, applicationDate });
}

function check(result: Eligibility, ruleId: string): EligibilityCheck {
  const found = result.checks.find((c) => c.rule === ruleId);
  if (!found) throw new Error(`no check ${ruleId} in ${result.checks.map((c) => c.rule).join(', ')}`);
  return found;
}

const revenue = (amount: number, rdExpense = 0) => ({
  financials: [{ year: 2024, revenue: amount, rdExpense }],
});

describe('evaluating criteria', () => {
  describe('comparison bounds', () => {
    it.each([
      ['atMost', 20_000_000, 20_000_000, true, '≤ 20,000,000 元'],
      ['atMost', 20_000_000, 20_000_001, false, '≤ 20,000,000 元'],
      ['lessThan', 20_000_000, 19_999_999, true, '< 20,000,000 元'],
      ['lessThan', 20_000_000, 20_000_000, false, '< 20,000,000 元'],
      ['atLeast', 1_000_000, 1_000_000, true, '≥ 1,000,000 元'],
      ['atLeast', 1_000_000, 999_999, false, '≥ 1,000,000 元'],
      ['moreThan', 10_000_000, 10_000_001, true, '> 10,000,000 元'],
      ['moreThan', 10_000_000, 10_000_000, false, '> 10,000,000 元'],
      ['equals', 5_000_000, 5_000_000, true, '= 5,000,000 元'],
      ['equals', 5_000_000, 5_000_001, false, '= 5,000,000 元'],
    ])(
      'given "%s: %d" and revenue %d, when evaluated, then passed is %s',
      (key, bound, amount, passed, required) => {
        const policy = buildPolicy([rule('revenue', { measure: 'revenue', [key]: bound })]);
        const result = evaluate(policy, revenue(amount));
        expect(check(result, 'revenue')).toMatchObject({
          passed,
          required,
          actual: `${amount.toLocaleString('en-US')} 元 (2024)`,
          hard: true,
        });
        expect(result.eligible).toBe(passed);
      },
    );

    it.each([
      [600_000, true, '3.00% (2024: 600,000 元 / 20,000,000 元)'],
      [599_999, false, '2.999995% (2024: 599,999 元 / 20,000,000 元)'],
      [599_999.5, false, 'missing'],
    ])(
      'given R&D of %d on 20 million revenue and "at least 3%%", when evaluated, then passed is %s',
      (rd, passed, actual) => {
        const policy = buildPolicy([rule('rd-share', { measure: 'rdShareOfRevenue', atLeast: 3 })]);
        expect(check(evaluate(policy, revenue(20_000_000, rd)), 'rd-share')).toMatchObject({
          passed,
          actual,
          required: '≥ 3%',
        });
      },
    );

    it.each([
      ['2014-12-31', true, '10 年整'],
      ['2014-12-30', false, '10 年 1 天'],
      ['2023-12-31', false, '1 年整'],
      ['2023-12-30', true, '1 年 1 天'],
    ])(
      'given a founding on %s and "more than 1, at most 10 years", when evaluated, then passed is %s',
      (establishedOn, passed, age) => {
        const policy = buildPolicy([rule('age', { measure: 'ageYears', moreThan: 1, atMost: 10 })]);
        const result = evaluate(policy, {}, establishedOn);
        expect(check(result, 'age')).toMatchObject({ passed, required: '> 1 年 且 ≤ 10 年' });
        expect(check(result, 'age').actual.startsWith(age)).toBe(true);
      },
    );

    it('given "each of the last 2 years", when one year falls short, then the rule fails and both years are shown', () => {
      const policy = buildPolicy([
        rule('rd-each', { measure: 'rdShareOfRevenue', period: { eachOfLast: 2 }, atLeast: 3 }),
      ]);
      const data = {
        financials: [
          { year: 2023, revenue: 100_000_000, rdExpense: 2_900_000 },
          { year: 2024, revenue: 120_000_000, rdExpense: 4_800_000 },
        ],
      };
      expect(check(evaluate(policy, data), 'rd-each')).toMatchObject({
        passed: false,
        required: '2023–2024 每年 ≥ 3%',
        actual: '2023: 2.90% (2,900,000 元 / 100,000,000 元); 2024: 4.00% (4,800,000 元 / 120,000,000 元)',
      });
    });

    it('given a bound that is another measure, when evaluated, then the computed bound and its arithmetic are shown', () => {
      const policy = buildPolicy(
        [rule('within-cap', { measure: 'requestedFinancing', atMost: { measure: 'financingCap' } })],
        {
          id: 'tech-retrofit/t',
          programme: 'tech-retrofit',
          referenceDate: 'application-date',
          financing: FINANCING_2020,
        },
      );
      const data = {
        project: {
          name: '扩产',
          totalInvestment: 60_000_000,
          fixedAssetInvestment: 48_000_000,
          requestedFinancing: 42_000_000,
          termYears: 5,
        },
      };
      expect(check(evaluate(policy, data), 'within-cap')).toMatchObject({
        passed: true,
        actual: '42,000,000 元',
        required:
          '≤ 42,000,000 元 (financingCap = min(单个项目上限 500,000,000 元; 总投资 60,000,000 元 × 70% = 42,000,000 元))',
      });
      const over = { project: { ...data.project, requestedFinancing: 42_000_001 } };
      expect(check(evaluate(policy, over), 'within-cap').passed).toBe(false);
    });

    it('given a bound that is a policy setting, when evaluated, then the setting is the threshold', () => {
      const policy = buildPolicy(
        [rule('term', { measure: 'termYears', atMost: { setting: 'financing.maxTermYears' } })],
        { id: 'tech-retrofit/t', programme: 'tech-retrofit', financing: FINANCING_2020 },
      );
      const project = (termYears: number) => ({
        project: { name: 'x', totalInvestment: 1, fixedAssetInvestment: 1, requestedFinancing: 1, termYears },
      });
      expect(check(evaluate(policy, project(5)), 'term')).toMatchObject({ passed: true, required: '≤ 5 年' });
      expect(check(evaluate(policy, project(5.5)), 'term').passed).toBe(false);
    });
  });

  describe('missing data', () => {
    it('given no financials, when a revenue rule is evaluated, then it fails with actual "missing" and names the field', () => {
      const policy = buildPolicy([rule('revenue-cap', { measure: 'revenue', atMost: 20_000_000 })]);
      const result = evaluate(policy, {});
      expect(check(result, 'revenue-cap')).toMatchObject({
        passed: false,
        actual: 'missing',
        missing: ['financials[2024]'],
      });
      expect(result.eligible).toBe(false);
    });

    it('given a computed bound whose data is missing, when evaluated, then the rule is undecided and names the field', () => {
      const policy = buildPolicy(
        [rule('within-cap', { measure: 'requestedFinancing', atMost: { measure: 'financingCap' } })],
        { id: 'tech-retrofit/t', programme: 'tech-retrofit', financing: FINANCING_2020 },
      );
      const data = { project: { requestedFinancing: 10 } } as ApplicationDataInput;
      expect(check(evaluate(policy, data), 'within-cap')).toMatchObject({
        passed: false,
        missing: ['project.totalInvestment'],
      });
    });

    it('given data of any shape at all, when evaluated, then nothing throws and eligible agrees with the hard checks', () => {
      const policy = buildPolicy([
        rule('age', { measure: 'ageYears', moreThan: 1 }),
        rule('rd', { measure: 'rdShareOfRevenue', period: { eachOfLast: 2 }, atLeast: 3 }),
        rule('paths', {
          any: [
            rule('ip', { measure: 'ipRights', atLeast: 1 }),
            rule('vc', { measure: 'valuationCny', atLeast: 1 }),
          ],
        }),
        rule('clean', { fact: 'majorAccident', is: false }),
        rule('band', {
          bandBy: { measure: 'revenue' },
          bands: [
            { atLeast: 0, require: rule('growth', { measure: 'growth', of: 'netProfit', atLeast: 10 }) },
          ],
        }),
      ]);
      fc.assert(
        fc.property(fc.anything(), fc.anything(), (data, establishedOn) => {
          const result = evaluateEligibility(policy, {
            enterprise: { establishedOn: establishedOn as string },
            data: data as ApplicationDataInput,
            applicationDate: '2025-03-10',
          });
          // every rule is listed (a band's requirement only once a band is chosen)
          const listed = result.checks.length === 7 || result.checks.length === 8;
          return listed && result.eligible === result.checks.filter((c) => c.hard).every((c) => c.passed);
        }),
      );
    });
  });

  describe('combinators', () => {
    const cap = rule('cap', { measure: 'revenue', atMost: 20_000_000 });
    const floor = rule('floor', { measure: 'revenue', atLeast: 1_000_000 });
    const rd = rule('rd', { measure: 'rdExpense', atLeast: 1_000_000 });

    it('given "all", when one child fails, then the group fails and every child is listed under it', () => {
      const policy = buildPolicy([rule('both', { all: [cap, rd] })]);
      const result = evaluate(policy, revenue(5_000_000, 200_000));
      expect(result.checks.map((c) => [c.rule, c.parent, c.passed, c.hard])).toEqual([
        ['both', undefined, false, true],
        ['cap', 'both', true, true],
        ['rd', 'both', false, true],
      ]);
      expect(check(result, 'both')).toMatchObject({
        actual: '1/2 满足',
        required: '全部 2 项满足 (all of 2)',
      });
    });

    it('given "any", when one alternative passes, then the group passes and names the alternative that carried it', () => {
      const policy = buildPolicy([rule('paths', { any: [floor, rd] })]);
      const result = evaluate(policy, revenue(5_000_000, 200_000));
      expect(check(result, 'paths')).toMatchObject({
        passed: true,
        actual: '满足：floor',
        required: '至少 1 项满足 (any of 2)',
      });
      expect(check(result, 'rd')).toMatchObject({ passed: false, hard: false, parent: 'paths' });
      expect(result.eligible).toBe(true);
    });

    it('given "any", when no alternative passes, then it fails with "none"', () => {
      const policy = buildPolicy([rule('paths', { any: [floor, rd] })]);
      expect(check(evaluate(policy, revenue(500_000, 0)), 'paths')).toMatchObject({
        passed: false,
        actual: '无一满足 (none)',
      });
    });

    it('given "not", when its rule passes, then it fails, and vice versa', () => {
      const policy = buildPolicy([
        rule('not-large', { not: rule('large', { measure: 'revenue', moreThan: 500_000_000 }) }),
      ]);
      expect(check(evaluate(policy, revenue(600_000_000)), 'not-large')).toMatchObject({
        passed: false,
        actual: 'large 满足',
      });
      expect(check(evaluate(policy, revenue(100_000_000)), 'not-large')).toMatchObject({
        passed: true,
        actual: 'large 不满足',
      });
      expect(check(evaluate(policy, revenue(100_000_000)), 'large').hard).toBe(false);
    });

    it('given "not" over missing data, when evaluated, then it does not pass (unknown stays unknown)', () => {
      const policy = buildPolicy([
        rule('not-large', { not: rule('large', { measure: 'revenue', moreThan: 500_000_000 }) }),
      ]);
      expect(check(evaluate(policy, {}), 'not-large')).toMatchObject({ passed: false, actual: 'missing' });
    });

    it('given "any" with one missing and one failing alternative, when evaluated, then it is undecided, not failed outright', () => {
      const policy = buildPolicy([
        rule('paths', { any: [floor, rule('vc', { measure: 'ventureInvestment3y', atLeast: 1 })] }),
      ]);
      expect(check(evaluate(policy, revenue(500_000)), 'paths')).toMatchObject({
        passed: false,
        actual: '无一满足，1 项缺数据 (missing)',
      });
    });

    it('given "all" with a failing and a missing child, when evaluated, then it fails and reports the gap', () => {
      const policy = buildPolicy([
        rule('both', { all: [floor, rule('vc', { measure: 'ventureInvestment3y', atLeast: 1 })] }),
      ]);
      expect(check(evaluate(policy, revenue(500_000)), 'both')).toMatchObject({
        passed: false,
        actual: '0/2 满足，1 项缺数据 (missing)',
      });
    });

    it('given nested groups, when evaluated, then each level is listed with its parent in policy order', () => {
      const policy = buildPolicy([
        rule('outer', { any: [rule('inner', { all: [floor, cap] }), rd] }),
        rule('clean', { fact: 'seriousDishonesty', is: false }),
      ]);
      const result = evaluate(policy, {
        ...revenue(5_000_000),
        negativeRecords: { majorAccident: false, seriousDishonesty: false },
      });
      expect(result.checks.map((c) => `${c.parent ?? '-'}>${c.rule}`)).toEqual([
        '->outer',
        'outer>inner',
        'inner>floor',
        'inner>cap',
        'outer>rd',
        '->clean',
      ]);
      expect(result.eligible).toBe(true);
    });
  });

  describe('hard and advisory rules', () => {
    it('given an advisory rule that fails, when evaluated, then it is reported but the enterprise stays eligible', () => {
      const policy = buildPolicy([
        rule('floor', { measure: 'revenue', atLeast: 1_000_000 }),
        rule('rating', { fact: 'creditRating', oneOf: ['AAA', 'AA'], hard: false }),
      ]);
      const result = evaluate(policy, { ...revenue(5_000_000), creditRating: 'BBB' });
      expect(check(result, 'rating')).toMatchObject({
        passed: false,
        hard: false,
        advisory: true,
        actual: 'BBB',
        required: '∈ {AAA, AA}',
      });
      expect(result.eligible).toBe(true);
    });

    it('given an advisory alternative, when it alone passes, then it does not carry the "any"', () => {
      const policy = buildPolicy([
        rule('paths', {
          any: [
            rule('floor', { measure: 'revenue', atLeast: 1_000_000 }),
            rule('soft', { measure: 'revenue', atLeast: 0, hard: false }),
          ],
        }),
      ]);
      expect(evaluate(policy, revenue(10)).eligible).toBe(false);
    });

    it('given an advisory group, when its children are listed, then they are advisory too', () => {
      const policy = buildPolicy([
        rule('floor', { measure: 'revenue', atLeast: 1 }),
        rule('hints', { hard: false, all: [rule('hint', { measure: 'employees', atLeast: 10 })] }),
      ]);
      expect(check(evaluate(policy, { ...revenue(5), employees: 3 }), 'hint')).toMatchObject({
        advisory: true,
        hard: false,
      });
    });

    it('given a fast-track alternative, when it carries the group, then the check says it is a fast track', () => {
      const policy = buildPolicy([
        rule('innovation', {
          any: [
            rule('general', { measure: 'rdExpense', atLeast: 30_000_000 }),
            rule('award', {
              fastTrack: true,
              measure: 'awardRank',
              kind: 'national-science-award',
              withinYears: 3,
              atMost: 3,
            }),
          ],
        }),
      ]);
      const result = evaluate(policy, {
        ...revenue(50_000_000, 1_000_000),
        awards: [{ kind: 'national-science-award', year: 2023, rank: 2 }],
      });
      expect(check(result, 'award')).toMatchObject({
        passed: true,
        fastTrack: true,
        actual: '第 2 名 (2023 年)',
        required: '≤ 第 3 名',
      });
      expect(check(result, 'innovation')).toMatchObject({ passed: true, actual: '满足：award' });
    });
  });

  describe('revenue bands', () => {
    const policy = buildPolicy([
      rule('growth-by-band', {
        bandBy: { measure: 'revenue' },
        bands: [
          {
            label: { zh: '2000万-5000万', en: '20-50m' },
            atLeast: 20_000_000,
            lessThan: 50_000_000,
            require: rule('g20', { measure: 'growth', atLeast: 20 }),
          },
          {
            atLeast: 50_000_000,
            atMost: 100_000_000,
            require: rule('g15', { measure: 'growth', atLeast: 15 }),
          },
        ],
      }),
    ]);
    const grew = (from: number, to: number) => ({
      financials: [
        { year: 2023, revenue: from, rdExpense: 0 },
        { year: 2024, revenue: to, rdExpense: 0 },
      ],
    });

    it('given revenue of 36 million grown 20%, when evaluated, then the 20-50 million band applies and passes at exactly 20%', () => {
      const result = evaluate(policy, grew(30_000_000, 36_000_000));
      expect(check(result, 'growth-by-band')).toMatchObject({
        passed: true,
        actual: '36,000,000 元 (2024) → 档位 2000万-5000万：g20 满足',
      });
      expect(check(result, 'g20')).toMatchObject({
        passed: true,
        parent: 'growth-by-band',
        hard: true,
        actual: expect.stringContaining('20.00%'),
      });
      expect(result.checks.map((c) => c.rule)).toEqual(['growth-by-band', 'g20']);
    });

    it('given revenue of exactly 50 million, when evaluated, then it falls in the higher band (lower bounds inclusive)', () => {
      const result = evaluate(policy, grew(40_000_000, 50_000_000));
      expect(check(result, 'growth-by-band').actual).toContain('档位 ≥ 50,000,000 元 且 ≤ 100,000,000 元');
      expect(check(result, 'g15').passed).toBe(true);
    });

    it('given revenue outside every band, when evaluated, then it fails saying so', () => {
      expect(check(evaluate(policy, grew(100_000_000, 150_000_000)), 'growth-by-band')).toMatchObject({
        passed: false,
        actual: '150,000,000 元 (2024)，不在任何档位 (in no band)',
      });
    });

    it('given a band whose requirement fails, when evaluated, then the band fails', () => {
      expect(evaluate(policy, grew(31_000_000, 36_000_000)).eligible).toBe(false);
    });
  });

  describe('the explanation as a whole', () => {
    it('given any result, when read, then it names the policy version, document, reference date and latest year', () => {
      const result = evaluate(buildPolicy([rule('floor', { measure: 'revenue', atLeast: 1 })]), revenue(5));
      expect(result).toMatchObject({
        policyVersion: 'eaglet/test-2025',
        programme: 'eaglet',
        documentNumber: '锡科测〔2025〕1号',
        applicationDate: '2025-03-10',
        referenceDate: '2024-12-31',
        latestFinancialYear: 2024,
      });
      expect(check(result, 'floor').label).toEqual({ zh: '规则 floor', en: 'Rule floor' });
    });

    it('given an application date that is not a date, when evaluated, then it is the caller that is refused', () => {
      expect(() =>
        evaluateEligibility(buildPolicy([rule('floor', { measure: 'revenue', atLeast: 1 })]), {
          enterprise: {},
          data: {},
          applicationDate: 'tomorrow',
        }),
      ).toThrow(RangeError);
    });

    it('given the explanation, when serialised to JSON and back, then nothing is lost (it is stored with the application)', () => {
      const result = evaluate(buildPolicy([rule('floor', { measure: 'revenue', atLeast: 1 })]), revenue(5));
      expect(JSON.parse(JSON.stringify(result))).toEqual(result);
    });
  });
});
