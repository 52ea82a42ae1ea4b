import type { Kysely, Transaction } from 'kysely';
import type { StoredEvent } from '@engine/event-store';
import { roundDecider, type RoundState } from '@engine/incubation/domain/round/round.decider';
import type { RoundEvent } from '@engine/incubation/domain/round/round.events';
import type { ReadModelDialect } from '../database';
import { type ApplyContext, keyText, type Projection } from '../projection';
import type { ReadModelSchema, RoundsTable } from '../schema';
import { applyKeyedFold, type KeyedFold } from './keyed-fold';

export const ROUND_EVENT_TYPES = [
  'RoundCreated',
  'RoundClosed',
  'PublicityStarted',
  'ObjectionRaised',
  'ObjectionResolved',
  'RoundFinalized',
  'AdmissionNoticeIssued',
  'DeadlineRecomputed',
] as const satisfies readonly RoundEvent['type'][];
type Unhandled = Exclude<RoundEvent['type'], (typeof ROUND_EVENT_TYPES)[number]>;
const everyRoundEventHandled: [Unhandled] extends [never] ? true : Unhandled = true;
void everyRoundEventHandled;

const STREAM_PREFIX = 'round-';

export function foldRound(row: RoundsTable | undefined, event: StoredEvent): RoundsTable | undefined {
  if (row && event.revision <= row.revision) return undefined;
  const before: RoundState = row
    ? {
        exists: true,
        round: {
          roundId: row.round_id,
          programme: row.programme,
          year: row.year,
          batch: row.batch,
          title: row.title,
          jurisdiction: row.jurisdiction,
          opensAt: row.opens_at,
          closesAt: row.closes_at,
          quota: row.quota,
          policyVersion: row.policy_version,
        },
        ...(row.closed_at ? { closedAt: row.closed_at } : {}),
      }
    : roundDecider.initialState();
  const state = roundDecider.evolve(before, { type: event.type, data: event.data } as RoundEvent);
  if (!state.exists || !state.round)
    throw new Error(`${event.type} at position ${event.position}: no such round`);
  const round = state.round;
  return {
    round_id: round.roundId,
    programme: round.programme,
    year: round.year,
    batch: round.batch,
    title: round.title,
    jurisdiction: round.jurisdiction,
    policy_version: round.policyVersion,
    opens_at: round.opensAt,
    closes_at: round.closesAt,
    quota: round.quota ?? null,
    closed_at: state.closedAt ?? null,
    publicity_starts_on: state.publicity?.startsOn ?? row?.publicity_starts_on ?? null,
    publicity_ends_on: state.publicity?.endsOn ?? row?.publicity_ends_on ?? null,
    finalized_on: state.final?.finalizedOn ?? row?.finalized_on ?? null,
    revision: event.revision,
    last_position: event.position,
  };
}

const fold: KeyedFold<RoundsTable> = {
  table: 'rounds',
  key: 'round_id',
  columns: [
    'round_id',
    'programme',
    'year',
    'batch',
    'title',
    'jurisdiction',
    'policy_version',
    'opens_at',
    'closes_at',
    'quota',
    'closed_at',
    'publicity_starts_on',
    'publicity_ends_on',
    'finalized_on',
    'revision',
    'last_position',
  ],
  idOf: (event) => event.stream.slice(STREAM_PREFIX.length),
  fold: foldRound,
};

/**
 * One row per round: programme, issuing jurisdiction, the pinned policy version and the
 * window. Its status is derived from the window and the clock (roundStatus), never stored.
 */
export const roundsProjection: Projection = {
  name: 'rounds',
  // 2: publicity and finalization dates (the round list derives every status from the row).
  version: 2,
  handles: ROUND_EVENT_TYPES,
  streams: [STREAM_PREFIX],
  tables: [
    {
      name: 'rounds',
      async create(db: Kysely<unknown>, table: string, dialect: ReadModelDialect) {
        const key = keyText(dialect);
        await db.schema
          .createTable(table)
          .addColumn('round_id', key, (c) => c.primaryKey())
          .addColumn('programme', key, (c) => c.notNull())
          .addColumn('year', 'integer', (c) => c.notNull())
          .addColumn('batch', 'integer', (c) => c.notNull())
          .addColumn('title', 'text', (c) => c.notNull())
          .addColumn('jurisdiction', key, (c) => c.notNull())
          .addColumn('policy_version', 'text', (c) => c.notNull())
          .addColumn('opens_at', 'text', (c) => c.notNull())
          .addColumn('closes_at', 'text', (c) => c.notNull())
          .addColumn('quota', 'integer')
          .addColumn('closed_at', 'text')
          .addColumn('publicity_starts_on', 'text')
          .addColumn('publicity_ends_on', 'text')
          .addColumn('finalized_on', 'text')
          .addColumn('revision', 'integer', (c) => c.notNull())
          .addColumn('last_position', 'bigint', (c) => c.notNull())
          .execute();
      },
      async indexes(db: Kysely<unknown>, table: string) {
        await db.schema
          .createIndex(`${table}_programme`)
          .ifNotExists()
          .on(table)
          .columns(['programme', 'jurisdiction'])
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
