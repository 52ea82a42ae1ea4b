import type { Principal } from '@engine/platform';
import type { RoundState } from '../../domain/round/round.decider';
import type { ListEntry } from '../../domain/round/round.events';

/** `publicity`: the proposed list (拟入库名单) and its notice; `final`: the final list and the admission notice. */
export type RoundDocumentStage = 'publicity' | 'final';

export interface RoundDocumentEntry extends ListEntry {
  /** 1-based line number as printed. */
  no: number;
  /** The applying enterprise's jurisdiction (its district), from its application. */
  district: string;
}

/**
 * Everything an official document of a round says, taken from the round's events (as of an
 * instant when asked) and the applications they name: nothing here depends on when or how
 * often it is asked, so rendering it twice gives the same bytes (docs/documents.md).
 */
export interface RoundDocumentModel {
  stage: RoundDocumentStage;
  roundId: string;
  programme: string;
  year: number;
  batch: number;
  title: string;
  jurisdiction: string;
  policyVersion: string;
  /** The bureau printed on the notice: as recorded with its document number, else the policy's issuer. */
  issuer: string;
  documentNumber: string | null;
  /** China date of the notice's event (publicity started / round finalized), YYYY-MM-DD. */
  issuedOn: string;
  publicity: { startsOn: string; endsOn: string; workingDays: number };
  final: { finalizedOn: string; outcome: 'admit' | 'forward' } | null;
  /** How many applications were published, and how many an upheld objection removed (by `asOf`). */
  published: number;
  removed: number;
  /** The list, ordered by district and then credit code, numbered. */
  entries: RoundDocumentEntry[];
  /** Subtotals per district, in the list's order. */
  districts: { district: string; count: number }[];
  /** recordedAt of the last event that shaped this document: the files' creation and modification time. */
  changedAt: string;
  /** The instant asked for, or null for "now". */
  asOf: string | null;
}

/**
 * A round's official document as of an instant. With a principal, reach is checked first, on
 * the round as it is now (reach.ts, assertMayReadRoundDocuments: out of reach is "no such
 * round"); without a stage (a document the caller named that does not exist) nothing is built.
 */
export class GetRoundDocumentQuery {
  constructor(
    readonly roundId: string,
    readonly stage: RoundDocumentStage | undefined,
    readonly asOf?: string,
    readonly principal?: Principal,
  ) {}
}

/** The round as of the instant (or undefined when it did not exist yet), for reach checks. */
export interface RoundDocumentResult {
  round: RoundState;
  /** Undefined when the document did not exist at that instant (no publicity, not finalized). */
  model?: RoundDocumentModel;
}
