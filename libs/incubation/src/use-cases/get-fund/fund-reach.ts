import { jurisdictionCovers, type Principal } from '@engine/platform';
import type { FundState } from '../../domain/fund/fund.decider';
import { forbidden, notFound } from '../../domain/shared/domain-error';

/**
 * Who reaches a fund: officers of its issuing jurisdiction and above, and auditors (to read).
 * Anyone else is told it does not exist (404), never that it is out of reach.
 */
export function assertReachesFund(principal: Principal, state: FundState, write: boolean): void {
  if (!state.fund) throw notFound('FUND_NOT_FOUND', 'no such fund');
  if (principal.role === 'auditor' && !write) return;
  if (principal.role === 'officer' && jurisdictionCovers(principal.jurisdiction!, state.fund.jurisdiction))
    return;
  if (principal.role !== 'officer' && principal.role !== 'auditor')
    throw forbidden('FORBIDDEN', 'only officers administer funds');
  throw notFound('FUND_NOT_FOUND', 'no such fund');
}
