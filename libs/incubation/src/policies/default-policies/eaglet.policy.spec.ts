import { type Applicant, describePolicyCases, year } from './policy-cases.testing';

/** A Wuxi Xinwu-district sensor start-up (figures illustrative). */
const xinGan: Applicant = {
  name: '无锡芯感智能科技有限公司',
  creditCode: '91320214MA1N0HTX3B',
  establishedOn: '2019-05-20',
  applicationDate: '2025-03-18',
  data: {
    financials: [
      {
        year: 2023,
        revenue: 12_600_000,
        mainBusinessRevenue: 12_100_000,
        rdExpense: 820_000,
        netProfit: 640_000,
      },
      {
        year: 2024,
        revenue: 18_600_000,
        mainBusinessRevenue: 17_900_000,
        rdExpense: 1_116_000,
        netProfit: 1_050_000,
      },
    ],
    employees: 46,
    rdStaff: 19,
    ipRights: { classI: 2, classII: 7, applied: 3 },
    negativeRecords: { majorAccident: false, seriousDishonesty: false },
  },
};

describePolicyCases({
  policyId: 'eaglet/wuxi-2024',
  applicant: xinGan,
  failures: {
    age: (a) => void (a.establishedOn = '2014-06-30'),
    'revenue-cap': (a) =>
      Object.assign(year(a, 2024), { revenue: 20_000_001, mainBusinessRevenue: 19_000_000 }),
    'rd-share': (a) => void (year(a, 2024).rdExpense = 557_999), // 3% of 18.6 million is 558,000
    'ip-rights': (a) => void (a.data.ipRights = { classI: 0, classII: 0, applied: 0 }),
    'one-of-paths': (a) =>
      Object.assign(year(a, 2024), { revenue: 900_000, mainBusinessRevenue: 900_000, rdExpense: 60_000 }),
    'no-major-accident': (a) => void (a.data.negativeRecords.majorAccident = true),
    'no-serious-dishonesty': (a) => void (a.data.negativeRecords.seriousDishonesty = true),
  },
  scenarios: [
    {
      name: 'revenue of exactly 20,000,000 yuan and R&D of exactly 3.00%',
      change: (a) =>
        Object.assign(year(a, 2024), {
          revenue: 20_000_000,
          mainBusinessRevenue: 19_500_000,
          rdExpense: 600_000,
        }),
      eligible: true,
      checks: {
        'revenue-cap': { passed: true, actual: '20,000,000 元 (2024)', required: '≤ 20,000,000 元' },
        'rd-share': { passed: true, actual: '3.00% (2024: 600,000 元 / 20,000,000 元)', required: '≥ 3%' },
      },
    },
    {
      name: 'a founding exactly 10 years before 31 December 2024',
      change: (a) => void (a.establishedOn = '2014-12-31'),
      eligible: true,
      checks: {
        age: {
          passed: true,
          actual: '10 年整 (成立于 2014-12-31，基准日 2024-12-31)',
          required: '> 1 年 且 ≤ 10 年',
        },
      },
    },
    {
      name: 'a founding exactly 1 year before 31 December 2024 ("more than 1 year" excludes it)',
      change: (a) => void (a.establishedOn = '2023-12-31'),
      eligible: false,
      checks: { age: { passed: false } },
    },
    {
      name: 'revenue under 1 million but R&D of 1 million (the R&D alternative)',
      change: (a) =>
        Object.assign(year(a, 2024), {
          revenue: 800_000,
          mainBusinessRevenue: 800_000,
          rdExpense: 1_000_000,
        }),
      eligible: true,
      checks: {
        'one-of-paths': { passed: true, actual: '满足：rd-1m' },
        'revenue-1m': { passed: false, hard: false },
      },
    },
    {
      name: 'a small emerging-industry firm with 1 million of venture capital (the venture alternative)',
      change: (a) => {
        Object.assign(year(a, 2024), { revenue: 600_000, mainBusinessRevenue: 600_000, rdExpense: 90_000 });
        a.data.emergingIndustry = true;
        a.data.ventureInvestment3y = 1_000_000;
      },
      eligible: true,
      checks: { 'one-of-paths': { actual: '满足：emerging-venture' } },
    },
    {
      name: 'a draft with no financials yet',
      change: (a) => void (a.data.financials = []),
      eligible: false,
      checks: { 'rd-share': { passed: false, actual: 'missing', missing: ['financials[2024]'] } },
    },
  ],
});
