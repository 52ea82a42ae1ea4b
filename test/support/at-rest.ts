import Database from 'better-sqlite3';
import { join } from 'node:path';
import { Client } from 'pg';
import { until } from './http-driver';

/**
 * Reads what the engine's own databases say of the work in flight: the store's head, the
 * checkpoint of every projection and event processor (sagas, notifications), and the timers
 * that are due but not fired yet.
 */
interface EngineDatabases {
  head(): Promise<number>;
  checkpoints(): Promise<{ name: string; position: number }[]>;
  /** due_at of the timers still scheduled. */
  scheduledTimers(): Promise<string[]>;
  close(): Promise<void>;
}

/** The embedded profile's SQLite files in DATA_DIR (events.sqlite, read-models.sqlite). */
export function sqliteDatabases(dataDir: string): EngineDatabases {
  const open = (file: string) => new Database(join(dataDir, file), { readonly: true, fileMustExist: true });
  const events = open('events.sqlite');
  const readModels = open('read-models.sqlite');
  return {
    head: async () =>
      Number(
        (events.prepare('SELECT MAX(position) AS head FROM events').get() as { head: number | null }).head ??
          0,
      ),
    checkpoints: async () => [
      ...(readModels
        .prepare("SELECT projection AS name, position FROM rm_checkpoints WHERE state = 'active'")
        .all() as { name: string; position: number }[]),
      ...(readModels.prepare('SELECT processor AS name, position FROM processor_checkpoints').all() as {
        name: string;
        position: number;
      }[]),
    ],
    scheduledTimers: async () =>
      (
        readModels.prepare("SELECT due_at FROM timers WHERE status = 'scheduled'").all() as {
          due_at: string;
        }[]
      ).map((row) => row.due_at),
    close: async () => {
      events.close();
      readModels.close();
    },
  };
}

/** One PostgreSQL database holding the store (schema event_store) and the read models (read_models). */
export async function postgresDatabases(url: string): Promise<EngineDatabases> {
  const client = new Client({ connectionString: url });
  await client.connect();
  const rows = async <T>(sql: string) => (await client.query(sql)).rows as T[];
  return {
    head: async () =>
      Number(
        (await rows<{ head: string | null }>('SELECT MAX(position) AS head FROM event_store.events'))[0]
          .head ?? 0,
      ),
    checkpoints: async () =>
      (
        await rows<{ name: string; position: string }>(
          `SELECT projection AS name, position FROM read_models.rm_checkpoints WHERE state = 'active'
           UNION ALL SELECT processor AS name, position FROM read_models.processor_checkpoints`,
        )
      ).map((row) => ({ name: row.name, position: Number(row.position) })),
    scheduledTimers: async () =>
      (
        await rows<{ due_at: string }>("SELECT due_at FROM read_models.timers WHERE status = 'scheduled'")
      ).map((row) => row.due_at),
    close: () => client.end(),
  };
}

/**
 * Resolves once the engine has nothing in flight at the instant `now` (the manual clock): every
 * projection and processor has checkpointed the store's head, so every reaction to every event
 * (and every command it appended) is done, and no timer is due unfired. It awaits the
 * checkpoints, instead of sleeping and taking the quiet for an absence of work.
 */
export async function atRest(databases: EngineDatabases, now: string, timeoutMs = 60_000): Promise<void> {
  let last = '';
  try {
    await until(
      async () => {
        const head = await databases.head();
        const checkpoints = await databases.checkpoints();
        const behind = checkpoints.filter((c) => c.position < head);
        const due = (await databases.scheduledTimers()).filter((at) => Date.parse(at) <= Date.parse(now));
        last = `head ${head}; ${checkpoints.length} checkpoints, behind: ${JSON.stringify(behind)}; timers due: ${due.length}`;
        // No checkpoint at all is a worker that has not started, not one at rest.
        return checkpoints.length > 0 && behind.length === 0 && due.length === 0;
      },
      'the engine to come to rest',
      { timeoutMs, detail: () => last },
    );
  } finally {
    await databases.close();
  }
}
