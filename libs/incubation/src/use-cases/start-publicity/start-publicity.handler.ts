import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { chinaDate, Clock, isIsoDate, workingDayPeriod } from '@engine/platform';
import { isProposable } from '../../domain/application/application.decider';
import { roundDecider, type RoundState } from '../../domain/round/round.decider';
import { type ListEntry, roundStream } from '../../domain/round/round.events';
import { conflict, invalid, notFound } from '../../domain/shared/domain-error';
import { type Aggregate, Aggregates } from '../../infrastructure/handle-command';
import { DocumentNumberRegistry, noticeFor } from '../document-numbers/document-number-registry';
import { PolicyLookup } from '../policy-lookup';
import { assertOfficerOverRound } from '../reach';
import { RoundRoster } from '../round-roster';
import { StartPublicityCommand } from './start-publicity.command';

/**
 * Publicity (公示): the round's passed applications are published for the policy's number of
 * working days on the official calendar (start day not counted, so a period straddling a
 * holiday ends later). The list is recorded in the round's event: what was published is
 * exactly what an auditor reads back.
 */
@CommandHandler(StartPublicityCommand)
export class StartPublicityHandler implements ICommandHandler<StartPublicityCommand, Aggregate<RoundState>> {
  constructor(
    @Inject(Aggregates) private readonly aggregates: Aggregates,
    @Inject(PolicyLookup) private readonly policies: PolicyLookup,
    @Inject(RoundRoster) private readonly roster: RoundRoster,
    @Inject(Clock) private readonly clock: Clock,
    @Inject(DocumentNumberRegistry) private readonly numbers: DocumentNumberRegistry,
  ) {}

  async execute({
    roundId,
    startsOn,
    principal,
    context,
    notice,
    confirmProvisional,
  }: StartPublicityCommand): Promise<Aggregate<RoundState>> {
    let reserve: (() => Promise<void>) | undefined;
    return this.aggregates.of(roundDecider).handle(
      roundStream(roundId),
      context,
      async ({ state }) => {
        const round = state.round;
        if (!round) throw notFound('ROUND_NOT_FOUND', 'no such round');
        assertOfficerOverRound(principal, round.jurisdiction, 'publicise a round');
        const today = chinaDate(this.clock.now());
        const start = startsOn ?? today;
        if (!isIsoDate(start) || start < today) {
          throw invalid('STARTS_ON_INVALID', 'startsOn must be a date, today or later', [
            { field: 'startsOn', message: 'must be YYYY-MM-DD, today or later' },
          ]);
        }
        const policy = this.policies.pinned(round.policyVersion);
        const document = notice && noticeFor(notice, policy, today);
        const period = workingDayPeriod(start, policy.publicityWorkingDays);
        if (period.provisional && !confirmProvisional) {
          throw conflict(
            'CALENDAR_PROVISIONAL',
            `the publicity would end on ${period.endsOn}, counted without the official holiday arrangement of ` +
              `${period.endsOn.slice(0, 4)}: install calendar/${period.endsOn.slice(0, 4)}.yaml, or confirm the provisional end (confirmProvisional: true)`,
          );
        }
        reserve =
          document &&
          (() => this.numbers.reserve(document.number, { purpose: 'publicity', roundId }, context));
        return {
          type: 'StartPublicity',
          now: this.clock.now(),
          publicity: {
            startsOn: start,
            endsOn: period.endsOn,
            workingDays: policy.publicityWorkingDays,
            provisional: period.provisional,
            ...(period.provisional && principal ? { confirmedBy: principal.sub } : {}),
            proposed: await this.proposedList(roundId),
            ...(document ? { documentNumber: document.number.text, issuer: document.issuer } : {}),
          },
        };
      },
      // Only once the round accepted the command: a refused command reserves nothing.
      { beforeAppend: async () => reserve?.() },
    );
  }

  private async proposedList(roundId: string): Promise<ListEntry[]> {
    const ids = await this.roster.applicationIds(roundId, ['passed']);
    const entries: ListEntry[] = [];
    for (const id of ids) {
      const { state } = await this.aggregates.application(id);
      const created = state.created;
      if (!created || !isProposable(state)) continue;
      const enterprise = await this.aggregates.enterprise(created.creditCode);
      entries.push({
        applicationId: id,
        creditCode: created.creditCode,
        name: enterprise.state.name ?? '',
        score: state.result?.mean ?? null,
      });
    }
    return entries.sort((a, b) => (a.creditCode < b.creditCode ? -1 : 1));
  }
}
