import { applicationDataObjectSchema, applicationDataSchema } from './application-data';

const VALID = {
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
};

const problems = (data: unknown) => {
  const result = applicationDataSchema.safeParse(data);
  return result.success ? [] : result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
};

describe('application data', () => {
  it('given a complete filing, when validated, then it is accepted', () => {
    expect(problems(VALID)).toEqual([]);
  });

  it.each([
    [
      'money with a fraction of a yuan',
      { ...VALID, financials: [{ ...VALID.financials[0], revenue: 12_600_000.5 }] },
      'financials.0.revenue',
    ],
    [
      'a negative revenue',
      { ...VALID, financials: [{ ...VALID.financials[0], revenue: -1 }] },
      'financials.0.revenue',
    ],
    [
      'a year filed twice',
      { ...VALID, financials: [VALID.financials[0], VALID.financials[0]] },
      'financials.1.year: year 2023 appears twice',
    ],
    [
      'main business above revenue',
      { ...VALID, financials: [{ ...VALID.financials[0], mainBusinessRevenue: 13_000_000 }] },
      'financials.0.mainBusinessRevenue: main-business revenue cannot exceed revenue',
    ],
    [
      'more R&D staff than employees',
      { ...VALID, rdStaff: 50 },
      'rdStaff: R&D staff cannot exceed employees',
    ],
    ['a misspelt field', { ...VALID, rdExpence: 1 }, ': Unrecognized key: "rdExpence"'],
    [
      'a certificate date that is not a date',
      { ...VALID, provincialSrdi: { certificateNo: 'x', validUntil: '2025-02-30' } },
      'provincialSrdi.validUntil: must be a date YYYY-MM-DD',
    ],
    ['an unknown currency', { ...VALID, valuation: { amount: 1, currency: 'EUR' } }, 'valuation.currency'],
    [
      'fixed assets above the total',
      {
        ...VALID,
        project: {
          name: '技改',
          totalInvestment: 10,
          fixedAssetInvestment: 11,
          requestedFinancing: 5,
          termYears: 3,
        },
      },
      'project.fixedAssetInvestment: fixed-asset investment cannot exceed total investment',
    ],
    ['negative records left out', { ...VALID, negativeRecords: undefined }, 'negativeRecords'],
  ])('given %s, when validated, then the field is named', (_, data, problem) => {
    expect(problems(data).some((p) => p.startsWith(problem))).toBe(true);
  });

  it('given a half-filled draft, when checked with the partial object schema, then it is accepted', () => {
    expect(applicationDataObjectSchema.partial().safeParse({ employees: 12 }).success).toBe(true);
  });
});
