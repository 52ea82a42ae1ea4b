import type { Kysely } from 'kysely';
import type { ReadModelSchema } from '../schema';

/**
 * The company names of one page's credit codes (a primary-key lookup each), so a list's scan
 * stays on the applications' own indexes and joins the enterprises only for what it shows.
 */
export async function enterpriseNames(
  db: Kysely<ReadModelSchema>,
  creditCodes: readonly string[],
): Promise<Map<string, string>> {
  const codes = [...new Set(creditCodes)];
  if (codes.length === 0) return new Map();
  const rows = await db
    .selectFrom('enterprises')
    .select(['credit_code', 'name'])
    .where('credit_code', 'in', codes)
    .execute();
  return new Map(rows.map((row) => [row.credit_code, row.name] as const));
}
