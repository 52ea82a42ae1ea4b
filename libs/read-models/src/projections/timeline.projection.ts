import { type Kysely, type Transaction } from 'kysely';
import type { StoredEvent } from '@engine/event-store';
import { label } from '@engine/platform';
import type { ReadModelDialect } from '../database';
import { type ApplyContext, keyText, type Projection } from '../projection';
import type { ReadModelSchema, TimelineTable } from '../schema';
import { APPLICATION_EVENT_TYPES } from './applications.projection';
import { ENTERPRISE_EVENT_TYPES } from './enterprises.projection';
import { insertRows, prepared, quote } from './keyed-fold';

/** One line of an enterprise's timeline, as the API answers it. */
export interface TimelineEntry {
  /** occurredAt of the event. */
  at: string;
  type: string;
  applicationId?: string;
  roundId?: string;
  /** A line for people (Chinese, as the bureaus write it). */
  summary: string;
  /** The response deadline, on an application returned for more material. */
  respondBy?: string;
}

/** What a row keeps of an event: the facts its summary is written from, not the words. */
export type TimelineFacts = Record<string, string | boolean>;

/** Entries answered per enterprise (the newest). */
export const TIMELINE_LIMIT = 100;

/** Stages, programmes and event types read as the label catalogue's words (libs/platform labels). */
const stage = (value: unknown) => (value ? label('stages', String(value)) : '审核');
const withReason = (text: string, reason: unknown) =>
  typeof reason === 'string' && reason.trim() ? `${text}：${reason}` : text;

/** The facts of an event that its summary needs. */
export function factsOf(type: string, data: Record<string, unknown>): TimelineFacts | undefined {
  const text = (value: unknown) => (typeof value === 'string' ? value : String(value ?? ''));
  switch (type) {
    case 'EnterpriseRegistered':
      return { name: text(data.name), jurisdiction: text(data.jurisdiction) };
    case 'ApplicationCreated':
      return { programme: text(data.programme), policyVersion: text(data.policyVersion) };
    case 'ApplicationSubmitted': {
      const eligible = (data.eligibility as { eligible?: unknown } | undefined)?.eligible;
      return {
        ...(data.resubmission ? { resubmission: true } : {}),
        ...(typeof eligible === 'boolean' ? { eligible } : {}),
      };
    }
    case 'ApplicationReturned':
      return { stage: text(data.stage), reason: text(data.reason), respondBy: text(data.respondBy) };
    case 'ApplicationRejected':
      return { stage: text(data.stage), reason: text(data.reason) };
    case 'ApplicationRecommended':
    case 'ApplicationAcceptedForExpertReview':
    case 'ApplicationWithdrawn':
      return { reason: text(data.reason) };
    case 'MaterialAttached':
    case 'MaterialRemoved':
      return { kind: text(data.kind), fileName: text(data.fileName) };
    default:
      return undefined;
  }
}

/** The summary of an event from its facts; a type without its own words reads as its label. */
export function summarize(type: string, facts: TimelineFacts = {}): string {
  switch (type) {
    case 'EnterpriseRegistered':
      return `企业登记：${String(facts.name)}（${String(facts.jurisdiction)}）`;
    case 'ApplicationCreated':
      return `创建申请草稿（${label('programmes', String(facts.programme))}，政策版本 ${String(facts.policyVersion)}）`;
    case 'ApplicationDataUpdated':
      return '更新申请材料';
    case 'MaterialAttached':
      return `上传附件：${String(facts.fileName)}`;
    case 'MaterialRemoved':
      return `删除附件：${String(facts.fileName)}`;
    case 'ApplicationSubmitted': {
      const verdict =
        facts.eligible === true ? '，资格自评通过' : facts.eligible === false ? '，资格自评未通过' : '';
      return `${facts.resubmission ? '补充材料后重新提交' : '提交申请'}${verdict}`;
    }
    case 'ApplicationRecommended':
      return withReason('区级审核推荐', facts.reason);
    case 'ApplicationAcceptedForExpertReview':
      return withReason('市级审核通过，进入专家评审', facts.reason);
    case 'ApplicationReturned':
      return withReason(
        `${stage(facts.stage)}退回补充材料，请于 ${String(facts.respondBy)} 前答复`,
        facts.reason,
      );
    case 'ApplicationRejected':
      return withReason(`${stage(facts.stage)}不予通过`, facts.reason);
    case 'ApplicationWithdrawn':
      return withReason('申请撤回', facts.reason);
    default:
      // The catalogue's name of the event (an unknown type reads as itself).
      return label('eventTypes', type);
  }
}

const ENTERPRISE_PREFIX = 'enterprise-';
const APPLICATION_PREFIX = 'application-';

/** Whose timeline a stream's events go to (known from the stream's first event). */
interface Owner {
  credit_code: string;
  round_id: string | null;
}

/** Most stream owners a rebuild remembers between pages (beyond that it looks them up). */
const OWNERS_HELD = 500_000;

/** The owners a session remembers; `complete` while they are every owner in the table. */
interface OwnersMemo {
  owners: Map<string, Owner>;
  complete: boolean;
}

/** The timeline row of an event, given who owns its stream. */
export function timelineRow(event: StoredEvent, owner: Owner | undefined): TimelineTable {
  const data = (event.data ?? {}) as Record<string, unknown>;
  const creditCode =
    owner?.credit_code ?? (typeof data.creditCode === 'string' ? data.creditCode : undefined);
  if (creditCode === undefined) {
    throw new Error(`${event.type} at position ${event.position}: no enterprise to put it under`);
  }
  const facts = factsOf(event.type, data);
  return {
    position: event.position,
    stream: event.stream,
    revision: event.revision,
    credit_code: creditCode,
    round_id: owner?.round_id ?? (typeof data.roundId === 'string' ? data.roundId : null),
    at: event.metadata.occurredAt,
    type: event.type,
    facts: facts ? JSON.stringify(facts) : null,
  };
}

