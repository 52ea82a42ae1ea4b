import type { Kysely, Transaction } from 'kysely';
import type { StoredEvent } from '@engine/event-store';
import type { ReadModelDialect } from '../database';
import { type ApplyContext, keyText, type Projection } from '../projection';
import type { ReadModelSchema, TimelinesTable } from '../schema';
import { APPLICATION_EVENT_TYPES } from './applications.projection';
import { ENTERPRISE_EVENT_TYPES } from './enterprises.projection';
import { applyKeyedFold, type KeyedFold } from './keyed-fold';

/** One line of an enterprise's timeline. */
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
  position: number;
}

/** Newest entries kept per aggregate, and answered per enterprise. */
export const TIMELINE_LIMIT = 100;

const STAGE: Record<string, string> = { district: '区级审核', city: '市级审核' };
const stage = (value: unknown) => STAGE[String(value)] ?? String(value ?? '审核');
const withReason = (text: string, reason: unknown) =>
  typeof reason === 'string' && reason.trim() ? `${text}：${reason}` : text;

/** The summary of an event; a type without its own words (added later) reads as its type. */
export function summarize(type: string, data: Record<string, unknown>): string {
  switch (type) {
    case 'EnterpriseRegistered':
      return `企业登记：${String(data.name)}（${String(data.jurisdiction)}）`;
    case 'ApplicationCreated':
      return `创建申请草稿（${String(data.programme)}，政策版本 ${String(data.policyVersion)}）`;
    case 'ApplicationDataUpdated':
      return '更新申请材料';
    case 'ApplicationSubmitted': {
      const eligible = (data.eligibility as { eligible?: unknown } | undefined)?.eligible;
      const verdict = eligible === true ? '，资格自评通过' : eligible === false ? '，资格自评未通过' : '';
      return `${data.resubmission ? '补充材料后重新提交' : '提交申请'}${verdict}`;
    }
    case 'ApplicationRecommended':
      return withReason('区级审核推荐', data.reason);
    case 'ApplicationAcceptedForExpertReview':
      return withReason('市级审核通过，进入专家评审', data.reason);
    case 'ApplicationReturned':
      return withReason(
        `${stage(data.stage)}退回补充材料，请于 ${String(data.respondBy)} 前答复`,
        data.reason,
      );
    case 'ApplicationRejected':
      return withReason(`${stage(data.stage)}不予通过`, data.reason);
    case 'ApplicationWithdrawn':
      return withReason('申请撤回', data.reason);
    default:
      return type;
  }
}

/** In memory, a row's entries are parsed (newest first); stored, they are JSON. */
type TimelineRow = Omit<TimelinesTable, 'entries'> & { entries: TimelineEntry[] };

export function foldTimeline(row: TimelineRow | undefined, event: StoredEvent): TimelineRow | undefined {
  if (row && event.revision <= row.revision) return undefined; // already folded in
  const data = (event.data ?? {}) as Record<string, unknown>;
  const application = event.stream.startsWith(APPLICATION_PREFIX);
  const creditCode = row?.credit_code ?? (typeof data.creditCode === 'string' ? data.creditCode : undefined);
  if (creditCode === undefined) {
    throw new Error(`${event.type} at position ${event.position}: no enterprise to put it under`);
  }
  const applicationId = application ? event.stream.slice(APPLICATION_PREFIX.length) : undefined;
  const roundId = row?.round_id ?? (typeof data.roundId === 'string' ? data.roundId : null);
  const entry: TimelineEntry = {
    at: event.metadata.occurredAt,
    type: event.type,
    ...(applicationId ? { applicationId } : {}),
    ...(roundId ? { roundId } : {}),
    summary: summarize(event.type, data),
    ...(event.type === 'ApplicationReturned' && typeof data.respondBy === 'string'
      ? { respondBy: data.respondBy }
      : {}),
    position: event.position,
  };
  return {
    stream: event.stream,
    credit_code: creditCode,
    round_id: roundId,
    entries: [entry, ...(row?.entries ?? [])].slice(0, TIMELINE_LIMIT),
    revision: event.revision,
    last_position: event.position,
  };
}

const ENTERPRISE_PREFIX = 'enterprise-';
const APPLICATION_PREFIX = 'application-';

const fold: KeyedFold<TimelineRow> = {
  table: 'timelines',
  key: 'stream',
  columns: ['stream', 'credit_code', 'round_id', 'entries', 'revision', 'last_position'],
  idOf: (event) => event.stream,
  fold: foldTimeline,
  decode: (stored) => ({
    ...(stored as unknown as TimelinesTable),
    entries: JSON.parse(String(stored.entries)),
  }),
  encode: (row) => ({ ...row, entries: JSON.stringify(row.entries) }),
};

/**
 * What happened to an enterprise, for people: one row per enterprise stream and per
 * application stream, holding its newest entries (at most {@link TIMELINE_LIMIT}) as JSON, and
 * the enterprise it belongs to. An enterprise's timeline merges its own row with its
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
