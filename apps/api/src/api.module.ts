import { type DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { CqrsModule } from '@nestjs/cqrs';
import { AuthGuard } from './auth/auth.guard';
import { BearerAuthenticator } from './auth/bearer-authenticator';
import { EnterprisesController } from './enterprises/enterprises.controller';
import { EnterpriseDirectory } from './read/enterprise-directory';
import { READ_QUERY_HANDLERS } from './read/read-query-handlers';
import { ReadModelRoundRoster, ReadModelsModule } from '@engine/read-models';
import { AuditController } from './audit/audit.controller';
import { CalendarController } from './calendar/calendar.controller';
import { WorklistController } from './worklist/worklist.controller';
import { WorklistStreamController } from './worklist/worklist-stream.controller';
import { EventStoreModule } from '@engine/event-store';
import { type AppConfig, type Clock, PlatformModule } from '@engine/platform';
import { IncubationModule, type IncubationPorts, MaterialsModule } from '@engine/incubation';
import { BlobStoreModule } from '@engine/platform/blob-store';
import { WorkflowModule } from '@engine/workflow';
import { AdminController } from './admin/admin.controller';
import { ExpertReviewController } from './expert-review/expert-review.controller';
import { MembershipsController } from './memberships/memberships.controller';
import { FundsController } from './funds/funds.controller';
import { FinancingController } from './financing/financing.controller';
import { InnovationIndicatorsController } from './indicators/innovation-indicators.controller';
import { DecisionsController } from './publicity/decisions.controller';
import { PublicityController } from './publicity/publicity.controller';
import { ApplicationsController } from './applications/applications.controller';
import { ApplicationStreamController } from './applications/application-stream.controller';
import { MaterialsController } from './applications/materials.controller';
import { LiveStreams } from './applications/live-streams';
import { ProgrammesController } from './programmes/programmes.controller';
import { LabelsController } from './labels/labels.controller';
import { RoundPanelsController } from './rounds/round-panels.controller';
import { RoundsController } from './rounds/rounds.controller';
import { RegistersController } from './registers/registers.controller';
import { PublicRoundsController } from './rounds/public-rounds.controller';
import { DocumentsController } from './documents/documents.controller';
import { WorkerModule } from '../../worker/src/worker.module';
import { NotificationsCoreModule } from '@engine/notifications';
import { NotificationsController } from './notifications/notifications.controller';
import { HealthController } from './health/health.controller';
import { ErrorFilter } from './http/error.filter';
import { AuthController } from './auth/auth.controller';
import { AccountsController } from './auth/accounts.controller';
import { OidcController } from './auth/oidc.controller';
import { AUTH_PROVIDERS } from './auth/auth.providers';

/**
 * The incubation context's ports, bound to the read models (the same as the worker's, so the
 * embedded profile keeps one IncubationModule).
 */
const INCUBATION_PORTS: IncubationPorts = { imports: [ReadModelsModule], roundRoster: ReadModelRoundRoster };

export interface ApiModuleOptions {
  /** Host the worker in this process (the embedded profile). */
  withWorker: boolean;
  /** Tests inject a manual clock they hold on to. */
  clock?: Clock;
}

@Module({})
export class ApiModule {
  static forRoot(config: AppConfig, options: ApiModuleOptions): DynamicModule {
    return {
      module: ApiModule,
      imports: [
        PlatformModule.forRoot(config, options.clock),
        EventStoreModule.forRoot(),
        CqrsModule.forRoot(),
        ReadModelsModule,
        IncubationModule.forRoot(INCUBATION_PORTS),
        BlobStoreModule.forRoot(),
        MaterialsModule.forRoot(INCUBATION_PORTS),
        WorkflowModule,
        NotificationsCoreModule,
        ...(options.withWorker ? [WorkerModule] : []),
      ],
      controllers: [
        HealthController,
        ProgrammesController,
        LabelsController,
        EnterprisesController,
        RoundsController,
        RegistersController,
        PublicRoundsController,
        RoundPanelsController,
        ApplicationsController,
        ApplicationStreamController,
        MaterialsController,
        WorklistController,
        WorklistStreamController,
        AuditController,
        AdminController,
        ExpertReviewController,
        PublicityController,
        DocumentsController,
        DecisionsController,
        MembershipsController,
        FundsController,
        FinancingController,
        InnovationIndicatorsController,
        NotificationsController,
        AuthController,
        AccountsController,
        OidcController,
        CalendarController,
      ],
      providers: [
        { provide: APP_FILTER, useClass: ErrorFilter },
        BearerAuthenticator,
        { provide: APP_GUARD, useClass: AuthGuard },
        EnterpriseDirectory,
        ...READ_QUERY_HANDLERS,
        ...AUTH_PROVIDERS,
        // Exported for sign-out: ending a session ends its live streams (LiveStreams.endFor).
        LiveStreams,
      ],
      exports: [LiveStreams],
    };
  }
}
