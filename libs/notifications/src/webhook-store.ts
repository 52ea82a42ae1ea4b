import { randomUUID } from 'node:crypto';
import type { ReadModelDatabase, WebhooksTable } from '@engine/read-models';

export interface Webhook {
  id: string;
  org: string | null;
  url: string;
  events: string[];
  createdBy: string;
  createdAt: string;
}

const toWebhook = (row: Omit<WebhooksTable, 'secret'>): Webhook => ({
  id: row.webhook_id,
  org: row.owner_org,
  url: row.url,
  events: JSON.parse(row.events) as string[],
  createdBy: row.created_by,
  createdAt: row.created_at,
});

/** Webhook subscriptions, in the read-model database (not the event store: a secret must be deletable). */
export class WebhookStore {
  constructor(private readonly db: ReadModelDatabase) {}

  async create(
    input: { org: string | null; url: string; events: string[]; secret: string; createdBy: string },
    now: Date,
  ) {
    const id = randomUUID();
    await this.db.writer
      .insertInto('webhooks')
      .values({
        webhook_id: id,
        owner_org: input.org,
        created_by: input.createdBy,
        url: input.url,
        events: JSON.stringify([...new Set(input.events)]),
        secret: input.secret,
        created_at: now.toISOString(),
      })
      .execute();
    return id;
  }

  /** An org's subscriptions; `undefined`: every one (admins). */
  async list(org: string | undefined): Promise<Webhook[]> {
    let query = this.db.reader
      .selectFrom('webhooks')
      .select(['webhook_id', 'owner_org', 'created_by', 'url', 'events', 'created_at']);
    if (org !== undefined) query = query.where('owner_org', '=', org);
    return (await query.orderBy('created_at').orderBy('webhook_id').execute()).map(toWebhook);
  }

  async get(id: string): Promise<(Webhook & { secret: string }) | undefined> {
    const row = await this.db.writer
      .selectFrom('webhooks')
      .selectAll()
      .where('webhook_id', '=', id)
      .executeTakeFirst();
    return row ? { ...toWebhook(row), secret: row.secret } : undefined;
  }

  /** Deletes when `org` owns it (or `org` is undefined: an admin). False otherwise. */
  async delete(id: string, org: string | undefined): Promise<boolean> {
    let query = this.db.writer.deleteFrom('webhooks').where('webhook_id', '=', id);
    if (org !== undefined) query = query.where('owner_org', '=', org);
    const result = await query.executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }

  /** The subscriptions that want this event of this enterprise: its own and the org-less (admin) ones. */
  async subscribers(org: string, type: string): Promise<Webhook[]> {
    const rows = await this.db.writer
      .selectFrom('webhooks')
      .select(['webhook_id', 'owner_org', 'created_by', 'url', 'events', 'created_at'])
      .where((eb) => eb.or([eb('owner_org', '=', org), eb('owner_org', 'is', null)]))
      .orderBy('webhook_id')
      .execute();
    return rows.map(toWebhook).filter((w) => w.events.includes(type) || w.events.includes('*'));
  }
}
