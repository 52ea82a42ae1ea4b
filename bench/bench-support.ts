/** What every benchmark shares: the same event shape as the engine writes, and medians. */
import type { NewEvent } from '../libs/event-store/src';

/** The data of an ApplicationSubmitted event, roughly as large as a real one. */
export const payload = (i: number) => ({
  applicationId: `app-${i}`,
  creditCode: '91320214MA1XXXXXX0',
  name: '无锡某某智能科技有限公司',
  financials: [{ year: 2025, revenue: 12_000_000 + i, rdExpense: 600_000 }],
  eligibility: { eligible: true, policyVersion: 'eaglet/wuxi-2024' },
});

export const benchEvent = (i: number): NewEvent => ({
  type: 'ApplicationSubmitted',
  data: payload(i),
  metadata: {
    correlationId: `c-${i}`,
    causationId: `c-${i}`,
    actor: { sub: 'enterprise-1', role: 'enterprise' },
    occurredAt: new Date().toISOString(),
  },
});

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}
