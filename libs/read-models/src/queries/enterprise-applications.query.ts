import type { Kysely } from 'kysely';
import type { ReadModelSchema } from '../schema';

export interface EnterpriseApplication {
  id: string;
  programme: string;
  roundId: string;
  status: string;
}

/** An enterprise's applications, in the order they were opened. */
export async function queryEnterpriseApplications(
  db: Kysely<ReadModelSchema>,
  creditCode: string,
): Promise<EnterpriseApplication[]> {
  const rows = await db
    .selectFrom('applications')
    .select(['application_id', 'programme', 'round_id', 'status'])
    .where('credit_code', '=', creditCode)
    .orderBy('created_position')
    .orderBy('application_id')
    .execute();
  return rows.map((row) => ({
    id: row.application_id,
    programme: row.programme,
    roundId: row.round_id,
    status: row.status,
  }));
}
