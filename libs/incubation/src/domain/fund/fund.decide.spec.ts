import { DeciderSpecification } from '../../testing/decider-specification';
import { fundDecider, type FundCommand, type MembershipFacts } from './fund.decider';
import type { FundEstablishedData, FundEvent } from './fund.events';

const spec = DeciderSpecification.for(fundDecider);
const fund: FundEstablishedData = {
  fundId: 'f-1',
  name: '2026年中小企业发展专项资金',
  budget: 5_950_000,
  source: '中央财政中小企业发展专项资金',
  jurisdiction: 'sd.weihai.gaoqu',
  year: 2026,
  programmes: ['little-giant'],
  establishedOn: '2026-07-01',
};
const established: FundEvent = { type: 'FundEstablished', data: fund };
const giant: MembershipFacts = {
  membershipId: 'm-1',
  exists: true,
  status: 'active',
  creditCode: '91371000MA3C0000X1',
  programme: 'little-giant',
  jurisdiction: 'sd.weihai.gaoqu',
};
const today = '2026-07-02';
const toGiant = (
  amount: number,
  membership: MembershipFacts = giant,
  allocationId = 'al-1',
): FundCommand => ({
  type: 'AllocateFromFund',
  allocationId,
  recipient: { kind: 'membership', membership },
  amount,
  purpose: '专精特新"小巨人"企业奖补',
  today,
});
const giantAllocated: FundEvent = {
  type: 'AllocationMade',
  data: {
    allocationId: 'al-1',
    recipient: {
      kind: 'membership',
      membershipId: 'm-1',
      creditCode: giant.creditCode!,
      programme: 'little-giant',
      jurisdiction: 'sd.weihai.gaoqu',
    },
    amount: 4_150_000,
    purpose: '专精特新"小巨人"企业奖补',
    allocatedOn: today,
  },
};
const platform: FundCommand = {
  type: 'AllocateFromFund',
  allocationId: 'al-2',
  recipient: { kind: 'platform', name: '威海高新区中小企业公共服务示范平台' },
  amount: 1_800_000,
  purpose: '公共服务示范平台奖补',
  today,
};
const platformAllocated: FundEvent = {
  type: 'AllocationMade',
  data: {
    allocationId: 'al-2',
    recipient: { kind: 'platform', name: '威海高新区中小企业公共服务示范平台' },
    amount: 1_800_000,
    purpose: '公共服务示范平台奖补',
    allocatedOn: today,
  },
};
const pay = (amount: number, documentNumber = '威高财字〔2026〕12号'): FundCommand => ({
  type: 'RecordFundPayment',
  paymentId: 'p-1',
  allocationId: 'al-1',
  amount,
  documentNumber,
  today,
});
const paid: FundEvent = {
  type: 'PaymentRecorded',
  data: {
    paymentId: 'p-1',
    allocationId: 'al-1',
    amount: 4_000_000,
    documentNumber: '威高财字〔2026〕12号',
    paidOn: today,
  },
};

describe('fund decider', () => {
  it('establishes a fund, allocates up to the last yuan of its budget and records payments', () => {
    spec.given([]).when({ type: 'EstablishFund', data: fund }).then([established]);
    spec.given([established]).when(toGiant(4_150_000)).then([giantAllocated]);
    // 4.15 million + 1.80 million = 5.95 million: the budget exactly.
    spec.given([established, giantAllocated]).when(platform).then([platformAllocated]);
    spec.given([established, giantAllocated]).when(pay(4_000_000)).then([paid]);
    spec
      .given([established, giantAllocated, paid])
      .when({ ...pay(150_000, '威高财字〔2026〕13号'), paymentId: 'p-2' } as FundCommand)
      .then([
        {
          type: 'PaymentRecorded',
          data: { ...paid.data, paymentId: 'p-2', amount: 150_000, documentNumber: '威高财字〔2026〕13号' },
        },
      ]);
  });

  it('folds what is allocated, paid and left', () => {
    const state = [established, giantAllocated, platformAllocated, paid].reduce(
      fundDecider.evolve,
      fundDecider.initialState(),
    );
    expect(state.allocated).toBe(5_950_000);
    expect(state.allocations.map((a) => [a.allocationId, a.amount, a.paid])).toEqual([
      ['al-1', 4_150_000, 4_000_000],
      ['al-2', 1_800_000, 0],
    ]);
  });

  it.each<[string, FundEvent[], FundCommand]>([
    ['FUND_EXISTS', [established], { type: 'EstablishFund', data: fund }],
    ['FUND_AMOUNT_INVALID', [], { type: 'EstablishFund', data: { ...fund, budget: 0 } }],
    ['FUND_AMOUNT_INVALID', [], { type: 'EstablishFund', data: { ...fund, budget: 1.5 } }],
    ['FUND_NOT_FOUND', [], toGiant(1)],
    ['ALLOCATION_EXISTS', [established, giantAllocated], toGiant(1)],
    ['FUND_AMOUNT_INVALID', [established], toGiant(-1)],
    ['RECIPIENT_NOT_ADMITTED', [established], toGiant(1, { membershipId: 'm-9', exists: false })],
    ['RECIPIENT_NOT_ADMITTED', [established], toGiant(1, { ...giant, status: 'exited' })],
    ['RECIPIENT_OUTSIDE_FUND', [established], toGiant(1, { ...giant, jurisdiction: 'sd.weihai.huancui' })],
    ['RECIPIENT_PROGRAMME_NOT_COVERED', [established], toGiant(1, { ...giant, programme: 'eaglet' })],
    ['FUND_BUDGET_EXCEEDED', [established], toGiant(5_950_001)],
    [
      'FUND_BUDGET_EXCEEDED',
      [established, giantAllocated, platformAllocated],
      { ...platform, allocationId: 'al-3', amount: 1 } as FundCommand,
    ],
    ['FUND_NOT_FOUND', [], pay(1)],
    ['ALLOCATION_NOT_FOUND', [established], pay(1)],
    ['FUND_AMOUNT_INVALID', [established, giantAllocated], pay(0)],
    ['PAYMENT_DOCUMENT_RECORDED', [established, giantAllocated, paid], pay(1)],
    ['PAYMENT_EXCEEDS_ALLOCATION', [established, giantAllocated, paid], pay(150_001, '威高财字〔2026〕13号')],
  ])('refuses with %s', (code, given, command) => {
    spec.given(given).when(command).then(code);
  });
});
