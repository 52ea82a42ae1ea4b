import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { EventStore } from '@engine/event-store';
import { SqliteEventStore } from '@engine/event-store/adapters/sqlite/sqlite-event-store';
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace-base';
import { inSpan, startTracing, SystemClock } from '@engine/platform';
import { TIMER_QUEUE, TimerQueue } from './timer-queue';
import { TimerService } from './timer-service';
import { timerStream } from './timer.events';

const REDIS_URL = 'redis://127.0.0.1:6379/12'; // a database of its own: flushing it touches no other test
const meta = { correlationId: 'c', causationId: 'c', actor: { sub: 't', role: 'system' } };

async function until(check: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not reached in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/**
 * The queue is only a wake-up: a delayed BullMQ job fires the timer when it comes due, and when
 * Redis loses the job (flushed, or down when it was added) the sweep fires it instead. Real
 * Redis, the system clock, delays of a few hundred milliseconds.
 */
describe('timer wake-ups on BullMQ (real Redis)', () => {
  let store: EventStore;
  let queue: TimerQueue;
  let timers: TimerService;
  let prefix: string;
  // The system clock, moved forward by `skew`: a test can make a timer due without waiting.
  const system = new SystemClock();
  let skew = 0;
  const clock = { now: () => new Date(system.now().getTime() + skew) };

  beforeEach(() => {
    skew = 0;
    prefix = `{timers-test-${randomBytes(4).toString('hex')}}`;
    store = new EventStore(new SqliteEventStore({ file: ':memory:', now: () => clock.now() }));
    queue = new TimerQueue({
      redisUrl: REDIS_URL,
      prefix,
      clock,
      warn: () => undefined,
    });
    timers = new TimerService(store, clock, queue);
    queue.startWorker(async (id) => void (await timers.fire(id, 'queue')));
  });
  // The queue opens once its own connection reaches Redis.
  beforeEach(() => until(async () => queue.connected));
  afterEach(async () => {
    await queue.close();
    await store.backend.close();
  });

  it('fires a timer from its delayed job when it comes due', async () => {
    const id = await timers.schedule(
      { purpose: 'test', key: 'queued', dueAt: new Date(Date.now() + 300).toISOString(), payload: {} },
      meta,
    );
    await until(async () => (await store.readStream(timerStream(id))).length === 2);
    const [, fired] = await store.readStream<{ firedBy: string }>(timerStream(id));
    expect(fired.type).toBe('TimerFired');
    expect(fired.data.firedBy).toBe('queue');
  });

  it('leaves a timer whose job Redis lost to the sweep, which fires it once', async () => {
    const id = await timers.schedule(
      {
        purpose: 'test',
        key: 'lost',
        dueAt: new Date(clock.now().getTime() + 60_000).toISOString(),
        payload: {},
      },
      meta,
    );
    // The wake-up is BullMQ's delayed job keyed by the timer id; Redis loses it.
    const redis = new Redis(REDIS_URL);
    const job = `${prefix}:${TIMER_QUEUE}:${id}`;
    try {
      expect(await redis.exists(job)).toBe(1);
      expect(await redis.zscore(`${prefix}:${TIMER_QUEUE}:delayed`, id)).not.toBeNull();
      await redis.flushdb();
      expect(await redis.exists(job)).toBe(0); // nothing is left to wake it
    } finally {
      redis.disconnect();
    }
    skew = 61_000; // the timer is due now
    expect(await store.readStream(timerStream(id))).toHaveLength(1);
    expect(await timers.fire(id, 'sweep')).toBe('fired');
    expect(await timers.fire(id, 'queue')).toBe('settled');
    const events = await store.readStream<{ firedBy: string }>(timerStream(id));
    expect(events.map((e) => [e.type, (e.data as { firedBy?: string }).firedBy])).toEqual([
      ['TimerScheduled', undefined],
      ['TimerFired', 'sweep'],
    ]);
  });

  it('continues the trace the timer was scheduled in: the job, the TimerFired event', async () => {
    const exporter = new InMemorySpanExporter();
    // Jest's module loader bypasses the instrumentations' require hooks: hand-made spans only.
    const tracing = startTracing({ service: 'test', exporter, instrument: false })!;
    try {
      let id = '';
      await inSpan('POST /v1/applications/:id/reviews', {}, async () => {
        id = await timers.schedule(
          { purpose: 'test', key: 'traced', dueAt: new Date(Date.now() + 200).toISOString(), payload: {} },
          meta,
        );
      });
      const request = exporter.getFinishedSpans().find((s) => s.name.startsWith('POST'))!;
      const traceId = request.spanContext().traceId;
      await until(async () => (await store.readStream(timerStream(id))).length === 2);
      const [scheduled, fired] = await store.readStream(timerStream(id));
      // Both events carry the trace in their metadata, for whoever processes them.
      expect(scheduled.metadata.traceparent).toMatch(
        new RegExp(`^00-${traceId}-${request.spanContext().spanId}-01$`),
      );
      await until(async () => exporter.getFinishedSpans().some((s) => s.name === 'job timers'));
      const job = exporter.getFinishedSpans().find((s) => s.name === 'job timers')!;
      expect(job.spanContext().traceId).toBe(traceId);
      expect(job.parentSpanContext?.spanId).toBe(request.spanContext().spanId);
      expect(fired.metadata.traceparent).toMatch(new RegExp(`^00-${traceId}-`));
    } finally {
      await tracing.shutdown();
    }
  });

  it('writes no trace into events while tracing is off', async () => {
    const id = await inSpan('untraced', {}, () =>
      timers.schedule(
        { purpose: 'test', key: 'untraced', dueAt: new Date(Date.now() + 60_000).toISOString(), payload: {} },
        meta,
      ),
    );
    const [scheduled] = await store.readStream(timerStream(id));
    expect(scheduled.metadata).not.toHaveProperty('traceparent');
  });
});
