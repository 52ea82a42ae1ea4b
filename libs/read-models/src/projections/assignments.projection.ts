import type { Kysely, Transaction } from 'kysely';
import type { StoredEvent } from '@engine/event-store';
import type {
  ExpertPanelDrawnData,
  ExpertReplacedData,
} from '@engine/incubation/domain/application/application.events';
import type { ReadModelDialect } from '../database';
import { keyText, type Projection } from '../projection';
import type { ReadModelSchema } from '../schema';

const STREAM_PREFIX = 'application-';

/**
 * One row per seat an expert was ever given on a panel: what awaits an expert
 * (`GET /v1/assignments`). Blind by construction: no credit code, no enterprise name.
 */
export const assignmentsProjection: Projection = {
  name: 'assignments',
  version: 1,
  handles: ['ExpertPanelDrawn', 'ExpertReplaced', 'ExpertScoreSubmitted', 'ExpertReviewConcluded'],
  tables: [
    {
      name: 'assignments',
      async create(db: Kysely<unknown>, table: string, dialect: ReadModelDialect) {
        const key = keyText(dialect);
        await db.schema
          .createTable(table)
          .addColumn('expert_id', key, (c) => c.notNull())
          .addColumn('application_id', key, (c) => c.notNull())
          .addColumn('due_on', 'text', (c) => c.notNull())
          .addColumn('state', key, (c) => c.notNull())
          .addColumn('score', 'integer')
          .addColumn('assigned_at', 'text', (c) => c.notNull())
          .addColumn('last_position', 'bigint', (c) => c.notNull())
          .addPrimaryKeyConstraint(`${table}_pk`, ['expert_id', 'application_id'])
          .execute();
      },
    },
  ],
  async apply(trx: Transaction<ReadModelSchema>, event: StoredEvent) {
    const applicationId = event.stream.slice(STREAM_PREFIX.length);
    const at = { last_position: event.position };
    const seat = (expertId: string, dueOn: string) =>
      trx
        .insertInto('assignments')
        .values({
          expert_id: expertId,
          application_id: applicationId,
          due_on: dueOn,
          state: 'awaiting-score',
          score: null,
          assigned_at: event.metadata.occurredAt,
          ...at,
        })
        .onConflict((oc) => oc.columns(['expert_id', 'application_id']).doNothing())
        .execute();
    switch (event.type) {
      case 'ExpertPanelDrawn': {
        const data = event.data as ExpertPanelDrawnData;
        for (const expertId of data.experts) await seat(expertId, data.dueOn);
        return;
      }
      case 'ExpertReplaced': {
        const data = event.data as ExpertReplacedData;
        await trx
          .updateTable('assignments')
          .set({ state: 'replaced', ...at })
          .where('expert_id', '=', data.expertId)
          .where('application_id', '=', applicationId)
          .execute();
        await seat(data.replacement, data.dueOn);
        return;
      }
      case 'ExpertScoreSubmitted': {
        const data = event.data as { expertId: string; score: number };
        await trx
          .updateTable('assignments')
          .set({ state: 'scored', score: data.score, ...at })
          .where('expert_id', '=', data.expertId)
          .where('application_id', '=', applicationId)
          .execute();
        return;
      }
      case 'ExpertReviewConcluded':
        await trx
          .updateTable('assignments')
          .set({ state: 'concluded', ...at })
          .where('application_id', '=', applicationId)
          .where('state', '=', 'scored')
          .execute();
        return;
    }
  },
};
