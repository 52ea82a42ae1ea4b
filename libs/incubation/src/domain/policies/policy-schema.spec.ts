import { BASE_POLICY, FINANCING_2020, policyProblems, rule, withCriteria } from './policy.fixtures';
import { formatPolicyPath, parsePolicy, suggestion } from './policy-schema';

const ok = [rule('floor', { measure: 'revenue', atLeast: 1 })];

describe('the policy schema', () => {
  it('given a complete policy, when parsed, then it comes back with the root "all" flattened and defaults filled', () => {
    const result = parsePolicy(withCriteria(ok));
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.policy.criteria).toEqual([
      {
        kind: 'compare',
        rule: 'floor',
        label: { zh: '规则 floor', en: 'Rule floor' },
        hard: true,
        measure: { measure: 'revenue', params: {} },
        bounds: { atLeast: { value: 1 } },
      },
    ]);
    expect(result.policy.workflow.expertPanel?.comparison).toBe('>');
  });

  it('given paths, when formatted, then they read like the YAML', () => {
    expect(formatPolicyPath(['criteria', 'all', 2, 'measure'])).toBe('criteria.all[2].measure');
    expect(formatPolicyPath([])).toBe('(top level)');
  });

  it('given a near miss, when a suggestion is asked, then the closest known name is offered', () => {
    expect(suggestion('rdShareOfRevenu', ['rdShareOfRevenue', 'revenue'])).toBe(
      ' (did you mean "rdShareOfRevenue"?)',
    );
    expect(suggestion('zzzzzz', ['revenue'])).toBe('');
  });

  describe('misspelt and unknown names are refused, naming the field', () => {
    it.each([
      [
        'a misspelt measure',
        withCriteria(
          [...ok, rule('x', {}), rule('rd', { measure: 'rdShareOfRevenu', atLeast: 3 })].filter(
            (c) => c.rule !== 'x',
          ),
        ),
        'criteria.all[1].measure: unknown measure "rdShareOfRevenu" (did you mean "rdShareOfRevenue"?)',
      ],
      [
        'a misspelt bound',
        withCriteria([rule('floor', { measure: 'revenue', atleast: 1 })]),
        'criteria.all[0].atleast: unknown field "atleast" (did you mean "atLeast"?)',
      ],
      [
        'a misspelt top-level field',
        { ...withCriteria(ok), documentNumbr: 'x' },
        'documentNumbr: unknown field "documentNumbr" (did you mean "documentNumber"?)',
      ],
      [
        'a misspelt workflow field',
        { ...withCriteria(ok), workflow: { ...BASE_POLICY.workflow, publicityWorkingDay: 10 } },
        'workflow.publicityWorkingDay: unknown field "publicityWorkingDay" (did you mean "publicityWorkingDays"?)',
      ],
      [
        'a misspelt expert panel field',
        {
          ...withCriteria(ok),
          workflow: {
            ...BASE_POLICY.workflow,
            expertPanel: { ...BASE_POLICY.workflow.expertPanel, treshold: 70 },
          },
        },
        'workflow.expertPanel.treshold: unknown field "treshold"',
      ],
      [
        'a misspelt label language',
        withCriteria([
          { rule: 'floor', label: { zh: '营业收入', eng: 'Revenue' }, measure: 'revenue', atLeast: 1 },
        ]),
        'criteria.all[0].label.eng: unknown field "eng" (did you mean "en"?)',
      ],
      [
        'an unknown fact',
        withCriteria([rule('clean', { fact: 'majorAcident', is: false })]),
        'criteria.all[0].fact: unknown fact "majorAcident" (did you mean "majorAccident"?)',
      ],
      [
        'a misspelt field deep in a band',
        withCriteria([
          rule('band', {
            bandBy: { measure: 'revenue' },
            bands: [
              {
                atLeast: 0,
                require: rule('g', { any: [rule('g1', { measure: 'growth', off: 'revenue', atLeast: 1 })] }),
              },
            ],
          }),
        ]),
        'criteria.all[0].bands[0].require.any[0].off: unknown field "off" (did you mean "of"?)',
      ],
      [
        'an unknown period',
        withCriteria([rule('rd', { measure: 'rdExpense', period: { eachOfLst: 2 }, atLeast: 1 })]),
        'criteria.all[0].period.eachOfLst: unknown period "eachOfLst" (did you mean "eachOfLast"?)',
      ],
    ])('given %s, when parsed, then the problem is reported as "%s"', (_, raw, problem) => {
      expect(policyProblems(raw)).toContain(problem);
    });
  });

  describe('measures, parameters and bounds are checked', () => {
    it.each([
      [
        'a parameter the measure does not take',
        rule('r', { measure: 'revenue', of: 'revenue', atLeast: 1 }),
        'criteria.all[0].of: measure "revenue" takes no "of"',
      ],
      [
        'a required parameter left out',
        rule('r', { measure: 'cagr', atLeast: 20 }),
        'criteria.all[0].years: measure "cagr" needs "years"',
      ],
      [
        'a period the measure cannot take',
        rule('r', { measure: 'growth', period: { totalOfLast: 2 }, atLeast: 1 }),
        'criteria.all[0].period: measure "growth" cannot be taken as "totalOfLast"',
      ],
      [
        'a period out of range',
        rule('r', { measure: 'revenue', period: { eachOfLast: 0 }, atLeast: 1 }),
        'criteria.all[0].period.eachOfLast: must be a whole number of years from 1 to 10',
      ],
      [
        'no bound at all',
        rule('r', { measure: 'revenue' }),
        'criteria.all[0]: needs a bound: atLeast, moreThan, atMost, lessThan, equals',
      ],
      [
        'two lower bounds',
        rule('r', { measure: 'revenue', atLeast: 1, moreThan: 1 }),
        'criteria.all[0].moreThan: cannot have both "atLeast" and "moreThan"',
      ],
      [
        'equals with another bound',
        rule('r', { measure: 'revenue', equals: 1, atMost: 2 }),
        'criteria.all[0].equals: "equals" cannot be combined with other bounds',
      ],
      [
        'bounds that nothing can pass',
        rule('r', { measure: 'ageYears', moreThan: 10, atMost: 10 }),
        'criteria.all[0]: the bounds leave no value that could pass',
      ],
      [
        'a bound that is text',
        rule('r', { measure: 'revenue', atLeast: '1' }),
        'criteria.all[0].atLeast: a bound is a number, { measure: <name> } or { setting: <financing.…> }',
      ],
      [
        'a bound in another unit',
        rule('r', { measure: 'termYears', atMost: { measure: 'financingCap' } }),
        'criteria.all[0].atMost: compares a value in years with a bound in yuan',
      ],
      [
        'a boolean fact without "is"',
        rule('r', { fact: 'ownBrand' }),
        'criteria.all[0].is: fact "ownBrand" needs "is: true" or "is: false"',
      ],
      [
        'a text fact with "is"',
        rule('r', { fact: 'creditRating', is: true }),
        'criteria.all[0].oneOf: fact "creditRating" needs "oneOf: [...]"',
      ],
      [
        '"at" on a fact without a date',
        rule('r', { fact: 'ownBrand', is: true, at: 'applicationDate' }),
        'criteria.all[0].at: fact "ownBrand" takes no "at"',
      ],
      [
        'two kinds in one rule',
        rule('r', { measure: 'revenue', atLeast: 1, fact: 'ownBrand' }),
        'criteria.all[0]: a rule has exactly one of all, any, not, measure, fact, bandBy, register, not measure and fact',
      ],
      [
        'no kind at all',
        rule('r', { atLeast: 1 }),
        'criteria.all[0]: a rule needs exactly one of all, any, not, measure, fact, bandBy, register',
      ],
      [
        'a rule id with capitals',
        { ...rule('x', { measure: 'revenue', atLeast: 1 }), rule: 'Revenue Cap' },
        'criteria.all[0].rule: must be lower-case letters, digits and hyphens, e.g. "rd-share"',
      ],
      [
        'a label without English',
        { rule: 'r', label: { zh: '营业收入' }, measure: 'revenue', atLeast: 1 },
        'criteria.all[0].label.en: Invalid input: expected string, received undefined',
      ],
    ])('given %s, when parsed, then it is refused', (_, criterion, problem) => {
      expect(policyProblems(withCriteria([criterion]))).toContain(problem);
    });
  });

  describe('structure is checked', () => {
    it('given the same rule id twice, when parsed, then the second is refused pointing at the first', () => {
      const problems = policyProblems(
        withCriteria([...ok, rule('paths', { any: [rule('floor', { measure: 'revenue', atLeast: 2 })] })]),
      );
      expect(problems).toContain('criteria.all[1].any[0].rule: "floor" is already used at criteria.all[0]');
    });

    it('given bands that overlap, when parsed, then the overlap is refused', () => {
      const band = (bounds: object, id: string) => ({
        ...bounds,
        require: rule(id, { measure: 'growth', atLeast: 1 }),
      });
      const problems = policyProblems(
        withCriteria([
          rule('b', {
            bandBy: { measure: 'revenue' },
            bands: [band({ atLeast: 0, atMost: 50 }, 'g1'), band({ atLeast: 50 }, 'g2')],
          }),
        ]),
      );
      expect(problems).toContain('criteria.all[0].bands[1]: overlaps band 0: a value could fall in both');
    });

    it('given bands that touch without overlapping, when parsed, then they are accepted', () => {
      const band = (bounds: object, id: string) => ({
        ...bounds,
        require: rule(id, { measure: 'growth', atLeast: 1 }),
      });
      expect(
        policyProblems(
          withCriteria([
            rule('b', {
              bandBy: { measure: 'revenue' },
              bands: [band({ lessThan: 50 }, 'g1'), band({ atLeast: 50 }, 'g2')],
            }),
          ]),
        ),
      ).toEqual([]);
    });

    it('given a band chosen by each of several years, when parsed, then it is refused', () => {
      const problems = policyProblems(
        withCriteria([
          rule('b', {
            bandBy: { measure: 'revenue', period: { eachOfLast: 2 } },
            bands: [{ atLeast: 0, require: rule('g', { measure: 'growth', atLeast: 1 }) }],
          }),
        ]),
      );
      expect(problems).toContain(
        'criteria.all[0].bandBy.period: a band is chosen by one value; use latest, averageOfLast or totalOfLast',
      );
    });

    it('given advisory rules where a decision is needed, when parsed, then they are refused', () => {
      const soft = (id: string) => rule(id, { measure: 'revenue', atLeast: 1, hard: false });
      expect(policyProblems(withCriteria([rule('g', { any: [soft('a'), soft('b')] })]))).toContain(
        'criteria.all[0].any: every rule under "any" is advisory; mark the group itself "hard: false" instead',
      );
      expect(policyProblems(withCriteria([rule('n', { not: soft('a') })]))).toContain(
        'criteria.all[0].not.hard: the rule under "not" cannot be advisory',
      );
    });

    it('given only advisory rules, when parsed, then it is refused: nothing would decide', () => {
      expect(
        policyProblems(withCriteria([rule('r', { measure: 'revenue', atLeast: 1, hard: false })])),
      ).toEqual(['criteria.all: every rule is advisory: nothing would decide eligibility']);
    });

    it('given an empty criteria list, when parsed, then it is refused', () => {
      expect(policyProblems(withCriteria([]))).toContain(
        'criteria.all: Too small: expected array to have >=1 items',
      );
    });
  });

  describe('the envelope is checked', () => {
    it.each([
      [
        'a programme that does not exist',
        { programme: 'unicorn' },
        'programme: Invalid option: expected one of "eaglet"|"gazelle"|"quasi-unicorn"|"little-giant"|"tech-retrofit"',
      ],
      ['an id of another programme', { id: 'gazelle/x' }, 'id: must start with the programme: "eaglet/…"'],
      ['an end before the start', { effectiveTo: '2024-12-31' }, 'effectiveTo: is before effectiveFrom'],
      [
        'a date that does not exist',
        { effectiveFrom: '2025-02-29' },
        'effectiveFrom: must be a date YYYY-MM-DD (quote it if in doubt)',
      ],
      [
        'a reference-date rule misspelt',
        { referenceDate: 'end-of-last-year' },
        'referenceDate: Invalid option: expected one of "end-of-previous-year"|"application-date"',
      ],
      [
        'an annual report due on 30 February',
        { workflow: { ...BASE_POLICY.workflow, annualReportDue: '02-30' } },
        'workflow.annualReportDue: must be a month and day "MM-DD", e.g. "05-31"',
      ],
      [
        'an expert stage without panel settings',
        { workflow: { ...BASE_POLICY.workflow, expertPanel: undefined } },
        'workflow.expertPanel: is required when reviewStages include "expert-panel"',
      ],
      [
        'a panel comparison other than > or >=',
        {
          workflow: {
            ...BASE_POLICY.workflow,
            expertPanel: { ...BASE_POLICY.workflow.expertPanel, comparison: '=>' },
          },
        },
        'workflow.expertPanel.comparison: Invalid option: expected one of ">"|">="',
      ],
      [
        'a stage listed twice',
        { workflow: { ...BASE_POLICY.workflow, reviewStages: ['district', 'city', 'city', 'expert-panel'] } },
        'workflow.reviewStages: a stage appears twice',
      ],
      [
        'a list that promotes from itself',
        { workflow: { ...BASE_POLICY.workflow, promotesFrom: ['eaglet'] } },
        'workflow.promotesFrom: a list cannot promote from itself',
      ],
      [
        'half of the 2022 split',
        { financing: { ...FINANCING_2020, maxFixedAssetSharePercent: 70 } },
        'financing: maxFixedAssetSharePercent and maxWorkingCapitalSharePercent go together',
      ],
      [
        'a promotional rate that ends before it starts',
        {
          financing: {
            ...FINANCING_2020,
            promotionalRates: [{ from: '2021-12-31', to: '2021-04-01', ratePercent: 2 }],
          },
        },
        'financing.promotionalRates[0].to: is before "from"',
      ],
      [
        'a document number left out',
        { documentNumber: undefined },
        'documentNumber: Invalid input: expected string, received undefined',
      ],
    ])('given %s, when parsed, then it is refused', (_, overrides, problem) => {
      expect(policyProblems({ ...withCriteria(ok), ...overrides })).toContain(problem);
    });

    it('given a valuation rule without a dollar rate, when parsed, then the rate is asked for', () => {
      expect(
        policyProblems({
          ...withCriteria([rule('v', { measure: 'valuationCny', atLeast: 1 })]),
          currencyRates: {},
        }),
      ).toContain(
        'criteria.all[0].measure: "valuationCny" needs currencyRates.USD (valuations are often quoted in dollars)',
      );
    });

    it('given financing rules without a financing section, when parsed, then the section is asked for', () => {
      const problems = policyProblems(
        withCriteria([
          rule('cap', { measure: 'requestedFinancing', atMost: { measure: 'financingCap' } }),
          rule('term', { measure: 'termYears', atMost: { setting: 'financing.maxTermYears' } }),
        ]),
      );
      expect(problems).toEqual([
        'criteria.all[0].atMost.measure: "financingCap" needs the policy\'s "financing" section',
        'criteria.all[1].atMost: refers to financing.maxTermYears but the policy has no "financing" section',
      ]);
    });

    it('given an unknown document number, when written as null, then it is accepted (and says so in explanations)', () => {
      expect(policyProblems({ ...withCriteria(ok), documentNumber: null })).toEqual([]);
    });

    it('given a document that is not a mapping, when parsed, then it is refused', () => {
      expect(policyProblems('just text')).toEqual([
        '(top level): Invalid input: expected object, received string',
      ]);
    });
  });
});
