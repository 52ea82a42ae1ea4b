import { Inject } from '@nestjs/common';
import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import type { StoredEvent } from '@engine/event-store';
import { chinaDate } from '@engine/platform';
import { currentList, type RoundState } from '../../domain/round/round.decider';
import type { ListEntry, RoundEvent } from '../../domain/round/round.events';
import { Aggregates } from '../../infrastructure/handle-command';
import { PolicyLookup } from '../policy-lookup';

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

export class GetRoundDocumentQuery {
  constructor(
    readonly roundId: string,
    readonly stage: RoundDocumentStage,
    readonly asOf?: string,
  ) {}
}

/** The round as of the instant (or undefined when it did not exist yet), for reach checks. */
export interface RoundDocumentResult {
  round: RoundState;
  /** Undefined when the document did not exist at that instant (no publicity, not finalized). */
  model?: RoundDocumentModel;
}

@QueryHandler(GetRoundDocumentQuery)
export class GetRoundDocumentHandler implements IQueryHandler<GetRoundDocumentQuery, RoundDocumentResult> {
  constructor(
    @Inject(Aggregates) private readonly aggregates: Aggregates,
    @Inject(PolicyLookup) private readonly policies: PolicyLookup,
  ) {}

  async execute({ roundId, stage, asOf }: GetRoundDocumentQuery): Promise<RoundDocumentResult> {
    const round = await this.aggregates.round(roundId, asOf);
    const state = round.state;
    if (!state.exists || !state.publicity || (stage === 'final' && !state.final)) return { round: state };
    const events = (await this.aggregates.history(round.stream, asOf)) as StoredEvent<RoundEvent['data']>[];
    const shaping = events.filter(
      (e) =>
        e.type === 'PublicityStarted' ||
        (e.type === 'ObjectionResolved' && (e.data as { upheld: boolean }).upheld) ||
        (stage === 'final' && e.type === 'RoundFinalized'),
    );
    const notice = events.find(
      (e) => e.type === (stage === 'final' ? 'RoundFinalized' : 'PublicityStarted'),
    )!;
    const list = stage === 'final' ? state.final!.admitted : currentList(state);
    const entries = await this.withDistricts(list);
    const r = state.round!;
    const policy = this.policies.get(r.policyVersion)!;
    const recorded = stage === 'final' ? state.final! : state.publicity;
    const districts: RoundDocumentModel['districts'] = [];
    for (const entry of entries) {
      const last = districts[districts.length - 1];
      if (last?.district === entry.district) last.count++;
      else districts.push({ district: entry.district, count: 1 });
    }
    return {
      round: state,
      model: {
        stage,
        roundId,
        programme: r.programme,
        year: r.year,
        batch: r.batch,
        title: r.title,
        jurisdiction: r.jurisdiction,
        policyVersion: r.policyVersion,
        issuer: recorded.issuer ?? policy.issuer.zh,
        documentNumber: recorded.documentNumber ?? null,
        issuedOn: chinaDate(new Date(notice.metadata.occurredAt)),
        publicity: {
          startsOn: state.publicity.startsOn,
          endsOn: state.publicity.endsOn,
          workingDays: state.publicity.workingDays,
        },
        final: state.final ? { finalizedOn: state.final.finalizedOn, outcome: state.final.outcome } : null,
        published: state.proposed?.length ?? 0,
        removed: (state.objections ?? []).filter((o) => o.resolution?.upheld).length,
        entries,
        districts,
        changedAt: shaping[shaping.length - 1].metadata.recordedAt,
        asOf: asOf ?? null,
      },
    };
  }

  private async withDistricts(list: ListEntry[]): Promise<RoundDocumentEntry[]> {
    const rows: Omit<RoundDocumentEntry, 'no'>[] = [];
    for (const entry of list) {
      // An application's district is fixed when it is created: the current stream says it.
      const application = await this.aggregates.application(entry.applicationId);
      rows.push({ ...entry, district: application.state.created?.jurisdiction ?? '' });
    }
    // Code-unit order, not a locale's: the same on every machine.
    const key = (row: Omit<RoundDocumentEntry, 'no'>) => `${row.district}\u0000${row.creditCode}`;
    rows.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
    return rows.map((row, index) => ({ no: index + 1, ...row }));
  }
}
