import { type Applicant, describePolicyCases, year } from './policy-cases.testing';

/**
 * One of the two Weihai high-tech zone little giants on the source pages (figures illustrative;
 * the credit code is constructed for the fixtures, not the firm's own).
 */
const lianQiao: Applicant = {
  name: '威海联桥新材料科技股份有限公司',
  creditCode: '91371000MA3C4D5E60',
  establishedOn: '2009-06-16',
  applicationDate: '2025-04-20',
  data: {
    financials: [
      {
        year: 2022,
        revenue: 158_000_000,
        mainBusinessRevenue: 146_000_000,
        rdExpense: 5_600_000,
        netProfit: 9_800_000,
      },
      {
        year: 2023,
        revenue: 171_000_000,
        mainBusinessRevenue: 158_000_000,
        rdExpense: 6_300_000,
        netProfit: 11_200_000,
      },
      {
        year: 2024,
        revenue: 186_000_000,
        mainBusinessRevenue: 172_500_000,
        rdExpense: 7_100_000,
        netProfit: 12_900_000,
        totalAssets: 240_000_000,
        totalLiabilities: 103_000_000,
      },
    ],
    employees: 420,
    rdStaff: 68,
    ipRights: { classI: 6, classII: 21, applied: 9 },
    nicheYears: 12,
    nationalMarketShare: 13.5,
    hasRdInstitution: true,
    provincialSrdi: { certificateNo: '鲁专精特新(2023)0412', validUntil: '2026-12-31' },
    managementSystemCertified: true,
    coreProcessOnInformationSystem: true,
    ownBrand: true,
    negativeRecords: { majorAccident: false, seriousDishonesty: false },
  },
};

const breakInnovation = (a: Applicant) => void (year(a, 2023).rdExpense = 5_000_000); // 2.92% in 2023

