import { createHash } from 'node:crypto';
import { EventStore, type StoredEvent, WrongExpectedRevisionError } from '@engine/event-store';
import { SqliteEventStore } from '@engine/event-store/adapters/sqlite/sqlite-event-store';
import { ManualClock } from '@engine/platform';
import type { ReadModelDatabase } from '@engine/read-models';
import { testReadModels, type TestReadModels } from '@engine/read-models/testing/databases.testing';
import { SagaProcessor } from '../sagas/saga-processor';
import type { Saga } from '../sagas/saga';
import { TimerService } from '../timers/timer-service';
import { timerId, timerStream } from '../timers/timer.events';
import { EventProcessorRunner, type EventProcessor } from './event-processor';
import { ProcessorStore } from './processor-store';

const PG_URL = process.env.PG_TEST_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const meta = {
  correlationId: 'c',
  causationId: 'c',
  actor: { sub: 't', role: 'system' },
  occurredAt: '2026-01-01T00:00:00Z',
};

async function until(check: () => Promise<boolean> | boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not reached in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe.each(['sqlite', 'postgres'] as const)('event processors on %s read models', (dialect) => {
  let models: TestReadModels;
  let db: ReadModelDatabase;
  let store: EventStore;
  let clock: ManualClock;
  const runners: EventProcessorRunner[] = [];

  const run = (processor: EventProcessor, options: { maxAttempts?: number } = {}) => {
    const runner = new EventProcessorRunner({
      store,
      db,
      processor,
      now: () => clock.now(),
      retryBaseMs: 1,
      retryMaxMs: 5,
      pollIntervalMs: 10,
      ...options,
    });
    runner.start();
    runners.push(runner);
    return runner;
  };
  const ping = (stream: string, n: number) =>
    store.append(stream, [{ type: 'Ping', data: { n }, metadata: meta }], 'any');

  beforeEach(async () => {
    models = testReadModels(dialect, PG_URL);
    db = await models.open();
    clock = new ManualClock(new Date('2026-03-02T00:00:00Z'));
    store = new EventStore(new SqliteEventStore({ file: ':memory:', now: () => clock.now() }));
  });
  afterEach(async () => {
    await Promise.all(runners.splice(0).map((r) => r.stop()));
    await store.backend.close();
    await models.dispose();
  });

  it('hands every event over in order and resumes after its checkpoint when restarted', async () => {
    const seen: number[] = [];
    const processor: EventProcessor = {
      name: 'collector',
      filter: { types: ['Ping'] },
      startFrom: 'beginning',
      handle: async (event) => void seen.push((event.data as { n: number }).n),
    };
    for (let n = 1; n <= 5; n++) await ping('s-1', n);
    const first = run(processor);
    await first.reached(await store.headPosition());
    await first.stop();
    for (let n = 6; n <= 8; n++) await ping('s-1', n);
    const second = run(processor);
    await second.reached(await store.headPosition());
    expect(seen).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });

  it('parks an event that keeps failing, goes on with the next, and runs it again when an operator asks', async () => {
    let broken = true;
    const handled: number[] = [];
    const processor: EventProcessor = {
      name: 'fragile',
      filter: { types: ['Ping'] },
      startFrom: 'beginning',
      handle: async (event) => {
        const n = (event.data as { n: number }).n;
        if (n === 2 && broken) throw new Error('the downstream service is refusing');
        handled.push(n);
      },
    };
    for (let n = 1; n <= 3; n++) await ping('s-2', n);
    const runner = run(processor, { maxAttempts: 3 });
    await runner.reached(await store.headPosition());
    expect(handled).toEqual([1, 3]);
    const parked = new ProcessorStore(db);
    const rows = await parked.list();
    expect(rows).toEqual([
      expect.objectContaining({ processor: 'fragile', type: 'Ping', attempts: 3, state: 'parked' }),
    ]);
    expect(rows[0].error).toContain('the downstream service is refusing');

    broken = false;
    expect(await parked.requestRetry('fragile', rows[0].event_id, clock.now())).toBe(true);
    await ping('s-2', 4); // wakes the idle runner
    await until(async () => handled.includes(2));
    await until(async () => (await parked.list()).length === 0);
    expect(handled.sort()).toEqual([1, 2, 3, 4]);
  });

  it('starts a new outbox-like processor at the head: no reaction to what happened before it existed', async () => {
    await ping('s-3', 1);
    const seen: number[] = [];
    const runner = run({
      name: 'from-head',
      filter: { types: ['Ping'] },
      startFrom: 'head',
      handle: async (event) => void seen.push((event.data as { n: number }).n),
    });
    await runner.reached(await store.headPosition());
    await ping('s-3', 2);
    await runner.reached(await store.headPosition());
    expect(seen).toEqual([2]);
  });

  it('replaying a saga from the first event adds nothing: its timers and commands are recognised', async () => {
    const timers = new TimerService(store, clock);
    const sent: string[] = [];
    const saga: Saga = {
      name: 'echo',
      handles: ['Ping'],
      react: (event: StoredEvent) => [
        {
          kind: 'schedule',
          timer: { purpose: 'echo', key: event.id, dueAt: '2026-03-03T00:00:00Z', payload: {} },
        },
        { kind: 'command', step: 'echo', command: (context) => ({ key: context.idempotencyKey }) },
      ],
    };
    // The "command" appends one event with an id derived from its idempotency key.
    const send = async (command: object) => {
      const key = (command as { key: string }).key;
      sent.push(key);
      await store.append('echoes', [{ id: uuidOf(key), type: 'Echo', data: { key }, metadata: meta }], 'any');
    };
    const processor = () =>
      new SagaProcessor(
        saga,
        send,
        timers,
        () => false,
        () => undefined,
      );
    await ping('s-4', 1);
    await ping('s-4', 2);
    const first = run(processor());
    await first.reached(await store.headPosition());
    await first.stop();
    const headAfterFirst = await store.headPosition();

    // Forget the checkpoint, as if the process died before storing it: everything is redelivered.
    await db.writer.deleteFrom('processor_checkpoints').execute();
    const again = run(processor());
    await again.reached(headAfterFirst);
    expect(sent).toHaveLength(4); // each reaction ran twice...
    expect(await store.headPosition()).toBe(headAfterFirst); // ...and changed nothing the second time
    expect(await store.readStream('echoes')).toHaveLength(2);
  });

  it('fires a timer once, never early, and never after it was cancelled', async () => {
    const timers = new TimerService(store, clock);
    const id = await timers.schedule(
      { purpose: 'deadline', key: 'a', dueAt: '2026-03-05T16:00:00Z', payload: { x: 1 } },
      meta,
    );
    expect(id).toBe(timerId('deadline', 'a'));
    expect(await timers.fire(id, 'sweep')).toBe('not-due');
    clock.set(new Date('2026-03-05T16:00:00Z'));
    const outcomes = await Promise.all([
      timers.fire(id, 'queue'),
      timers.fire(id, 'sweep'),
      timers.fire(id, 'sweep'),
    ]);
    expect(outcomes.filter((o) => o === 'fired')).toHaveLength(1);
    expect((await store.readStream(timerStream(id))).map((e) => e.type)).toEqual([
      'TimerScheduled',
      'TimerFired',
    ]);
    expect(await timers.cancel('deadline', 'a', 'too late', meta)).toBe(false);

    const other = await timers.schedule(
      { purpose: 'deadline', key: 'b', dueAt: '2026-03-06T00:00:00Z', payload: {} },
      meta,
    );
    expect(await timers.cancel('deadline', 'b', 'answered in time', meta)).toBe(true);
    clock.set(new Date('2026-03-07T00:00:00Z'));
    expect(await timers.fire(other, 'sweep')).toBe('settled');
    expect((await store.readStream(timerStream(other))).map((e) => e.type)).toEqual([
      'TimerScheduled',
      'TimerCancelled',
    ]);
    // Scheduling the same timer again changes nothing either.
    await timers.schedule(
      { purpose: 'deadline', key: 'b', dueAt: '2026-03-06T00:00:00Z', payload: {} },
      meta,
    );
    expect(await store.readStream(timerStream(other))).toHaveLength(2);
    await expect(
      store.append(timerStream(other), [{ type: 'TimerFired', data: {}, metadata: meta }], 0),
    ).rejects.toThrow(WrongExpectedRevisionError);
  });
});

function uuidOf(key: string): string {
  const hex = createHash('sha256').update(key).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
