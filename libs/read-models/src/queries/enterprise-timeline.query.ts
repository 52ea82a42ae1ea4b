import type { Kysely } from 'kysely';
import {
  summarize,
  TIMELINE_LIMIT,
  type TimelineEntry,
  type TimelineFact,
} from '../projections/timeline.projection';
import type { ReadModelSchema } from '../schema';

const APPLICATION_PREFIX = 'application-';

/** An enterprise's timeline: its own events and its applications', newest first, at most `limit`. */
export async function queryEnterpriseTimeline(
  db: Kysely<ReadModelSchema>,
  creditCode: string,
  limit = TIMELINE_LIMIT,
): Promise<TimelineEntry[]> {
  const rows = await db
    .selectFrom('timelines')
    .select(['stream', 'round_id', 'entries'])
    .where('credit_code', '=', creditCode)
    .execute();
  const facts = rows.flatMap((row) =>
    (JSON.parse(row.entries) as TimelineFact[]).map((fact) => ({ fact, row })),
  );
  facts.sort((a, b) =>
    a.fact.at === b.fact.at ? b.fact.position - a.fact.position : a.fact.at < b.fact.at ? 1 : -1,
  );
  return facts.slice(0, limit).map(({ fact, row }) => {
    const application = row.stream.startsWith(APPLICATION_PREFIX);
    const respondBy = fact.type === 'ApplicationReturned' ? fact.facts?.respondBy : undefined;
    return {
      at: fact.at,
      type: fact.type,
      ...(application ? { applicationId: row.stream.slice(APPLICATION_PREFIX.length) } : {}),
      ...(row.round_id ? { roundId: row.round_id } : {}),
      summary: summarize(fact.type, fact.facts),
      ...(typeof respondBy === 'string' ? { respondBy } : {}),
    };
  });
}
