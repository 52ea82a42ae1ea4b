import { calendarCoverageWarning, officialCalendarCoverage } from '../calendar/working-days';
import { chinaDate } from '../clock/china-date';
import type { ProbeStatus, RedisProbe } from '../redis/redis-probe';
import type { ObservedProjections, ProjectionLag } from './metrics';

/** Projections further behind the store than this many events make the engine `degraded`. */
export const PROJECTION_LAG_DEGRADED = 1000;

export type ProjectionsCheck =
  | {
      /** `parked`: events that kept failing are set aside for an operator (GET /v1/admin/parked). */
      status: 'up' | 'lagging' | 'parked';
      /** The largest lag, in events. */
      maxLag: number;
      /** Events parked by projections and event processors, waiting for an operator. */
      parked?: { processor: string; events: number }[];
      /** `projections lagging by N events: applications (N), ...`, when lagging. */
      message?: string;
      projections: { projection: string; lag: number }[];
    }
  | { status: 'down'; error: string };

/** What the health checks need of the event store (EventStore provides it). */
export interface ProbedEventStore {
  readonly backend: { readonly name: string };
  ping(): Promise<void>;
  headPosition(): Promise<number>;
}

export type Check = { status: 'up'; [key: string]: unknown } | { status: 'down'; error: string };

export interface HealthReport {
  /** `down`: the event store cannot be used (503); `degraded`: it works, something else needs attention. */
  status: 'ok' | 'degraded' | 'down';
  checks: {
    eventStore: Check;
    redis: ProbeStatus;
    calendar: { status: 'up' | 'provisional'; warning?: string; firstYear: number; lastYear: number };
    /** Where the read models stand, when this process has them. */
    projections?: ProjectionsCheck;
  };
}

/**
 * The dependency checks behind GET /health and GET /health/ready. The event store is required
 * (without it: `down`). Redis carries notifications and timers but commands do not wait on it,
 * and a holiday calendar that ends before today makes deadlines provisional: either one is
 * `degraded`, still able to take commands.
 */
export async function checkHealth(
  store: ProbedEventStore,
  redis: RedisProbe,
  now: Date,
  projections?: ObservedProjections,
): Promise<HealthReport> {
  const [eventStore, redisStatus, projectionsCheck] = await Promise.all([
    checkStore(store),
    redis.ping(),
    projections ? checkProjections(projections) : undefined,
  ]);
  const warning = calendarCoverageWarning(chinaDate(now));
  const calendar = warning
    ? { status: 'provisional' as const, warning, ...officialCalendarCoverage() }
    : { status: 'up' as const, ...officialCalendarCoverage() };
  // Lagging projections serve stale reads but take commands: degraded, never down (and
  // liveness never looks at them).
  const projectionsBehind = projectionsCheck !== undefined && projectionsCheck.status !== 'up';
  const status =
    eventStore.status === 'down'
      ? 'down'
      : redisStatus.status === 'down' || warning || projectionsBehind
        ? 'degraded'
        : 'ok';
  return {
    status,
    checks: {
      eventStore,
      redis: redisStatus,
      calendar,
      ...(projectionsCheck ? { projections: projectionsCheck } : {}),
    },
  };
}

async function checkProjections(projections: ObservedProjections): Promise<ProjectionsCheck> {
  let lags: ProjectionLag[];
  try {
    lags = await projections.lag();
  } catch (error) {
    return { status: 'down', error: (error as Error).message };
  }
  let parked: { processor: string; events: number }[];
  try {
    parked = (await projections.parked?.()) ?? [];
  } catch (error) {
    return { status: 'down', error: (error as Error).message };
  }
  const maxLag = Math.max(0, ...lags.map((p) => p.lag));
  const behind = lags.filter((p) => p.lag > PROJECTION_LAG_DEGRADED);
  const messages = [
    ...(behind.length
      ? [
          `projections lagging by ${maxLag} events: ${behind.map((p) => `${p.projection} (${p.lag})`).join(', ')}`,
        ]
      : []),
    ...(parked.length
      ? [
          `events parked after repeated failures: ${parked.map((p) => `${p.processor} (${p.events})`).join(', ')}`,
        ]
      : []),
  ];
  return {
    status: behind.length ? 'lagging' : parked.length ? 'parked' : 'up',
    maxLag,
    ...(messages.length ? { message: messages.join('; ') } : {}),
    ...(parked.length ? { parked } : {}),
    projections: lags.map((p) => ({ projection: p.projection, lag: p.lag })),
  };
}

async function checkStore(store: ProbedEventStore): Promise<Check> {
  try {
    await store.ping();
    return { status: 'up', adapter: store.backend.name, headPosition: await store.headPosition() };
  } catch (error) {
    return { status: 'down', error: (error as Error).message };
  }
}
