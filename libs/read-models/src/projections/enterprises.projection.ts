import type { Kysely, Transaction } from 'kysely';
import type { StoredEvent } from '@engine/event-store';
import {
  enterpriseDecider,
  type EnterpriseState,
} from '@engine/incubation/domain/enterprise/enterprise.decider';
import type { EnterpriseEvent } from '@engine/incubation/domain/enterprise/enterprise.events';
import type { ReadModelDialect } from '../database';
import { type ApplyContext, keyText, type Projection } from '../projection';
import type { EnterprisesTable, ReadModelSchema } from '../schema';
import { applyKeyedFold, type KeyedFold } from './keyed-fold';

export const ENTERPRISE_EVENT_TYPES = [
  'EnterpriseRegistered',
  'EnterpriseMembershipRecorded',
  'EnterpriseBanned',
] as const satisfies readonly EnterpriseEvent['type'][];
type Unhandled = Exclude<EnterpriseEvent['type'], (typeof ENTERPRISE_EVENT_TYPES)[number]>;
const everyEnterpriseEventHandled: [Unhandled] extends [never] ? true : Unhandled = true;
void everyEnterpriseEventHandled;

const STREAM_PREFIX = 'enterprise-';

export function foldEnterprise(
  row: EnterprisesTable | undefined,
  event: StoredEvent,
): EnterprisesTable | undefined {
  if (row && event.revision <= row.revision) return undefined;
  const before: EnterpriseState = row
    ? {
        registered: true,
        creditCode: row.credit_code,
        name: row.name,
        jurisdiction: row.jurisdiction,
        establishedOn: row.established_on,
      }
    : enterpriseDecider.initialState();
  const state = enterpriseDecider.evolve(before, { type: event.type, data: event.data } as EnterpriseEvent);
  if (!state.registered) throw new Error(`${event.type} at position ${event.position}: no such enterprise`);
  return {
    credit_code: state.creditCode!,
    name: state.name!,
    jurisdiction: state.jurisdiction!,
    established_on: state.establishedOn!,
    revision: event.revision,
    last_position: event.position,
  };
}

const fold: KeyedFold<EnterprisesTable> = {
  table: 'enterprises',
  key: 'credit_code',
  columns: ['credit_code', 'name', 'jurisdiction', 'established_on', 'revision', 'last_position'],
  idOf: (event) => event.stream.slice(STREAM_PREFIX.length),
  fold: foldEnterprise,
};

/** One row per registered enterprise. */
export const enterprisesProjection: Projection = {
  name: 'enterprises',
  version: 1,
  handles: ENTERPRISE_EVENT_TYPES,
  streams: [STREAM_PREFIX],
  tables: [
    {
      name: 'enterprises',
      async create(db: Kysely<unknown>, table: string, dialect: ReadModelDialect) {
        const key = keyText(dialect);
        await db.schema
          .createTable(table)
          .addColumn('credit_code', key, (c) => c.primaryKey())
          .addColumn('name', 'text', (c) => c.notNull())
          .addColumn('jurisdiction', key, (c) => c.notNull())
          .addColumn('established_on', 'text', (c) => c.notNull())
          .addColumn('revision', 'integer', (c) => c.notNull())
          .addColumn('last_position', 'bigint', (c) => c.notNull())
          .execute();
      },
      async indexes(db: Kysely<unknown>, table: string) {
        await db.schema
          .createIndex(`${table}_jurisdiction`)
          .ifNotExists()
          .on(table)
          .column('jurisdiction')
          .execute();
      },
    },
  ],
  apply(trx: Transaction<ReadModelSchema>, event: StoredEvent, context?: ApplyContext) {
    return applyKeyedFold(trx, fold, [event], context);
  },
  applyBatch(trx: Transaction<ReadModelSchema>, events: readonly StoredEvent[], context?: ApplyContext) {
    return applyKeyedFold(trx, fold, events, context);
  },
};
