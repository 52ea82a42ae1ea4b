import { Pool } from 'pg';
import { migrate } from '@engine/event-store/adapters/postgres';
import { type CliCommand, type CliOptionSpecs, CliUsageError, parseOptions } from './command';
import { t } from './locale';

const options = {
  schema: {
    type: 'string',
    default: 'event_store',
    placeholder: 'NAME',
    description: t('事件库所在的 PostgreSQL schema', 'the PostgreSQL schema of the event store'),
  },
} satisfies CliOptionSpecs;

/**
 * Creates or upgrades the PostgreSQL event store schema with its versioned migrations. The
 * api and worker also migrate on first use; run this first when their database user may not
 * change the schema. SQLite migrates itself when it opens the file.
 */
export const migrateCommand: CliCommand = {
  name: 'migrate',
  usage: 'migrate [--schema NAME]',
  summary: t(
    '创建或升级 PostgreSQL 事件库的表结构（EVENT_STORE=postgres）',
    'create or upgrade the PostgreSQL event store schema (EVENT_STORE=postgres)',
  ),
  options,
  async run(args, config) {
    const { values } = parseOptions('migrate', args, options, []);
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
