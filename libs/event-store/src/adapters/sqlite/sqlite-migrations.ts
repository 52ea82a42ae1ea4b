/**
 * Versioned schema of the embedded event store, applied in order at open (PRAGMA user_version
 * records the last one). Never edit a released migration; add the next one.
 */
export const SQLITE_MIGRATIONS: { version: number; sql: string }[] = [
  {
    version: 1,
    sql: `
      CREATE TABLE events (
        position       INTEGER PRIMARY KEY AUTOINCREMENT,
        id             TEXT    NOT NULL UNIQUE,
        stream         TEXT    NOT NULL,
        revision       INTEGER NOT NULL,
        type           TEXT    NOT NULL,
        schema_version INTEGER NOT NULL,
        data           TEXT    NOT NULL,
        metadata       TEXT    NOT NULL,
        recorded_at    TEXT    NOT NULL,
        hash           TEXT    NOT NULL,
        UNIQUE (stream, revision)
      );
      CREATE INDEX events_by_type ON events (type, position);
    `,
  },
  {
    // The auditors' filters (GET /v1/audit/events?actor=&from=&to=): by token subject, and by
    // recording time, each in position order.
    version: 2,
    sql: `
      CREATE INDEX events_by_actor ON events (json_extract(metadata, '$.actor.sub'), position);
      CREATE INDEX events_by_recorded_at ON events (recorded_at, position);
    `,
  },
];
