/**
 * A table-driven harness for the default policies under policies/: one realistic enterprise that
 * passes, and for every binding ("hard") rule of its explanation a change that makes it fail that
 * rule and only that top-level rule. Used by the *.policy.spec.ts files beside it.
 */
import { isValidCreditCode } from '@engine/platform';
import { resolve } from 'node:path';
import { type ApplicationData, applicationDataSchema } from '../../domain/policies/application-data';
import { type Eligibility, type EligibilityCheck, evaluateEligibility } from '../../domain/policies/evaluate';
import { loadPolicyCatalog } from '../policy-catalog';

export const REPOSITORY_POLICIES = resolve(__dirname, '../../../../../policies');
const catalog = loadPolicyCatalog(REPOSITORY_POLICIES);

export interface Applicant {
  /** The enterprise's registered name (the figures are illustrative). */
  name: string;
  creditCode: string;
  establishedOn: string;
  applicationDate: string;
  data: ApplicationData;
}

export type Change = (applicant: Applicant) => void;

export interface Scenario {
  name: string;
  change: Change;
  eligible: boolean;
  /** Expected fields of named checks. */
  checks?: Record<string, Partial<EligibilityCheck>>;
}

export interface PolicyCases {
  policyId: string;
  applicant: Applicant;
  /** For every binding rule, a change that makes the passing applicant fail it. */
  failures: Record<string, Change>;
  scenarios?: Scenario[];
}

export function evaluateApplicant(policyId: string, applicant: Applicant): Eligibility {
  return evaluateEligibility(catalog.get(policyId), {
    enterprise: { establishedOn: applicant.establishedOn, creditCode: applicant.creditCode },
    data: applicant.data,
    applicationDate: applicant.applicationDate,
  });
}

function changed(applicant: Applicant, change: Change): Applicant {
  const copy = structuredClone(applicant);
  change(copy);
  return copy;
}

function topLevelOf(result: Eligibility, rule: string): string {
  let check = result.checks.find((c) => c.rule === rule);
  while (check?.parent) check = result.checks.find((c) => c.rule === check!.parent);
  return check?.rule ?? rule;
}

export function describePolicyCases(cases: PolicyCases): void {
  const { policyId, applicant } = cases;

  describe(`${policyId}: ${applicant.name}`, () => {
    const passing = evaluateApplicant(policyId, applicant);

    it('given the enterprise, then its filing and credit code are valid as the API would check them', () => {
      expect(applicationDataSchema.safeParse(applicant.data).error?.issues ?? []).toEqual([]);
      expect(isValidCreditCode(applicant.creditCode)).toBe(true);
    });

    it('given the enterprise, when evaluated, then it is eligible and every hard rule shows its actual and required values', () => {
      const failed = passing.checks
        .filter((c) => c.hard && !c.passed)
        .map((c) => `${c.rule}: ${c.actual} vs ${c.required}`);
      expect(failed).toEqual([]);
      expect(passing).toMatchObject({ eligible: true, policyVersion: policyId });
      for (const check of passing.checks) {
        expect(check.actual).not.toBe('');
        expect(check.required).not.toBe('');
        if (check.hard) expect(check.actual).not.toBe('missing');
        expect(check.label.zh).not.toBe('');
        expect(check.label.en).not.toBe('');
      }
    });

    it('given the explanation, when its hard rules are listed, then the table below fails each of them', () => {
      const binding = passing.checks.filter((c) => c.hard).map((c) => c.rule);
      expect(Object.keys(cases.failures).sort()).toEqual([...binding].sort());
    });

    const failures = Object.entries(cases.failures);
    if (failures.length > 0) {
      it.each(failures)(
        'given a change that breaks "%s", when evaluated, then that rule fails and no other top-level rule',
        (rule, change) => {
          const result = evaluateApplicant(policyId, changed(applicant, change));
          const check = result.checks.find((c) => c.rule === rule);
          expect(check).toMatchObject({ passed: false, hard: true });
          expect(result.eligible).toBe(false);
          const top = topLevelOf(result, rule);
          const others = result.checks.filter(
            (c) => c.hard && c.parent === undefined && c.rule !== top && !c.passed,
          );
          expect(others.map((c) => `${c.rule}: ${c.actual}`)).toEqual([]);
        },
      );
    }

    for (const scenario of cases.scenarios ?? []) {
      it(`given ${scenario.name}, when evaluated, then eligible is ${scenario.eligible}`, () => {
        const result = evaluateApplicant(policyId, changed(applicant, scenario.change));
        expect(result.eligible).toBe(scenario.eligible);
        for (const [rule, expected] of Object.entries(scenario.checks ?? {})) {
          expect(result.checks.find((c) => c.rule === rule)).toMatchObject(expected);
        }
      });
    }
  });
}

/** The financial year of a given calendar year in an applicant's filing. */
export function year(applicant: Applicant, calendarYear: number): ApplicationData['financials'][number] {
  const found = applicant.data.financials.find((f) => f.year === calendarYear);
  if (!found) throw new Error(`no financials for ${calendarYear}`);
  return found;
}
