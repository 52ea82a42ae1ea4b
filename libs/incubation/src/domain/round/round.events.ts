import type { SealedPersonalData } from '@engine/platform/privacy/personal-data-vault';
import type { DomainEvent } from '../shared/domain-event';

export interface RoundOpenedData {
  roundId: string;
  programme: string;
  year: number;
  batch: number;
  title: string;
  /** Issuing jurisdiction (dotted path): its officers run the city stages of the round. */
  jurisdiction: string;
  opensAt: string;
  closesAt: string;
  quota: number | null;
  /** The policy version in force when the round was created: every application is judged by it. */
  policyVersion: string;
}

/** Persisted event types of the round stream (`round-<id>`). Never rename. */
export type RoundEvent =
  | DomainEvent<'RoundCreated', RoundOpenedData>
  | DomainEvent<'RoundClosed', { closedAt: string; reason: string }>
  | DomainEvent<'PublicityStarted', PublicityStartedData>
  | DomainEvent<'ObjectionRaised', ObjectionRaisedData>
  | DomainEvent<
      'ObjectionResolved',
      { objectionId: string; applicationId: string; upheld: boolean; reason: string }
    >
  | DomainEvent<'RoundFinalized', RoundFinalizedData>
  | DomainEvent<'AdmissionNoticeIssued', AdmissionNoticeIssuedData>
  | DomainEvent<'DeadlineRecomputed', RoundDeadlineRecomputedData>;

/**
 * The admission notice's document number, given after the publicity saga finalized the round
 * on its own (the usual way a round ends): `POST /v1/rounds/:id/admission-notice`.
 */
export interface AdmissionNoticeIssuedData {
  documentNumber: string;
  issuer: string;
  issuedOn: string;
}

/** The publicity's end computed again once its year's holiday arrangement was installed. */
export interface RoundDeadlineRecomputedData {
  deadline: 'publicity-end';
  previous: string;
  recomputed: string;
  provisional: boolean;
  calendar: { year: number; digest: string };
}

/** One line of the proposed (拟入库) or final list. */
export interface ListEntry {
  applicationId: string;
  creditCode: string;
  name: string;
  /** The panel's mean score as shown. */
  score: string | null;
}

export interface PublicityStartedData {
  startsOn: string;
  /** Last day of publicity: `workingDays` working days after startsOn (start day not counted). */
  endsOn: string;
  workingDays: number;
  /**
   * endsOn was computed on a year whose holiday arrangement was not installed (absent: false);
   * such a publicity starts only when an officer confirms it (`confirmedBy`).
   */
  provisional?: boolean;
  confirmedBy?: string;
  proposed: ListEntry[];
  /** The publicity notice's document number (文号), canonical spelling; absent when none was given. */
  documentNumber?: string;
  /** The bureau issuing the notice, as printed on it; present with `documentNumber`. */
  issuer?: string;
}

export interface ObjectionRaisedData {
  objectionId: string;
  applicationId: string;
  /** Name, ID number and phone, sealed under the objector's key (docs/privacy.md). */
  objector: SealedPersonalData;
  /** `organization`: an organisation objected (its name and credit code are in `organization`); absent: a person. */
  objectorKind?: 'person' | 'organization';
  organization?: { name: string; creditCode: string };
  grounds: string;
  /** References to evidence (documents, links); an organisation's seal image among them. */
  evidence: string[];
  /**
   * Files uploaded as evidence (POST /v1/applications/:id/objections/evidence), by digest, so
   * the round's hash chain covers them as MaterialAttached covers a material. Absent before
   * objections took files.
   */
  evidenceFiles?: { sha256: string; fileName: string; mediaType: string; size: number }[];
  raisedOn: string;
}

export interface RoundFinalizedData {
  /** Admitted (or, for lists the ministry decides, forwarded to it). */
  admitted: ListEntry[];
  /** Removed from the proposed list by an upheld objection. */
  removed: { applicationId: string; objectionId: string }[];
  finalizedOn: string;
  /** `admit`: the bureau's own list; `forward`: recommended to the ministry (little giant). */
  outcome: 'admit' | 'forward';
  /** The admission notice's document number (文号), canonical spelling; absent when none was given. */
  documentNumber?: string;
  /** The bureau issuing the notice, as printed on it; present with `documentNumber`. */
  issuer?: string;
  /** Left off by the round's quota, lowest scores first out (absent: none). */
  overQuota?: ListEntry[];
  /** The policy's rule for ties at the cut (with overQuota). */
  quotaTieBreak?: 'admit-all-tied' | 'credit-code';
}

export const roundStream = (roundId: string) => `round-${roundId}`;
