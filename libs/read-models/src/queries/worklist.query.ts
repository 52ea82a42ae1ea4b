import { type Kysely, sql } from 'kysely';
import type { ReadModelSchema } from '../schema';
import { enterpriseNames } from './enterprise-names';

export interface WorklistQuery {
  /** The officer's jurisdiction: items under it (at any depth) whose next action is theirs. */
  jurisdiction: string;
  programme?: string;
  roundId?: string;
  status?: string;
  /** Opaque, from a previous page's `next`. */
  cursor?: string;
  limit: number;
}

export interface WorklistItem {
  applicationId: string;
  creditCode: string;
  /** The enterprise's registered name (null if its record is not projected yet). */
  name: string | null;
  programme: string;
  roundId: string;
  status: string;
  /** The review stage it waits for. */
  awaiting: string;
  /** Since when it has had its current status. */
  since: string;
}

export interface WorklistPage {
  items: WorklistItem[];
  /** Pass as `cursor` for the next page; null on the last one. */
  next: string | null;
}

export class InvalidCursorError extends Error {}

export function encodeCursor(since: string, id: string): string {
  return Buffer.from(JSON.stringify([since, id]), 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string): { since: string; id: string } {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (
      Array.isArray(value) &&
      value.length === 2 &&
      typeof value[0] === 'string' &&
      typeof value[1] === 'string'
    ) {
      return { since: value[0], id: value[1] };
    }
  } catch {
    // fall through
  }
  throw new InvalidCursorError('cursor is not one this API issued');
}

/**
 * The jurisdictions that act on open items at or below `jurisdiction` (a handful: the city and
 * its districts), each found by one index seek (a loose index scan), however many items wait.
 */
async function actingJurisdictions(db: Kysely<ReadModelSchema>, jurisdiction: string): Promise<string[]> {
  const found: string[] = [];
  // Jurisdictions are [a-z0-9-] segments joined by dots; '.' sorts before '/', so everything at
  // or below `jurisdiction` lies in [jurisdiction, jurisdiction + '/').
  const end = `${jurisdiction}/`;
  let from: { op: '>=' | '>'; value: string } = { op: '>=', value: jurisdiction };
  for (;;) {
    const row = await db
      .selectFrom('applications')
      .select('action_jurisdiction')
      .where('action_jurisdiction', 'is not', null)
      .where('action_jurisdiction', from.op, from.value)
      .where('action_jurisdiction', '<', end)
      .orderBy('action_jurisdiction')
      .limit(1)
      .executeTakeFirst();
    const next = row?.action_jurisdiction;
    if (next === undefined || next === null) return found;
    // The range also holds siblings such as `js.wuxi-x` ('-' sorts before '.'): skip them.
    if (next === jurisdiction || next.startsWith(`${jurisdiction}.`)) found.push(next);
    from = { op: '>', value: next };
  }
}

/**
 * What awaits an officer: applications waiting for a review stage that officer may perform.
 * The district stage belongs to officers at or above the application's jurisdiction; the
 * city stage to officers at or above the round's issuing jurisdiction who can also see the
 * application (as ReviewApplicationHandler decides). Oldest status first, then id; keyset
 * pagination, so a page never repeats or skips an item while others move on.
 *
 * Each acting jurisdiction under the officer's is read as its own ordered index range (at most
 * `limit + 1` entries after the cursor) and the ranges are merged: the cost is a few seeks
 * and pages, not the officer's number of open items, even when a filter matches none of them.
 */
export async function queryWorklist(
  db: Kysely<ReadModelSchema>,
  query: WorklistQuery,
): Promise<WorklistPage> {
  const after = query.cursor ? decodeCursor(query.cursor) : undefined;
  const acting = await actingJurisdictions(db, query.jurisdiction);
  const ranges = await Promise.all(
    acting.map((actionJurisdiction) =>
      db
        .selectFrom('applications')
        .select([
          'application_id',
          'credit_code',
          'enterprise_name',
          'programme',
          'round_id',
          'status',
          'awaiting',
          'status_since',
        ])
        // Implied by the next line, but spelled out so the partial worklist indexes apply.
        .where('action_jurisdiction', 'is not', null)
        .where('action_jurisdiction', '=', actionJurisdiction)
        // The application's own jurisdiction at or below the officer's, as one test no index
        // can serve (`js.wuxi.xinwu.` starts with `js.wuxi.`): otherwise PostgreSQL reads the
        // jurisdiction's bitmap and sorts it instead of reading the range above in order.
        .where(sql<string>`${sql.ref('jurisdiction')} || '.'`, 'like', `${query.jurisdiction}.%`)
        .$if(query.programme !== undefined, (qb) => qb.where('programme', '=', query.programme!))
        .$if(query.roundId !== undefined, (qb) => qb.where('round_id', '=', query.roundId!))
        .$if(query.status !== undefined, (qb) => qb.where('status', '=', query.status!))
        .$if(after !== undefined, (qb) =>
          qb.where((eb) =>
            eb.or([
              eb('status_since', '>', after!.since),
              eb.and([eb('status_since', '=', after!.since), eb('application_id', '>', after!.id)]),
            ]),
          ),
        )
        .orderBy('status_since')
        .orderBy('application_id')
        .limit(query.limit + 1)
        .execute(),
    ),
  );
  // Byte order, as the database orders the key columns (collate "C" on PostgreSQL).
  const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  const rows = ranges
    .flat()
    .sort((a, b) => compare(a.status_since, b.status_since) || compare(a.application_id, b.application_id))
    .slice(0, query.limit + 1);
  const page = rows.slice(0, query.limit);
  const last = page[page.length - 1];
  // Names from the rows; a row projected before its enterprise was seen falls back to a
  // primary-key lookup.
  const names = await enterpriseNames(
    db,
    page.filter((row) => row.enterprise_name === null).map((row) => row.credit_code),
  );
  return {
    items: page.map((row) => ({
      applicationId: row.application_id,
      creditCode: row.credit_code,
      name: row.enterprise_name ?? names.get(row.credit_code) ?? null,
      programme: row.programme,
      roundId: row.round_id,
      status: row.status,
      awaiting: row.awaiting!,
      since: row.status_since,
    })),
    next: rows.length > query.limit && last ? encodeCursor(last.status_since, last.application_id) : null,
  };
}
