import { Client } from 'pg';
import type { ReadModelDatabase } from '../database';

/**
 * Who may run a projection. Only the holder writes it; the others keep trying, so one of them
 * takes over when the holder dies. Holding the lock is an optimisation and a courtesy: every
 * batch also compares-and-sets the checkpoint, so even two writers could not apply an event
 * twice (docs/read-models.md).
 */
export interface LeaderLock {
  readonly description: string;
  /** Tries once, without waiting. True when this instance now holds the lock. */
  tryAcquire(): Promise<boolean>;
  /** False once released, or lost (its connection died). */
  readonly held: boolean;
  /** Called once when a held lock is lost without release(). */
  onLost(listener: () => void): void;
  release(): Promise<void>;
}

/** Advisory-lock classes of the read models (the event store uses 0x4553....). */
export const LOCK_CLASS_PROJECTION = 0x524d0001;
export const LOCK_CLASS_REBUILD = 0x524d0002;

/**
 * `pg_try_advisory_lock` held by a session on a dedicated connection (not the pool: a session
 * lock must live exactly as long as the connection that holds it). When the process dies, the
 * server ends the session and releases the lock. A heartbeat notices a dead connection on our
 * side and reports the loss, so the runner stops writing. Needs a direct connection or a
 * session-mode pooler (a transaction-mode pgbouncer would hand the session to others).
 */
export class PostgresAdvisoryLock implements LeaderLock {
  /** Kept open between attempts, so a replica waiting its turn does not reconnect every time. */
  private client: Client | undefined;
  private holding = false;
  private heartbeat: NodeJS.Timeout | undefined;
  private readonly listeners: (() => void)[] = [];

  constructor(
    private readonly url: string,
    private readonly classId: number,
    private readonly key: string,
    private readonly heartbeatMs = 5000,
  ) {}

  get description(): string {
    return `pg_advisory_lock(${this.classId}, hashtext('${this.key}'))`;
  }

  get held(): boolean {
    return this.holding;
  }

  onLost(listener: () => void): void {
    this.listeners.push(listener);
  }

  async tryAcquire(): Promise<boolean> {
    if (this.holding) return true;
    const client = this.client ?? (await this.connect());
    try {
      const { rows } = await client.query<{ ok: boolean }>(
        'SELECT pg_try_advisory_lock($1, hashtext($2)) AS ok',
        [this.classId, this.key],
      );
      if (!rows[0]?.ok) return false;
    } catch (error) {
      this.drop(client);
      throw error;
    }
    this.holding = true;
    this.heartbeat = setInterval(() => {
      client.query('SELECT 1').catch(() => this.drop(client));
    }, this.heartbeatMs);
    this.heartbeat.unref();
    return true;
  }

  async release(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    this.stopHolding();
    if (!client) return;
    // Ending the session releases the lock in any case.
    await client.end().catch(() => undefined);
  }

  /** Test hook: the connection dies as if the process or the network did. */
  async simulateCrash(): Promise<void> {
    // Ends the session without unlocking: the server releases the lock when the session ends.
    await this.client?.end().catch(() => undefined);
  }

  private async connect(): Promise<Client> {
    const client = new Client({
      connectionString: this.url,
      keepAlive: true,
      connectionTimeoutMillis: 5000,
      query_timeout: 10_000,
      application_name: `read-models ${this.key}`.slice(0, 63),
    });
    client.on('error', () => this.drop(client));
    client.on('end', () => this.drop(client));
    try {
      await client.connect();
    } catch (error) {
      await client.end().catch(() => undefined);
      throw error;
    }
    this.client = client;
    return client;
  }

  /** The connection is gone (or unusable): so is the lock, if it was held on it. */
  private drop(client: Client): void {
    if (this.client !== client) return;
    this.client = undefined;
    client.end().catch(() => undefined);
    if (!this.holding) return;
    this.stopHolding();
    for (const listener of this.listeners) listener();
  }

  private stopHolding(): void {
    clearInterval(this.heartbeat);
    this.heartbeat = undefined;
    this.holding = false;
  }
}

/**
 * SQLite read models live in one file on one host, and SQLite lets one writer commit at a
 * time across every process that opens the file. So any process may run a projection: each
 * batch's compare-and-set of the checkpoint, under that file lock, lets exactly one of two
 * racing writers apply a given page; the other re-reads the checkpoint and carries on from
 * there. No lock service is needed (and none could span hosts for a local file anyway).
 */
export class LocalLock implements LeaderLock {
  private holding = false;
  constructor(readonly description = 'the SQLite file lock') {}
  get held(): boolean {
    return this.holding;
  }
  onLost(): void {
    // A local lock is never lost.
  }
  async tryAcquire(): Promise<boolean> {
    this.holding = true;
    return true;
  }
  async release(): Promise<void> {
    this.holding = false;
  }
}

/** The leader lock of one projection (or of its rebuild) on this database. */
export function lockFor(
  db: ReadModelDatabase,
  kind: 'projection' | 'rebuild',
  projection: string,
): LeaderLock {
  if (!db.postgres) return new LocalLock();
  return new PostgresAdvisoryLock(
    db.postgres.url,
    kind === 'projection' ? LOCK_CLASS_PROJECTION : LOCK_CLASS_REBUILD,
    `${db.postgres.schema}:${projection}`,
  );
}
