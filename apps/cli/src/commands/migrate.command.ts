import { Pool } from 'pg';
import { migrate } from '@engine/event-store/adapters/postgres';
import { type CliCommand, CliUsageError, parseOptions } from './command';

/**
 * Creates or upgrades the PostgreSQL event store schema with its versioned migrations. The
 * api and worker also migrate on first use; run this first when their database user may not
 * change the schema. SQLite migrates itself when it opens the file.
 */
export const migrateCommand: CliCommand = {
  name: 'migrate',
  usage: 'migrate [--schema NAME]',
  summary: 'create or upgrade the PostgreSQL event store schema (EVENT_STORE=postgres)',
  async run(args, config) {
    const { values } = parseOptions('migrate', args, { schema: { type: 'string', default: 'event_store' } });
    if (config.EVENT_STORE !== 'postgres') {
      throw new CliUsageError(
        `migrate: EVENT_STORE=${config.EVENT_STORE}; SQLite migrates when it opens, KurrentDB has no schema`,
      );
    }
    const pool = new Pool({ connectionString: config.EVENT_STORE_URL });
    try {
      const result = await migrate(pool, values.schema);
      console.log(JSON.stringify(result));
      return 0;
    } finally {
      await pool.end();
    }
  },
};
