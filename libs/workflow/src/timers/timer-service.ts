import {
  type Actor,
  EventStore,
  IdempotencyConflictError,
  WrongExpectedRevisionError,
} from '@engine/event-store';
import { type Clock, withTraceParent } from '@engine/platform';
import { type TimerEvent, timerEventId, timerId, type TimerScheduledData, timerStream } from './timer.events';

/** What a saga asks for: a timer for `purpose`, identified by `key`, due at `dueAt`. */
export interface TimerSpec {
  purpose: string;
  /** With the purpose, names the timer: scheduling the same purpose and key twice is one timer. */
  key: string;
  dueAt: string;
  payload: Record<string, unknown>;
}

/** Why an event is written: the event (or request) that caused it, and who acts. */
export interface Cause {
  correlationId: string;
  causationId: string;
  actor: Actor;
}

/** Where delayed jobs go (BullMQ in production); the event is the record, the job a wake-up. */
export interface TimerWakeups {
  enqueue(timerId: string, dueAt: string): Promise<void>;
  remove(timerId: string): Promise<void>;
}

export type FireOutcome = 'fired' | 'not-due' | 'settled' | 'unknown';

/**
 * Durable timers. The schedule is an event in the timer's own stream; a queue job is only a
 * wake-up, and a sweep finds due timers whose job was lost. Firing and cancelling both append
 * at expected revision 0, so a timer fires at most once and a cancelled timer never fires.
 */
export class TimerService {
  constructor(
    private readonly store: EventStore,
    private readonly clock: Clock,
    private readonly wakeups?: TimerWakeups,
  ) {}

  /** Schedules the timer unless it exists (then nothing changes). Returns its id. */
  async schedule(spec: TimerSpec, cause: Cause): Promise<string> {
    const id = timerId(spec.purpose, spec.key);
    if (Number.isNaN(Date.parse(spec.dueAt))) throw new RangeError(`dueAt ${spec.dueAt} is not an instant`);
    const data: TimerScheduledData = {
      timerId: id,
      purpose: spec.purpose,
      dueAt: new Date(spec.dueAt).toISOString(),
      payload: spec.payload,
    };
    try {
      await this.append(id, { type: 'TimerScheduled', data }, 'no-stream', cause);
    } catch (error) {
      // Scheduled before (a repeated saga step): the stream exists, or the same event is stored.
      if (!(error instanceof WrongExpectedRevisionError || error instanceof IdempotencyConflictError))
        throw error;
      return id;
    }
    await this.wakeups?.enqueue(id, data.dueAt).catch(() => undefined);
    return id;
  }

  /** Cancels a pending timer. False when it had fired, was cancelled, or never existed. */
  async cancel(purpose: string, key: string, reason: string, cause: Cause): Promise<boolean> {
    const id = timerId(purpose, key);
    const scheduled = await this.scheduled(id);
    if (!scheduled) return false;
    try {
      await this.append(id, { type: 'TimerCancelled', data: { timerId: id, purpose, reason } }, 0, cause);
    } catch (error) {
      if (error instanceof WrongExpectedRevisionError || error instanceof IdempotencyConflictError)
        return false;
      throw error;
    }
    await this.wakeups?.remove(id).catch(() => undefined);
    return true;
  }

  /** Fires the timer if it is due and still pending. Safe to call any number of times. */
  async fire(id: string, firedBy: 'queue' | 'sweep'): Promise<FireOutcome> {
    const events = await this.store.readStream<TimerEvent['data']>(timerStream(id));
    if (events.length === 0) return 'unknown';
    if (events.length > 1) return 'settled';
    const data = events[0].data as TimerScheduledData;
    const now = this.clock.now();
    if (Date.parse(data.dueAt) > now.getTime()) return 'not-due';
    const append = () =>
      this.append(id, { type: 'TimerFired', data: { ...data, firedAt: now.toISOString(), firedBy } }, 0, {
        correlationId: events[0].metadata.correlationId,
        causationId: events[0].id,
        actor: { sub: 'timers', role: 'system' },
      });
    try {
      // A queued wake-up runs in its job's span (which continues the schedule's trace); a sweep
      // continues the trace of the TimerScheduled event itself.
      await (firedBy === 'sweep' ? withTraceParent(events[0].metadata, append) : append());
      return 'fired';
    } catch (error) {
      if (error instanceof WrongExpectedRevisionError || error instanceof IdempotencyConflictError)
        return 'settled';
      throw error;
    }
  }

  private async scheduled(id: string): Promise<boolean> {
    const events = await this.store.readStream(timerStream(id));
    return events.length === 1;
  }

  private append(id: string, event: TimerEvent, expected: 'no-stream' | 0, cause: Cause) {
    return this.store.append(
      timerStream(id),
      [
        {
          id: timerEventId(id, event.type),
          type: event.type,
          data: event.data,
          metadata: { ...cause, occurredAt: this.clock.now().toISOString() },
        },
      ],
      expected,
    );
  }
}
