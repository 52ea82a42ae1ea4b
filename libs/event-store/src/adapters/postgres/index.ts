export { PostgresEventStore, type PostgresEventStoreOptions } from './postgres-event-store';
export {
  LATEST_POSTGRES_SCHEMA_VERSION,
  migrate,
  POSTGRES_MIGRATIONS,
  type MigrateResult,
  type PostgresMigration,
} from './postgres-migrations';
