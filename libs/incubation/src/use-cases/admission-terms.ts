import { v5 as uuidv5 } from 'uuid';
import { addDays, addYearsClamped, type IsoDate } from '@engine/platform';
import type { ExistingApplication } from '../domain/application/application.decider';
import type { ApplicationAdmittedData } from '../domain/application/application.events';
import type { Aggregates } from '../infrastructure/handle-command';
import type { PolicySummary } from './policy-lookup';

const MEMBERSHIP_NAMESPACE = '8c1f4a52-3e7b-4d09-b6a1-5f2e9c7d0a34';

/** The membership an admitted application starts: one per application, its id derived from it. */
export function membershipIdFor(applicationId: string): string {
  return uuidv5(applicationId, MEMBERSHIP_NAMESPACE);
}

/** Validity from the policy: `validityYears` from the admission day, the day before the anniversary the last. */
export function validUntil(from: string, years: number): string {
  return addDays(addYearsClamped(from as IsoDate, years), -1);
}

/**
 * The admission of an application (by the round's own list or by the ministry's decision): a
 * new membership, or the renewal of the one it re-reviews.
 */
export async function admissionFor(
  aggregates: Aggregates,
  policy: PolicySummary,
  state: ExistingApplication,
  admittedOn: string,
): Promise<ApplicationAdmittedData> {
  const renews = state.created.reReviewOf ?? null;
  if (renews) {
    const membership = await aggregates.membership(renews);
    const extension = policy.workflow.reReviewExtensionYears ?? policy.workflow.validityYears;
    const from = membership.state.validUntil
      ? addDays(membership.state.validUntil as IsoDate, 1)
      : admittedOn;
    return {
      membershipId: renews,
      validFrom: from,
      validUntil: validUntil(from, extension),
      renews,
      financing: null,
    };
  }
  return {
    membershipId: membershipIdFor(state.created.applicationId),
    validFrom: admittedOn,
    validUntil: validUntil(admittedOn, policy.workflow.validityYears),
    renews: null,
    financing: state.financing ?? null,
  };
}
