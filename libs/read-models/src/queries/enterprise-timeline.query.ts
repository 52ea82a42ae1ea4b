import type { Kysely } from 'kysely';
import { summarize, TIMELINE_LIMIT, type TimelineEntry } from '../projections/timeline.projection';
import type { ReadModelSchema } from '../schema';

const APPLICATION_PREFIX = 'application-';

/**
 * An enterprise's timeline: its own events and its applications', newest (last recorded)
 * first, at most `limit`: the first rows of the `(credit_code, position)` index read backwards.
 */
export async function queryEnterpriseTimeline(
  db: Kysely<ReadModelSchema>,
  creditCode: string,
  limit = TIMELINE_LIMIT,
): Promise<TimelineEntry[]> {
  const rows = await db
    .selectFrom('timeline')
    .select(['stream', 'round_id', 'at', 'type', 'facts'])
    .where('credit_code', '=', creditCode)
    .orderBy('position', 'desc')
    .limit(limit)
    .execute();
  return rows.map((row) => {
    const facts = row.facts ? (JSON.parse(row.facts) as Record<string, string | boolean>) : undefined;
    const respondBy = row.type === 'ApplicationReturned' ? facts?.respondBy : undefined;
    return {
      at: row.at,
      type: row.type,
      ...(row.stream.startsWith(APPLICATION_PREFIX)
        ? { applicationId: row.stream.slice(APPLICATION_PREFIX.length) }
        : {}),
      ...(row.round_id ? { roundId: row.round_id } : {}),
      summary: summarize(row.type, facts),
      ...(typeof respondBy === 'string' ? { respondBy } : {}),
    };
  });
}
