import { calendarCoverageWarning, officialCalendarCoverage } from '../calendar/working-days';
import { chinaDate } from '../clock/china-date';
import type { ProbeStatus, RedisProbe } from '../redis/redis-probe';

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
): Promise<HealthReport> {
  const [eventStore, redisStatus] = await Promise.all([checkStore(store), redis.ping()]);
  const warning = calendarCoverageWarning(chinaDate(now));
  const calendar = warning
    ? { status: 'provisional' as const, warning, ...officialCalendarCoverage() }
    : { status: 'up' as const, ...officialCalendarCoverage() };
  const status =
    eventStore.status === 'down' ? 'down' : redisStatus.status === 'down' || warning ? 'degraded' : 'ok';
  return { status, checks: { eventStore, redis: redisStatus, calendar } };
}

async function checkStore(store: ProbedEventStore): Promise<Check> {
  try {
    await store.ping();
    return { status: 'up', adapter: store.backend.name, headPosition: await store.headPosition() };
  } catch (error) {
    return { status: 'down', error: (error as Error).message };
  }
}
