import { sql, type Kysely } from 'kysely';
import type { ReadModelSchema } from '../schema';
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

/** The columns of the sorts on the applications themselves (name and score are computed below). */
const SORT_COLUMN = {
  created: 'a.created_position',
  status: 'a.status',
  district: 'a.jurisdiction',
  since: 'a.status_since',
} as const;
type SortKey = keyof typeof SORT_COLUMN | 'name' | 'score';

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
  // The enterprises are joined only when a name is searched or sorted on: otherwise the count
  // and the page scan the applications alone (an index), and the page's names are looked up
  // by primary key afterwards, 50 at most. Joining for every row of a large round made the
  // count cost one enterprise lookup per application (bench:scale, docs/read-models.md).
  const joined = text !== '' || key === 'name';
  const base = () => {
    let qb = db
      .selectFrom('applications as a')
      .$if(joined, (qb) => qb.leftJoin('enterprises as e', 'e.credit_code', 'a.credit_code'))
      .where('a.round_id', '=', query.roundId);
    if (query.within !== undefined) {
      const within = query.within;
      qb = qb.where((eb) =>
        eb.or([eb('a.jurisdiction', '=', within), eb('a.jurisdiction', 'like', `${within}.%`)]),
      );
    }
    if (query.district !== undefined) {
      const district = query.district;
      qb = qb.where((eb) =>
        eb.or([eb('a.jurisdiction', '=', district), eb('a.jurisdiction', 'like', `${district}.%`)]),
      );
    }
    if (query.status !== undefined) qb = qb.where('a.status', '=', query.status);
    if (query.eligible !== undefined) qb = qb.where('a.eligible', '=', query.eligible ? 1 : 0);
    if (text !== '') {
      qb = qb.where((eb) =>
        eb.or([
          eb(sql.ref('e.name'), 'like', `%${text}%`),
          eb('a.credit_code', 'like', `${text.toUpperCase()}%`),
        ]),
      );
    }
    return qb;
  };
  // The score is stored as shown ("70.2", "≈ 70.33"): ordered by its number, not its text (as
  // text, "9.5" would rank above "85").
  const column =
    key === 'score'
      ? sql`cast(trim(replace(a.score, '≈', '')) as numeric)`
      : key === 'name'
        ? sql.ref('e.name')
        : SORT_COLUMN[key];
  const [countRow, rows] = await Promise.all([
    base()
      .select((eb) => eb.fn.countAll<number | string>().as('count'))
      .executeTakeFirst(),
    base()
      .select([
        'a.application_id',
        'a.credit_code',
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
      .orderBy('a.application_id')
      .limit(query.limit)
      .offset(offset)
      .execute(),
  ]);
  const names = await enterpriseNames(
    db,
    rows.map((row) => row.credit_code),
  );
  const total = Number(countRow?.count ?? 0);
  return {
    items: rows.map((row) => ({
      applicationId: row.application_id,
      creditCode: row.credit_code,
      name: names.get(row.credit_code) ?? null,
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
