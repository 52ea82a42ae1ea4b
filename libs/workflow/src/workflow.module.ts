import {
  type DynamicModule,
  Global,
  Inject,
  Injectable,
  Logger,
  Module,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
  type OnModuleDestroy,
  type OnModuleInit,
} from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { EventStore } from '@engine/event-store';
import { APP_CONFIG, type AppConfig, Clock, ManualClock } from '@engine/platform';
import { PROJECTIONS, ReadModelDatabase, ReadModelFreshness, ReadModelsModule } from '@engine/read-models';
import { ClockSync } from './clock/clock-sync';
import { EventProcessorRunner } from './processor/event-processor';
import { ProcessorStore } from './processor/processor-store';
import type { Saga } from './sagas/saga';
import { type IsDecision, SagaProcessor } from './sagas/saga-processor';
import { TimerQueue } from './timers/timer-queue';
import { TimerService } from './timers/timer-service';
import { TimerSweeper } from './timers/timer-sweeper';
import { WorkflowProbe } from './workflow-probe';

/**
 * Time and timers, for every process: the timer service (sagas schedule, the api never needs
 * to), and, under CLOCK=manual, the clock that follows the recorded ClockSet events.
 */
@Injectable()
export class ManualClockFollower implements OnModuleInit, OnApplicationShutdown {
  readonly sync: ClockSync | undefined;
  constructor(@Inject(EventStore) store: EventStore, @Inject(Clock) clock: Clock) {
    this.sync = clock instanceof ManualClock ? new ClockSync(store, clock) : undefined;
  }
  async onModuleInit(): Promise<void> {
    // Before any saga or timer runs: a restarted process resumes at the recorded time.
    await this.sync?.restore();
    this.sync?.follow();
  }
  onApplicationShutdown(): void {
    this.sync?.stop();
  }
}

@Injectable()
class TimerQueueLifecycle implements OnApplicationShutdown {
  constructor(@Inject(TimerQueue) private readonly queue: TimerQueue) {}
  async onApplicationShutdown(): Promise<void> {
    await this.queue.close();
  }
}

@Global()
@Module({
  imports: [ReadModelsModule],
  providers: [
    {
      provide: TimerQueue,
      inject: [APP_CONFIG, Clock],
      useFactory: (config: AppConfig, clock: Clock) => {
        const logger = new Logger('Timers');
        return new TimerQueue({
          redisUrl: config.REDIS_URL,
          prefix: config.QUEUE_PREFIX,
          clock,
          warn: (message) => logger.warn(message),
        });
      },
    },
    {
      provide: TimerService,
      inject: [EventStore, Clock, TimerQueue],
      useFactory: (store: EventStore, clock: Clock, queue: TimerQueue) =>
        new TimerService(store, clock, queue),
    },
    {
      provide: ProcessorStore,
      inject: [ReadModelDatabase],
      useFactory: (db: ReadModelDatabase) => new ProcessorStore(db),
    },
    {
      provide: WorkflowProbe,
      inject: [ReadModelDatabase, Clock],
      useFactory: (db: ReadModelDatabase, clock: Clock) => new WorkflowProbe(db, clock),
    },
    ManualClockFollower,
    TimerQueueLifecycle,
  ],
  exports: [TimerService, TimerQueue, ProcessorStore, ManualClockFollower, WorkflowProbe],
})
export class WorkflowModule {}

export interface WorkflowRuntimeOptions {
  sagas: readonly Saga[];
  /** Errors that are a command's refusal (a decision), not a failure to retry. */
  isDecision: IsDecision;
}

const RUNTIME_OPTIONS = Symbol('WORKFLOW_RUNTIME_OPTIONS');

/**
 * Runs the sagas (each a checkpointed event processor under its leader lock), the timer
 * queue's worker and the sweep. Hosted by the worker process, or by the api in the embedded
 * profile.
 */
