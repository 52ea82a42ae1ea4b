import { jurisdictionCovers } from '@engine/platform';
import { conflict, notFound, ruleViolated } from '../shared/domain-error';
import { type Decider, unknownCommand } from '../shared/domain-event';
import type { AllocationMadeData, FundEstablishedData, FundEvent, PaymentRecordedData } from './fund.events';

export interface FundAllocation extends AllocationMadeData {
  /** Yuan paid against it so far. */
  paid: number;
  payments: PaymentRecordedData[];
}

export interface FundState {
  fund?: FundEstablishedData;
  allocations: FundAllocation[];
  /** Yuan allocated so far. */
  allocated: number;
}

/** What an allocation to a membership was decided on: the membership as it stands, or none. */
export interface MembershipFacts {
  membershipId: string;
  exists: boolean;
  status?: 'active' | 'expired' | 'exited';
  creditCode?: string;
  programme?: string;
  jurisdiction?: string;
}

export type FundCommand =
  | { type: 'EstablishFund'; data: FundEstablishedData }
  | {
      type: 'AllocateFromFund';
      allocationId: string;
      recipient: { kind: 'membership'; membership: MembershipFacts } | { kind: 'platform'; name: string };
      amount: number;
      purpose: string;
      today: string;
    }
  | {
      type: 'RecordFundPayment';
      paymentId: string;
      allocationId: string;
      amount: number;
      documentNumber: string;
      today: string;
    };

/** Yuan as people write it: 5,950,000元. */
export const yuanText = (amount: number) => `${amount.toLocaleString('en-US')}元`;

/** What is left of the budget. */
export const fundRemaining = (state: FundState) => (state.fund ? state.fund.budget - state.allocated : 0);

export const fundDecider: Decider<FundState, FundCommand, FundEvent> = {
  decide(command, state) {
    switch (command.type) {
      case 'EstablishFund':
        return establish(state, command.data);
      case 'AllocateFromFund':
        return allocate(state, command);
      case 'RecordFundPayment':
        return recordPayment(state, command);
      default:
        return unknownCommand(command);
    }
  },
  initialState: () => ({ allocations: [], allocated: 0 }),
  evolve(state, event) {
    switch (event.type) {
      case 'FundEstablished':
        return { ...state, fund: event.data };
      case 'AllocationMade':
        return {
          ...state,
          allocated: state.allocated + event.data.amount,
          allocations: [...state.allocations, { ...event.data, paid: 0, payments: [] }],
        };
      case 'PaymentRecorded':
        return {
          ...state,
          allocations: state.allocations.map((a) =>
            a.allocationId === event.data.allocationId
              ? { ...a, paid: a.paid + event.data.amount, payments: [...a.payments, event.data] }
              : a,
          ),
        };
    }
  },
};

const positiveYuan = (amount: number) => Number.isSafeInteger(amount) && amount > 0;

function establish(state: FundState, data: FundEstablishedData): FundEvent[] {
  if (state.fund) throw conflict('FUND_EXISTS', `fund ${data.fundId} is already established`);
  if (!positiveYuan(data.budget))
    throw ruleViolated('FUND_AMOUNT_INVALID', 'the budget must be a positive whole number of yuan');
  return [{ type: 'FundEstablished', data }];
}

function allocate(
  state: FundState,
  command: Extract<FundCommand, { type: 'AllocateFromFund' }>,
): FundEvent[] {
  const fund = state.fund;
  if (!fund) throw notFound('FUND_NOT_FOUND', 'no such fund');
  if (state.allocations.some((a) => a.allocationId === command.allocationId))
    throw conflict('ALLOCATION_EXISTS', `allocation ${command.allocationId} was already made`);
  if (!positiveYuan(command.amount))
    throw ruleViolated('FUND_AMOUNT_INVALID', 'the amount must be a positive whole number of yuan');
  let recipient: AllocationMadeData['recipient'];
  if (command.recipient.kind === 'membership') {
    const m = command.recipient.membership;
    if (!m.exists || m.status !== 'active') {
      throw ruleViolated(
        'RECIPIENT_NOT_ADMITTED',
        `membership ${m.membershipId} is ${m.exists ? m.status : 'unknown'}: only an admitted enterprise with an active membership can be supported`,
      );
    }
    if (!jurisdictionCovers(fund.jurisdiction, m.jurisdiction!)) {
      throw ruleViolated(
        'RECIPIENT_OUTSIDE_FUND',
        `the enterprise is in ${m.jurisdiction}, outside the fund's jurisdiction ${fund.jurisdiction}`,
      );
    }
    if (fund.programmes.length > 0 && !fund.programmes.includes(m.programme!)) {
      throw ruleViolated(
        'RECIPIENT_PROGRAMME_NOT_COVERED',
        `the fund supports ${fund.programmes.join(', ')}, not ${m.programme}`,
      );
    }
    recipient = {
      kind: 'membership',
      membershipId: m.membershipId,
      creditCode: m.creditCode!,
      programme: m.programme!,
      jurisdiction: m.jurisdiction!,
    };
  } else {
    recipient = { kind: 'platform', name: command.recipient.name };
  }
  const remaining = fundRemaining(state);
  if (command.amount > remaining) {
    throw ruleViolated(
      'FUND_BUDGET_EXCEEDED',
      `allocating ${yuanText(command.amount)} would exceed the budget: ${yuanText(fund.budget)} − ${yuanText(state.allocated)} allocated = ${yuanText(remaining)} left`,
      { budget: fund.budget, allocated: state.allocated, remaining, requested: command.amount },
    );
  }
  return [
    {
      type: 'AllocationMade',
      data: {
        allocationId: command.allocationId,
        recipient,
        amount: command.amount,
        purpose: command.purpose,
        allocatedOn: command.today,
      },
    },
  ];
}

function recordPayment(
  state: FundState,
  command: Extract<FundCommand, { type: 'RecordFundPayment' }>,
): FundEvent[] {
  if (!state.fund) throw notFound('FUND_NOT_FOUND', 'no such fund');
  const allocation = state.allocations.find((a) => a.allocationId === command.allocationId);
  if (!allocation) throw notFound('ALLOCATION_NOT_FOUND', 'no such allocation in this fund');
  if (!positiveYuan(command.amount))
    throw ruleViolated('FUND_AMOUNT_INVALID', 'the amount must be a positive whole number of yuan');
  if (allocation.payments.some((p) => p.documentNumber === command.documentNumber)) {
    throw conflict(
      'PAYMENT_DOCUMENT_RECORDED',
      `a payment approved by ${command.documentNumber} is already recorded against this allocation`,
    );
  }
  const unpaid = allocation.amount - allocation.paid;
  if (command.amount > unpaid) {
    throw ruleViolated(
      'PAYMENT_EXCEEDS_ALLOCATION',
      `paying ${yuanText(command.amount)} would exceed the allocation: ${yuanText(allocation.amount)} − ${yuanText(allocation.paid)} paid = ${yuanText(unpaid)} left`,
      { allocation: allocation.amount, paid: allocation.paid, unpaid, requested: command.amount },
    );
  }
  return [
    {
      type: 'PaymentRecorded',
      data: {
        paymentId: command.paymentId,
        allocationId: command.allocationId,
        amount: command.amount,
        documentNumber: command.documentNumber,
        paidOn: command.today,
      },
    },
  ];
}
