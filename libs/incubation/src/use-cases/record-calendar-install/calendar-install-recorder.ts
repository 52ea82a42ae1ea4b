import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { EventStore, WrongExpectedRevisionError } from '@engine/event-store';
import {
  CALENDAR_ARRANGEMENTS,
  type CalendarArrangement,
  Clock,
  officialCalendarCoverage,
  packageCoverage,
} from '@engine/platform';

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
