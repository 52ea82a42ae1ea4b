import { resolve } from 'node:path';
import type { ApplicationState } from './application.decider';
import { DomainError } from '../shared/domain-error';
import { loadPolicyCatalog } from '../../policies/policy-catalog';
import { CatalogPolicyLookup } from '../../use-cases/catalog-policy-lookup';
import { approvedFinancing } from './finance-opinion';

const lookup = new CatalogPolicyLookup(loadPolicyCatalog(resolve(__dirname, '../../../../../policies')));
const xiamen2020 = lookup.get('tech-retrofit/xiamen-2020')!;
const xiamen2022 = lookup.get('tech-retrofit/xiamen-2022')!;

const project = (totalInvestment: number, fixedAssetInvestment: number, requestedFinancing: number) =>
  ({
    exists: true,
    status: 'passed',
    awaiting: 'finance-bureau',
    data: {
      project: {
        name: '扩产技术改造项目',
        totalInvestment,
        fixedAssetInvestment,
        requestedFinancing,
        termYears: 5,
      },
    },
  }) satisfies Partial<ApplicationState>;

function refusal(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (error instanceof DomainError) return error.code;
    throw error;
  }
  throw new Error('expected a refusal');
}

describe("the finance bureau's opinion: what an approval may grant", () => {
  it('caps a 60-million all-fixed-asset project under the 2022 rules at 42 million, as eligibility does (not 48)', () => {
    const state = project(60_000_000, 60_000_000, 60_000_000);
    expect(
      refusal(() => approvedFinancing(xiamen2022.financing, state, { amount: 48_000_000 }, '2022-06-01')),
    ).toBe('FINANCING_OVER_CAP');
    expect(
      approvedFinancing(xiamen2022.financing, state, { amount: 42_000_000 }, '2022-06-01'),
    ).toMatchObject({
      amount: 42_000_000,
      cap: 42_000_000,
      ratePercent: 2,
    });
  });

  it('never grants more than the enterprise asked for, even under the cap', () => {
    const state = project(60_000_000, 42_000_000, 30_000_000);
    expect(
      refusal(() => approvedFinancing(xiamen2022.financing, state, { amount: 30_000_001 }, '2022-06-01')),
    ).toBe('FINANCING_OVER_REQUEST');
    expect(approvedFinancing(xiamen2022.financing, state, { amount: 30_000_000 }, '2022-06-01').amount).toBe(
      30_000_000,
    );
  });

  it('charges the promotional 2% to a project approved in the 2021 window, the default 3% before it', () => {
    const state = project(10_000_000, 7_000_000, 7_000_000);
    expect(approvedFinancing(xiamen2020.financing, state, { amount: 7_000_000 }, '2021-06-15')).toMatchObject(
      {
        ratePercent: 2,
        promotion: { from: '2021-04-01', to: '2021-12-31' },
      },
    );
    expect(approvedFinancing(xiamen2020.financing, state, { amount: 7_000_000 }, '2021-03-31')).toMatchObject(
      {
        ratePercent: 3,
        promotion: null,
      },
    );
  });

  it('refuses a rate other than the one the policy sets that day', () => {
    const state = project(10_000_000, 7_000_000, 7_000_000);
    expect(
      refusal(() =>
        approvedFinancing(xiamen2020.financing, state, { amount: 7_000_000, ratePercent: 3 }, '2021-06-15'),
      ),
    ).toBe('RATE_NOT_POLICY');
  });

  it("computes the city's yearly interest subsidy from the bank's rate", () => {
    const state = project(10_000_000, 7_000_000, 7_000_000);
    expect(
      approvedFinancing(
        xiamen2020.financing,
        state,
        { amount: 7_000_000, bankRatePercent: 4.35 },
        '2021-06-15',
      ),
    ).toMatchObject({ bankRatePercent: 4.35, yearlyInterestSubsidy: 164_500 });
  });

  it('refuses a term beyond the policy’s maximum', () => {
    const state = project(10_000_000, 7_000_000, 7_000_000);
    expect(
      refusal(() =>
        approvedFinancing(xiamen2020.financing, state, { amount: 7_000_000, termYears: 6 }, '2021-06-15'),
      ),
    ).toBe('TERM_TOO_LONG');
  });
});
