import { type DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { CqrsModule } from '@nestjs/cqrs';
import { AggregateRepository } from '@engine/incubation/infrastructure/aggregate-repository';
import { GetEnterpriseHandler } from '@engine/incubation/use-cases/get-enterprise/get-enterprise.handler';
import { RegisterEnterpriseHandler } from '@engine/incubation/use-cases/register-enterprise/register-enterprise.handler';
import { AuthGuard } from './auth/auth.guard';
import { EnterprisesController } from './enterprises/enterprises.controller';
import { EnterpriseDirectory } from './read/enterprise-directory';
import { ReadModelsModule } from '@engine/read-models';
import { AuditController } from './audit/audit.controller';
import { WorklistController } from './worklist/worklist.controller';
import { EventStoreModule } from '@engine/event-store';
import { APP_CONFIG, type AppConfig, type Clock, PlatformModule } from '@engine/platform';
import { loadPolicyCatalog } from '@engine/incubation/policies/policy-catalog';
import { CatalogPolicyLookup } from '@engine/incubation/use-cases/catalog-policy-lookup';
import { CloseRoundHandler } from '@engine/incubation/use-cases/close-round/close-round.handler';
import { CreateApplicationHandler } from '@engine/incubation/use-cases/create-application/create-application.handler';
import { CreateRoundHandler } from '@engine/incubation/use-cases/create-round/create-round.handler';
import {
  GetApplicationHandler,
  GetApplicationHistoryHandler,
} from '@engine/incubation/use-cases/get-application/get-application.handler';
import { GetRoundHandler } from '@engine/incubation/use-cases/get-round/get-round.handler';
import { PolicyLookup } from '@engine/incubation/use-cases/policy-lookup';
import { ReviewApplicationHandler } from '@engine/incubation/use-cases/review-application/review-application.handler';
import { SubmitApplicationHandler } from '@engine/incubation/use-cases/submit-application/submit-application.handler';
import { UpdateApplicationHandler } from '@engine/incubation/use-cases/update-application/update-application.handler';
import { ApplicationsController } from './applications/applications.controller';
import { ApplicationStreamController } from './applications/application-stream.controller';
import { ProgrammesController } from './programmes/programmes.controller';
import { RoundsController } from './rounds/rounds.controller';
import { WorkerModule } from '../../worker/src/worker.module';
import { HealthController } from './health/health.controller';
import { ErrorFilter } from './http/error.filter';

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
        ...(options.withWorker ? [WorkerModule] : []),
      ],
      controllers: [
        HealthController,
        ProgrammesController,
        EnterprisesController,
        RoundsController,
        ApplicationsController,
        ApplicationStreamController,
        WorklistController,
        AuditController,
      ],
      providers: [
        { provide: APP_FILTER, useClass: ErrorFilter },
        { provide: APP_GUARD, useClass: AuthGuard },
        AggregateRepository,
        EnterpriseDirectory,
        {
          provide: PolicyLookup,
          inject: [APP_CONFIG],
          // Every policy file is validated at boot; a bad one stops the process, naming file and field.
          useFactory: (c: AppConfig) => new CatalogPolicyLookup(loadPolicyCatalog(c.POLICIES_DIR)),
        },
        RegisterEnterpriseHandler,
        GetEnterpriseHandler,
        CreateRoundHandler,
        CloseRoundHandler,
        GetRoundHandler,
        CreateApplicationHandler,
        UpdateApplicationHandler,
        SubmitApplicationHandler,
        ReviewApplicationHandler,
        GetApplicationHandler,
        GetApplicationHistoryHandler,
      ],
    };
  }
}
