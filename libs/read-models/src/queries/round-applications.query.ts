import type { ExpressionBuilder, Kysely } from 'kysely';
import type { ApplicationsTable, ReadModelSchema } from '../schema';
import { enterpriseNames } from './enterprise-names';
import { InvalidCursorError } from './worklist.query';

export const ROUND_APPLICATION_SORTS = [
  'created',
  '-created',
  'name',
  '-name',
  'status',
  '-status',
  'district',
  '-district',
  'score',
  '-score',
  'since',
  '-since',
] as const;
export type RoundApplicationSort = (typeof ROUND_APPLICATION_SORTS)[number];

export interface RoundApplicationsQuery {
  roundId: string;
  /** Only applications at or below this jurisdiction (an officer below the round's issuer). */
  within?: string;
  status?: string;
  /** The applying enterprise's district: this jurisdiction or below it. */
  district?: string;
  /** Part of the enterprise's name, or the start of its credit code. */
  q?: string;
  eligible?: boolean;
  sort: RoundApplicationSort;
  /** Opaque, from a previous page's `next`; or `offset` to jump to a page. */
  cursor?: string;
  offset?: number;
  limit: number;
}

export interface RoundApplicationRow {
  applicationId: string;
  creditCode: string;
  /** The enterprise's registered name (null if its record is not projected yet). */
  name: string | null;
  programme: string;
  status: string;
  /** The applying enterprise's jurisdiction (its district). */
  district: string;
  /** The eligibility verdict of its last submission; null before one. */
  eligible: boolean | null;
  /** The expert panel's mean as shown; null before the review concludes. */
  score: string | null;
  /** The review stage it waits for, if any. */
  awaiting: string | null;
  respondBy: string | null;
  since: string;
}

export interface RoundApplicationsPage {
  items: RoundApplicationRow[];
  next: string | null;
  /** How many match the filters in all. */
  total: number;
  offset: number;
}

/** The cursor of this table is an offset (the table is sorted by any column, and jumped in). */
function decodeOffset(cursor: string): number {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (
      value &&
      typeof value === 'object' &&
      Number.isSafeInteger((value as { o?: unknown }).o) &&
      (value as { o: number }).o >= 0
    )
      return (value as { o: number }).o;
  } catch {
    // fall through
  }
  throw new InvalidCursorError('cursor is not one this API issued');
}

export function decodeRoundApplicationsCursor(cursor: string): number {
  return decodeOffset(cursor);
}

const encodeOffset = (offset: number) =>
  Buffer.from(JSON.stringify({ o: offset }), 'utf8').toString('base64url');

/**
 * The column of each sort. Ties are broken by creation order, in the sort's direction, so
 * each sort is one index of the round read forwards or backwards (`applications_round_*`),
 * and the same index serves a status filter in creation order.
 */
const SORT_COLUMN = {
  created: 'a.created_position',
  name: 'a.enterprise_name',
  status: 'a.status',
  district: 'a.jurisdiction',
  since: 'a.status_since',
  // The score as a number (stored as shown, "≈ 70.33"; as text "9.5" would rank above "85").
  score: 'a.score_value',
} as const;
type SortKey = keyof typeof SORT_COLUMN;

/**
 * Rows whose jurisdiction is `jurisdiction` or below it (`js.wuxi` covers `js.wuxi.xinwu`).
 * For the count, also as a range, [jurisdiction, jurisdiction + '/') ('.' sorts just before
 * '/'), so it reads the round's index on jurisdiction instead of every entry of the round (the
 * exact test then drops siblings the range holds, `js.wuxi-x`: '-' sorts before '.'). Not for
 * the page: given a range, the planner would read the range and sort it, where the page wants
 * the sort's index in order, testing the jurisdiction it carries, until the page is full.
 */
function atOrBelow(
  eb: ExpressionBuilder<ReadModelSchema & { a: ApplicationsTable }, 'a'>,
  jurisdiction: string,
  asRange: boolean,
) {
  const exact = eb.or([
    eb('a.jurisdiction', '=', jurisdiction),
    eb('a.jurisdiction', 'like', `${jurisdiction}.%`),
  ]);
  if (!asRange) return exact;
  return eb.and([
    eb('a.jurisdiction', '>=', jurisdiction),
    eb('a.jurisdiction', '<', `${jurisdiction}/`),
    exact,
  ]);
}

/**
 * A round's applications as the officers' table shows them: filtered, searched, sorted and
 * paged on the server, with the total. Names come from the enterprises projection.
 */
export async function queryRoundApplicationsPage(
  db: Kysely<ReadModelSchema>,
  query: RoundApplicationsQuery,
): Promise<RoundApplicationsPage> {
  const text = query.q?.trim() ?? '';
  const offset = query.cursor !== undefined ? decodeOffset(query.cursor) : (query.offset ?? 0);
  const descending = query.sort.startsWith('-');
  const key = query.sort.replace(/^-/, '') as SortKey;
  // The enterprise's name is in the application's row (applications projection v5): the
  // count and the page scan the applications alone, and the name sort reads the round's name
  // index in order. Joining the enterprises to sort by name sorted the whole round
  // (bench:scale, docs/read-models.md).
  const base = (count: boolean) => {
    let qb = db.selectFrom('applications as a').where('a.round_id', '=', query.roundId);
    if (query.within !== undefined) {
      const within = query.within;
      qb = qb.where((eb) => atOrBelow(eb, within, count));
    }
    if (query.district !== undefined) {
      const district = query.district;
      qb = qb.where((eb) => atOrBelow(eb, district, count));
    }
    if (query.status !== undefined) qb = qb.where('a.status', '=', query.status);
    if (query.eligible !== undefined) qb = qb.where('a.eligible', '=', query.eligible ? 1 : 0);
    if (text !== '') {
      qb = qb.where((eb) =>
        eb.or([
          eb('a.enterprise_name', 'like', `%${text}%`),
          eb('a.credit_code', 'like', `${text.toUpperCase()}%`),
        ]),
      );
    }
    return qb;
  };
  const column = SORT_COLUMN[key];
  const [countRow, rows] = await Promise.all([
    base(true)
      .select((eb) => eb.fn.countAll<number | string>().as('count'))
      .executeTakeFirst(),
    base(false)
      .select([
        'a.application_id',
        'a.credit_code',
        'a.enterprise_name',
        'a.programme',
        'a.status',
        'a.jurisdiction',
        'a.eligible',
        'a.score',
        'a.awaiting',
        'a.respond_by',
        'a.status_since',
      ])
      .orderBy(column, descending ? 'desc' : 'asc')
      .$if(key !== 'created', (qb) => qb.orderBy('a.created_position', descending ? 'desc' : 'asc'))
      .limit(query.limit)
      .offset(offset)
      .execute(),
  ]);
  // A row projected before its enterprise was seen has no name: looked up by primary key.
  const names = await enterpriseNames(
    db,
    rows.filter((row) => row.enterprise_name === null).map((row) => row.credit_code),
  );
  const total = Number(countRow?.count ?? 0);
  return {
    items: rows.map((row) => ({
      applicationId: row.application_id,
      creditCode: row.credit_code,
      name: row.enterprise_name ?? names.get(row.credit_code) ?? null,
      programme: row.programme,
      status: row.status,
      district: row.jurisdiction,
      eligible: row.eligible === null ? null : Boolean(Number(row.eligible)),
      score: row.score,
      awaiting: row.awaiting,
      respondBy: row.respond_by,
      since: row.status_since,
    })),
    next: offset + rows.length < total && rows.length > 0 ? encodeOffset(offset + rows.length) : null,
    total,
    offset,
  };
}
