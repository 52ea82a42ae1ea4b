import type { Kysely } from 'kysely';
import { TIMELINE_LIMIT, type TimelineEntry } from '../projections/timeline.projection';
import type { ReadModelSchema } from '../schema';

/** An enterprise's timeline: its own events and its applications', newest first, at most `limit`. */
export async function queryEnterpriseTimeline(
  db: Kysely<ReadModelSchema>,
  creditCode: string,
  limit = TIMELINE_LIMIT,
): Promise<Omit<TimelineEntry, 'position'>[]> {
  const rows = await db
    .selectFrom('timelines')
    .select('entries')
    .where('credit_code', '=', creditCode)
    .execute();
  const entries = rows.flatMap((row) => JSON.parse(row.entries) as TimelineEntry[]);
  entries.sort((a, b) => (a.at === b.at ? b.position - a.position : a.at < b.at ? 1 : -1));
  return entries.slice(0, limit).map(({ position: _position, ...entry }) => entry);
}