const COLUMNS = [
  'position',
  'stream',
  'revision',
  'credit_code',
  'round_id',
  'at',
  'type',
  'facts',
] as const satisfies readonly (keyof TimelineTable)[];

type LooseDb = Record<string, Record<string, unknown>>;

/**
 * Appends one row per event. The first event of a stream (registration, creation) names the
 * enterprise and round; later events of the stream find them in the stream's revision-0 row
 * (the primary key), or in memory within a rebuild. An event applied again hits the primary
 * key and is skipped.
 */
async function applyTimeline(
  trx: Transaction<ReadModelSchema>,
  events: readonly StoredEvent[],
  context?: ApplyContext,
): Promise<void> {
  if (events.length === 0) return;
  const session = context?.session;
  let memo = session?.memo.get('timeline-owners') as OwnersMemo | undefined;
  if (!memo) {
    // A fresh session's owners are complete until the first time they are forgotten.
    memo = { owners: new Map(), complete: session?.fresh === true };
    session?.memo.set('timeline-owners', memo);
  }
  const owners = memo.owners;
  if (owners.size > OWNERS_HELD) {
    owners.clear();
    memo.complete = false;
  }
  // Whether a stream's owner missing from memory has to be looked up in the table.
  const lookUp = !memo.complete;
  const sqlite = context?.sqlite;
  const table = context ? context.table('timeline') : 'timeline';
  const rows: TimelineTable[] = [];
  if (sqlite) {
    const find = prepared(
      sqlite,
      `SELECT credit_code, round_id FROM ${quote(table)} WHERE stream = ? AND revision = 0`,
    );
    for (const event of events) {
      let owner = owners.get(event.stream);
      if (!owner && event.revision > 0 && lookUp) owner = find.get(event.stream) as Owner | undefined;
      const row = timelineRow(event, owner);
      if (event.revision === 0 || !owners.has(event.stream)) owners.set(event.stream, row);
      rows.push(row);
    }
  } else {
    const db = trx as unknown as Kysely<LooseDb>;
    const unknown = lookUp
      ? [...new Set(events.filter((e) => e.revision > 0 && !owners.has(e.stream)).map((e) => e.stream))]
      : [];
    for (let i = 0; i < unknown.length; i += 1000) {
      const found = await db
        .selectFrom('timeline')
        .select(['stream', 'credit_code', 'round_id'])
        .where('stream', 'in', unknown.slice(i, i + 1000))
        .where('revision', '=', 0)
        .execute();
      for (const row of found) owners.set(String(row.stream), row as unknown as Owner);
    }
    for (const event of events) {
      const row = timelineRow(event, owners.get(event.stream));
      if (!owners.has(event.stream)) owners.set(event.stream, row);
      rows.push(row);
    }
  }
  if (session?.copyRows) {
    // PostgreSQL, a rebuild's fresh shadow: every event is applied once, so no row can conflict.
    await session.copyRows(
      trx,
      table,
      COLUMNS,
      rows.map((row) => COLUMNS.map((c) => row[c])),
    );
  } else {
    await insertRows(
      trx,
      context,
      table,
      'timeline',
      COLUMNS,
      rows as unknown as Record<string, unknown>[],
      {},
    );
  }
  if (!session) owners.clear();
}

/**
 * What happened to an enterprise, for people: one row per event of the enterprise's stream
 * and of its applications' streams, with the enterprise (and round) it belongs to and the
 * facts its summary is written from. The API reads the newest 100 by the
 * `(credit_code, position)` index (queries/enterprise-timeline.query.ts).
 */
export const timelineProjection: Projection = {
  name: 'timeline',
  version: 1,
  handles: [...ENTERPRISE_EVENT_TYPES, ...APPLICATION_EVENT_TYPES],
  streams: [ENTERPRISE_PREFIX, APPLICATION_PREFIX],
  tables: [
    {
      name: 'timeline',
      async create(db: Kysely<unknown>, table: string, dialect: ReadModelDialect) {
        const key = keyText(dialect);
        await db.schema
          .createTable(table)
          .addColumn('position', 'bigint', (c) => c.notNull())
          .addColumn('stream', key, (c) => c.notNull())
          .addColumn('revision', 'integer', (c) => c.notNull())
          .addColumn('credit_code', key, (c) => c.notNull())
          .addColumn('round_id', key)
          .addColumn('at', 'text', (c) => c.notNull())
          .addColumn('type', 'text', (c) => c.notNull())
          .addColumn('facts', 'text')
          // Finds a stream's first row (its owner) while loading; and makes a replay a no-op.
          .addPrimaryKeyConstraint(`${table}_pk`, ['stream', 'revision'])
          .execute();
      },
      async indexes(db: Kysely<unknown>, table: string) {
        await db.schema
          .createIndex(`${table}_enterprise`)
          .ifNotExists()
          .on(table)
          .columns(['credit_code', 'position'])
          .execute();
      },
    },
  ],
  apply(trx: Transaction<ReadModelSchema>, event: StoredEvent, context?: ApplyContext) {
    return applyTimeline(trx, [event], context);
  },
  applyBatch(trx: Transaction<ReadModelSchema>, events: readonly StoredEvent[], context?: ApplyContext) {
    return applyTimeline(trx, events, context);
  },
};
