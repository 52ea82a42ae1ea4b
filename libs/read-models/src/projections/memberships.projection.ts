import type { Kysely, Transaction } from 'kysely';
import type { StoredEvent } from '@engine/event-store';
import type { MembershipEvent } from '@engine/incubation/domain/membership/membership.events';
import type { ReadModelDialect } from '../database';
import { keyText, type Projection } from '../projection';
import type { MembershipsTable, ReadModelSchema } from '../schema';
import { applyKeyedFold, type KeyedFold } from './keyed-fold';

export const MEMBERSHIP_EVENT_TYPES = [
  'MembershipGranted',
  'MembershipRenewed',
  'AnnualReportFiled',
  'AnnualReportReminderSent',
  'AnnualReportMissed',
  'MembershipExpired',
  'MembershipExited',
] as const satisfies readonly MembershipEvent['type'][];
type Unhandled = Exclude<MembershipEvent['type'], (typeof MEMBERSHIP_EVENT_TYPES)[number]>;
const everyMembershipEventHandled: [Unhandled] extends [never] ? true : Unhandled = true;
void everyMembershipEventHandled;

const STREAM_PREFIX = 'membership-';

export function foldMembership(
  row: MembershipsTable | undefined,
  stored: StoredEvent,
): MembershipsTable | undefined {
  if (row && stored.revision <= row.revision) return undefined;
  const event = { type: stored.type, data: stored.data } as MembershipEvent;
  const at = { revision: stored.revision, last_position: stored.position };
  if (event.type === 'MembershipGranted') {
    const d = event.data;
    return {
      membership_id: d.membershipId,
      credit_code: d.creditCode,
      programme: d.programme,
      jurisdiction: d.jurisdiction,
      application_id: d.applicationId,
      status: 'active',
      valid_from: d.validFrom,
      valid_until: d.validUntil,
      exit_reason: null,
      lost_re_review_right: 0,
      ...at,
    };
  }
  if (!row) throw new Error(`${stored.type} at position ${stored.position}: no such membership`);
  switch (event.type) {
    case 'MembershipRenewed':
      return { ...row, status: 'active', valid_until: event.data.validUntil, ...at };
    case 'AnnualReportMissed':
      return { ...row, lost_re_review_right: 1, ...at };
    case 'MembershipExpired':
      return { ...row, status: 'expired', ...at };
    case 'MembershipExited':
      return { ...row, status: 'exited', exit_reason: event.data.reason, ...at };
    default:
      return { ...row, ...at };
  }
}

const fold: KeyedFold<MembershipsTable> = {
  table: 'memberships',
  key: 'membership_id',
  columns: [
    'membership_id',
    'credit_code',
    'programme',
    'jurisdiction',
    'application_id',
    'status',
    'valid_from',
    'valid_until',
    'exit_reason',
    'lost_re_review_right',
    'revision',
    'last_position',
  ],
  idOf: (event) => event.stream.slice(STREAM_PREFIX.length),
  fold: foldMembership,
};

/** One row per membership (入库/认定): GET /v1/memberships and the enterprise's status page. */
export const membershipsProjection: Projection = {
  name: 'memberships',
  version: 1,
  handles: MEMBERSHIP_EVENT_TYPES,
  streams: [STREAM_PREFIX],
  tables: [
    {
      name: 'memberships',
      async create(db: Kysely<unknown>, table: string, dialect: ReadModelDialect) {
        const key = keyText(dialect);
        await db.schema
          .createTable(table)
          .addColumn('membership_id', key, (c) => c.primaryKey())
          .addColumn('credit_code', key, (c) => c.notNull())
          .addColumn('programme', key, (c) => c.notNull())
          .addColumn('jurisdiction', key, (c) => c.notNull())
          .addColumn('application_id', key, (c) => c.notNull())
          .addColumn('status', key, (c) => c.notNull())
          .addColumn('valid_from', 'text', (c) => c.notNull())
          .addColumn('valid_until', 'text', (c) => c.notNull())
          .addColumn('exit_reason', 'text')
          .addColumn('lost_re_review_right', 'integer', (c) => c.notNull())
          .addColumn('revision', 'integer', (c) => c.notNull())
          .addColumn('last_position', 'bigint', (c) => c.notNull())
          .execute();
      },
      async indexes(db: Kysely<unknown>, table: string) {
        await db.schema
          .createIndex(`${table}_enterprise`)
          .ifNotExists()
          .on(table)
          .column('credit_code')
          .execute();
        await db.schema
          .createIndex(`${table}_programme`)
          .ifNotExists()
          .on(table)
          .columns(['programme', 'jurisdiction'])
          .execute();
      },
    },
  ],
  apply(trx: Transaction<ReadModelSchema>, event: StoredEvent) {
    return applyKeyedFold(trx, fold, [event]);
  },
  applyBatch(trx: Transaction<ReadModelSchema>, events: readonly StoredEvent[]) {
    return applyKeyedFold(trx, fold, events);
  },
};
