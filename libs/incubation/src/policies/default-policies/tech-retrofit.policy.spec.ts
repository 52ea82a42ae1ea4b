import { type Applicant, describePolicyCases, evaluateApplicant } from './policy-cases.testing';

const FINANCIALS = [
  {
    year: 2022,
    revenue: 410_000_000,
    mainBusinessRevenue: 396_000_000,
    rdExpense: 14_500_000,
    netProfit: 21_000_000,
  },
];

/** Capacity expansion, one of the Xiamen Torch zone's projects in the 8th whitelist batch (figures illustrative). */
const guDeYi: Applicant = {
  name: '厦门顾德益电器有限公司',
  creditCode: '91350203MA31ABCD1U',
  establishedOn: '2012-08-09',
  applicationDate: '2021-06-15',
  data: {
    financials: [{ ...FINANCIALS[0], year: 2020 }],
    employees: 860,
    rdStaff: 95,
    ipRights: { classI: 4, classII: 37, applied: 6 },
    creditRating: 'AA',
    negativeRecords: { majorAccident: false, seriousDishonesty: false },
    project: {
      name: '年产200万台小家电扩产技术改造项目',
      totalInvestment: 60_000_000,
      fixedAssetInvestment: 48_000_000,
      requestedFinancing: 42_000_000,
      termYears: 5,
    },
  },
};

describePolicyCases({
  policyId: 'tech-retrofit/xiamen-2020',
  applicant: guDeYi,
  failures: {
    'financing-positive': (a) => void (a.data.project!.requestedFinancing = 0),
    'financing-within-cap': (a) => void (a.data.project!.requestedFinancing = 42_000_001),
    'term-within-max': (a) => void (a.data.project!.termYears = 6),
    'fixed-assets-within-total': (a) => void (a.data.project!.fixedAssetInvestment = 60_000_001),
    'no-major-accident': (a) => void (a.data.negativeRecords.majorAccident = true),
    'no-serious-dishonesty': (a) => void (a.data.negativeRecords.seriousDishonesty = true),
  },
  scenarios: [
    {
      name: 'a request of exactly 70% of the total investment',
      change: () => undefined,
      eligible: true,
      checks: {
        'financing-within-cap': {
          passed: true,
          actual: '42,000,000 元',
          required:
            '≤ 42,000,000 元 (financingCap = min(单个项目上限 500,000,000 元; 总投资 60,000,000 元 × 70% = 42,000,000 元))',
        },
        'term-within-max': { passed: true, actual: '5.00 年', required: '≤ 5 年' },
      },
    },
    {
      name: 'a 1 billion project asking for 500,000,001 yuan (under 70%, over the absolute cap)',
      change: (a) =>
        Object.assign(a.data.project!, {
          totalInvestment: 1_000_000_000,
          fixedAssetInvestment: 800_000_000,
          requestedFinancing: 500_000_001,
        }),
      eligible: false,
      checks: {
        'financing-within-cap': { passed: false, required: expect.stringContaining('≤ 500,000,000 元') },
      },
    },
    {
      name: 'a weak credit rating (advisory only)',
      change: (a) => void (a.data.creditRating = 'BBB'),
      eligible: true,
      checks: { 'credit-rating': { passed: false, hard: false, advisory: true, actual: 'BBB' } },
    },
    {
      name: 'no project filed',
      change: (a) => void delete a.data.project,
      eligible: false,
      checks: { 'financing-within-cap': { passed: false, actual: 'missing' } },
    },
  ],
});

/** Power devices and LED packaging, Xiamen Torch high-tech zone (figures illustrative). */
const kaiFaJing: Applicant = {
  name: '开发晶照明(厦门)有限公司',
  creditCode: '91350200MA2Y3K8L06',
  establishedOn: '2011-03-28',
  applicationDate: '2023-05-10',
  data: {
    financials: [
      { ...FINANCIALS[0], revenue: 1_260_000_000, mainBusinessRevenue: 1_210_000_000, rdExpense: 61_000_000 },
    ],
    employees: 2_300,
    rdStaff: 410,
    ipRights: { classI: 85, classII: 160, applied: 70 },
    creditRating: 'AA+',
    negativeRecords: { majorAccident: false, seriousDishonesty: false },
    project: {
      name: '功率器件及LED封装产线技术改造项目',
      totalInvestment: 300_000_000,
      fixedAssetInvestment: 255_000_000,
      requestedFinancing: 240_000_000,
      termYears: 5,
    },
  },
};

describePolicyCases({
  policyId: 'tech-retrofit/xiamen-2022',
  applicant: kaiFaJing,
  failures: {
    'financing-positive': (a) => void (a.data.project!.requestedFinancing = 0),
    'financing-within-cap': (a) => void (a.data.project!.requestedFinancing = 240_000_001),
    'term-within-max': (a) => void (a.data.project!.termYears = 5.5),
    'fixed-assets-within-total': (a) =>
      Object.assign(a.data.project!, { fixedAssetInvestment: 300_000_001, requestedFinancing: 210_000_000 }),
    'no-major-accident': (a) => void (a.data.negativeRecords.majorAccident = true),
    'no-serious-dishonesty': (a) => void (a.data.negativeRecords.seriousDishonesty = true),
  },
  scenarios: [
    {
      name: 'a request of exactly 80% with 85% of the investment in fixed assets',
      change: () => undefined,
      eligible: true,
      checks: {
        'financing-within-cap': {
          passed: true,
          required:
            '≤ 240,000,000 元 (financingCap = min(单个项目上限 500,000,000 元; 总投资 300,000,000 元 × 80% = 240,000,000 元; ' +
            '固定资产部分 min(70% × 300,000,000 元, 255,000,000 元) + 流动资金部分 min(10% × 300,000,000 元, 45,000,000 元) = 240,000,000 元))',
        },
      },
    },
    {
      name: 'a project almost all in fixed assets asking for 78% (the 70% + 10% split binds at 75%)',
      change: (a) =>
        Object.assign(a.data.project!, {
          totalInvestment: 100_000_000,
          fixedAssetInvestment: 95_000_000,
          requestedFinancing: 78_000_000,
        }),
      eligible: false,
      checks: {
        'financing-within-cap': { passed: false, required: expect.stringContaining('≤ 75,000,000 元') },
      },
    },
  ],
});

describe('tech-retrofit versions judge the same project differently', () => {
  it('given the 2020 project asking for 80%, when judged under 2020 and 2022 rules, then only 2022 (80% cap) admits it', () => {
    const asking80 = structuredClone(guDeYi);
    asking80.data.project!.requestedFinancing = 48_000_000;
    const under2020 = evaluateApplicant('tech-retrofit/xiamen-2020', asking80);
    const under2022 = evaluateApplicant('tech-retrofit/xiamen-2022', {
      ...asking80,
      applicationDate: '2022-03-01',
    });
    expect(under2020).toMatchObject({ eligible: false, policyVersion: 'tech-retrofit/xiamen-2020' });
    expect(under2022).toMatchObject({ eligible: true, policyVersion: 'tech-retrofit/xiamen-2022' });
  });
});
