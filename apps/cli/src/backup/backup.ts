/**
 * Backup and restore of everything the engine cannot rebuild (docs/operations.md):
 *
 * - `events.sqlite`: the embedded event store, copied with SQLite's online backup API;
 * - `state.sqlite`: the rows of the read-model database that are not derived from events —
 *   the personal-data key table (`pd_keys`, `pd_tombstones`, and `pd_vault_keys`, the
 *   subject key: without them every sealed identity in the events is unreadable), the
 *   accounts' sign-in rows and credentials (`accounts`, `auth_credentials`: password hashes
 *   and sealed second factors are never events), webhook registrations, inbox read marks, the
 *   notification inbox and the event processors' checkpoints and parked events (so sagas and
 *   the outbox neither act twice nor forget what an operator must look at);
 * - `manifest.json`: what was taken, when, row counts and a SHA-256 of each file.
 *
 * The event store is copied first and the state second: a key that sealed an event in the copy
 * is in the state copy unless it was forgotten in between (which is what forgetting means).
 * Projections are not copied: they are rebuilt from the events on start.
 *
 * Argument parsing lives in commands/backup.command.ts; these functions take plain values.
 */
import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import {
  copyFileSync,
  createReadStream,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { join, resolve } from 'node:path';
import { EventStore, sqliteEventStoreFile } from '@engine/event-store';
import { SqliteEventStore } from '@engine/event-store/adapters/sqlite/sqlite-event-store';
import type { Kysely } from 'kysely';
import type { AppConfig } from '@engine/platform';
import { ReadModelDatabase, readModelOptionsFromConfig } from '@engine/read-models';

/** Tables of the read-model database that events cannot rebuild, in restore order. */
export const STATE_TABLES = [
  'pd_keys',
  'pd_tombstones',
  'pd_vault_keys',
  'accounts',
  'auth_credentials',
  'webhooks',
  'notification_inbox',
  'notification_reads',
  'processor_checkpoints',
  'processor_parked',
] as const;
export type StateTable = (typeof STATE_TABLES)[number];
type StateSchema = Record<StateTable, Record<string, unknown>>;

/** Tables a backup must hold, or restore refuses it. */
const REQUIRED_TABLES: readonly StateTable[] = ['pd_keys', 'pd_tombstones'];

export const BACKUP_FORMAT = 'cultivation-engine-backup/1';

export interface BackupManifest {
  format: typeof BACKUP_FORMAT;
  takenAt: string;
  eventStore: { file: 'events.sqlite'; sha256: string; events: number; streams: number };
  state: { file: 'state.sqlite'; sha256: string; rows: Record<StateTable, number> };
}

export class BackupError extends Error {}

const PAGE = 1000;

async function sha256(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

async function verifyEventFile(file: string) {
  const store = new EventStore(new SqliteEventStore({ file, now: () => new Date(), readonly: true }));
  try {
    return await store.verify();
  } finally {
    await store.close();
  }
}

/** Copies every row of the state tables from one read-model database to another, in pages. */
async function copyState(
  from: ReadModelDatabase,
  to: ReadModelDatabase,
): Promise<Record<StateTable, number>> {
  const rows = {} as Record<StateTable, number>;
  // The accounts' tables are typed apart (accounts/account-tables.ts); here every state table
  // is only rows to copy.
  const reader = from.reader as unknown as Kysely<StateSchema>;
  await (to.writer as unknown as Kysely<StateSchema>).transaction().execute(async (trx) => {
    for (const table of STATE_TABLES) {
      await trx.deleteFrom(table).execute();
      rows[table] = 0;
      for (let offset = 0; ; offset += PAGE) {
        // Ordered by every column: a stable order without knowing each table's key.
        const page = (await reader
          .selectFrom(table)
          .selectAll()
          .orderBy(sqlAll(table))
          .limit(PAGE)
          .offset(offset)
          .execute()) as Record<string, unknown>[];
        if (page.length === 0) break;
        await trx
          .insertInto(table)
          .values(page as never)
          .execute();
        rows[table] += page.length;
        if (page.length < PAGE) break;
      }
    }
  });
  return rows;
}

/** The primary-key columns of each state table, for a stable paging order. */
function sqlAll(table: StateTable): never {
  const keys: Record<StateTable, string[]> = {
    pd_keys: ['subject'],
    pd_tombstones: ['subject', 'key_id'],
    pd_vault_keys: ['name'],
    accounts: ['account_id'],
    auth_credentials: ['account_id'],
    webhooks: ['webhook_id'],
    notification_inbox: ['notification_id'],
    notification_reads: ['notification_id', 'reader'],
    processor_checkpoints: ['processor'],
    processor_parked: ['processor', 'event_id'],
  };
  return keys[table] as never;
}

/**
 * Takes a backup of the embedded profile into `outDir` (created; must not exist or be empty).
 * `onProgress` reports the event store's pages copied.
 */
export async function takeBackup(
  config: AppConfig,
  outDir: string,
  onProgress?: (done: number, total: number) => void,
): Promise<BackupManifest> {
  if (config.EVENT_STORE !== 'sqlite') {
    throw new BackupError(
      `EVENT_STORE=${config.EVENT_STORE}: back up that store with its own tools, and the read-model database's state tables with pg_dump (docs/operations.md)`,
    );
  }
  const out = resolve(outDir);
  if (existsSync(out) && readdirSync(out).length > 0)
    throw new BackupError(`${out} is not empty; choose a new directory`);
  mkdirSync(out, { recursive: true });
  const eventsFile = join(out, 'events.sqlite');
  const stateFile = join(out, 'state.sqlite');
  const backend = new SqliteEventStore({ file: sqliteEventStoreFile(config), now: () => new Date() });
  try {
    await backend.backup(eventsFile, onProgress);
  } finally {
    await backend.close();
  }
  const check = await verifyEventFile(eventsFile);
  if (!check.ok)
    throw new BackupError(
      `the copied event store has a broken hash chain at ${JSON.stringify(check.firstBreak)}`,
    );

  const source = await ReadModelDatabase.open(readModelOptionsFromConfig(config));
  const target = await ReadModelDatabase.open({ dialect: 'sqlite', file: stateFile });
  let rows: Record<StateTable, number>;
  try {
    rows = await copyState(source, target);
  } finally {
    await target.close();
    await source.close();
  }
  // One self-contained file: fold the write-ahead log in.
  const db = new Database(stateFile);
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.pragma('journal_mode = DELETE');
  db.close();

  const manifest: BackupManifest = {
    format: BACKUP_FORMAT,
    takenAt: new Date().toISOString(),
    eventStore: {
      file: 'events.sqlite',
      sha256: await sha256(eventsFile),
      events: check.events,
      streams: check.streams,
    },
    state: { file: 'state.sqlite', sha256: await sha256(stateFile), rows },
  };
  writeFileSync(join(out, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}

/**
 * Checks a backup directory without changing anything: manifest, checksums, SQLite integrity,
 * hash chains, and that the key table is there with the rows the manifest counted.
 */
export async function checkBackup(fromDir: string): Promise<BackupManifest> {
  const from = resolve(fromDir);
  const manifestFile = join(from, 'manifest.json');
  if (!existsSync(manifestFile)) {
    throw new BackupError(
      `${from} has no manifest.json: not a backup of this engine (a bare events file lacks the personal-data keys)`,
    );
  }
  let manifest: BackupManifest;
  try {
    manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as BackupManifest;
  } catch {
    throw new BackupError(`${manifestFile} is not valid JSON`);
  }
  if (manifest.format !== BACKUP_FORMAT)
    throw new BackupError(`${manifestFile}: unknown format ${String(manifest.format)}`);
  for (const part of [manifest.eventStore, manifest.state]) {
    const file = join(from, part.file);
    if (!existsSync(file)) throw new BackupError(`${file} is missing`);
    if ((await sha256(file)) !== part.sha256)
      throw new BackupError(`${file} does not match its checksum: damaged or altered`);
    const probe = new Database(file, { readonly: true, fileMustExist: true });
    const integrity = probe.pragma('integrity_check', { simple: true });
    const tables = new Set(
      (probe.prepare("select name from sqlite_master where type = 'table'").all() as { name: string }[]).map(
        (t) => t.name,
      ),
    );
    probe.close();
    if (integrity !== 'ok')
      throw new BackupError(`${file} fails SQLite's integrity check: ${String(integrity)}`);
    if (part === manifest.state) {
      for (const table of REQUIRED_TABLES) {
        if (!tables.has(table)) throw new BackupError(`${file} lacks the table ${table}`);
      }
    }
  }
  const check = await verifyEventFile(join(from, manifest.eventStore.file));
  if (!check.ok)
    throw new BackupError(`the event store has a broken hash chain at ${JSON.stringify(check.firstBreak)}`);
  if (check.events !== manifest.eventStore.events) {
    throw new BackupError(
      `the event store holds ${check.events} events; the manifest says ${manifest.eventStore.events}`,
    );
  }
  // Read-only: checking a backup must not change it (opening it as a read-model database would
  // migrate it and switch its journal, and the checksum above would no longer hold).
  const state = new Database(join(from, manifest.state.file), { readonly: true, fileMustExist: true });
  try {
    const tables = new Set(
      (state.prepare("select name from sqlite_master where type = 'table'").all() as { name: string }[]).map(
        (t) => t.name,
      ),
    );
    for (const table of STATE_TABLES) {
      // A backup from before a table existed has neither the table nor a count for it.
      if (!tables.has(table) && manifest.state.rows[table] === undefined) continue;
      const { n } = state.prepare(`select count(*) as n from "${table}"`).get() as { n: number };
      if (Number(n) !== (manifest.state.rows[table] ?? 0)) {
        throw new BackupError(`${table} holds ${n} rows; the manifest says ${manifest.state.rows[table]}`);
      }
    }
  } finally {
    state.close();
  }
  return manifest;
}

/**
 * Restores a checked backup into the configured DATA_DIR (and read-model database), engine
 * stopped. Replaces the event store and the state tables. Embedded (SQLite) read models are
 * removed and rebuilt from the events on start; PostgreSQL read models keep their projections,
 * which `npm run cli -- rebuild` must then rebuild.
 */
export async function restoreBackup(
  config: AppConfig,
  fromDir: string,
  options: { force: boolean },
): Promise<BackupManifest> {
  if (config.EVENT_STORE !== 'sqlite') {
    throw new BackupError(
      `EVENT_STORE=${config.EVENT_STORE}: restore that store with its own tools (docs/operations.md)`,
    );
  }
  const manifest = await checkBackup(fromDir);
  const from = resolve(fromDir);
  const target = sqliteEventStoreFile(config);
  if (existsSync(target) && !options.force) {
    throw new BackupError(`${target} exists; stop the engine and pass --force to replace it`);
  }
  mkdirSync(config.DATA_DIR, { recursive: true });
  const options_ = readModelOptionsFromConfig(config);
  if (options_.dialect === 'sqlite' && existsSync(options_.file)) {
    if (!options.force)
      throw new BackupError(`${options_.file} exists; stop the engine and pass --force to replace it`);
    // Embedded read models are rebuilt from the restored events on start; the state comes back below.
    for (const suffix of ['', '-wal', '-shm']) rmSync(`${options_.file}${suffix}`, { force: true });
  }
  // The state first: if it fails, the event store is untouched. Read from a scratch copy, so
  // the backup itself stays exactly as its manifest describes it.
  const scratch = join(config.DATA_DIR, `.restore-state-${process.pid}.sqlite`);
  copyFileSync(join(from, manifest.state.file), scratch);
  try {
    const source = await ReadModelDatabase.open({ dialect: 'sqlite', file: scratch });
    const readModels = await ReadModelDatabase.open(options_);
    try {
      await copyState(source, readModels);
    } finally {
      await readModels.close();
      await source.close();
    }
  } finally {
    for (const suffix of ['', '-wal', '-shm']) rmSync(`${scratch}${suffix}`, { force: true });
  }
  const staging = `${target}.restoring`;
  copyFileSync(join(from, manifest.eventStore.file), staging);
  for (const suffix of ['-wal', '-shm']) rmSync(`${target}${suffix}`, { force: true });
  renameSync(staging, target);
  return manifest;
}
