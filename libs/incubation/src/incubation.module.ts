import { Module } from '@nestjs/common';
import { ReadModelsModule } from '@engine/read-models';
import { APP_CONFIG, type AppConfig } from '@engine/platform';
import { Aggregates } from './infrastructure/handle-command';
import { CalendarInstallRecorder } from './use-cases/calendar/calendar';
import { loadPolicyCatalog } from './policies/policy-catalog';
import { CatalogPolicyLookup } from './use-cases/catalog-policy-lookup';
import { PolicyLookup } from './use-cases/policy-lookup';
import { USE_CASE_HANDLERS } from './use-cases/handlers';
import { DocumentNumberRegistry } from './use-cases/documents/document-number-registry';
import { Registers } from './use-cases/registers/registers';

/**
 * The incubation context's command and query handlers on the CQRS buses, with what they need:
 * the aggregate repository and the policy catalogue. Imported by the api (commands from HTTP)
 * and the worker (commands from sagas).
 */
@Module({
  imports: [ReadModelsModule],
  providers: [
    Aggregates,
    {
      provide: PolicyLookup,
      inject: [APP_CONFIG],
      // Every policy file is validated at boot; a bad one stops the process, naming file and field.
      useFactory: (c: AppConfig) => new CatalogPolicyLookup(loadPolicyCatalog(c.POLICIES_DIR)),
    },
    DocumentNumberRegistry,
    ...USE_CASE_HANDLERS,
    CalendarInstallRecorder,
    Registers,
  ],
  exports: [Aggregates, PolicyLookup, Registers],
})
export class IncubationModule {}
