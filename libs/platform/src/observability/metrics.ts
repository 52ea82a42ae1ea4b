import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { officialCalendarCoverage } from '../calendar/working-days';
import type { ProbeStatus } from '../redis/redis-probe';

/** How one append went, as the event store reports it (EventStore.observeAppends). */
export interface AppendObservation {
  readonly events: number;
  readonly seconds: number;
  readonly outcome: 'ok' | 'conflict' | 'error';
}

/** What the metrics need of the event store (EventStore provides it). */
export interface ObservedEventStore {
  readonly backend: { readonly name: string };
  headPosition(): Promise<number>;
  ping(): Promise<void>;
  observeAppends(observer: (observation: AppendObservation) => void): () => void;
}

/** Where one projection stands against the store (libs/read-models ProjectionLagProbe). */
export interface ProjectionLag {
  projection: string;
  /** Store position every event up to which the projection reflects. */
  checkpoint: number;
  /** Store head when asked. */
  head: number;
  /** head - checkpoint, never negative. */
  lag: number;
  /** When its checkpoint last moved (ISO instant); undefined before its first commit. */
  lastCommitAt?: string;
}

/** What the metrics and health checks need to know about projections. */
export interface ObservedProjections {
  lag(): Promise<ProjectionLag[]>;
  /** Events parked (by projection or processor) and not yet resolved, when known. */
  parked?(): Promise<{ processor: string; events: number }[]>;
}

/** What the metrics need to know about timers and parked work (libs/workflow WorkflowProbe). */
export interface ObservedWorkflow {
  counts(): Promise<{ scheduled: number; due: number; parked: number }>;
}

/** `ok`: done; `rejected`: refused by a rule, a precondition or a bad request (4xx); `error`: failed. */
export type CommandOutcome = 'ok' | 'rejected' | 'error';

const SECONDS_HTTP = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const SECONDS_STORE = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];
const SCRAPE_PROBE_TIMEOUT_MS = 2000;

let processRegistry: Registry | undefined;

/**
 * Process metrics (CPU, memory, event loop lag, GC, handles) are collected once per process,
 * however many applications it hosts (the tests boot many), and rendered with each of them.
 */
function processMetrics(): Registry {
  if (!processRegistry) {
    processRegistry = new Registry();
    collectDefaultMetrics({ register: processRegistry });
  }
  return processRegistry;
}

/**
 * The engine's Prometheus metrics. Recording is a histogram observation (a few additions);
 * anything that needs a query (the store's head position, whether it answers) is asked only
 * when Prometheus scrapes.
 */
export class Metrics {
  readonly registry = new Registry();
  private readonly httpDuration: Histogram<'method' | 'route' | 'status_code'>;
  private readonly commandDuration: Histogram<'command' | 'outcome'>;
  private readonly appendDuration: Histogram<'adapter' | 'outcome'>;
  private readonly appendedEvents: Counter<'adapter'>;
  private readonly stops: Array<() => void> = [];

