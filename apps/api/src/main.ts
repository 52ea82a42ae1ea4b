import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { ConfigError, exitCleanlyOnSignals, loadConfig } from '@engine/platform';
import { PolicyCatalogError } from '@engine/incubation/policies/policy-catalog';
import { createApiApp } from './app.factory';

async function main(): Promise<void> {
  const config = loadConfig();
  const app = await createApiApp(config);
  exitCleanlyOnSignals(app, new Logger('API'));
  await app.listen({ port: config.PORT, host: config.HOST });
  new Logger('API').log(
    `listening on http://localhost:${config.PORT} (store: ${config.EVENT_STORE}, data: ${config.DATA_DIR}, docs: /docs)`,
  );
}

main().catch((error) => {
  if (error instanceof ConfigError || error instanceof PolicyCatalogError) {
    console.error(
      error instanceof PolicyCatalogError
        ? `invalid policy files:\n  - ${error.problems.join('\n  - ')}`
        : error.message,
    );
    process.exit(78); // EX_CONFIG
  }
  new Logger('API').error(error instanceof Error ? error.stack : error);
  process.exit(1);
});
