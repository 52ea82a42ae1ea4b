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
import { applyKeyedFold, insertRows, type KeyedFold, prepared, quote } from './keyed-fold';

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
const ENTERPRISE_PREFIX = 'enterprise-';

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
  'score_value',
  'status_since',
  'enterprise_name',
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

/** A score as shown ("70.2", "≈ 70.33") as a number; null if it is not one. */
function scoreValue(shown: string): number | null {
  const value = Number(shown.replace('≈', '').trim());
  return Number.isFinite(value) ? value : null;
}

/**
 * Folds with the aggregate's own decider (applicationDecider.evolve), so a status here can
 * never disagree with the one the commands decide on.
 */
export function foldApplication(
  row: ApplicationsTable | undefined,
  event: StoredEvent,
  /** The registered name of an enterprise (by credit code), for a new row. */
  nameOf: (creditCode: string) => string | undefined = () => undefined,
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
  const score = state.result?.mean ?? row?.score ?? null;
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
    score,
    score_value: score === null ? null : scoreValue(score),
    status_since: !row || row.status !== state.status ? occurredAt : row.status_since,
    enterprise_name: row?.enterprise_name ?? nameOf(created.creditCode) ?? null,
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

/**
 * Applies a page: the enterprises' registrations first (their names go into this projection's
 * own names table), then the applications' events, a new row taking its enterprise's name.
 * An application is only ever created for a registered enterprise (the decider refuses
 * otherwise), so its registration has a lower position: in this page or an earlier one.
 */
async function applyPage(
  trx: Transaction<ReadModelSchema>,
  events: readonly StoredEvent[],
  context?: ApplyContext,
): Promise<void> {
  const names = new Map<string, string>();
  const applicationEvents: StoredEvent[] = [];
  for (const event of events) {
    if (event.stream.startsWith(STREAM_PREFIX)) applicationEvents.push(event);
    else if (event.type === 'EnterpriseRegistered') {
      const data = event.data as { creditCode: string; name: string };
      names.set(data.creditCode, data.name);
    }
  }
  const table = context ? context.table('application_enterprise_names') : 'application_enterprise_names';
  if (names.size > 0) {
    const rows = [...names].map(([credit_code, name]) => ({ credit_code, name }));
    // A name never changes: a registration seen again (a replayed page) writes nothing.
    await insertRows(trx, context, table, 'application_enterprise_names', ['credit_code', 'name'], rows, {
      key: 'credit_code',
    });
  }
  if (applicationEvents.length === 0) return;
  // The names of the enterprises whose applications this page creates, not registered in it.
  const wanted = new Set<string>();
  for (const event of applicationEvents)
    if (event.type === 'ApplicationCreated') {
      const code = (event.data as { creditCode: string }).creditCode;
      if (!names.has(code)) wanted.add(code);
    }
  if (wanted.size > 0) {
    const codes = [...wanted];
    if (context?.sqlite) {
      const select = prepared(context.sqlite, `SELECT name FROM ${quote(table)} WHERE credit_code = ?`);
      for (const code of codes) {
        const found = select.get(code) as { name: string } | undefined;
        if (found) names.set(code, found.name);
      }
    } else {
      for (let i = 0; i < codes.length; i += 1000) {
        const found = await trx
          .selectFrom('application_enterprise_names')
          .select(['credit_code', 'name'])
          .where('credit_code', 'in', codes.slice(i, i + 1000))
          .execute();
        for (const row of found) names.set(row.credit_code, row.name);
      }
    }
  }
  const named: KeyedFold<ApplicationsTable> = {
    ...fold,
    fold: (row, event) => foldApplication(row, event, (code) => names.get(code)),
  };
  await applyKeyedFold(trx, named, applicationEvents, context);
}

/** One row per application: where it stands and who acts next. */
export const applicationsProjection: Projection = {
  name: 'applications',
  // 2: covering worklist and round-statistics indexes. 3: eligible and score (the round table).
  // 4: indexes for the worklist of one round and the round table sorted by status or since.
  // 5: the enterprise's name in each row (the round table sorted or searched by name on an
  // index of the round) and worklist indexes led by the acting jurisdiction.
  version: 5,
  handles: [...APPLICATION_EVENT_TYPES, 'EnterpriseRegistered'],
  streams: [STREAM_PREFIX, ENTERPRISE_PREFIX],
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
          .addColumn('score_value', 'double precision')
          .addColumn('status_since', key, (c) => c.notNull())
          .addColumn('enterprise_name', key)
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addColumn('created_position', 'bigint', (c) => c.notNull())
          .addColumn('revision', 'integer', (c) => c.notNull())
          .addColumn('last_position', 'bigint', (c) => c.notNull())
          .execute();
      },
      async indexes(db: Kysely<unknown>, table: string) {
        // The worklist (queryWorklist): only rows awaiting an officer, led by the jurisdiction
        // that acts next, then in the order the worklist is read (oldest status first). The
        // worklist reads each acting jurisdiction under the officer's as its own ordered range
        // (a page is at most `limit` entries of each) and merges them, so neither an officer's
        // share of the open items nor a filter that matches none of them is ever scanned in
        // full. The same per status (?status=) and per round (?round=). Each covers every column
        // the worklist filters on and returns, so the scan never visits the table itself.
        const covered = [
          'jurisdiction',
          'programme',
          'round_id',
          'credit_code',
          'awaiting',
          'enterprise_name',
        ];
        await db.schema
          .createIndex(`${table}_worklist`)
          .ifNotExists()
          .on(table)
          .columns(['action_jurisdiction', 'status_since', 'application_id', 'status', ...covered])
          .where(sql.ref('action_jurisdiction'), 'is not', null)
          .execute();
        await db.schema
          .createIndex(`${table}_worklist_status`)
          .ifNotExists()
          .on(table)
          .columns(['action_jurisdiction', 'status', 'status_since', 'application_id', ...covered])
          .where(sql.ref('action_jurisdiction'), 'is not', null)
          .execute();
        await db.schema
          .createIndex(`${table}_worklist_round`)
          .ifNotExists()
          .on(table)
          .columns([
            'round_id',
            'action_jurisdiction',
            'status_since',
            'application_id',
            'status',
            ...covered,
          ])
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
        // The round table (GET /v1/rounds/:id/applications): one index per sort, each ending in
        // creation order (the tie-breaker, and the default sort within a status filter), and
        // carrying jurisdiction and status so an officer's part of the round and a status
        // filter are tested in the index. A page reads its entries in order (forwards or
        // backwards), never a sort of the round.
        const sorts: Record<string, string[]> = {
          created: [],
          status: ['status'],
          since: ['status_since'],
          name: ['enterprise_name'],
          district: ['jurisdiction'],
          score: ['score_value'],
        };
        for (const [sort, columns] of Object.entries(sorts)) {
          // By name, also the credit code: a search (?q=) tests both in the index.
          const rest = ['jurisdiction', 'status', ...(sort === 'name' ? ['credit_code'] : [])].filter(
            (c) => !columns.includes(c),
          );
          await db.schema
            .createIndex(`${table}_round_${sort}`)
            .ifNotExists()
            .on(table)
            .columns(['round_id', ...columns, 'created_position', ...rest])
            .execute();
        }
      },
    },
    {
      // The enterprises' names as this projection has seen them registered: a new row's
      // enterprise_name comes from here (the enterprises projection is another projection,
      // rebuilt on its own, so not read while applying).
      name: 'application_enterprise_names',
      async create(db: Kysely<unknown>, table: string, dialect: ReadModelDialect) {
        await db.schema
          .createTable(table)
          .addColumn('credit_code', keyText(dialect), (c) => c.primaryKey())
          .addColumn('name', 'text', (c) => c.notNull())
          .execute();
      },
    },
  ],
  apply(trx: Transaction<ReadModelSchema>, event: StoredEvent, context?: ApplyContext) {
    return applyPage(trx, [event], context);
  },
  applyBatch(trx: Transaction<ReadModelSchema>, events: readonly StoredEvent[], context?: ApplyContext) {
    return applyPage(trx, events, context);
  },
};
