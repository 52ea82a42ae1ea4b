import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { createHash, randomUUID } from 'node:crypto';
import { EventStore, type StoredEvent, WrongExpectedRevisionError } from '@engine/event-store';
import {
  CALENDAR_ARRANGEMENTS,
  type CalendarArrangement,
  chinaDate,
  Clock,
  type IsoDate,
  officialCalendarCoverage,
  packageCoverage,
  workingDayPeriod,
} from '@engine/platform';
import {
  type DeadlineRecomputedData,
  type ExpertPanelDrawnData,
  type ExpertReplacedData,
  applicationStream,
} from '../../domain/application/application.events';
import { type PublicityStartedData, roundStream } from '../../domain/round/round.events';
import type { CommandContext } from '../../infrastructure/command-context';
import { Aggregates } from '../../infrastructure/handle-command';
import { PolicyLookup } from '../policy-lookup';
import { applicationDecider, type ApplicationState } from '../../domain/application/application.decider';
import { roundDecider } from '../../domain/round/round.decider';

/** The stream recording which arrangement of a year was installed, and when. */
export const calendarStream = (year: number) => `calendar-${year}`;

export interface CalendarArrangementInstalledData {
  year: number;
  /** sha-256 of the file. */
  digest: string;
  title: string;
  documentNumber: string | null;
  publishedOn: string;
  reviewedBy: string;
  reviewedOn: string;
  source: string;
}

/**
 * Records, once per file version, that the arrangement of a year beyond what the package covers
 * was installed (`CalendarArrangementInstalled` on `calendar-<year>`): the calendar saga then
 * recomputes the open deadlines that were counted without it. Runs at boot in every process
 * that loads the incubation context; replicas racing to record the same file write it once.
 */
@Injectable()
export class CalendarInstallRecorder implements OnApplicationBootstrap {
  private readonly logger = new Logger('Calendar');

  constructor(
    @Inject(CALENDAR_ARRANGEMENTS) private readonly arrangements: CalendarArrangement[],
    @Inject(EventStore) private readonly store: EventStore,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    // Only a year the package does not cover can have provisional deadlines to recompute; a
    // file for a covered year (calendar/2026.yaml) takes precedence without being an event.
    const { lastYear } = packageCoverage();
    for (const arrangement of this.arrangements) {
      if (arrangement.year > lastYear) await this.record(arrangement);
    }
  }

  /** True when it recorded the file (a year or a version not recorded before). */
  async record(arrangement: CalendarArrangement): Promise<boolean> {
    const stream = calendarStream(arrangement.year);
    const history = await this.store.readStream<CalendarArrangementInstalledData>(stream);
    if (history.at(-1)?.data.digest === arrangement.digest) return false;
    const data: CalendarArrangementInstalledData = {
      year: arrangement.year,
      digest: arrangement.digest,
      title: arrangement.notice.title,
      documentNumber: arrangement.notice.documentNumber,
      publishedOn: arrangement.notice.publishedOn,
      reviewedBy: arrangement.reviewedBy,
      reviewedOn: arrangement.reviewedOn,
      source: arrangement.source,
    };
    const correlationId = randomUUID();
    try {
      await this.store.append(
        stream,
        [
          {
            type: 'CalendarArrangementInstalled',
            data,
            metadata: {
              correlationId,
              causationId: correlationId,
              actor: { sub: 'calendar', role: 'system' },
              occurredAt: this.clock.now().toISOString(),
            },
          },
        ],
        history.length === 0 ? 'no-stream' : history.at(-1)!.revision,
      );
    } catch (error) {
      if (error instanceof WrongExpectedRevisionError) return false; // another replica recorded it
      throw error;
    }
    this.logger.log(
      `installed the holiday arrangement of ${arrangement.year} (${arrangement.source}); official through ${officialCalendarCoverage().lastYear}`,
    );
    return true;
  }
}

/** Sent by the calendar saga when a year's arrangement is installed. */
export class RecomputeProvisionalDeadlinesCommand {
  constructor(
    readonly calendar: { year: number; digest: string },
    readonly context: CommandContext,
  ) {}
}

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

export const CALENDAR_HANDLERS = [RecomputeProvisionalDeadlinesHandler];
