import { type DynamicModule, Module, type ModuleMetadata, type Type } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@engine/platform';
import { Aggregates } from './infrastructure/handle-command';
import { CalendarInstallRecorder } from './use-cases/record-calendar-install/calendar-install-recorder';
import { loadPolicyCatalog } from './policies/policy-catalog';
import { CatalogPolicyLookup } from './use-cases/catalog-policy-lookup';
import { PolicyLookup } from './use-cases/policy-lookup';
import { USE_CASE_HANDLERS } from './use-cases/handlers';
import { DocumentNumberRegistry } from './use-cases/document-numbers/document-number-registry';
import { RoundRoster } from './use-cases/round-roster';
import { Registers } from './use-cases/registers/registers';

/**
 * What the incubation context needs from the layers the app composes it with, bound by the
 * app: the context imports no read model (docs/architecture.md, the lib order).
 */
export interface IncubationPorts {
  /** Modules exporting `PersonalDataVault` and the class named by `roundRoster`. */
  imports: NonNullable<ModuleMetadata['imports']>;
  /** The implementation of the `RoundRoster` port (the api and worker: the read models'). */
  roundRoster: Type<RoundRoster>;
}

/** One dynamic module per roster binding: Nest identifies dynamic modules by reference. */
const bound = new WeakMap<Type<RoundRoster>, { ports: IncubationPorts; module: DynamicModule }>();

/**
 * The incubation context's command and query handlers on the CQRS buses, with what they need:
 * the aggregate repository and the policy catalogue. Imported by the api (commands from HTTP)
 * and the worker (commands from sagas), each binding the same ports; both get the same dynamic
 * module, so the embedded profile has one IncubationModule (one handler per command).
 */
@Module({})
export class IncubationModule {
  static forRoot(ports: IncubationPorts): DynamicModule {
    const known = bound.get(ports.roundRoster);
    if (known) {
      const same =
        known.ports.imports.length === ports.imports.length &&
        known.ports.imports.every((m, i) => m === ports.imports[i]);
      if (!same) throw new Error('IncubationModule is bound once per process, to the same ports');
      return known.module;
    }
    const module: DynamicModule = {
      module: IncubationModule,
      imports: ports.imports,
      providers: [
        Aggregates,
        {
          provide: PolicyLookup,
          inject: [APP_CONFIG],
          // Every policy file is validated at boot; a bad one stops the process, naming file and field.
          useFactory: (c: AppConfig) => new CatalogPolicyLookup(loadPolicyCatalog(c.POLICIES_DIR)),
        },
        { provide: RoundRoster, useExisting: ports.roundRoster },
        DocumentNumberRegistry,
        ...USE_CASE_HANDLERS,
        CalendarInstallRecorder,
        Registers,
      ],
      exports: [Aggregates, PolicyLookup, RoundRoster, Registers],
    };
    bound.set(ports.roundRoster, { ports, module });
    return module;
  }
}
