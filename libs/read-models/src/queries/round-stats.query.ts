import type { Kysely } from 'kysely';
import type { ReadModelSchema } from '../schema';

export interface StatusCounts {
  total: number;
  byStatus: Record<string, number>;
}

export interface RoundStats extends StatusCounts {
  roundId: string;
  /** Per jurisdiction of the applying enterprises (their district), in jurisdiction order. */
  byDistrict: (StatusCounts & { jurisdiction: string })[];
}

/**
 * How a round's applications stand: counts by status, overall and per district. `within`
 * limits it to applications at or below a jurisdiction (an officer below the round's issuer
 * sees their own part only). One grouped scan of the `(round_id, jurisdiction, status)` index.
 */
export async function queryRoundStats(
  db: Kysely<ReadModelSchema>,
  roundId: string,
  within?: string,
): Promise<RoundStats> {
  const rows = await db
    .selectFrom('applications')
    .select(['jurisdiction', 'status', (eb) => eb.fn.countAll<number | string>().as('count')])
    .where('round_id', '=', roundId)
    .$if(within !== undefined, (qb) =>
      qb.where((eb) => eb.or([eb('jurisdiction', '=', within!), eb('jurisdiction', 'like', `${within!}.%`)])),
    )
    .groupBy(['jurisdiction', 'status'])
    .orderBy('jurisdiction')
    .orderBy('status')
    .execute();
  return { roundId, ...countByDistrict(rows) };
}

/**
 * Folds `(jurisdiction, status, count)` rows, ordered by jurisdiction, into totals overall and
 * per district. Shared by the round and the year statistics.
 */
export function countByDistrict(
  rows: readonly { jurisdiction: string; status: string; count: number | string }[],
): StatusCounts & { byDistrict: (StatusCounts & { jurisdiction: string })[] } {
  const stats: StatusCounts & { byDistrict: (StatusCounts & { jurisdiction: string })[] } = {
    total: 0,
    byStatus: {},
    byDistrict: [],
  };
  for (const row of rows) {
    const count = Number(row.count);
    let district = stats.byDistrict[stats.byDistrict.length - 1];
    if (district?.jurisdiction !== row.jurisdiction) {
      district = { jurisdiction: row.jurisdiction, total: 0, byStatus: {} };
      stats.byDistrict.push(district);
    }
    district.total += count;
    district.byStatus[row.status] = count;
    stats.total += count;
    stats.byStatus[row.status] = (stats.byStatus[row.status] ?? 0) + count;
  }
  return stats;
}