  constructor() {
    const registers = [this.registry];
    this.httpDuration = new Histogram({
      name: 'http_request_duration_seconds',
      help: 'HTTP requests by route pattern, method and status code, from arrival to the last byte sent',
      labelNames: ['method', 'route', 'status_code'],
      buckets: SECONDS_HTTP,
      registers,
    });
    this.commandDuration = new Histogram({
      name: 'engine_command_duration_seconds',
      help: 'Commands by type and outcome (ok, rejected, error), from dispatch to the durable append',
      labelNames: ['command', 'outcome'],
      buckets: SECONDS_HTTP,
      registers,
    });
    this.appendDuration = new Histogram({
      name: 'engine_event_append_duration_seconds',
      help: 'Appends to the event store by outcome (ok, conflict, error), until they are durable',
      labelNames: ['adapter', 'outcome'],
      buckets: SECONDS_STORE,
      registers,
    });
    this.appendedEvents = new Counter({
      name: 'engine_events_appended_total',
      help: 'Events this process appended to the event store',
      labelNames: ['adapter'],
      registers,
    });
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  observeHttp(method: string, route: string, statusCode: number, seconds: number): void {
    this.httpDuration.observe({ method, route, status_code: statusCode }, seconds);
  }

  observeCommand(command: string, outcome: CommandOutcome, seconds: number): void {
    this.commandDuration.observe({ command, outcome }, seconds);
  }

  /** Times every append of `store` and exposes its head position and availability at scrape time. */
  watchEventStore(store: ObservedEventStore): void {
    const adapter = store.backend.name;
    this.stops.push(
      store.observeAppends(({ events, seconds, outcome }) => {
        this.appendDuration.observe({ adapter, outcome }, seconds);
        if (outcome === 'ok') this.appendedEvents.inc({ adapter }, events);
      }),
    );
    new Gauge({
      name: 'engine_event_store_head_position',
      help: 'Position of the last event in the store (all processes), read at scrape time',
      labelNames: ['adapter'],
      registers: [this.registry],
      async collect() {
        try {
          this.set({ adapter }, await withTimeout(store.headPosition(), SCRAPE_PROBE_TIMEOUT_MS));
        } catch {
          // Unreachable store: engine_event_store_up says so; the last known head stays.
        }
      },
    });
    new Gauge({
      name: 'engine_event_store_up',
      help: '1 when the event store answered a ping at scrape time, 0 otherwise',
      labelNames: ['adapter'],
      registers: [this.registry],
      async collect() {
        try {
          await withTimeout(store.ping(), SCRAPE_PROBE_TIMEOUT_MS);
          this.set({ adapter }, 1);
        } catch {
          this.set({ adapter }, 0);
        }
      },
    });
  }

  /** `engine_redis_up`: whether Redis answered a ping at scrape time (queues and timers wait meanwhile). */
  watchRedis(redis: { ping(): Promise<ProbeStatus> }): void {
    new Gauge({
      name: 'engine_redis_up',
      help: '1 when Redis answered a ping at scrape time, 0 otherwise',
      registers: [this.registry],
      async collect() {
        this.set((await redis.ping()).status === 'up' ? 1 : 0);
      },
    });
  }

  /**
   * Per projection, at scrape time: `projection_lag_events` (store head minus checkpoint) and
   * `projection_last_commit_age_seconds` (since its checkpoint last moved; it grows while the
   * projection is idle at the head too, so read it together with the lag).
   */
  watchProjections(projections: ObservedProjections): void {
    let pending: Promise<ProjectionLag[]> | undefined;
    // Both gauges are collected in one scrape: ask once.
    const lag = () => {
      pending ??= withTimeout(projections.lag(), SCRAPE_PROBE_TIMEOUT_MS).finally(() =>
        setTimeout(() => (pending = undefined), 100).unref(),
      );
      return pending;
    };
    new Gauge({
      name: 'projection_lag_events',
      help: 'Events in the store not yet reflected by the projection (store head minus its checkpoint), at scrape time',
      labelNames: ['projection'],
      registers: [this.registry],
      async collect() {
        try {
          for (const p of await lag()) this.set({ projection: p.projection }, p.lag);
        } catch {
          // The read models or the store did not answer: the last values stay.
        }
      },
    });
    new Gauge({
      name: 'projection_last_commit_age_seconds',
      help: "Seconds since the projection's checkpoint last moved, at scrape time",
      labelNames: ['projection'],
      registers: [this.registry],
      async collect() {
        try {
          const now = Date.now();
          for (const p of await lag()) {
            if (p.lastCommitAt)
              this.set({ projection: p.projection }, (now - Date.parse(p.lastCommitAt)) / 1000);
          }
        } catch {
          // as above
        }
      },
    });
  }

  /**
   * `engine_queue_jobs{queue,state}`: jobs per queue and state (waiting, active, delayed,
   * failed...) at scrape time: the depth of each queue and the failures kept for an admin.
   * Absent while Redis does not answer (engine_redis_up says why).
   */
  watchQueues(source: { counts(): Promise<{ queue: string; counts: Record<string, number> }[]> }): void {
    new Gauge({
      name: 'engine_queue_jobs',
      help: 'Jobs per queue and state at scrape time (waiting and delayed: depth; failed: failures kept for an admin)',
      labelNames: ['queue', 'state'],
      registers: [this.registry],
      async collect() {
        this.reset();
        const queues = await withTimeout(source.counts(), SCRAPE_PROBE_TIMEOUT_MS).catch(() => []);
        for (const { queue, counts } of queues) {
          for (const [state, count] of Object.entries(counts)) this.set({ queue, state }, count);
        }
      },
    });
  }

  /**
   * At scrape time: `engine_timers_scheduled` (pending timers), `engine_timers_due` (due on the
   * engine's clock but not fired yet: should be near 0, as the queue and the sweep fire them)
   * and `engine_processor_parked_events` (events a saga or the outbox gave up on).
   */
  watchWorkflow(workflow: ObservedWorkflow): void {
    let pending: ReturnType<ObservedWorkflow['counts']> | undefined;
    const counts = () => {
      pending ??= withTimeout(workflow.counts(), SCRAPE_PROBE_TIMEOUT_MS).finally(() =>
        setTimeout(() => (pending = undefined), 100).unref(),
      );
      return pending;
    };
    const gauge = (name: string, help: string, pick: (c: Awaited<ReturnType<typeof counts>>) => number) =>
      new Gauge({
        name,
        help,
        registers: [this.registry],
        async collect() {
          try {
            this.set(pick(await counts()));
          } catch {
            // The read models did not answer: the last value stays.
          }
        },
      });
    gauge(
      'engine_timers_scheduled',
      'Durable timers scheduled and not yet fired or cancelled',
      (c) => c.scheduled,
    );
    gauge('engine_timers_due', "Timers due on the engine's clock and not fired yet", (c) => c.due);
    gauge(
      'engine_processor_parked_events',
      'Events a saga or the outbox parked after its retries',
      (c) => c.parked,
    );
  }

  /**
   * `engine_calendar_official_last_year`: the last year whose official holiday arrangement is
   * installed. Working-day deadlines in later years are provisional (docs/policies.md).
   */
  watchCalendar(): void {
    new Gauge({
      name: 'engine_calendar_official_last_year',
      help: 'Last year of the installed official holiday arrangement; later working days are provisional',
      registers: [this.registry],
      collect() {
        this.set(officialCalendarCoverage().lastYear);
      },
    });
  }

  /**
   * Times `bus.execute` (the CQRS command bus) by command class name. `classify` tells a refusal
   * (a domain rule, a stale If-Match) from a failure.
   */
  timeCommands(
    bus: { execute: (command: never, ...rest: never[]) => Promise<unknown> },
    classify: (error: unknown) => CommandOutcome,
  ): void {
    const execute = bus.execute.bind(bus) as (command: object, ...rest: unknown[]) => Promise<unknown>;
    const timed = async (command: object, ...rest: unknown[]): Promise<unknown> => {
      const started = performance.now();
      const name = (command as { constructor?: { name?: string } })?.constructor?.name || 'unknown';
      try {
        const result = await execute(command, ...rest);
        this.observeCommand(name, 'ok', (performance.now() - started) / 1000);
        return result;
      } catch (error) {
        this.observeCommand(name, classify(error), (performance.now() - started) / 1000);
        throw error;
      }
    };
    (bus as unknown as { execute: typeof timed }).execute = timed;
  }

  /** Prometheus text exposition: this application's metrics, then the process's. */
  async render(): Promise<string> {
    const [own, processText] = await Promise.all([this.registry.metrics(), processMetrics().metrics()]);
    return `${own.trimEnd()}\n\n${processText}`;
  }

  /** Stops listening to the event store (the application is closing). */
  close(): void {
    for (const stop of this.stops.splice(0)) stop();
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
    promise.then(
      (value) => (clearTimeout(timer), resolve(value)),
      (error: unknown) => (clearTimeout(timer), reject(error)),
    );
  });
}
