import { resolve } from 'node:path';
import { loadPolicyCatalog } from '../../policies/policy-catalog';
import { enterpriseRateOn, financingCap, financingCapYuan, yearlyInterestSubsidy } from './financing';
import { FINANCING_2020, FINANCING_2022 } from './policy.fixtures';

const catalog = loadPolicyCatalog(resolve(__dirname, '../../../../../policies'));
const xiamen2020 = catalog.get('tech-retrofit/xiamen-2020').financing!;
const xiamen2022 = catalog.get('tech-retrofit/xiamen-2022').financing!;

describe('tech-retrofit financing from the policy', () => {
  describe('the cap', () => {
    it.each([
      // [terms, total, fixed, cap]
      ['2020: 70% of total', FINANCING_2020, 60_000_000, 60_000_000, 42_000_000],
      ['2020: the absolute cap', FINANCING_2020, 1_000_000_000, 1_000_000_000, 500_000_000],
      ['2022: all fixed assets, 70% only', FINANCING_2022, 60_000_000, 60_000_000, 42_000_000],
      ['2022: 70% fixed + 10% working capital', FINANCING_2022, 60_000_000, 42_000_000, 48_000_000],
      ['2022: little working capital', FINANCING_2022, 60_000_000, 57_000_000, 45_000_000],
      ['2022: little fixed assets', FINANCING_2022, 60_000_000, 6_000_000, 12_000_000],
    ])('%s', (_, terms, total, fixed, cap) => {
      expect(financingCapYuan(terms, { totalInvestment: total, fixedAssetInvestment: fixed })).toBe(cap);
    });

    it('names every limit it took the smallest of', () => {
      const result = financingCap(FINANCING_2022, {
        totalInvestment: 60_000_000,
        fixedAssetInvestment: 60_000_000,
      });
      expect(result.ok && result.basis).toContain('固定资产部分 min(70%');
    });

    it('needs the fixed-asset investment when the policy splits fixed assets and working capital', () => {
      expect(financingCap(FINANCING_2022, { totalInvestment: 60_000_000 })).toEqual({
        ok: false,
        missing: ['project.fixedAssetInvestment'],
      });
    });
  });

  describe("the enterprise's rate (Xiamen 2020: 3%, 2% from 1 April to 31 December 2021)", () => {
    it.each([
      ['2021-03-31', 3, null],
      ['2021-04-01', 2, { from: '2021-04-01', to: '2021-12-31' }],
      ['2021-12-31', 2, { from: '2021-04-01', to: '2021-12-31' }],
      ['2020-06-01', 3, null],
    ])('on %s it is %s%%', (date, rate, promotion) => {
      expect(enterpriseRateOn(xiamen2020, date)).toEqual({ ratePercent: rate, promotion });
    });

    it('the 2022 rules have no promotion: 2%', () => {
      expect(enterpriseRateOn(xiamen2022, '2022-05-01')).toEqual({ ratePercent: 2, promotion: null });
    });
  });

  describe('the yearly interest subsidy (贴息)', () => {
    it('is the bank’s margin over the enterprise’s rate on the amount, in whole yuan', () => {
      expect(yearlyInterestSubsidy(42_000_000, 3.85, 2)).toBe(777_000);
      expect(yearlyInterestSubsidy(3_640_000, 4.35, 2)).toBe(85_540);
      expect(yearlyInterestSubsidy(1_000_001, 2.5, 2)).toBe(5_000); // 5,000.005 rounds half up to the yuan
    });

    it('is nothing when the bank asks no more than the enterprise pays', () => {
      expect(yearlyInterestSubsidy(42_000_000, 2, 2)).toBe(0);
      expect(yearlyInterestSubsidy(42_000_000, 1.5, 2)).toBe(0);
    });
  });
});
