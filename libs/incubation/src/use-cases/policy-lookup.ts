import type { EligibilityRecord } from '../domain/application/application.events';
import type {
  FinancingTerms,
  MaterialRequirement,
  RegisterEvidence,
  RegisterKind,
  WorkflowSettings,
} from '../domain/policies/policy-types';

/** What the use cases need to know of a policy version. */
export interface PolicySummary {
  /** The version id a round pins, e.g. `eaglet/wuxi-2024`. */
  version: string;
  programme: string;
  name: { zh: string; en: string };
  /** The issuing bureau, as printed on its notices. */
  issuer: { zh: string; en: string };
  /** The issuing jurisdiction (`js.wuxi`, `fj.xiamen`, `cn` for the ministry). */
  jurisdiction: string;
  /** null where the issuing document's number was not recovered (see the policy file). */
  documentNumber: string | null;
  effectiveFrom: string;
  effectiveTo: string | null;
  publicityWorkingDays: number;
  responseDeadlineWorkingDays: number;
  /** Stages, expert panel, publicity, validity, annual report, ban, promotion (docs/policies.md). */
  workflow: WorkflowSettings;
  /** Tech-retrofit financing terms. */
  financing?: FinancingTerms;
  /** The materials an application attaches (docs/materials.md). */
  requiredMaterials: MaterialRequirement[];
  /** The registers its rules require an entry of (docs/policies.md, "Registers"). */
  registers: RegisterKind[];
}

export interface EligibilityInput {
  enterprise: { creditCode: string; establishedOn: string };
  data: unknown;
  /** YYYY-MM-DD (China) of the submission. */
  applicationDate: string;
  /** The enterprise's entries in the current versions of the registers the policy names. */
  registers?: readonly RegisterEvidence[];
}

/**
 * The policy catalogue as the use cases see it (an adapter over libs/incubation/src/policies).
 * Policies are data: the use cases never know a figure, only ask.
 */
export abstract class PolicyLookup {
  /**
   * The versions in force on `date`: with a jurisdiction, the one governing it per programme
   * (the nearest issuer at or above it); without, every issuer's.
   */
  abstract programmes(date: string, jurisdiction?: string): PolicySummary[];
  /** The version of `programme` governing `jurisdiction` on `date` (nearest issuer above it), if any. */
  abstract inForce(programme: string, date: string, jurisdiction: string): PolicySummary | undefined;
  abstract get(version: string): PolicySummary | undefined;
  /**
   * The version an application or round pinned: the catalogue keeps every version ever in
   * force (a policy file is never removed), so a missing one is a broken deployment.
   */
  pinned(version: string): PolicySummary {
    const policy = this.get(version);
    if (!policy) throw new Error(`the pinned policy version ${version} is not in the catalogue`);
    return policy;
  }
  /** Checks the shape of an application's data for a programme; field-named problems. */
  abstract validateData(version: string, data: unknown): { field: string; message: string }[];
  abstract evaluate(version: string, input: EligibilityInput): EligibilityRecord;
}
