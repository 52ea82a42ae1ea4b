import { type Applicant, describePolicyCases } from './policy-cases.testing';

/** A Wuxi industrial-software firm valued in dollars by its last round (figures illustrative). */
const shuZhiYun: Applicant = {
  name: '无锡数智云科技有限公司',
  creditCode: '91320200MA1MXXXXX8',
  establishedOn: '2018-09-01',
  applicationDate: '2025-05-12',
  data: {
    financials: [
      {
        year: 2024,
        revenue: 96_000_000,
        mainBusinessRevenue: 94_000_000,
        rdExpense: 21_000_000,
        netProfit: -8_000_000,
      },
    ],
    employees: 310,
    rdStaff: 170,
    ipRights: { classI: 14, classII: 40, applied: 22 },
    valuation: { amount: 90_000_000, currency: 'USD' },
    ventureInvestment3y: 260_000_000,
    negativeRecords: { majorAccident: false, seriousDishonesty: false },
  },
};

describePolicyCases({
  policyId: 'quasi-unicorn/wuxi-2024',
  applicant: shuZhiYun,
  failures: {
    age: (a) => void (a.establishedOn = '2014-08-01'),
    'valuation-by-age': (a) => void (a.data.valuation = { amount: 84_000_000, currency: 'USD' }),
    'valuation-600m': (a) => void (a.data.valuation = { amount: 84_000_000, currency: 'USD' }),
    'no-major-accident': (a) => void (a.data.negativeRecords.majorAccident = true),
    'no-serious-dishonesty': (a) => void (a.data.negativeRecords.seriousDishonesty = true),
  },
  scenarios: [
    {
      name: "a dollar valuation converted at the policy's 7.1",
      change: () => undefined,
      eligible: true,
      checks: {
        'valuation-600m': {
          passed: true,
          actual: '639,000,000 元 (90,000,000 美元 × 7.1)',
          required: '≥ 600,000,000 元',
        },
        'valuation-by-age': { actual: expect.stringContaining('档位 成立超过5年') },
      },
    },
    {
      name: 'USD 84,507,043, which converts to just over 600 million yuan',
      change: (a) => void (a.data.valuation = { amount: 84_507_043, currency: 'USD' }),
      eligible: true,
      checks: { 'valuation-600m': { actual: '600,000,005.3 元 (84,507,043 美元 × 7.1)' } },
    },
    {
      name: 'USD 84,507,042, which converts to just under 600 million yuan',
      change: (a) => void (a.data.valuation = { amount: 84_507_042, currency: 'USD' }),
      eligible: false,
      checks: { 'valuation-600m': { passed: false, actual: '599,999,998.2 元 (84,507,042 美元 × 7.1)' } },
    },
    {
      name: 'a firm exactly 5 years old valued at exactly 300 million yuan (the younger band)',
      change: (a) => {
        a.establishedOn = '2019-12-31';
        a.data.valuation = { amount: 300_000_000, currency: 'CNY' };
      },
      eligible: true,
      checks: { 'valuation-300m': { passed: true, hard: true, parent: 'valuation-by-age' } },
    },
    {
      name: 'a young firm valued one yuan under 300 million',
      change: (a) => {
        a.establishedOn = '2021-02-01';
        a.data.valuation = { amount: 299_999_999, currency: 'CNY' };
      },
      eligible: false,
      checks: { 'valuation-300m': { passed: false } },
    },
    {
      name: 'no valuation filed',
      change: (a) => void delete a.data.valuation,
      eligible: false,
      checks: { 'valuation-600m': { passed: false, actual: 'missing', missing: ['valuation.amount'] } },
    },
  ],
});
