/**
 * Building blocks for tests of the policy engine: a complete, valid policy envelope around any
 * criteria, validated by the real schema (so tests exercise the same path as the YAML files).
 */
import { parsePolicy, formatPolicyPath } from './policy-schema';
import type { Policy } from './policy-types';

export const BASE_POLICY = {
  id: 'eaglet/test-2025',
  programme: 'eaglet',
  name: { zh: '测试政策', en: 'Test policy' },
  issuer: { zh: '无锡市科学技术局', en: 'Wuxi Municipal Science and Technology Bureau' },
  jurisdiction: 'js.wuxi',
  documentNumber: '锡科测〔2025〕1号',
  effectiveFrom: '2025-01-01',
  effectiveTo: null,
  referenceDate: 'end-of-previous-year',
  currencyRates: { USD: 7.1 },
  workflow: {
    reviewStages: ['district', 'city', 'expert-panel'],
    expertPanel: {
      size: 5,
      passThreshold: 70,
      comparison: '>',
      scoringWorkingDays: 10,
      poolMultiple: 3,
      expertSees: ['employees'],
      disclosure: 'none',
    },
    publicityWorkingDays: 10,
    responseDeadlineWorkingDays: 10,
    validityYears: 3,
    annualReportDue: '05-31',
    banYearsAfterFraud: 3,
  },
  criteria: { all: [] as unknown[] },
};

export const FINANCING_2020 = {
  maxAmount: 500_000_000,
  maxSharePercent: 70,
  ratePercent: 3,
  maxTermYears: 5,
};
export const FINANCING_2022 = {
  maxAmount: 500_000_000,
  maxSharePercent: 80,
  maxFixedAssetSharePercent: 70,
  maxWorkingCapitalSharePercent: 10,
  ratePercent: 2,
  maxTermYears: 5,
};

/** A rule with a readable label made from its id. */
export function rule(id: string, body: Record<string, unknown>): Record<string, unknown> {
  return { rule: id, label: { zh: `规则 ${id}`, en: `Rule ${id}` }, ...body };
}

/** A valid policy with these criteria (and envelope overrides); throws listing every problem. */
export function buildPolicy(criteria: unknown[], overrides: Record<string, unknown> = {}): Policy {
  const result = parsePolicy({ ...BASE_POLICY, ...overrides, criteria: { all: criteria } });
  if (!result.ok) {
    throw new Error(
      result.issues.map((issue) => `${formatPolicyPath(issue.path)}: ${issue.message}`).join('\n'),
    );
  }
  return result.policy;
}

/** The problems the schema finds, as "path: message" lines. */
export function policyProblems(raw: unknown): string[] {
  const result = parsePolicy(raw);
  return result.ok ? [] : result.issues.map((issue) => `${formatPolicyPath(issue.path)}: ${issue.message}`);
}

export function withCriteria(
  criteria: unknown[],
  overrides: Record<string, unknown> = {},
): Record<string, unknown> {
  return { ...BASE_POLICY, ...overrides, criteria: { all: criteria } };
}
