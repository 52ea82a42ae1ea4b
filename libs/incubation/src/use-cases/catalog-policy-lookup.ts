import type { EligibilityRecord } from '../domain/application/application.events';
import { type ApplicationDataInput, applicationDataSchema } from '../domain/policies/application-data';
import { evaluateEligibility, registersNamed } from '../domain/policies/evaluate';
import { formatPolicyPath } from '../domain/policies/policy-schema';
import { type Policy, PROGRAMMES, type Programme } from '../domain/policies/policy-types';
import type { PolicyCatalog } from '../policies/policy-catalog';
import { type EligibilityInput, PolicyLookup, type PolicySummary } from './policy-lookup';

/** {@link PolicyLookup} over the policy files loaded at boot (policies/). */
export class CatalogPolicyLookup extends PolicyLookup {
  constructor(private readonly catalog: PolicyCatalog) {
    super();
  }

  programmes(date: string, jurisdiction?: string): PolicySummary[] {
    return PROGRAMMES.flatMap((programme) => {
      if (jurisdiction === undefined) return this.catalog.allInForce(programme, date).map(summary);
      const policy = this.catalog.inForce(programme, date, jurisdiction);
      return policy ? [summary(policy)] : [];
    });
  }

  inForce(programme: string, date: string, jurisdiction: string): PolicySummary | undefined {
    if (!(PROGRAMMES as readonly string[]).includes(programme)) return undefined;
    const policy = this.catalog.inForce(programme as Programme, date, jurisdiction);
    return policy && summary(policy);
  }

  get(version: string): PolicySummary | undefined {
    const policy = this.catalog.find(version);
    return policy && summary(policy);
  }

  validateData(_version: string, data: unknown): { field: string; message: string }[] {
    const result = applicationDataSchema.safeParse(data);
    if (result.success) return [];
    return result.error.issues.map((issue) => ({
      field: `data.${formatPolicyPath(issue.path)}`,
      message: issue.message,
    }));
  }

  evaluate(version: string, input: EligibilityInput): EligibilityRecord {
    return evaluateEligibility(this.catalog.get(version), {
      enterprise: input.enterprise,
      data: input.data as ApplicationDataInput,
      applicationDate: input.applicationDate,
      ...(input.registers ? { registers: input.registers } : {}),
    });
  }
}

function summary(policy: Policy): PolicySummary {
  return {
    version: policy.id,
    programme: policy.programme,
    name: policy.name,
    issuer: policy.issuer,
    jurisdiction: policy.jurisdiction,
    documentNumber: policy.documentNumber,
    effectiveFrom: policy.effectiveFrom,
    effectiveTo: policy.effectiveTo,
    publicityWorkingDays: policy.workflow.publicityWorkingDays,
    responseDeadlineWorkingDays: policy.workflow.responseDeadlineWorkingDays,
    workflow: policy.workflow,
    financing: policy.financing,
    requiredMaterials: policy.requiredMaterials,
    registers: registersNamed(policy.criteria),
  };
}
