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
import { ProjectionLagProbe } from './lag';
import { ApplicationStatusFeed, type ApplicationStatusMessage } from './live/application-status-feed';
import { PROJECTIONS } from './projections';
import {
  type EnterpriseApplication,
  queryEnterpriseApplications,
} from './queries/enterprise-applications.query';
import {
  type MembershipListQuery,
  type MembershipRow,
  queryMemberships,
  queryRoundApplicants,
  queryRoundApplications,
} from './queries/memberships.query';
import { RoundRoster } from '@engine/incubation/use-cases/round-roster';
import { queryEnterpriseTimeline } from './queries/enterprise-timeline.query';
import { queryRoundStats, type RoundStats } from './queries/round-stats.query';
import { queryYearStats, type YearStats } from './queries/year-stats.query';
import type { TimelineEntry } from './projections/timeline.projection';
import { queryWorklist, type WorklistPage, type WorklistQuery } from './queries/worklist.query';
import {
  queryRoundApplicationsPage,
  type RoundApplicationsPage,
  type RoundApplicationsQuery,
} from './queries/round-applications.query';
import { queryRounds, type RoundListPage, type RoundListQuery } from './queries/rounds-list.query';
import type { RoundsTable } from './schema';
import { ProjectionRunner } from './runner/projection-runner';
import { ReadModelVersions } from './versions';

/**
 * The applications projection's version whose tables the worklist and the round table read
 * (v5: `enterprise_name`, `score_value` and the indexes led by them). Until the leader has
 * rebuilt an older generation to it, those two reads answer 503 READ_MODEL_REBUILDING.
 */
export const APPLICATIONS_SHAPE_FOR_TABLES = 5;

/** The queries the API serves from the read models, each after a bounded read-your-writes wait. */
@Injectable()
export class ReadModelQueries {
  private readonly versions: ReadModelVersions;

  constructor(
    @Inject(ReadModelDatabase) private readonly db: ReadModelDatabase,
    @Inject(ReadModelFreshness) private readonly freshness: ReadModelFreshness,
  ) {
    this.versions = new ReadModelVersions(db.reader);
  }

  async worklist(query: WorklistQuery): Promise<WorklistPage> {
    await this.versions.require('applications', APPLICATIONS_SHAPE_FOR_TABLES);
    await this.freshness.waitForHead(['applications']);
    return queryWorklist(this.db.reader, query);
  }

  /** An expert's seats on panels, newest first: blind (application ids only). */
  async assignments(expertId: string): Promise<ExpertAssignment[]> {
    await this.freshness.waitForHead(['assignments']);
    const rows = await this.db.reader
      .selectFrom('assignments')
      .selectAll()
      .where('expert_id', '=', expertId)
      .orderBy('assigned_at', 'desc')
      .limit(500)
      .execute();
    return rows.map((row) => ({
      applicationId: row.application_id,
      dueOn: row.due_on,
      state: row.state,
      score: row.score === null ? null : Number(row.score),
      assignedAt: row.assigned_at,
    }));
  }

  async memberships(query: MembershipListQuery): Promise<MembershipRow[]> {
    await this.freshness.waitForHead(['memberships']);
    return queryMemberships(this.db.reader, query);
  }

  async enterpriseApplications(creditCode: string): Promise<EnterpriseApplication[]> {
    await this.freshness.waitForHead(['applications']);
    return queryEnterpriseApplications(this.db.reader, creditCode);
  }

  /** An application's status as the projection has it now (no wait: live feeds re-read it). */
  async applicationStatus(applicationId: string): Promise<ApplicationStatusMessage | undefined> {
    const row = await this.db.reader
      .selectFrom('applications')
      .select(['status', 'revision', 'status_since'])
      .where('application_id', '=', applicationId)
      .executeTakeFirst();
    return row
      ? { applicationId, status: row.status, revision: Number(row.revision), at: row.status_since }
      : undefined;
  }

  /** A round's applications counted by status and district (`within`: an officer's part). */
  async roundStats(roundId: string, within?: string): Promise<RoundStats> {
    await this.freshness.waitForHead(['applications']);
    return queryRoundStats(this.db.reader, roundId, within);
  }

