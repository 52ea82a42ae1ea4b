/**
 * Application data of plausible enterprises that pass the default policies in force in 2026
 * (policies/), shared by the end-to-end tests and the benchmarks. Money in yuan. `i` varies
 * the latest revenue a little per enterprise; any i up to 100,000 stays within every rule.
 */
const clean = { majorAccident: false, seriousDishonesty: false };

/** A young Wuxi tech firm: revenue within the eaglet cap, R&D above 3%, IP held. */
export function eagletData(i = 0) {
  return {
    financials: [
      {
        year: 2024,
        revenue: 8_200_000 + i * 1000,
        mainBusinessRevenue: 7_900_000,
        rdExpense: 610_000,
        netProfit: 300_000,
      },
      {
        year: 2025,
        revenue: 12_600_000 + i * 1000,
        mainBusinessRevenue: 12_100_000,
        rdExpense: 980_000,
        netProfit: 650_000,
      },
    ],
    employees: 46,
    rdStaff: 17,
    ipRights: { classI: 1, classII: 5, applied: 3 },
    negativeRecords: clean,
  };
}

/** A growing firm in the 20-50 million band with main-business growth above 25%. */
export function gazelleData(i = 0) {
  return {
    financials: [
      {
        year: 2023,
        revenue: 21_000_000,
        mainBusinessRevenue: 20_000_000,
        rdExpense: 1_900_000,
        netProfit: 1_500_000,
      },
      {
        year: 2024,
        revenue: 28_000_000,
        mainBusinessRevenue: 26_500_000,
        rdExpense: 2_300_000,
        netProfit: 2_100_000,
      },
      {
        year: 2025,
        revenue: 38_000_000 + i * 1000,
        mainBusinessRevenue: 36_000_000,
        rdExpense: 3_100_000,
        netProfit: 3_000_000,
      },
    ],
    employees: 130,
    rdStaff: 40,
    ipRights: { classI: 4, classII: 12, applied: 6 },
    negativeRecords: clean,
  };
}

/** Valued at 120 million USD (above 600 million yuan at the policy's rate). */
export function quasiUnicornData(i = 0) {
  return {
    financials: [
      {
        year: 2024,
        revenue: 90_000_000,
        mainBusinessRevenue: 88_000_000,
        rdExpense: 15_000_000,
        netProfit: -5_000_000,
      },
      {
        year: 2025,
        revenue: 160_000_000 + i * 1000,
        mainBusinessRevenue: 155_000_000,
        rdExpense: 26_000_000,
        netProfit: 4_000_000,
      },
    ],
    employees: 320,
    rdStaff: 120,
    ipRights: { classI: 18, classII: 40, applied: 25 },
    valuation: { amount: 120_000_000, currency: 'USD' },
    negativeRecords: clean,
  };
}

/**
 * The Wuxi high-tech zone's first batch of 2021 (source page): 177 proposed entrants =
 * 108 eaglet + 61 gazelle + 8 quasi-unicorn, with a founding date that passes each programme.
 */
export const WUXI_FIRST_BATCH = [
  { programme: 'eaglet', count: 108, establishedOn: '2019-05-20', data: eagletData },
  { programme: 'gazelle', count: 61, establishedOn: '2016-04-01', data: gazelleData },
  { programme: 'quasi-unicorn', count: 8, establishedOn: '2018-03-01', data: quasiUnicornData },
] as const;

/** A Weihai niche leader that meets the MIIT 2022 little-giant measures (figures illustrative). */
export function littleGiantData(i = 0) {
  return {
    financials: [
      {
        year: 2023,
        revenue: 158_000_000,
        mainBusinessRevenue: 146_000_000,
        rdExpense: 5_600_000,
        netProfit: 9_800_000,
      },
      {
        year: 2024,
        revenue: 171_000_000,
        mainBusinessRevenue: 158_000_000,
        rdExpense: 6_300_000,
        netProfit: 11_200_000,
      },
      {
        year: 2025,
        revenue: 186_000_000 + i * 1000,
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
    provincialSrdi: { certificateNo: '鲁专精特新(2025)0412', validUntil: '2028-12-31' },
    managementSystemCertified: true,
    coreProcessOnInformationSystem: true,
    ownBrand: true,
    negativeRecords: clean,
  };
}

/** A Xiamen tech-retrofit project asking for 70% of its investment (figures illustrative). */
export function techRetrofitData(project: { name: string; totalInvestment: number }) {
  return {
    financials: [
      {
        year: 2025,
        revenue: 410_000_000,
        mainBusinessRevenue: 396_000_000,
        rdExpense: 14_500_000,
        netProfit: 21_000_000,
      },
    ],
    employees: 860,
    rdStaff: 95,
    ipRights: { classI: 4, classII: 37, applied: 6 },
    creditRating: 'AA',
    negativeRecords: clean,
    project: {
      name: project.name,
      totalInvestment: project.totalInvestment,
      fixedAssetInvestment: Math.round(project.totalInvestment * 0.7),
      requestedFinancing: Math.round(project.totalInvestment * 0.7),
      termYears: 5,
    },
  };
}
