import { type Kysely, type Migration, Migrator, sql } from 'kysely';

/**
 * Versioned migrations of the read-model bookkeeping, applied at open (Kysely's Migrator keeps
 * them in `kysely_migration`; on PostgreSQL it holds an advisory lock while migrating, so
 * replicas booting together migrate once). Never edit a shipped migration: add the next one.
 *
 * The projections' own tables are not migrated in place: each projection declares them with
 * its `version`, and a new version is built into a fresh generation of tables from the first
 * event and switched to atomically (docs/read-models.md). Derived data is rebuilt, not patched.
 */
export const READ_MODEL_MIGRATIONS: Record<string, Migration> = {
  '0001_checkpoints': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('rm_checkpoints')
        .ifNotExists()
        .addColumn('projection', 'text', (c) => c.notNull())
        .addColumn('generation', 'integer', (c) => c.notNull())
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('position', 'bigint', (c) => c.notNull())
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('rm_checkpoints_pk', ['projection', 'generation'])
        .addCheckConstraint('rm_checkpoints_state', sql`state in ('active', 'building', 'retired')`)
        .execute();
      // At most one generation of a projection is served at a time.
      await db.schema
        .createIndex('rm_checkpoints_one_active')
        .ifNotExists()
        .on('rm_checkpoints')
        .column('projection')
        .unique()
        .where(sql.ref('state'), '=', 'active')
        .execute();
    },
  },
  // The personal-data vault's keys (docs/privacy.md). Plain tables of their own, outside the
  // generations, so a projection rebuild never touches them.
  '0002_personal_data_keys': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('pd_keys')
        .ifNotExists()
        .addColumn('subject', 'text', (c) => c.primaryKey())
        .addColumn('key_id', 'text', (c) => c.notNull())
        .addColumn('wrapped_key', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('pd_tombstones')
        .ifNotExists()
        .addColumn('subject', 'text', (c) => c.notNull())
        .addColumn('key_id', 'text', (c) => c.notNull())
        .addColumn('forgotten_at', 'text', (c) => c.notNull())
        .addColumn('forgotten_by', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('pd_tombstones_pk', ['subject', 'key_id'])
        .execute();
    },
  },
  /**
   * Event processors with effects outside this database (sagas, the notification outbox): each
   * keeps its checkpoint here, and events that failed every retry are parked for an operator.
   */
  '0003_processors': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('processor_checkpoints')
        .ifNotExists()
        .addColumn('processor', 'text', (c) => c.primaryKey())
        .addColumn('position', 'bigint', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('processor_parked')
        .ifNotExists()
        .addColumn('processor', 'text', (c) => c.notNull())
        .addColumn('event_id', 'text', (c) => c.notNull())
        .addColumn('position', 'bigint', (c) => c.notNull())
        .addColumn('stream', 'text', (c) => c.notNull())
        .addColumn('type', 'text', (c) => c.notNull())
        .addColumn('attempts', 'integer', (c) => c.notNull())
        .addColumn('error', 'text', (c) => c.notNull())
        .addColumn('parked_at', 'text', (c) => c.notNull())
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('processor_parked_pk', ['processor', 'event_id'])
        .addCheckConstraint('processor_parked_state', sql`state in ('parked', 'retry', 'resolved')`)
        .execute();
    },
  },
  /**
   * Notifications (docs/notifications.md): the in-app inbox (one row per notice, keyed by its
   * deterministic id, so a redelivered job inserts nothing), who read what, and webhook
   * subscriptions. Plain tables, not projections: webhook secrets must be deletable, and the
   * inbox is written by a queue processor, not folded from events.
   */
  '0004_notifications': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('notification_inbox')
        .ifNotExists()
        .addColumn('notification_id', 'text', (c) => c.primaryKey())
        .addColumn('recipient_kind', 'text', (c) => c.notNull())
        .addColumn('recipient_id', 'text', (c) => c.notNull())
        .addColumn('event_id', 'text', (c) => c.notNull())
        .addColumn('event_type', 'text', (c) => c.notNull())
        .addColumn('position', 'bigint', (c) => c.notNull())
        .addColumn('rule_id', 'text', (c) => c.notNull())
        .addColumn('subject_zh', 'text', (c) => c.notNull())
        .addColumn('body_zh', 'text', (c) => c.notNull())
        .addColumn('subject_en', 'text', (c) => c.notNull())
        .addColumn('body_en', 'text', (c) => c.notNull())
        .addColumn('stream', 'text', (c) => c.notNull())
        .addColumn('occurred_at', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('notification_inbox_recipient')
        .ifNotExists()
        .on('notification_inbox')
        .columns(['recipient_kind', 'recipient_id', 'position'])
        .execute();
      await db.schema
        .createTable('notification_reads')
        .ifNotExists()
        .addColumn('notification_id', 'text', (c) => c.notNull())
        .addColumn('reader', 'text', (c) => c.notNull())
        .addColumn('read_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('notification_reads_pk', ['notification_id', 'reader'])
        .execute();
      await db.schema
        .createTable('webhooks')
        .ifNotExists()
        .addColumn('webhook_id', 'text', (c) => c.primaryKey())
        .addColumn('owner_org', 'text')
        .addColumn('created_by', 'text', (c) => c.notNull())
        .addColumn('url', 'text', (c) => c.notNull())
        .addColumn('events', 'text', (c) => c.notNull())
        .addColumn('secret', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
    },
  },
  /**
   * Accounts, credentials and browser sessions (docs/security.md, Sign-in). The account's
   * record is its event stream (`account-<id>`); `accounts` is the state the sign-in path
   * reads (login, role, status), written by the account service right after each append.
   * Password hashes, TOTP secrets (sealed), recovery-code hashes, sessions and reset tokens
   * never enter the event store. Plain tables outside the projections' generations.
   */
  '0005_accounts': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('accounts')
        .ifNotExists()
        .addColumn('account_id', 'text', (c) => c.primaryKey())
        .addColumn('login', 'text', (c) => c.notNull().unique())
        .addColumn('external_id', 'text', (c) => c.unique())
        .addColumn('role', 'text', (c) => c.notNull())
        .addColumn('jurisdiction', 'text')
        .addColumn('org', 'text')
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('revision', 'integer', (c) => c.notNull())
        .addColumn('totp_enabled', 'integer', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addCheckConstraint('accounts_status', sql`status in ('pending', 'active', 'disabled')`)
        .execute();
      await db.schema
        .createTable('auth_credentials')
        .ifNotExists()
        .addColumn('account_id', 'text', (c) => c.primaryKey())
        .addColumn('password_hash', 'text')
        .addColumn('password_changed_at', 'text')
        .addColumn('totp_secret', 'text')
        .addColumn('totp_pending', 'text')
        .addColumn('totp_last_step', 'bigint')
        .addColumn('recovery_codes', 'text')
        .execute();
      await db.schema
        .createTable('auth_sessions')
        .ifNotExists()
        .addColumn('session_hash', 'text', (c) => c.primaryKey())
        .addColumn('account_id', 'text', (c) => c.notNull())
        .addColumn('csrf', 'text', (c) => c.notNull())
        .addColumn('mfa_enrolment', 'integer', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('last_seen_at', 'text', (c) => c.notNull())
        .addColumn('expires_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('auth_sessions_account')
        .ifNotExists()
        .on('auth_sessions')
        .column('account_id')
        .execute();
      await db.schema
        .createTable('auth_tokens')
        .ifNotExists()
        .addColumn('token_hash', 'text', (c) => c.primaryKey())
        .addColumn('purpose', 'text', (c) => c.notNull())
        .addColumn('account_id', 'text')
        .addColumn('payload', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('expires_at', 'text', (c) => c.notNull())
        .addColumn('used_at', 'text')
        .execute();
    },
  },
  /**
   * Master-key rotation (docs/privacy.md): each data key records which master key wrapped it
   * (NULL: wrapped before this migration, by whichever master opens it), and the subject key
   * (the HMAC key of `subjectFor`) is kept wrapped on its own, so a new master key re-wraps it
   * instead of giving every person a new subject id.
   */
  '0006_personal_data_master_rotation': {
    async up(db: Kysely<unknown>) {
      await db.schema.alterTable('pd_keys').addColumn('master_id', 'text').execute();
      await db.schema
        .createTable('pd_vault_keys')
        .ifNotExists()
        .addColumn('name', 'text', (c) => c.primaryKey())
        .addColumn('wrapped_key', 'text', (c) => c.notNull())
        .addColumn('master_id', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
    },
  },
};

export async function migrateReadModels(db: Kysely<unknown>, schema?: string): Promise<string[]> {
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => READ_MODEL_MIGRATIONS },
    // On PostgreSQL the bookkeeping lives in the read-model schema (not whichever schema
    // happens to hold a table of that name).
    ...(schema ? { migrationTableSchema: schema } : {}),
  });
  for (let attempt = 1; ; attempt++) {
    try {
      const { error, results } = await migrator.migrateToLatest();
      if (error) throw error instanceof Error ? error : new Error(String(error));
      return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
    } catch (error) {
      // Kysely looks for its bookkeeping tables by listing every table of the database; a
      // table dropped meanwhile by another process (a rebuild retiring a projection generation,
      // another schema going away) fails that listing with 42P01. The migrations themselves run
      // in one transaction, so nothing is half done: list again.
      if (attempt < 5 && (error as { code?: unknown }).code === UNDEFINED_TABLE) continue;
      throw error;
    }
  }
}

/** PostgreSQL's undefined_table. */
const UNDEFINED_TABLE = '42P01';
