import type { Kysely } from 'kysely';
import type { ReadModelSchema, RoundsTable } from '../schema';
import { InvalidCursorError } from './worklist.query';

export interface RoundListQuery {
  /** Officers: rounds issued at, above or below this jurisdiction. Auditors: none (all). */
  reach?: string;
  programme?: string;
  year?: number;
  status?: string;
  /** Rounds issued at or below this jurisdiction. */
  jurisdiction?: string;
  cursor?: string;
  limit: number;
}

export interface RoundListItem {
  id: string;
  programme: string;
  year: number;
  batch: number;
  title: string;
  jurisdiction: string;
  status: string;
  opensAt: string;
  closesAt: string;
  quota: number | null;
  policyVersion: string;
  publicity: { startsOn: string; endsOn: string } | null;
  finalizedOn: string | null;
  /** The round's applications: in all and by status (within the caller's reach). */
  counts: { total: number; byStatus: Record<string, number> };
}

export interface RoundListPage {
  items: RoundListItem[];
  next: string | null;
}

/** The status of a round from its row, as roundStatus decides it from the aggregate. */
export function roundRowStatus(row: RoundsTable, now: Date): string {
  if (row.finalized_on) return 'finalized';
  if (row.publicity_starts_on) return 'in-publicity';
  if (row.closed_at) return 'closed';
  if (now.getTime() < Date.parse(row.opens_at)) return 'scheduled';
  if (now.getTime() >= Date.parse(row.closes_at)) return 'closed';
  return 'open';
}

const covers = (outer: string, inner: string) => inner === outer || inner.startsWith(`${outer}.`);

function decodeOffset(cursor: string): number {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    const o = (value as { r?: unknown } | null)?.r;
    if (typeof o === 'number' && Number.isSafeInteger(o) && o >= 0) return o;
  } catch {
    // fall through
  }
  throw new InvalidCursorError('cursor is not one this API issued');
}

export function decodeRoundsCursor(cursor: string): number {
  return decodeOffset(cursor);
}

/**
 * Rounds, newest first (year, then batch, then opening), with their derived status and
 * application counts. A bureau runs tens of rounds a year, so the matching rounds are read
 * whole and the status (which depends on the clock) is filtered here; only the page's counts
 * are queried.
 */
export async function queryRounds(
  db: Kysely<ReadModelSchema>,
  query: RoundListQuery,
  now: Date,
  within?: (round: RoundsTable) => string | undefined,
): Promise<RoundListPage> {
  const rows = await db
    .selectFrom('rounds')
    .selectAll()
    .$if(query.programme !== undefined, (qb) => qb.where('programme', '=', query.programme!))
    .$if(query.year !== undefined, (qb) => qb.where('year', '=', query.year!))
    .orderBy('year', 'desc')
    .orderBy('batch', 'desc')
    .orderBy('opens_at', 'desc')
    .orderBy('round_id')
    .execute();
  const matching = rows.filter(
    (row) =>
      (query.reach === undefined ||
        covers(query.reach, row.jurisdiction) ||
        covers(row.jurisdiction, query.reach)) &&
      (query.jurisdiction === undefined || covers(query.jurisdiction, row.jurisdiction)) &&
      (query.status === undefined || roundRowStatus(row, now) === query.status),
  );
  const offset = query.cursor !== undefined ? decodeOffset(query.cursor) : 0;
  const page = matching.slice(offset, offset + query.limit);
  const counts = new Map<string, { total: number; byStatus: Record<string, number> }>();
  for (const row of page) {
    const part = within?.(row);
    const grouped = await db
      .selectFrom('applications')
      .select(['status', (eb) => eb.fn.countAll<number | string>().as('count')])
      .where('round_id', '=', row.round_id)
      .$if(part !== undefined, (qb) =>
        qb.where((eb) => eb.or([eb('jurisdiction', '=', part!), eb('jurisdiction', 'like', `${part!}.%`)])),
      )
      .groupBy('status')
      .execute();
    const c = { total: 0, byStatus: {} as Record<string, number> };
    for (const g of grouped) {
      c.byStatus[g.status] = Number(g.count);
      c.total += Number(g.count);
    }
    counts.set(row.round_id, c);
  }
  return {
    items: page.map((row) => ({
      id: row.round_id,
      programme: row.programme,
      year: Number(row.year),
      batch: Number(row.batch),
      title: row.title,
      jurisdiction: row.jurisdiction,
      status: roundRowStatus(row, now),
      opensAt: row.opens_at,
      closesAt: row.closes_at,
      quota: row.quota === null ? null : Number(row.quota),
      policyVersion: row.policy_version,
      publicity:
        row.publicity_starts_on && row.publicity_ends_on
          ? { startsOn: row.publicity_starts_on, endsOn: row.publicity_ends_on }
          : null,
      finalizedOn: row.finalized_on,
      counts: counts.get(row.round_id)!,
    })),
    next:
      offset + page.length < matching.length
        ? Buffer.from(JSON.stringify({ r: offset + page.length }), 'utf8').toString('base64url')
        : null,
  };
}
