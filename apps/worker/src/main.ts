import 'reflect-metadata';
import { Logger, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { EventStoreModule } from '@engine/event-store';
import {
  ConfigError,
  exitCleanlyOnSignals,
  loadConfig,
  nestLogLevels,
  PlatformModule,
} from '@engine/platform';
import { WorkerModule } from './worker.module';

/** The worker process: subscriptions and queue processors, no HTTP server. */
async function main(): Promise<void> {
  const config = loadConfig();
  @Module({ imports: [PlatformModule.forRoot(config), EventStoreModule.forRoot(), WorkerModule] })
  class WorkerProcessModule {}
  const app = await NestFactory.createApplicationContext(WorkerProcessModule, {
    logger: nestLogLevels(config.LOG_LEVEL),
  });
  exitCleanlyOnSignals(app, new Logger('Worker'));
  await app.init();
  // Subscriptions poll on unref'd timers; this keeps the process up until a signal stops it.
  setInterval(() => undefined, 1 << 30);
}

main().catch((error) => {
  if (error instanceof ConfigError) {
    console.error(error.message);
    process.exit(78); // EX_CONFIG
  }
  new Logger('Worker').error(error instanceof Error ? error.stack : error);
  process.exit(1);
});
