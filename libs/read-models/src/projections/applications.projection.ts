import { type Kysely, sql, type Transaction } from 'kysely';
import type { StoredEvent } from '@engine/event-store';
import {
  applicationDecider,
  type ApplicationState,
  type ApplicationStatus,
} from '@engine/incubation/domain/application/application.decider';
import type { ApplicationEvent, ReviewStage } from '@engine/incubation/domain/application/application.events';
import type { ReadModelDialect } from '../database';
import { type ApplyContext, keyText, type Projection } from '../projection';
import type { ApplicationsTable, ReadModelSchema } from '../schema';
import { applyKeyedFold, type KeyedFold } from './keyed-fold';

/** Every application event type: the compile-time check below fails when the domain adds one. */
export const APPLICATION_EVENT_TYPES = [
  'ApplicationCreated',
  'ApplicationDataUpdated',
  'ApplicationSubmitted',
  'ApplicationRecommended',
  'ApplicationAcceptedForExpertReview',
  'ApplicationReturned',
  'ApplicationRejected',
  'ApplicationWithdrawn',
  'ExpertPanelDrawn',
  'ExpertReplaced',
  'ExpertReminded',
  'ExpertConflictDeclared',
  'ExpertScoreSubmitted',
  'ExpertReviewConcluded',
  'FinanceOpinionRecorded',
  'ApplicationPublicised',
  'ApplicationForwardedToMinistry',
  'NationalDecisionRecorded',
  'ApplicationAdmitted',
  'MaterialAttached',
  'MaterialRemoved',
  'DeadlineRecomputed',
] as const satisfies readonly ApplicationEvent['type'][];
type Unhandled = Exclude<ApplicationEvent['type'], (typeof APPLICATION_EVENT_TYPES)[number]>;
const everyApplicationEventHandled: [Unhandled] extends [never] ? true : Unhandled = true;
void everyApplicationEventHandled;

const STREAM_PREFIX = 'application-';

const COLUMNS = [
  'application_id',
  'programme',
  'round_id',
  'credit_code',
  'jurisdiction',
  'round_jurisdiction',
  'policy_version',
  'status',
  'awaiting',
  'action_jurisdiction',
  'returned_stage',
  'return_reason',
  'respond_by',
  'eligible',
  'score',
  'status_since',
  'created_at',
  'created_position',
  'revision',
  'last_position',
] as const satisfies readonly (keyof ApplicationsTable)[];

/** The part of the aggregate's state a row keeps, enough for the decider to fold the next event. */
function toState(row: ApplicationsTable): ApplicationState {
  const common = {
    exists: true as const,
    created: {
      applicationId: row.application_id,
      roundId: row.round_id,
      programme: row.programme,
      policyVersion: row.policy_version,
      creditCode: row.credit_code,
      jurisdiction: row.jurisdiction,
      roundJurisdiction: row.round_jurisdiction,
      data: {},
    },
    awaiting: (row.awaiting ?? undefined) as ApplicationState['awaiting'],
  };
  const status = row.status as ApplicationStatus;
  if (status !== 'returned') return { ...common, status };
  return {
    ...common,
    status,
    returned: {
      stage: row.returned_stage as ReviewStage,
      respondBy: row.respond_by ?? '',
      reason: row.return_reason ?? '',
    },
  };
}

/**
 * Folds with the aggregate's own decider (applicationDecider.evolve), so a status here can
 * never disagree with the one the commands decide on.
 */
export function foldApplication(
  row: ApplicationsTable | undefined,
  event: StoredEvent,
): ApplicationsTable | undefined {
  if (row && event.revision <= row.revision) return undefined; // already folded in
  const before = row ? toState(row) : applicationDecider.initialState();
  const state = applicationDecider.evolve(before, { type: event.type, data: event.data } as ApplicationEvent);
  if (!state.exists || !state.created) {
    throw new Error(`${event.type} at position ${event.position} for an application that was never created`);
  }
  const created = state.created;
  const awaiting = state.awaiting ?? null;
  const occurredAt = event.metadata.occurredAt;
  return {
    application_id: created.applicationId,
    programme: created.programme,
    round_id: created.roundId,
    credit_code: created.creditCode,
    jurisdiction: created.jurisdiction,
    round_jurisdiction: created.roundJurisdiction,
    policy_version: created.policyVersion,
    status: state.status,
    awaiting,
    // The district stage belongs to the enterprise's district; every later stage to the round's issuer.
    action_jurisdiction:
      awaiting === 'district' ? created.jurisdiction : awaiting ? created.roundJurisdiction : null,
    returned_stage: state.returned?.stage ?? null,
    return_reason: state.returned?.reason ?? null,
    respond_by: state.returned?.respondBy ?? null,
    eligible: state.eligibility ? (state.eligibility.eligible ? 1 : 0) : (row?.eligible ?? null),
    score: state.result?.mean ?? row?.score ?? null,
    status_since: !row || row.status !== state.status ? occurredAt : row.status_since,
    created_at: row ? row.created_at : occurredAt,
    created_position: row ? row.created_position : event.position,
    revision: event.revision,
    last_position: event.position,
  };
}

