import type { INestApplicationContext, LoggerService } from '@nestjs/common';

/**
 * On SIGTERM or SIGINT: stop accepting work, let in-flight work finish (Nest's shutdown hooks
 * close the HTTP server, subscriptions and the store, in that order), then exit 0. A second
 * signal, or a shutdown that takes longer than `timeoutMs`, exits 1 at once.
 *
 * Nest's own enableShutdownHooks re-raises the signal after closing, which makes the process
 * exit 143; operators' supervisors (and the contract) expect 0 after a clean stop.
 */
export function exitCleanlyOnSignals(
  app: INestApplicationContext,
  logger: LoggerService,
  timeoutMs = 25_000,
  /** After the app closed, before exiting (e.g. flushing buffered trace spans). */
  afterClose: () => Promise<void> = async () => undefined,
): void {
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) {
      logger.warn?.(`second ${signal}: exiting now`);
      process.exit(1);
    }
    stopping = true;
    logger.log(`${signal} received: finishing in-flight work`);
    const timer = setTimeout(() => {
      logger.error(`shutdown took longer than ${timeoutMs} ms: exiting`);
      process.exit(1);
    }, timeoutMs);
    timer.unref();
    app
      .close()
      .then(() => afterClose().catch(() => undefined))
      .then(
        () => {
          logger.log('stopped cleanly');
          process.exit(0);
        },
        (error: unknown) => {
          logger.error(`shutdown failed: ${error instanceof Error ? error.stack : String(error)}`);
          process.exit(1);
        },
      );
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}
