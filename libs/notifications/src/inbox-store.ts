import { type ReadModelDatabase } from '@engine/read-models';
import type { NotificationJob } from './rules/notification-rules';

/** Whose notices a caller sees: an enterprise its org's, an expert its own, an officer its jurisdiction's and below. */
export interface InboxReader {
  sub: string;
  role: string;
  org?: string;
  jurisdiction?: string;
}

export interface InboxItem {
  id: string;
  type: string;
  rule: string;
  subject: string;
  body: string;
  en: { subject: string; body: string };
  eventId: string;
  stream: string;
  occurredAt: string;
  createdAt: string;
  read: boolean;
}

const encodeCursor = (position: number, id: string) => Buffer.from(`${position}|${id}`).toString('base64url');

function decodeCursor(cursor: string): { position: number; id: string } | undefined {
  const [position, id] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  return /^\d+$/.test(position ?? '') && id ? { position: Number(position), id } : undefined;
}

/** The in-app inbox in the read-model database. */
export class InboxStore {
  constructor(private readonly db: ReadModelDatabase) {}

  /** Idempotent: a notice already there (a redelivered job) is left as it is. True when inserted. */
  async insert(job: NotificationJob, now: Date): Promise<boolean> {
    const result = await this.db.writer
      .insertInto('notification_inbox')
      .values({
        notification_id: job.notificationId,
        recipient_kind: job.recipient.kind,
        recipient_id: job.recipient.id,
        event_id: job.event.id,
        event_type: job.event.type,
        position: job.event.position,
        rule_id: job.ruleId,
        subject_zh: job.zh.subject,
        body_zh: job.zh.body,
        subject_en: job.en.subject,
        body_en: job.en.body,
        stream: job.event.stream,
        occurred_at: job.event.occurredAt,
        created_at: now.toISOString(),
      })
      .onConflict((oc) => oc.column('notification_id').doNothing())
      .executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
  }

  private scoped(reader: InboxReader) {
    let query = this.db.reader.selectFrom('notification_inbox as n');
    if (reader.role === 'enterprise') {
      query = query
        .where('n.recipient_kind', '=', 'enterprise')
        .where('n.recipient_id', '=', reader.org ?? '');
    } else if (reader.role === 'officer') {
      const j = reader.jurisdiction ?? '';
      query = query
        .where('n.recipient_kind', '=', 'officers')
        .where((eb) => eb.or([eb('n.recipient_id', '=', j), eb('n.recipient_id', 'like', `${j}.%`)]));
    } else {
      query = query.where('n.recipient_kind', '=', reader.role).where('n.recipient_id', '=', reader.sub);
    }
    return query;
  }

  async list(
    reader: InboxReader,
    options: { unread?: boolean; cursor?: string; limit: number },
  ): Promise<{ items: InboxItem[]; next: string | null }> {
    let query = this.scoped(reader)
      .leftJoin('notification_reads as r', (join) =>
        join.onRef('r.notification_id', '=', 'n.notification_id').on('r.reader', '=', reader.sub),
      )
      .selectAll('n')
      .select('r.read_at');
    if (options.unread) query = query.where('r.read_at', 'is', null);
    const after = options.cursor ? decodeCursor(options.cursor) : undefined;
    if (after) {
      query = query.where((eb) =>
        eb.or([
          eb('n.position', '<', after.position),
          eb.and([eb('n.position', '=', after.position), eb('n.notification_id', '<', after.id)]),
        ]),
      );
    }
    const rows = await query
      .orderBy('n.position', 'desc')
      .orderBy('n.notification_id', 'desc')
      .limit(options.limit + 1)
      .execute();
    const page = rows.slice(0, options.limit);
    const last = page[page.length - 1];
    return {
      items: page.map((row) => ({
        id: row.notification_id,
        type: row.event_type,
        rule: row.rule_id,
        subject: row.subject_zh,
        body: row.body_zh,
        en: { subject: row.subject_en, body: row.body_en },
        eventId: row.event_id,
        stream: row.stream,
        occurredAt: row.occurred_at,
        createdAt: row.created_at,
        read: row.read_at !== null,
      })),
      next:
        rows.length > options.limit && last
          ? encodeCursor(Number(last.position), last.notification_id)
          : null,
    };
  }

  /** Marks a notice read for this reader. False when it is not theirs (or does not exist). */
  async markRead(reader: InboxReader, id: string, now: Date): Promise<boolean> {
    const found = await this.scoped(reader)
      .select('n.notification_id')
      .where('n.notification_id', '=', id)
      .executeTakeFirst();
    if (!found) return false;
    await this.db.writer
      .insertInto('notification_reads')
      .values({ notification_id: id, reader: reader.sub, read_at: now.toISOString() })
      .onConflict((oc) => oc.columns(['notification_id', 'reader']).doNothing())
      .execute();
    return true;
  }
}