  /** A year's applications counted by programme, district and status (`within`: an officer's part). */
  async yearStats(year: number, within?: string): Promise<YearStats> {
    await this.freshness.waitForHead(['applications', 'rounds']);
    return queryYearStats(this.db.reader, year, within);
  }

  /** Rounds in reach with their derived status and counts (`within`: the part of a round counted). */
  async rounds(
    query: RoundListQuery,
    now: Date,
    within?: (round: RoundsTable) => string | undefined,
  ): Promise<RoundListPage> {
    await this.freshness.waitForHead(['rounds', 'applications']);
    return queryRounds(this.db.reader, query, now, within);
  }

  /** A round's applications for the officers' table: filtered, searched, sorted, paged, with the total. */
  async roundApplications(query: RoundApplicationsQuery): Promise<RoundApplicationsPage> {
    await this.versions.require('applications', APPLICATIONS_SHAPE_FOR_TABLES);
    await this.freshness.waitForHead(['applications', 'enterprises']);
    return queryRoundApplicationsPage(this.db.reader, query);
  }

  /** The enterprise's timeline, newest first (read after its applications: one wait serves both). */
  async enterpriseTimeline(creditCode: string): Promise<TimelineEntry[]> {
    await this.freshness.waitForHead(['timeline']);
    return queryEnterpriseTimeline(this.db.reader, creditCode);
  }
}

export interface ExpertAssignment {
  applicationId: string;
  dueOn: string;
  state: string;
  score: number | null;
  assignedAt: string;
}

/**
 * The round roster of the incubation use cases, from the applications projection (fresh). The
 * apps bind it to the incubation context's `RoundRoster` port (IncubationModule.forRoot).
 */
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
  async applicants(roundId: string, creditCodes: readonly string[]): Promise<Set<string>> {
    await this.freshness.waitForHead(['applications']);
    return queryRoundApplicants(this.db.reader, roundId, creditCodes);
  }
}

@Injectable()
class ReadModelDatabaseLifecycle implements OnApplicationShutdown {
  constructor(
    @Inject(ReadModelDatabase) private readonly db: ReadModelDatabase,
    @Inject(ApplicationStatusFeed) private readonly feed: ApplicationStatusFeed,
  ) {}
  async onApplicationShutdown(): Promise<void> {
    await this.feed.close();
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
        KeyTableVault.open(db, config.PII_MASTER_KEY, {
          now: () => clock.now(),
          previous: config.PII_MASTER_KEY_PREVIOUS,
        }),
    },
    {
      provide: ApplicationStatusFeed,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => {
        const logger = new Logger('LiveStatus');
        return new ApplicationStatusFeed({
          redisUrl: config.REDIS_URL,
          onRedisError: (error) =>
            logger.warn(
              `Redis unavailable for live statuses (${error.message}); this process's own changes are still delivered, reconnecting`,
            ),
        });
      },
    },
    {
      provide: ProjectionLagProbe,
      inject: [ReadModelDatabase, EventStore],
      useFactory: (db: ReadModelDatabase, store: EventStore) => new ProjectionLagProbe(db, store),
    },
    ReadModelQueries,
    ReadModelDatabaseLifecycle,
    ReadModelRoundRoster,
  ],
  exports: [
    ReadModelDatabase,
    ReadModelProgress,
    ReadModelFreshness,
    ReadModelQueries,
    PersonalDataVault,
    ReadModelRoundRoster,
    ProjectionLagProbe,
    ApplicationStatusFeed,
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
    @Inject(ApplicationStatusFeed) private readonly feed: ApplicationStatusFeed,
  ) {}

  onApplicationBootstrap(): void {
    for (const projection of PROJECTIONS) {
      const runner = new ProjectionRunner({
        store: this.store,
        db: this.db,
        projection,
        onProgress: () => this.progress.notify(),
        // Whoever commits a status change tells every api replica (docs/read-models.md, Live status).
        onChanges: (_name, changes) => this.feed.publish(changes),
        onInfo: (message) => this.logger.log(message),
        onParked: (event, error) =>
          this.logger.error(
            `${projection.name}: parked ${event.type} at position ${event.position} (${event.stream}@${event.revision}) after repeated failures, /health is degraded until it is resolved: ${error instanceof Error ? error.message : String(error)}`,
          ),
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