const fold: KeyedFold<ApplicationsTable> = {
  table: 'applications',
  key: 'application_id',
  columns: COLUMNS,
  idOf: (event) => event.stream.slice(STREAM_PREFIX.length),
  fold: foldApplication,
  changed(before, after, event, context) {
    if (before?.status === after.status) return;
    context.changes.push({
      kind: 'application-status',
      applicationId: after.application_id,
      status: after.status,
      revision: after.revision,
      position: after.last_position,
      at: event.metadata.occurredAt,
    });
  },
};

/** One row per application: where it stands and who acts next. */
export const applicationsProjection: Projection = {
  name: 'applications',
  // 2: covering worklist and round-statistics indexes. 3: eligible and score (the round table).
  // 4: indexes for the worklist of one round and the round table sorted by status or since.
  version: 4,
  handles: APPLICATION_EVENT_TYPES,
  streams: [STREAM_PREFIX],
  tables: [
    {
      name: 'applications',
      async create(db: Kysely<unknown>, table: string, dialect: ReadModelDialect) {
        const key = keyText(dialect);
        await db.schema
          .createTable(table)
          .addColumn('application_id', key, (c) => c.primaryKey())
          .addColumn('programme', key, (c) => c.notNull())
          .addColumn('round_id', key, (c) => c.notNull())
          .addColumn('credit_code', key, (c) => c.notNull())
          .addColumn('jurisdiction', key, (c) => c.notNull())
          .addColumn('round_jurisdiction', key, (c) => c.notNull())
          .addColumn('policy_version', 'text', (c) => c.notNull())
          .addColumn('status', key, (c) => c.notNull())
          .addColumn('awaiting', 'text')
          .addColumn('action_jurisdiction', key)
          .addColumn('returned_stage', 'text')
          .addColumn('return_reason', 'text')
          .addColumn('respond_by', 'text')
          .addColumn('eligible', 'integer')
          .addColumn('score', 'text')
          .addColumn('status_since', key, (c) => c.notNull())
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addColumn('created_position', 'bigint', (c) => c.notNull())
          .addColumn('revision', 'integer', (c) => c.notNull())
          .addColumn('last_position', 'bigint', (c) => c.notNull())
          .execute();
      },
      async indexes(db: Kysely<unknown>, table: string) {
        // The worklist: only rows awaiting an officer, in the order it is read (oldest status
        // first), so a page is the first matches of an ordered scan instead of a sort of every
        // match; and the same per status, for ?status=. Both cover every column the worklist
        // filters on and returns, so the scan never visits the table itself.
        const covered = [
          'action_jurisdiction',
          'jurisdiction',
          'programme',
          'round_id',
          'credit_code',
          'awaiting',
        ];
        await db.schema
          .createIndex(`${table}_worklist`)
          .ifNotExists()
          .on(table)
          .columns(['status_since', 'application_id', 'status', ...covered])
          .where(sql.ref('action_jurisdiction'), 'is not', null)
          .execute();
        await db.schema
          .createIndex(`${table}_worklist_status`)
          .ifNotExists()
          .on(table)
          .columns(['status', 'status_since', 'application_id', ...covered])
          .where(sql.ref('action_jurisdiction'), 'is not', null)
          .execute();
        // The worklist of one round (?round=): the same covered scan within the round.
        await db.schema
          .createIndex(`${table}_worklist_round`)
          .ifNotExists()
          .on(table)
          .columns(['round_id', 'status_since', 'application_id', 'status', ...covered])
          .where(sql.ref('action_jurisdiction'), 'is not', null)
          .execute();
        await db.schema
          .createIndex(`${table}_enterprise`)
          .ifNotExists()
          .on(table)
          .columns(['credit_code', 'created_position'])
          .execute();
        await db.schema
          .createIndex(`${table}_round`)
          .ifNotExists()
          .on(table)
          // Round statistics: one grouped scan that never visits the table.
          .columns(['round_id', 'jurisdiction', 'status'])
          .execute();
        // The round table (GET /v1/rounds/:id/applications) in its default order.
        await db.schema
          .createIndex(`${table}_round_created`)
          .ifNotExists()
          .on(table)
          .columns(['round_id', 'created_position'])
          .execute();
        // ... sorted by status and by since: pages read in index order, never a sort of the round.
        await db.schema
          .createIndex(`${table}_round_status`)
          .ifNotExists()
          .on(table)
          .columns(['round_id', 'status', 'application_id', 'jurisdiction'])
          .execute();
        await db.schema
          .createIndex(`${table}_round_since`)
          .ifNotExists()
          .on(table)
          .columns(['round_id', 'status_since', 'application_id', 'jurisdiction', 'status'])
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
