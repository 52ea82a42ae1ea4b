import type { Eligibility } from '../policies/evaluate';
import type { DomainEvent } from '../shared/domain-event';

/** The eligibility explanation as stored with a submission (domain/policies/evaluate.ts). */
export type EligibilityRecord = Eligibility;

export type ReviewStage = 'district' | 'city';
export type ReviewDecision = 'recommend' | 'return' | 'reject';

export interface ApplicationCreatedData {
  applicationId: string;
  roundId: string;
  programme: string;
  policyVersion: string;
  creditCode: string;
  /** The enterprise's jurisdiction at creation: who may review it. */
  jurisdiction: string;
  /** The round's issuing jurisdiction: who runs the city stage. */
  roundJurisdiction: string;
  data: Record<string, unknown>;
}

/** Persisted event types of the application stream (`application-<id>`). Never rename. */
export type ApplicationEvent =
  | DomainEvent<'ApplicationCreated', ApplicationCreatedData>
  | DomainEvent<'ApplicationDataUpdated', { data: Record<string, unknown> }>
  | DomainEvent<
      'ApplicationSubmitted',
      {
        data: Record<string, unknown>;
        eligibility: EligibilityRecord;
        policyVersion: string;
        resubmission: boolean;
        /** On a resubmission: the return it answers (its stage and response deadline). */
        answers?: { stage: ReviewStage; respondBy: string };
      }
    >
  | DomainEvent<'ApplicationRecommended', { stage: 'district'; reason: string }>
  | DomainEvent<'ApplicationAcceptedForExpertReview', { stage: 'city'; reason: string }>
  | DomainEvent<'ApplicationReturned', { stage: ReviewStage; reason: string; respondBy: string }>
  | DomainEvent<'ApplicationRejected', { stage: ReviewStage; reason: string }>
  | DomainEvent<'ApplicationWithdrawn', { reason: string }>;

export const applicationStream = (applicationId: string) => `application-${applicationId}`;
