import type { Kysely } from 'kysely';
import type { ReadModelSchema } from '../schema';
import { countByDistrict, type StatusCounts } from './round-stats.query';

export interface YearStats extends StatusCounts {
  year: number;
  /** Only applications of enterprises at or below this jurisdiction; null: all. */
  within: string | null;
  /** Per programme (in programme order), each per district of the applying enterprises. */
  byProgramme: (StatusCounts & {
    programme: string;
    byDistrict: (StatusCounts & { jurisdiction: string })[];
  })[];
}

/**
 * The leadership's table: the applications of every round of a year counted by programme,
 * district (the applying enterprise's jurisdiction) and status. The round statistics' grouping
 * over the `applications` projection, joined to `rounds` for the year.
 */
export async function queryYearStats(
  db: Kysely<ReadModelSchema>,
  year: number,
  within?: string,
): Promise<YearStats> {
  const rows = await db
    .selectFrom('applications as a')
    .innerJoin('rounds as r', 'r.round_id', 'a.round_id')
    .select([
      'a.programme as programme',
      'a.jurisdiction as jurisdiction',
      'a.status as status',
      (eb) => eb.fn.countAll<number | string>().as('count'),
    ])
    .where('r.year', '=', year)
    .$if(within !== undefined, (qb) =>
      qb.where((eb) =>
        eb.or([eb('a.jurisdiction', '=', within!), eb('a.jurisdiction', 'like', `${within!}.%`)]),
      ),
    )
    .groupBy(['a.programme', 'a.jurisdiction', 'a.status'])
    .orderBy('a.programme')
    .orderBy('a.jurisdiction')
    .orderBy('a.status')
    .execute();
  const byProgramme: YearStats['byProgramme'] = [];
  for (const row of rows) {
    if (byProgramme[byProgramme.length - 1]?.programme !== row.programme) {
      byProgramme.push({
        programme: row.programme,
        ...countByDistrict(rows.filter((r) => r.programme === row.programme)),
      });
    }
  }
  return { year, within: within ?? null, ...totals(byProgramme), byProgramme };
}

function totals(programmes: StatusCounts[]): StatusCounts {
  const sum: StatusCounts = { total: 0, byStatus: {} };
  for (const p of programmes) {
    sum.total += p.total;
    for (const [status, count] of Object.entries(p.byStatus))
      sum.byStatus[status] = (sum.byStatus[status] ?? 0) + count;
  }
  return sum;
}
