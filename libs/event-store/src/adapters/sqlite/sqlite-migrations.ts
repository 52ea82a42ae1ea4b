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
];
