import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import {
  CalendarFileError,
  ConfigError,
  createLogger,
  exitCleanlyOnSignals,
  loadConfig,
  type PinoLogger,
  startTracing,
} from '@engine/platform';
import { PolicyCatalogError } from '@engine/incubation';
import { createApiApp } from './app.factory';

let logger: PinoLogger | undefined;

async function main(): Promise<void> {
  const config = loadConfig();
  logger = createLogger({ service: 'api', level: config.LOG_LEVEL });
  const tracing = startTracing({ service: 'api', endpoint: config.OTEL_EXPORTER_OTLP_ENDPOINT });
  if (tracing) logger.info(`tracing: spans exported to ${config.OTEL_EXPORTER_OTLP_ENDPOINT}`);
  const app = await createApiApp(config, { pino: logger });
  // Spans still buffered go out before the process exits.
  exitCleanlyOnSignals(app, new Logger('API'), 25_000, async () => {
    await tracing?.shutdown();
  });
  await app.listen({ port: config.PORT, host: config.HOST });
  new Logger('API').log(
    `listening on http://localhost:${config.PORT} (store: ${config.EVENT_STORE}, data: ${config.DATA_DIR}, docs: /docs)`,
  );
}

main().catch((error) => {
  // Before the configuration is read there is no LOG_LEVEL: boot failures are always written.
  const log = logger ?? createLogger({ service: 'api', level: 'info' });
  if (error instanceof ConfigError) {
    log.fatal({ problems: error.problems }, error.message);
    process.exit(78); // EX_CONFIG
  }
  if (error instanceof PolicyCatalogError) {
    log.fatal({ problems: error.problems }, `invalid policy files:\n  - ${error.problems.join('\n  - ')}`);
    process.exit(78); // EX_CONFIG
  }
  if (error instanceof CalendarFileError) {
    log.fatal({ problems: error.problems }, error.message);
    process.exit(78); // EX_CONFIG
  }
  log.fatal({ err: error }, 'could not start');
  process.exit(1);
});