describePolicyCases({
  policyId: 'little-giant/miit-2022',
  applicant: lianQiao,
  failures: {
    'provincial-srdi': (a) =>
      void (a.data.provincialSrdi = { certificateNo: '鲁专精特新(2022)0133', validUntil: '2025-03-31' }),
    specialisation: (a) => void (a.data.nicheYears = 1),
    'niche-3-years': (a) => void (a.data.nicheYears = 2.5),
    'main-business-share-70': (a) =>
      Object.assign(year(a, 2024), { revenue: 246_500_000, rdExpense: 7_500_000 }),
    'main-growth-5': (a) => {
      year(a, 2023).mainBusinessRevenue = 152_000_000;
      year(a, 2024).mainBusinessRevenue = 156_000_000;
    },
    refinement: (a) =>
      void (a.data.coreProcessOnInformationSystem = a.data.managementSystemCertified = false),
    'debt-to-assets-70': (a) => void (year(a, 2024).totalLiabilities = 170_000_000),
    'information-system': (a) => void (a.data.coreProcessOnInformationSystem = false),
    'management-certification': (a) => void (a.data.managementSystemCertified = false),
    distinctiveness: (a) => void (a.data.nationalMarketShare = 4),
    'market-share-10': (a) => void (a.data.nationalMarketShare = 9.9),
    'own-brand': (a) => void (a.data.ownBrand = false),
    innovation: breakInnovation,
    'no-major-accident': (a) => void (a.data.negativeRecords.majorAccident = true),
    'no-serious-dishonesty': (a) => void (a.data.negativeRecords.seriousDishonesty = true),
  },
  scenarios: [
    {
      name: 'the 100 million band: R&D of 3% or more in each of 2023 and 2024',
      change: () => undefined,
      eligible: true,
      checks: {
        'rd-share-3-each-year': {
          passed: true,
          required: '2023–2024 每年 ≥ 3%',
          actual:
            '2023: ≈ 3.68% (6,300,000 元 / 171,000,000 元); 2024: ≈ 3.82% (7,100,000 元 / 186,000,000 元)',
        },
        innovation: { passed: true, actual: '满足：innovation-general' },
      },
    },
    {
      name: 'debt to assets of exactly 70%',
      change: (a) => void (year(a, 2024).totalLiabilities = 168_000_000),
      eligible: true,
      checks: {
        'debt-to-assets-70': {
          passed: true,
          actual: '70.00% (2024: 168,000,000 元 / 240,000,000 元)',
          required: '≤ 70%',
        },
      },
    },
    {
      name: 'a provincial certificate that lapses on the application date itself',
      change: (a) => void (a.data.provincialSrdi!.validUntil = '2025-04-20'),
      eligible: true,
      checks: { 'provincial-srdi': { passed: true, required: '是 (yes) (申请日)' } },
    },
    {
      name: '威海克莱特菲尔风机股份有限公司-like R&D shortfall carried by the Maker China fast track (national rank 38 in 2023)',
      change: (a) => {
        breakInnovation(a);
        a.data.awards = [{ kind: 'maker-china', year: 2023, rank: 38 }];
      },
      eligible: true,
      checks: {
        'innovation-general': { passed: false, hard: false },
        'fast-track-maker-china': {
          passed: true,
          fastTrack: true,
          actual: '第 38 名 (2023 年)',
          required: '≤ 第 50 名',
        },
        innovation: { passed: true, actual: '满足：fast-track-maker-china' },
      },
    },
    {
      name: 'a national science award ranked 4th (the fast track needs the top 3)',
      change: (a) => {
        breakInnovation(a);
        a.data.awards = [{ kind: 'national-science-award', year: 2024, rank: 4 }];
      },
      eligible: false,
      checks: {
        'fast-track-science-award': { passed: false, actual: '第 4 名 (2024 年)', required: '≤ 第 3 名' },
      },
    },
    {
      name: 'revenue of 80 million: the 50-100 million band needs 6% each year',
      change: (a) => {
        Object.assign(year(a, 2022), { revenue: 62_000_000, mainBusinessRevenue: 58_000_000 });
        Object.assign(year(a, 2023), {
          revenue: 71_000_000,
          mainBusinessRevenue: 66_000_000,
          rdExpense: 4_400_000,
        });
        Object.assign(year(a, 2024), {
          revenue: 80_000_000,
          mainBusinessRevenue: 74_000_000,
          rdExpense: 4_700_000,
        });
      },
      eligible: false,
      checks: { 'rd-share-6-each-year': { passed: false, required: '2023–2024 每年 ≥ 6%' } },
    },
    {
      name: 'revenue of 46 million with 85 million of new equity, 31 million of R&D and half the staff in R&D',
      change: (a) => {
        Object.assign(year(a, 2022), { revenue: 30_000_000, mainBusinessRevenue: 28_000_000 });
        Object.assign(year(a, 2023), {
          revenue: 38_000_000,
          mainBusinessRevenue: 35_000_000,
          rdExpense: 14_000_000,
        });
        Object.assign(year(a, 2024), {
          revenue: 46_000_000,
          mainBusinessRevenue: 42_000_000,
          rdExpense: 17_000_000,
        });
        a.data.equityFinancing2y = 85_000_000;
        a.data.employees = 136;
        a.data.rdStaff = 68;
      },
      eligible: true,
      checks: {
        'rd-total-30m': {
          passed: true,
          actual: '31,000,000 元 (2023–2024 合计: 2023: 14,000,000 元 + 2024: 17,000,000 元)',
        },
        'rd-staff-50': { passed: true, actual: '50.00% (68 人 / 136 人)' },
      },
    },
    {
      name: 'no answer on the R&D institution and no fast track',
      change: (a) => void delete a.data.hasRdInstitution,
      eligible: false,
      checks: {
        'rd-institution': { passed: false, actual: 'missing', missing: ['hasRdInstitution'] },
        innovation: { passed: false, actual: '无一满足，1 项缺数据 (missing)' },
      },
    },
  ],
});
