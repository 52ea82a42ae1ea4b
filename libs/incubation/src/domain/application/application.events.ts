import type { Eligibility } from '../policies/evaluate';
import type { DomainEvent } from '../shared/domain-event';
import type { PanelCandidate, PanelRules } from '../expert-review/panel-draw';

/** The eligibility explanation as stored with a submission (domain/policies/evaluate.ts). */
export type EligibilityRecord = Eligibility;

export type ReviewStage = 'district' | 'city';
/** Stages an application may wait for after review: the finance bureau (tech-retrofit), the ministry (little giant). */
export type LaterStage = 'finance-bureau' | 'ministry';
/** Where a rejection came from. */
export type RejectionStage =
  ReviewStage | 'expert-panel' | 'finance-bureau' | 'publicity' | 'ministry' | 'final';
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
  /** A re-review (复核) application: the membership it would renew. */
  reReviewOf?: string | null;
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
        /** On a first submission: the stage that reviews first, from the policy (absent: district). */
        firstStage?: ReviewStage;
      }
    >
  | DomainEvent<'ApplicationRecommended', { stage: 'district'; reason: string }>
  | DomainEvent<'ApplicationAcceptedForExpertReview', { stage: 'city'; reason: string }>
  | DomainEvent<
      'ApplicationReturned',
      {
        stage: ReviewStage;
        reason: string;
        respondBy: string;
        /** respondBy was computed on a year whose holiday arrangement was not installed (absent: false). */
        provisional?: boolean;
      }
    >
  | DomainEvent<'ApplicationRejected', { stage: RejectionStage; reason: string }>
  | DomainEvent<'ApplicationWithdrawn', { reason: string }>
  | DomainEvent<'ExpertPanelDrawn', ExpertPanelDrawnData>
  | DomainEvent<'ExpertReplaced', ExpertReplacedData>
  | DomainEvent<'ExpertReminded', { expertId: string; dueOn: string }>
  | DomainEvent<'ExpertConflictDeclared', ExpertConflictDeclaredData>
  | DomainEvent<'ExpertScoreSubmitted', ExpertScoreSubmittedData>
  | DomainEvent<'ExpertReviewConcluded', ExpertReviewConcludedData>
  | DomainEvent<'FinanceOpinionRecorded', FinanceOpinionData>
  | DomainEvent<
      'ApplicationPublicised',
      { roundId: string; startsOn: string; endsOn: string; provisional?: boolean }
    >
  | DomainEvent<'ApplicationForwardedToMinistry', { roundId: string }>
  | DomainEvent<'NationalDecisionRecorded', { decision: 'recognized' | 'rejected'; documentNumber: string }>
  | DomainEvent<'ApplicationAdmitted', ApplicationAdmittedData>
  | DomainEvent<'MaterialAttached', MaterialAttachedData>
  | DomainEvent<'MaterialRemoved', MaterialRemovedData>
  | DomainEvent<'DeadlineRecomputed', DeadlineRecomputedData>;

/**
 * A file attached to the application. The file itself is in the blob store under `sha256`,
 * written before this event: the hash chain covers the document through its digest.
 */
export interface MaterialAttachedData {
  materialId: string;
  /** The policy's material kind, e.g. `business-licence`. */
  kind: string;
  /** Sanitised (domain/materials/materials.ts). */
  fileName: string;
  /** Decided by the content's magic bytes. */
  mediaType: string;
  size: number;
  /** SHA-256 of the bytes, lowercase hex. */
  sha256: string;
}

export interface MaterialRemovedData {
  materialId: string;
  kind: string;
  fileName: string;
  sha256: string;
}

/**
 * A date computed on a provisional calendar, computed again once the year's arrangement was
 * installed (the calendar saga). The first date stays in the history; this one replaces it.
 */
export interface DeadlineRecomputedData {
  deadline: 'response' | 'expert-scoring' | 'publicity-end';
  /** The expert whose scoring deadline it is (expert-scoring). */
  expertId?: string;
  /** The stage that returned the application (response). */
  stage?: ReviewStage;
  previous: string;
  recomputed: string;
  /** Still provisional (some day of the period lies in a year not installed yet). */
  provisional: boolean;
  /** The installed arrangement's year and file digest. */
  calendar: { year: number; digest: string };
}

/**
 * The draw, as an auditor needs it to reproduce it (domain/expert-review/panel-draw.ts): every
 * eligible candidate (affiliated experts already excluded, and listed), the seed and the rules.
 */
export interface ExpertPanelDrawnData {
  seed: string;
  rules: PanelRules;
  candidates: PanelCandidate[];
  /** Experts left out for a conflict of interest (affiliated with the applicant). */
  excluded: string[];
  experts: string[];
  /** Last day to score (YYYY-MM-DD), counted in working days from the draw. */
  dueOn: string;
  /** dueOn was computed on a year whose holiday arrangement was not installed (absent: false). */
  provisional?: boolean;
}

/** An expert on the panel declares, before scoring, whether they have a conflict of interest. */
export interface ExpertConflictDeclaredData {
  expertId: string;
  conflict: boolean;
  /** What the conflict is (required when declaring one). */
  reason: string | null;
}

export interface ExpertScoreSubmittedData {
  expertId: string;
  /** Integer 0-100; with a scoring sheet, the total the engine computed from `indicators`. */
  score: number;
  comment: string | null;
  /** With a scoring sheet (policy `scoring`): each indicator's score and comment, in the sheet's order. */
  indicators?: { code: string; score: number; comment: string | null }[];
  /** With a scoring sheet: the exact weighted sum before rounding to `score`. */
  exact?: string;
}

export interface ExpertReplacedData {
  expertId: string;
  replacement: string;
  /** `overdue`: the deadline passed; `conflict-of-interest`: the expert declared a conflict. */
  reason: 'overdue' | 'conflict-of-interest';
  seed: string;
  candidates: PanelCandidate[];
  dueOn: string;
  provisional?: boolean;
}

export interface ExpertReviewConcludedData {
  scores: { expertId: string; score: number }[];
  /** The exact mean as shown, e.g. "70.2" or "≈ 70.33". */
  mean: string;
  /** e.g. "> 70". */
  required: string;
  passed: boolean;
  /** The stage the application goes on to wait for after passing, if any (finance bureau). */
  next: LaterStage | null;
}

export interface FinancingDecision {
  /** Yuan. */
  amount: number;
  /** Yearly rate the enterprise pays, from the policy on the day of the opinion. */
  ratePercent: number;
  termYears: number;
  /** The promotional window that set `ratePercent`, if one did (absent in events before 2026-12). */
  promotion?: { from: string; to: string } | null;
  /** The partner bank's yearly rate, when the opinion states it. */
  bankRatePercent?: number | null;
  /** Yuan a year the city budget pays the bank (贴息): amount × (bank rate − enterprise rate). */
  yearlyInterestSubsidy?: number | null;
  /** The cap it was checked against (policy, project's investment), yuan. */
  cap?: number;
}

export interface FinanceOpinionData {
  approved: boolean;
  opinion: string;
  financing: FinancingDecision | null;
}

export interface ApplicationAdmittedData {
  membershipId: string;
  validFrom: string;
  validUntil: string;
  /** When it renews an existing membership (a re-review) rather than starting one. */
  renews: string | null;
  financing: FinancingDecision | null;
}

export const applicationStream = (applicationId: string) => `application-${applicationId}`;
