import { Inject } from '@nestjs/common';
import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import type { StoredEvent } from '@engine/event-store';
import { chinaDate } from '@engine/platform';
import { currentList } from '../../domain/round/round.decider';
import type { ListEntry, RoundEvent } from '../../domain/round/round.events';
import { Aggregates } from '../../infrastructure/handle-command';
import { PolicyLookup } from '../policy-lookup';
import { assertMayReadRoundDocuments } from '../reach';
import {
  GetRoundDocumentQuery,
  type RoundDocumentEntry,
  type RoundDocumentModel,
  type RoundDocumentResult,
} from './get-round-document.query';

@QueryHandler(GetRoundDocumentQuery)
export class GetRoundDocumentHandler implements IQueryHandler<GetRoundDocumentQuery, RoundDocumentResult> {
  constructor(
    @Inject(Aggregates) private readonly aggregates: Aggregates,
    @Inject(PolicyLookup) private readonly policies: PolicyLookup,
  ) {}

  async execute({ roundId, stage, asOf, principal }: GetRoundDocumentQuery): Promise<RoundDocumentResult> {
    if (principal) assertMayReadRoundDocuments(principal, (await this.aggregates.round(roundId)).state);
    const round = await this.aggregates.round(roundId, asOf);
    const state = round.state;
    if (!stage || !state.exists || !state.publicity || (stage === 'final' && !state.final)) {
      return { round: state };
    }
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
    const policy = this.policies.pinned(r.policyVersion);
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
