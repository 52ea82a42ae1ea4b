import { type Applicant, describePolicyCases, year } from './policy-cases.testing';

/** A Wuxi Binhu optoelectronics firm growing out of the eaglet pool (figures illustrative). */
const huaSheng: Applicant = {
  name: '无锡华晟光电科技有限公司',
  creditCode: '91320213MA1Q2AB5KJ',
  establishedOn: '2016-03-18',
  applicationDate: '2025-04-08',
  data: {
    financials: [
      {
        year: 2022,
        revenue: 21_000_000,
        mainBusinessRevenue: 19_500_000,
        rdExpense: 1_300_000,
        netProfit: 1_200_000,
      },
      {
        year: 2023,
        revenue: 28_000_000,
        mainBusinessRevenue: 26_000_000,
        rdExpense: 1_700_000,
        netProfit: 1_900_000,
      },
      {
        year: 2024,
        revenue: 36_500_000,
        mainBusinessRevenue: 33_800_000,
        rdExpense: 2_150_000,
        netProfit: 2_600_000,
      },
    ],
    employees: 132,
    rdStaff: 31,
    ipRights: { classI: 3, classII: 8, applied: 4 },
    negativeRecords: { majorAccident: false, seriousDishonesty: false },
  },
};

describePolicyCases({
  policyId: 'gazelle/wuxi-2020',
  applicant: huaSheng,
  failures: {
    'valid-ip-right': (a) => void (a.data.ipRights = { classI: 0, classII: 0, applied: 5 }),
    'one-of-paths': (a) =>
      Object.assign(year(a, 2024), { mainBusinessRevenue: 27_000_000, netProfit: 1_950_000 }),
    'no-major-accident': (a) => void (a.data.negativeRecords.majorAccident = true),
    'no-serious-dishonesty': (a) => void (a.data.negativeRecords.seriousDishonesty = true),
  },
  scenarios: [
    {
      name: 'main-business growth of exactly 20.00% in the 20-50 million band',
      change: (a) => Object.assign(year(a, 2024), { mainBusinessRevenue: 31_200_000, netProfit: 1_950_000 }),
      eligible: true,
      checks: {
        'main-growth-20': {
          passed: true,
          actual: '20.00% ((2024: 31,200,000 元 − 2023: 26,000,000 元) / 26,000,000 元)',
        },
        'growth-by-band': {
          passed: true,
          actual: '36,500,000 元 (2024) → 档位 2000万元（含）至5000万元：growth-band-20m 满足',
        },
      },
    },
    {
      name: 'main-business growth one yuan short of 20% and no profit growth to substitute',
      change: (a) => Object.assign(year(a, 2024), { mainBusinessRevenue: 31_199_999, netProfit: 1_950_000 }),
      eligible: false,
      checks: { 'main-growth-20': { passed: false } },
    },
    {
      name: 'the 50-100 million band carried by net-profit growth when main-business growth falls short',
      change: (a) => {
        Object.assign(year(a, 2023), {
          revenue: 56_000_000,
          mainBusinessRevenue: 52_000_000,
          netProfit: 4_800_000,
        });
        Object.assign(year(a, 2024), {
          revenue: 62_000_000,
          mainBusinessRevenue: 58_000_000,
          netProfit: 5_500_000,
        });
      },
      eligible: true,
      checks: {
        'main-growth-15': { passed: false, hard: false },
        'profit-growth-50m': { passed: true },
        'growth-band-50m': { passed: true, hard: false, actual: '满足：profit-growth-50m' },
      },
    },
    {
      name: 'revenue above 500 million (in no band)',
      change: (a) => Object.assign(year(a, 2024), { revenue: 520_000_000, mainBusinessRevenue: 500_000_000 }),
      eligible: false,
      checks: {
        'growth-by-band': { passed: false, actual: '520,000,000 元 (2024)，不在任何档位 (in no band)' },
      },
    },
    {
      name: 'a firm under 3 years old whose 3-year average R&D is 2 million (the R&D alternative)',
      change: (a) => {
        a.establishedOn = '2022-06-01';
        year(a, 2022).rdExpense = 1_850_000;
        year(a, 2023).rdExpense = 2_000_000;
        year(a, 2024).rdExpense = 2_150_000;
      },
      eligible: true,
      checks: {
        'growth-path': { passed: false },
        'rd-average-2m': {
          passed: true,
          actual:
            '2,000,000 元 (2022–2024 平均: (2022: 1,850,000 元 + 2023: 2,000,000 元 + 2024: 2,150,000 元) / 3)',
          required: '2022–2024 平均 ≥ 2,000,000 元',
        },
      },
    },
    {
      name: 'an emerging-industry firm with exactly 10 million of venture capital ("more than" excludes it)',
      change: (a) => {
        a.establishedOn = '2023-01-10';
        a.data.emergingIndustry = true;
        a.data.ventureInvestment3y = 10_000_000;
      },
      eligible: false,
      checks: { 'venture-above-10m': { passed: false, required: '> 10,000,000 元' } },
    },
    {
      name: 'an emerging-industry firm with 10,000,001 yuan of venture capital',
      change: (a) => {
        a.establishedOn = '2023-01-10';
        a.data.emergingIndustry = true;
        a.data.ventureInvestment3y = 10_000_001;
      },
      eligible: true,
      checks: { 'one-of-paths': { actual: '满足：emerging-venture' } },
    },
  ],
});
