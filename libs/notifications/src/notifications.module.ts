import {
  APP_CONFIG,
  type AppConfig,
  Clock,
  inSpan,
  parseAllowedNetworks,
  PersonalDataVault,
  queueConnection,
  SpanKind,
  withTraceParent,
} from '@engine/platform';
import {
  Global,
  Inject,
  Injectable,
  Logger,
  Module,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
  type OnModuleDestroy,
} from '@nestjs/common';
import { Worker } from 'bullmq';
import { createTransport, type Transporter } from 'nodemailer';
import { EventStore } from '@engine/event-store';
import { ReadModelDatabase, ReadModelsModule } from '@engine/read-models';
import { EventProcessorRunner } from '@engine/workflow';
import { type DeliveryOutcome, EmailChannel, InboxChannel, SmsChannel, WebhookChannel } from './channels';
import { ContactDirectory } from './contact-directory';
import { InboxStore } from './inbox-store';
import { NotificationQueues, queueName, withTimeout } from './notification-queues';
import { OutboxProcessor } from './outbox.processor';
import {
  CHANNELS,
  type Channel,
  loadRulesFile,
  type NotificationJob,
  NotificationRules,
} from './rules/notification-rules';
import { AliyunSmsProvider, LoggingSmsProvider, SmsProvider } from './sms-provider';
import { WebhookStore } from './webhook-store';

/** How long shutdown waits for the jobs in hand before dropping the connections (Redis gone mid-job). */
const SHUTDOWN_WAIT_MS = 5000;

const CONCURRENCY: Record<Channel, number> = { inbox: 16, webhook: 8, email: 2, sms: 2 };

@Injectable()
class QueuesLifecycle implements OnApplicationShutdown {
  constructor(@Inject(NotificationQueues) private readonly queues: NotificationQueues) {}
  async onApplicationShutdown(): Promise<void> {
    await this.queues.close();
  }
}

/**
 * What both processes need of notifications: the rules, the queues (producers, dashboard,
 * metrics, the admin's failed list), the inbox and the webhook subscriptions.
 */
@Global()
@Module({
  imports: [ReadModelsModule],
  providers: [
    {
      provide: NotificationRules,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => new NotificationRules(loadRulesFile(config.NOTIFICATION_RULES_FILE)),
    },
    {
      provide: NotificationQueues,
      inject: [APP_CONFIG, NotificationRules],
      useFactory: (config: AppConfig, rules: NotificationRules) => {
        const logger = new Logger('Notifications');
        return new NotificationQueues({
          redisUrl: config.REDIS_URL,
          prefix: config.QUEUE_PREFIX,
          rules,
          warn: (message) => logger.warn(message),
        });
      },
    },
    {
      provide: InboxStore,
      inject: [ReadModelDatabase],
      useFactory: (db: ReadModelDatabase) => new InboxStore(db),
    },
    {
      provide: WebhookStore,
      inject: [ReadModelDatabase],
      useFactory: (db: ReadModelDatabase) => new WebhookStore(db),
    },
    QueuesLifecycle,
  ],
  exports: [NotificationRules, NotificationQueues, InboxStore, WebhookStore],
})
export class NotificationsCoreModule {}

/**
 * The outbox (an event processor fed by the store) and one BullMQ worker per channel. Runs in
 * the worker process, or in the api in the embedded profile.
 */
