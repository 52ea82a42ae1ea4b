import { cpSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
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

/**
 * A copy of the shipped policies (in `under`) with no material required: the api and console
 * benchmarks time the command and read paths, not uploads (`npm run bench:materials` does), so
 * their applications submit without files. Policies are data: this is a fixture, not a switch.
 */
export function policiesWithoutRequiredMaterials(under: string): string {
  const dir = join(under, 'policies');
  cpSync(resolve(__dirname, '..', '..', 'policies'), dir, { recursive: true });
  for (const programme of readdirSync(dir)) {
    for (const file of readdirSync(join(dir, programme))) {
      const path = join(dir, programme, file);
      writeFileSync(path, readFileSync(path, 'utf8').replace(/^(\s+required: )true$/gm, '$1false'));
    }
  }
  return dir;
}
