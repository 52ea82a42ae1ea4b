import type { Kysely } from 'kysely';
import type { ReadModelSchema } from '../schema';

export interface MembershipListQuery {
  programme?: string;
  /** Memberships of enterprises at or below this jurisdiction. */
  jurisdiction?: string;
  status?: string;
  creditCode?: string;
}

export interface MembershipRow {
  id: string;
  creditCode: string;
  programme: string;
  jurisdiction: string;
  applicationId: string;
  status: string;
  validFrom: string;
  validUntil: string;
  exitReason: string | null;
  lostReReviewRight: boolean;
}

export async function queryMemberships(
  db: Kysely<ReadModelSchema>,
  query: MembershipListQuery,
): Promise<MembershipRow[]> {
  let q = db.selectFrom('memberships').selectAll();
  if (query.programme) q = q.where('programme', '=', query.programme);
  if (query.status) q = q.where('status', '=', query.status);
  if (query.creditCode) q = q.where('credit_code', '=', query.creditCode);
  if (query.jurisdiction) {
    const scope = query.jurisdiction;
    q = q.where((eb) => eb.or([eb('jurisdiction', '=', scope), eb('jurisdiction', 'like', `${scope}.%`)]));
  }
  const rows = await q.orderBy('valid_from', 'desc').orderBy('membership_id').limit(5000).execute();
  return rows.map((row) => ({
    id: row.membership_id,
    creditCode: row.credit_code,
    programme: row.programme,
    jurisdiction: row.jurisdiction,
    applicationId: row.application_id,
    status: row.status,
    validFrom: row.valid_from,
    validUntil: row.valid_until,
    exitReason: row.exit_reason,
    lostReReviewRight: Boolean(row.lost_re_review_right),
  }));
}

/** Application ids of a round in the given statuses (the round roster). */
export async function queryRoundApplications(
  db: Kysely<ReadModelSchema>,
  roundId: string,
  statuses: readonly string[],
): Promise<string[]> {
  const rows = await db
    .selectFrom('applications')
    .select('application_id')
    .where('round_id', '=', roundId)
    .where('status', 'in', [...statuses])
    .orderBy('application_id')
    .execute();
  return rows.map((row) => row.application_id);
}

/** Credit codes asked about per query: far below SQLite's and PostgreSQL's parameter limits. */
const APPLICANTS_CHUNK = 500;

/**
 * Which of `creditCodes` have an application in the round, in any status (a draft included):
 * set-based, a chunk of codes per query on the `(credit_code, created_position)` index, so a
 * screening asks about the register's candidates only and never loads the round.
 */
export async function queryRoundApplicants(
  db: Kysely<ReadModelSchema>,
  roundId: string,
  creditCodes: readonly string[],
): Promise<Set<string>> {
  const applied = new Set<string>();
  const codes = [...new Set(creditCodes)];
  for (let start = 0; start < codes.length; start += APPLICANTS_CHUNK) {
    const rows = await db
      .selectFrom('applications')
      .select('credit_code')
      .distinct()
      .where('credit_code', 'in', codes.slice(start, start + APPLICANTS_CHUNK))
      .where('round_id', '=', roundId)
      .execute();
    for (const row of rows) applied.add(row.credit_code);
  }
  return applied;
}
