import 'reflect-metadata';
import {
  type BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  Module,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { CommandBus, CqrsModule } from '@nestjs/cqrs';
import { EventStore, EventStoreModule } from '@engine/event-store';
import {
  APP_CONFIG,
  type AppConfig,
  CalendarFileError,
  checkHealth,
  Clock,
  ConfigError,
  createLogger,
  exitCleanlyOnSignals,
  loadConfig,
  Metrics,
  OpsServer,
  type PinoLogger,
  PinoNestLogger,
  PlatformModule,
  RedisProbe,
  startTracing,
  traceCommands,
} from '@engine/platform';
import { ProjectionLagProbe, ReadModelsModule } from '@engine/read-models';
import { WorkflowProbe } from '@engine/workflow';
import { NotificationQueues } from '@engine/notifications';
import { WorkerModule } from './worker.module';

/**
 * With OPS_PORT set, the worker answers GET /health/live, /health/ready and /metrics on that
 * port (it has no other HTTP server). It stops answering first when the worker shuts down.
 */
@Injectable()
class OpsEndpoint implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private server?: OpsServer;
  private redis?: RedisProbe;
  private metrics?: Metrics;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(EventStore) private readonly store: EventStore,
    @Inject(Clock) private readonly clock: Clock,
    @Inject(ProjectionLagProbe) private readonly projections: ProjectionLagProbe,
    @Inject(WorkflowProbe) private readonly workflow: WorkflowProbe,
    @Inject(NotificationQueues) private readonly queues: NotificationQueues,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const { OPS_PORT: port, HOST: host, METRICS_ENABLED, REDIS_URL } = this.config;
    if (port === undefined) return;
    const redis = (this.redis = new RedisProbe(REDIS_URL));
    if (METRICS_ENABLED) {
      this.metrics = new Metrics();
      this.metrics.watchEventStore(this.store);
      this.metrics.watchRedis(redis);
      this.metrics.watchCalendar();
      this.metrics.watchProjections(this.projections);
      this.metrics.watchWorkflow(this.workflow);
      this.metrics.watchQueues(this.queues);
    }
    this.server = await OpsServer.start({
      port,
      host,
      metrics: this.metrics,
      health: () => checkHealth(this.store, redis, this.clock.now(), this.projections),
    });
    new Logger('Worker').log(`operations endpoint on port ${port} (/health/live, /health/ready, /metrics)`);
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.server?.close();
    await this.redis?.close();
    this.metrics?.close();
  }
}

let logger: PinoLogger | undefined;

/** The worker process: subscriptions and queue processors, no HTTP API. */
async function main(): Promise<void> {
  const config = loadConfig();
  logger = createLogger({ service: 'worker', level: config.LOG_LEVEL });
  const tracing = startTracing({ service: 'worker', endpoint: config.OTEL_EXPORTER_OTLP_ENDPOINT });
  if (tracing) logger.info(`tracing: spans exported to ${config.OTEL_EXPORTER_OTLP_ENDPOINT}`);
  @Module({
    imports: [
      PlatformModule.forRoot(config),
      EventStoreModule.forRoot(),
      CqrsModule.forRoot(),
      ReadModelsModule,
      WorkerModule,
    ],
    providers: [OpsEndpoint],
  })
  class WorkerProcessModule {}
  const app = await NestFactory.createApplicationContext(WorkerProcessModule, {
    logger: config.LOG_LEVEL === 'silent' ? false : new PinoNestLogger(logger),
  });
  traceCommands(app.get(CommandBus));
  // Spans still buffered go out before the process exits.
  exitCleanlyOnSignals(app, new Logger('Worker'), 25_000, async () => {
    await tracing?.shutdown();
  });
  await app.init();
  // Subscriptions poll on unref'd timers; this keeps the process up until a signal stops it.
  setInterval(() => undefined, 1 << 30);
}

main().catch((error) => {
  const log = logger ?? createLogger({ service: 'worker', level: 'info' });
  if (error instanceof ConfigError || error instanceof CalendarFileError) {
    log.fatal({ problems: error.problems }, error.message);
    process.exit(78); // EX_CONFIG
  }
  log.fatal({ err: error }, 'could not start');
  process.exit(1);
});