@Injectable()
export class NotificationsRuntime implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('Notifications');
  private runner: EventProcessorRunner | undefined;
  private readonly workers: Worker[] = [];
  /** Whether any channel worker ever reached Redis: if none did, nothing can be in hand. */
  private connected = false;
  private transport: Transporter | undefined;
  private lastWarning = 0;
  readonly outbox: OutboxProcessor;
  readonly delivered: Record<Channel, number> = { inbox: 0, webhook: 0, email: 0, sms: 0 };

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(EventStore) private readonly store: EventStore,
    @Inject(ReadModelDatabase) private readonly db: ReadModelDatabase,
    @Inject(Clock) private readonly clock: Clock,
    @Inject(NotificationRules) private readonly rules: NotificationRules,
    @Inject(NotificationQueues) private readonly queues: NotificationQueues,
    @Inject(InboxStore) private readonly inbox: InboxStore,
    @Inject(WebhookStore) private readonly webhooks: WebhookStore,
    @Inject(ContactDirectory) private readonly contacts: ContactDirectory,
    @Inject(SmsProvider) private readonly sms: SmsProvider,
  ) {
    this.outbox = new OutboxProcessor(store, rules, webhooks, queues);
  }

  /** The outbox's runner (tests wait on `reached`). */
  get outboxRunner(): EventProcessorRunner | undefined {
    return this.runner;
  }

  /** Resolves once the outbox holds its checkpoint (on a first run: the head at boot). For tests and benches. */
  async ready(): Promise<void> {
    await this.runner?.reached(0);
  }

  onApplicationBootstrap(): void {
    if (!this.config.NOTIFICATIONS_ENABLED) {
      this.logger.log('notifications are off (NOTIFICATIONS_ENABLED=false)');
      return;
    }
    if (this.config.SMTP_URL) {
      this.transport = createTransport(this.config.SMTP_URL);
    } else {
      this.logger.warn('SMTP_URL is not set: the email channel is off (email notices are skipped)');
    }
    this.logger.log(`SMS provider: ${this.sms.name}`);
    const log = (message: string) => this.logger.log(message);
    const handlers: Record<Channel, (job: NotificationJob) => Promise<DeliveryOutcome>> = {
      inbox: (job) => new InboxChannel(this.inbox, () => this.clock.now()).deliver(job),
      webhook: (job) => this.webhookChannel.deliver(job),
      email: (job) =>
        new EmailChannel(this.transport, this.contacts, this.config.MAIL_FROM, log).deliver(job),
      sms: (job) => new SmsChannel(this.sms, this.contacts, log).deliver(job),
    };
    for (const channel of CHANNELS) {
      const worker = new Worker(
        queueName(channel),
        async (job) => {
          const outcome = await withTraceParent((job.data as NotificationJob).trace, () =>
            inSpan(
              `job notify-${channel}`,
              { 'engine.notification_id': String(job.id), 'engine.channel': channel },
              () => handlers[channel](job.data as NotificationJob),
              SpanKind.CONSUMER,
            ),
          );
          if (outcome === 'delivered') this.delivered[channel]++;
          return outcome;
        },
        {
          connection: queueConnection(this.config.REDIS_URL, 'worker'),
          prefix: this.config.QUEUE_PREFIX,
          concurrency: CONCURRENCY[channel],
        },
      );
      worker.on('error', (error) => this.warnSometimes(`${queueName(channel)} worker: ${error.message}`));
      void worker.waitUntilReady().then(
        () => (this.connected = true),
        () => undefined,
      );
      worker.on('failed', (job, error) => {
        if (job && job.attemptsMade >= (job.opts.attempts ?? 1)) {
          this.logger.warn(
            `${queueName(channel)}: job ${job.id} failed for good after ${job.attemptsMade} attempts: ${error.message}`,
          );
        }
      });
      this.workers.push(worker);
    }
    this.runner = new EventProcessorRunner({
      store: this.store,
      db: this.db,
      processor: this.outbox,
      now: () => this.clock.now(),
      // A Redis outage must never park an event: retry for as long as it takes.
      maxAttempts: Number.POSITIVE_INFINITY,
      retryBaseMs: 200,
      retryMaxMs: 5000,
      pollIntervalMs: 250,
      onInfo: (message) => this.logger.log(message),
      onError: (error, event, attempt) =>
        this.warnSometimes(
          `outbox: attempt ${attempt} failed${event ? ` on ${event.type} at ${event.position}` : ''}: ${
            error instanceof Error ? error.message : String(error)
          }; retrying`,
        ),
    });
    this.runner.start();
    void this.queues
      .checkEvictionPolicy()
      .catch((error: Error) => this.logger.warn(`could not check Redis maxmemory-policy: ${error.message}`));
    this.logger.log(
      `outbox and ${CHANNELS.length} channel workers running (${this.rules.file.rules.length} rules)`,
    );
  }

  private get webhookChannel(): WebhookChannel {
    return new WebhookChannel(this.webhooks, {
      timeoutMs: this.config.WEBHOOK_TIMEOUT_MS,
      allowedNetworks: parseAllowedNetworks(this.config.WEBHOOK_ALLOWED_NETWORKS),
    });
  }

  /** Stops the outbox, then lets the jobs in hand finish (bounded when Redis is gone). */
  async onModuleDestroy(): Promise<void> {
    await this.runner?.stop();
    const workers = this.workers.splice(0);
    if (!this.connected) {
      // Redis was never reached: no job can be in hand, and a graceful close would wait for it.
      for (const w of workers) void w.close(true).catch(() => undefined);
      this.transport?.close();
      return;
    }
    const finished = await withTimeout(
      Promise.all(workers.map((w) => w.close().catch(() => undefined))),
      SHUTDOWN_WAIT_MS,
      'the channel workers',
    ).then(
      () => true,
      () => false,
    );
    if (!finished) {
      this.logger.warn(
        'channel workers did not finish in time (Redis unreachable?); dropping their connections',
      );
      for (const w of workers) void w.close(true).catch(() => undefined);
    }
    this.transport?.close();
  }

  private warnSometimes(message: string): void {
    const now = Date.now();
    if (now - this.lastWarning < 10_000) return;
    this.lastWarning = now;
    this.logger.warn(message);
  }
}

@Module({
  imports: [ReadModelsModule, NotificationsCoreModule],
  providers: [
    {
      provide: ContactDirectory,
      inject: [EventStore, PersonalDataVault],
      useFactory: (store: EventStore, vault: PersonalDataVault) => new ContactDirectory(store, vault),
    },
    {
      provide: SmsProvider,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => {
        const logger = new Logger('Sms');
        if (config.SMS_PROVIDER === 'aliyun') {
          return new AliyunSmsProvider({
            accessKeyId: config.SMS_ACCESS_KEY_ID!,
            accessKeySecret: config.SMS_ACCESS_KEY_SECRET!,
            signName: config.SMS_SIGN_NAME!,
            endpoint: config.SMS_ENDPOINT,
          });
        }
        return new LoggingSmsProvider((message) => logger.log(message));
      },
    },
    NotificationsRuntime,
  ],
  exports: [NotificationsRuntime, SmsProvider],
})
export class NotificationsModule {}
