import type { EventStore } from '@engine/event-store';
import { ManualClock } from '@engine/platform';

export const CLOCK_STREAM = 'engine-clock';

export interface ClockSetData {
  now: string;
  previous: string;
}

/**
 * CLOCK=manual across processes: the admin's `POST /v1/admin/clock` is recorded as a ClockSet
 * event, and every process with a manual clock follows the stream, so the worker's timers see
 * the same time as the api, and a restarted process resumes at the time it had. (With the
 * system clock none of this runs.)
 */
export class ClockSync {
  private revision = -1;
  private timer: NodeJS.Timeout | undefined;
  private unlisten: (() => void) | undefined;

  constructor(
    private readonly store: EventStore,
    private readonly clock: ManualClock,
  ) {}

  /** Brings the clock to the last recorded time. */
  async restore(): Promise<void> {
    const events = await this.store.readStream<ClockSetData>(CLOCK_STREAM, {
      fromRevision: this.revision + 1,
    });
    if (events.length === 0) return;
    const last = events[events.length - 1];
    this.revision = last.revision;
    if (last.data.now !== this.clock.now().toISOString()) this.clock.set(new Date(last.data.now));
  }

  /** Keeps following other processes' clock moves. */
  follow(pollMs = 200): void {
    const poll = () => void this.restore().catch(() => undefined);
    this.unlisten = this.store.onAppended(poll);
    this.timer = setInterval(poll, pollMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.unlisten?.();
  }

  /** Records and applies a new time. */
  async set(now: Date, actor: { sub: string; role: string }, correlationId: string): Promise<void> {
    const previous = this.clock.now().toISOString();
    const result = await this.store.append(
      CLOCK_STREAM,
      [
        {
          type: 'ClockSet',
          data: { now: now.toISOString(), previous } satisfies ClockSetData,
          metadata: { correlationId, causationId: correlationId, actor, occurredAt: previous },
        },
      ],
      'any',
    );
    this.revision = Math.max(this.revision, result.nextRevision);
    this.clock.set(now);
  }

  static isManual(clock: unknown): clock is ManualClock {
    return clock instanceof ManualClock;
  }
}