@Injectable()
export class WorkflowRuntime implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('Sagas');
  private readonly runners: EventProcessorRunner[] = [];
  private sweeper: TimerSweeper | undefined;
  private unlistenClock: (() => void) | undefined;

  constructor(
    @Inject(RUNTIME_OPTIONS) private readonly options: WorkflowRuntimeOptions,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(EventStore) private readonly store: EventStore,
    @Inject(ReadModelDatabase) private readonly db: ReadModelDatabase,
    @Inject(ReadModelFreshness) private readonly freshness: ReadModelFreshness,
    @Inject(CommandBus) private readonly commands: CommandBus,
    @Inject(TimerService) private readonly timers: TimerService,
    @Inject(TimerQueue) private readonly queue: TimerQueue,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  onApplicationBootstrap(): void {
    for (const saga of this.options.sagas) {
      const processor = new SagaProcessor(
        saga,
        (command) => this.commands.execute(command as never),
        this.timers,
        this.options.isDecision,
        (name, event, step, error) =>
          this.logger.log(
            `${name}: ${step} for ${event.type} at ${event.position} declined: ${(error as Error).message}`,
          ),
      );
      const runner = new EventProcessorRunner({
        store: this.store,
        db: this.db,
        processor,
        now: () => this.clock.now(),
        onInfo: (message) => this.logger.log(message),
        onError: (error, event, attempt) =>
          this.logger.warn(
            `${processor.name}: attempt ${attempt} failed${event ? ` on ${event.type} at ${event.position}` : ''}: ${
              error instanceof Error ? error.message : String(error)
            }`,
          ),
        onParked: (event, error, attempts) =>
          this.logger.error(
            `${processor.name}: parked ${event.type} at ${event.position} (${event.stream}@${event.revision}) after ${attempts} attempts: ${
              error instanceof Error ? error.message : String(error)
            }`,
          ),
      });
      runner.start();
      this.runners.push(runner);
    }
    const timersLogger = new Logger('Timers');
    this.queue.startWorker(async (timerId) => {
      await this.timers.fire(timerId, 'queue');
    });
    this.sweeper = new TimerSweeper({
      db: this.db,
      freshness: this.freshness,
      timers: this.timers,
      clock: this.clock,
      intervalMs: this.config.TIMER_SWEEP_SECONDS * 1000,
      onError: (error) => timersLogger.warn(`sweep failed: ${(error as Error).message}`),
      onFired: (count) => timersLogger.log(`sweep fired ${count} due timer(s)`),
    });
    this.sweeper.start();
    if (this.clock instanceof ManualClock) {
      this.unlistenClock = this.clock.onChange(() => void this.sweeper?.sweep());
    }
    this.logger.log(`running ${this.options.sagas.map((s) => s.name).join(', ')}`);
  }

  /**
   * Resolves once everything the engine would do on its own has been done: every saga and
   * projection has reached the store's head and no due timer is left, with nothing appended
   * meanwhile. For tests and the demo.
   */
  async settled(): Promise<void> {
    const names = PROJECTIONS.map((p) => p.name);
    for (;;) {
      const head = await this.store.headPosition();
      await Promise.all(this.runners.map((runner) => runner.reached(head)));
      await this.freshness.waitForHead(names, 10_000);
      await this.sweeper?.sweep();
      if ((await this.store.headPosition()) === head) return;
    }
  }

  async onModuleDestroy(): Promise<void> {
    this.unlistenClock?.();
    await this.sweeper?.stop();
    await Promise.all(this.runners.splice(0).map((runner) => runner.stop()));
  }
}

@Module({})
export class WorkflowRuntimeModule {
  static forRoot(options: WorkflowRuntimeOptions): DynamicModule {
    return {
      module: WorkflowRuntimeModule,
      imports: [ReadModelsModule],
      providers: [{ provide: RUNTIME_OPTIONS, useValue: options }, WorkflowRuntime],
      exports: [WorkflowRuntime],
    };
  }
}
