import type { Kysely, Transaction } from 'kysely';
import type { StoredEvent } from '@engine/event-store';
import type { ReadModelDialect } from '../database';
import { type ApplyContext, keyText, type Projection } from '../projection';
import type { ReadModelSchema, TimelinesTable } from '../schema';
import { APPLICATION_EVENT_TYPES } from './applications.projection';
import { ENTERPRISE_EVENT_TYPES } from './enterprises.projection';
import { applyKeyedFold, type KeyedFold } from './keyed-fold';

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

/**
 * What a row keeps of an event: the facts its summary is written from, not the words, so the
 * wording can change without a rebuild (and rows stay small).
 */
export interface TimelineFact {
  position: number;
  at: string;
  type: string;
  facts?: Record<string, string | boolean>;
}

/** Newest entries kept per aggregate, and answered per enterprise. */
export const TIMELINE_LIMIT = 100;

const STAGE: Record<string, string> = { district: '区级审核', city: '市级审核' };
const stage = (value: unknown) => STAGE[String(value)] ?? String(value ?? '审核');
const withReason = (text: string, reason: unknown) =>
  typeof reason === 'string' && reason.trim() ? `${text}：${reason}` : text;

/** The facts of an event that its summary needs. */
export function factsOf(type: string, data: Record<string, unknown>): TimelineFact['facts'] {
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
    default:
      return undefined;
  }
}

/** The summary of an event from its facts; a type without its own words (added later) reads as its type. */
export function summarize(type: string, facts: TimelineFact['facts'] = {}): string {
  switch (type) {
    case 'EnterpriseRegistered':
      return `企业登记：${String(facts.name)}（${String(facts.jurisdiction)}）`;
    case 'ApplicationCreated':
      return `创建申请草稿（${String(facts.programme)}，政策版本 ${String(facts.policyVersion)}）`;
    case 'ApplicationDataUpdated':
      return '更新申请材料';
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
      return type;
  }
}

/**
 * Folds an event into its stream's row. `entries` stays JSON text throughout: a new fact is
 * put in front of the text as it is (the older entries are neither parsed nor written out
 * again), and only past {@link TIMELINE_LIMIT} entries is the text parsed and cut.
 */
export function foldTimeline(
  row: TimelinesTable | undefined,
  event: StoredEvent,
): TimelinesTable | undefined {
  if (row && event.revision <= row.revision) return undefined; // already folded in
  const data = (event.data ?? {}) as Record<string, unknown>;
  const creditCode = row?.credit_code ?? (typeof data.creditCode === 'string' ? data.creditCode : undefined);
  if (creditCode === undefined) {
    throw new Error(`${event.type} at position ${event.position}: no enterprise to put it under`);
  }
  const roundId = row?.round_id ?? (typeof data.roundId === 'string' ? data.roundId : null);
  const facts = factsOf(event.type, data);
  const fact: TimelineFact = {
    position: event.position,
    at: event.metadata.occurredAt,
    type: event.type,
    ...(facts ? { facts } : {}),
  };
  let entries = row ? `[${JSON.stringify(fact)},${row.entries.slice(1)}` : `[${JSON.stringify(fact)}]`;
  let count = (row?.entry_count ?? 0) + 1;
  if (count > TIMELINE_LIMIT) {
    entries = JSON.stringify((JSON.parse(entries) as TimelineFact[]).slice(0, TIMELINE_LIMIT));
    count = TIMELINE_LIMIT;
  }
  return {
    stream: event.stream,
    credit_code: creditCode,
    round_id: roundId,
    entries,
    entry_count: count,
    revision: event.revision,
    last_position: event.position,
  };
}

const ENTERPRISE_PREFIX = 'enterprise-';
const APPLICATION_PREFIX = 'application-';

const fold: KeyedFold<TimelinesTable> = {
  table: 'timelines',
  key: 'stream',
  columns: ['stream', 'credit_code', 'round_id', 'entries', 'entry_count', 'revision', 'last_position'],
  idOf: (event) => event.stream,
  fold: foldTimeline,
};

/**
 * What happened to an enterprise, for people: one row per enterprise stream and per
 * application stream, holding the facts of its newest events (at most {@link TIMELINE_LIMIT})
 * as JSON, and the enterprise (and round) it belongs to. An enterprise's timeline merges its own row with its
 * applications' rows (queries/enterprise-timeline.query.ts). One row per aggregate keeps a
 * rebuild to one write per aggregate and batch, where a row per event would be one per event.
 */
export const timelineProjection: Projection = {
  name: 'timeline',
  version: 1,
  handles: [...ENTERPRISE_EVENT_TYPES, ...APPLICATION_EVENT_TYPES],
  streams: [ENTERPRISE_PREFIX, APPLICATION_PREFIX],
  tables: [
    {
      name: 'timelines',
      async create(db: Kysely<unknown>, table: string, dialect: ReadModelDialect) {
        const key = keyText(dialect);
        await db.schema
          .createTable(table)
          .addColumn('stream', key, (c) => c.primaryKey())
          .addColumn('credit_code', key, (c) => c.notNull())
          .addColumn('round_id', key)
          .addColumn('entries', 'text', (c) => c.notNull())
          .addColumn('entry_count', 'integer', (c) => c.notNull())
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
