import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { createHash } from 'node:crypto';
import { EventStore, type StoredEvent } from '@engine/event-store';
import { chinaDate, type IsoDate, workingDayPeriod } from '@engine/platform';
import { applicationDecider, type ApplicationState } from '../../domain/application/application.decider';
import {
  type DeadlineRecomputedData,
  type ExpertPanelDrawnData,
  type ExpertReplacedData,
  applicationStream,
} from '../../domain/application/application.events';
import { roundDecider } from '../../domain/round/round.decider';
import { type PublicityStartedData, roundStream } from '../../domain/round/round.events';
import type { CommandContext } from '../../infrastructure/command-context';
import { Aggregates } from '../../infrastructure/handle-command';
import { PolicyLookup } from '../policy-lookup';
import { RecomputeProvisionalDeadlinesCommand } from './recompute-provisional-deadlines.command';

const PAGE = 500;

/**
 * Every open deadline that was counted on a provisional calendar is counted again now that an
 * arrangement is installed; where the date or its certainty changed, a `DeadlineRecomputed`
 * is appended to its stream (the first date stays in the history) and the calendar saga moves
 * its timers. Open means: a publicity not finalized, an application still returned, an expert
 * seat not scored. Safe to repeat: an unchanged deadline appends nothing.
 */
@CommandHandler(RecomputeProvisionalDeadlinesCommand)
export class RecomputeProvisionalDeadlinesHandler implements ICommandHandler<
  RecomputeProvisionalDeadlinesCommand,
  number
> {
  constructor(
    @Inject(EventStore) private readonly store: EventStore,
    @Inject(Aggregates) private readonly aggregates: Aggregates,
    @Inject(PolicyLookup) private readonly policies: PolicyLookup,
  ) {}

  async execute({ calendar, context }: RecomputeProvisionalDeadlinesCommand): Promise<number> {
    let recomputed = 0;
    for (let after = 0; ;) {
      const page = await this.store.readAll({
        after,
        limit: PAGE,
        filter: { types: ['PublicityStarted', 'ApplicationReturned', 'ExpertPanelDrawn', 'ExpertReplaced'] },
      });
      for (const event of page.events) {
        if ((event.data as { provisional?: boolean }).provisional !== true) continue;
        recomputed += await this.recompute(event, calendar, context);
      }
      if (page.isEnd || page.events.length === 0) break;
      after = page.next;
    }
    return recomputed;
  }

  private async recompute(
    event: StoredEvent,
    calendar: { year: number; digest: string },
    context: CommandContext,
  ): Promise<number> {
    const startOf = (e: StoredEvent) => chinaDate(new Date(e.metadata.occurredAt)) as IsoDate;
    switch (event.type) {
      case 'PublicityStarted': {
        const roundId = event.stream.slice('round-'.length);
        const data = event.data as PublicityStartedData;
        const period = workingDayPeriod(data.startsOn, data.workingDays);
        let changed = 0;
        let previous = '';
        await this.aggregates
          .of(roundDecider)
          .handle(roundStream(roundId), keyed(context, event.stream, 'publicity-end'), ({ state }) => {
            const publicity = state.publicity;
            if (state.final || !publicity) return undefined;
            previous = publicity.endsOn;
            if (!differs(publicity, period)) return undefined;
            changed = 1;
            return {
              type: 'RecomputePublicityEnd',
              change: {
                deadline: 'publicity-end',
                previous: publicity.endsOn,
                recomputed: period.endsOn,
                provisional: period.provisional,
                calendar,
              },
            };
          });
        if (!changed) return 0;
        for (const entry of data.proposed) {
          await this.onApplication(entry.applicationId, context, 'publicity-end', (state) =>
            state.status === 'in-publicity' && state.publicity?.endsOn === previous
              ? {
                  deadline: 'publicity-end',
                  previous,
                  recomputed: period.endsOn,
                  provisional: period.provisional,
                  calendar,
                }
              : undefined,
          );
        }
        return 1;
      }
      case 'ApplicationReturned': {
        const id = event.stream.slice('application-'.length);
        const data = event.data as { stage: 'district' | 'city'; respondBy: string };
        return this.onApplication(id, context, `response/${data.respondBy}`, (state) => {
          if (state.status !== 'returned' || !state.created) return undefined;
          const policy = this.policies.get(state.created.policyVersion);
          if (!policy) return undefined;
          const period = workingDayPeriod(startOf(event), policy.responseDeadlineWorkingDays);
          const current = state.returned!;
          // Only the deadline this return set (a later return has its own event).
          if ((current.computedFrom ?? current.respondBy) !== data.respondBy) return undefined;
          if (!differs({ endsOn: current.respondBy, provisional: current.provisional }, period))
            return undefined;
          return {
            deadline: 'response',
            stage: data.stage,
            previous: current.respondBy,
            recomputed: period.endsOn,
            provisional: period.provisional,
            calendar,
          };
        });
      }
      case 'ExpertPanelDrawn':
      case 'ExpertReplaced': {
        const id = event.stream.slice('application-'.length);
        const experts =
          event.type === 'ExpertPanelDrawn'
            ? (event.data as ExpertPanelDrawnData).experts
            : [(event.data as ExpertReplacedData).replacement];
        let count = 0;
        for (const expertId of experts) {
          count += await this.onApplication(id, context, `expert-scoring/${expertId}`, (state) => {
            const seat = state.panel?.members.find((m) => m.expertId === expertId);
            if (!seat || seat.score !== undefined || state.status !== 'in-expert-review' || !state.created) {
              return undefined;
            }
            const policy = this.policies.get(state.created.policyVersion);
            const days = policy?.workflow.expertPanel?.scoringWorkingDays;
            if (days === undefined) return undefined;
            const period = workingDayPeriod(startOf(event), days);
            if (!differs({ endsOn: seat.dueOn, provisional: seat.provisional }, period)) return undefined;
            return {
              deadline: 'expert-scoring',
              expertId,
              previous: seat.dueOn,
              recomputed: period.endsOn,
              provisional: period.provisional,
              calendar,
            };
          });
        }
        return count;
      }
      default:
        return 0;
    }
  }

  private async onApplication(
    applicationId: string,
    context: CommandContext,
    step: string,
    decide: (state: ApplicationState) => DeadlineRecomputedData | undefined,
  ): Promise<number> {
    let changed = 0;
    await this.aggregates
      .of(applicationDecider)
      .handle(
        applicationStream(applicationId),
        keyed(context, `application-${applicationId}`, step),
        ({ state }) => {
          const change = decide(state);
          if (!change) return undefined;
          changed = 1;
          return { type: 'RecomputeDeadline', change };
        },
      );
    return changed;
  }
}

/** Whether the recount changes the date, or makes a provisional date certain. */
function differs(
  current: { endsOn: string; provisional?: boolean },
  period: { endsOn: string; provisional: boolean },
): boolean {
  return current.endsOn !== period.endsOn || (current.provisional ?? false) !== period.provisional;
}

/** One idempotency key per stream and deadline, so a repeated saga step appends nothing new. */
function keyed(context: CommandContext, stream: string, step: string): CommandContext {
  if (!context.idempotencyKey) return context;
  const idempotencyKey = `${context.idempotencyKey}/${stream}/${step}`;
  return {
    ...context,
    idempotencyKey,
    requestHash: createHash('sha256').update(idempotencyKey).digest('hex'),
  };
}
