import {
  Inject,
  Injectable,
  Logger,
  Module,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
  type OnModuleDestroy,
} from '@nestjs/common';
import { EventStore } from '@engine/event-store';
import { APP_CONFIG, type AppConfig, Clock, PersonalDataVault } from '@engine/platform';
import { KeyTableVault } from './personal-data/key-table-vault';
import { ReadModelDatabase, readModelOptionsFromConfig } from './database';
import { ReadModelFreshness, ReadModelProgress } from './freshness';
import { PROJECTIONS } from './projections';
import {
  type EnterpriseApplication,
  queryEnterpriseApplications,
} from './queries/enterprise-applications.query';
import {
  type MembershipListQuery,
  type MembershipRow,
  queryMemberships,
  queryRoundApplications,
} from './queries/memberships.query';
import { RoundRoster } from '@engine/incubation/use-cases/round-roster';
import { queryWorklist, type WorklistPage, type WorklistQuery } from './queries/worklist.query';
import { ProjectionRunner } from './runner/projection-runner';

/** The queries the API serves from the read models, each after a bounded read-your-writes wait. */
@Injectable()
export class ReadModelQueries {
  constructor(
    @Inject(ReadModelDatabase) private readonly db: ReadModelDatabase,
    @Inject(ReadModelFreshness) private readonly freshness: ReadModelFreshness,
  ) {}

  async worklist(query: WorklistQuery): Promise<WorklistPage> {
    await this.freshness.waitForHead(['applications']);
    return queryWorklist(this.db.reader, query);
  }

  async memberships(query: MembershipListQuery): Promise<MembershipRow[]> {
    await this.freshness.waitForHead(['memberships']);
    return queryMemberships(this.db.reader, query);
  }

  async enterpriseApplications(creditCode: string): Promise<EnterpriseApplication[]> {
    await this.freshness.waitForHead(['applications']);
    return queryEnterpriseApplications(this.db.reader, creditCode);
  }
}

/** The round roster of the incubation use cases, from the applications projection (fresh). */
@Injectable()
export class ReadModelRoundRoster extends RoundRoster {
  constructor(
    @Inject(ReadModelDatabase) private readonly db: ReadModelDatabase,
    @Inject(ReadModelFreshness) private readonly freshness: ReadModelFreshness,
  ) {
    super();
  }
  async applicationIds(roundId: string, statuses: readonly string[]): Promise<string[]> {
    await this.freshness.waitForHead(['applications']);
    return queryRoundApplications(this.db.reader, roundId, statuses);
  }
}

@Injectable()
class ReadModelDatabaseLifecycle implements OnApplicationShutdown {
  constructor(@Inject(ReadModelDatabase) private readonly db: ReadModelDatabase) {}
  async onApplicationShutdown(): Promise<void> {
    await this.db.close();
  }
}

/**
 * The read-model database (SQLite in DATA_DIR, or PostgreSQL at READ_MODEL_URL), migrated at
 * boot, the queries over it, and the PersonalDataVault whose key table lives in it. Imported
 * by the api (queries, sealing) and the worker (projections).
 */
@Module({
  providers: [
    {
      provide: ReadModelDatabase,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => ReadModelDatabase.open(readModelOptionsFromConfig(config)),
    },
    { provide: ReadModelProgress, useFactory: () => new ReadModelProgress() },
    {
      provide: ReadModelFreshness,
      inject: [ReadModelDatabase, EventStore, ReadModelProgress],
      useFactory: (db: ReadModelDatabase, store: EventStore, progress: ReadModelProgress) =>
        new ReadModelFreshness(db, store, progress),
    },
    {
      // Personal data sealed per subject; the key table lives beside the read models.
      provide: PersonalDataVault,
      inject: [ReadModelDatabase, APP_CONFIG, Clock],
      useFactory: (db: ReadModelDatabase, config: AppConfig, clock: Clock) =>
        new KeyTableVault(db, config.PII_MASTER_KEY, () => clock.now()),
    },
    ReadModelQueries,
    ReadModelDatabaseLifecycle,
    { provide: RoundRoster, useClass: ReadModelRoundRoster },
  ],
  exports: [
    ReadModelDatabase,
    ReadModelProgress,
    ReadModelFreshness,
    ReadModelQueries,
    PersonalDataVault,
    RoundRoster,
  ],
})
export class ReadModelsModule {}

/**
 * Runs every projection in this process, each under its leader lock: on PostgreSQL only one
 * replica writes a projection and another takes over when it dies; on SQLite the file lock
 * and the checkpoint's compare-and-set suffice (docs/read-models.md).
 */
@Injectable()
export class ProjectionHost implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('Projections');
  private readonly runners: ProjectionRunner[] = [];

  constructor(
    @Inject(EventStore) private readonly store: EventStore,
    @Inject(ReadModelDatabase) private readonly db: ReadModelDatabase,
    @Inject(ReadModelProgress) private readonly progress: ReadModelProgress,
  ) {}

  onApplicationBootstrap(): void {
    for (const projection of PROJECTIONS) {
      const runner = new ProjectionRunner({
        store: this.store,
        db: this.db,
        projection,
        onProgress: () => this.progress.notify(),
        onInfo: (message) => this.logger.log(message),
        onError: (error, event, attempt) =>
          this.logger.error(
            `${projection.name}: attempt ${attempt} failed${
              event
                ? ` on ${event.type} at position ${event.position} (${event.stream}@${event.revision})`
                : ''
            }, retrying: ${error instanceof Error ? error.message : String(error)}`,
          ),
      });
      runner.start();
      this.runners.push(runner);
    }
    this.logger.log(`running ${PROJECTIONS.map((p) => p.name).join(', ')} into ${this.db.location}`);
  }

  async onModuleDestroy(): Promise<void> {
    await Promise.all(this.runners.splice(0).map((runner) => runner.stop()));
  }
}

@Module({ imports: [ReadModelsModule], providers: [ProjectionHost] })
export class ProjectionsModule {}
