import { Inject, Injectable, Logger, Module, type OnApplicationBootstrap } from '@nestjs/common';
import { EventStore } from '@engine/event-store';
import { ProjectionsModule, ReadModelRoundRoster, ReadModelsModule } from '@engine/read-models';
import { IncubationModule, type IncubationPorts, DomainError, INCUBATION_SAGAS } from '@engine/incubation';
import { WorkflowModule, WorkflowRuntimeModule } from '@engine/workflow';
import { NotificationsModule } from '@engine/notifications';

/**
 * Reports what the worker is starting from. The checkpointed subscriptions (projections,
 * sagas, the notification outbox) register here as they are built; each keeps its own
 * checkpoint next to its effects, so stopping the worker at any point loses nothing.
 */
@Injectable()
class WorkerStartup implements OnApplicationBootstrap {
  private readonly logger = new Logger('Worker');
  constructor(@Inject(EventStore) private readonly store: EventStore) {}
  async onApplicationBootstrap(): Promise<void> {
    this.logger.log(
      `worker ready on the ${this.store.backend.name} store at position ${await this.store.headPosition()}`,
    );
  }
}

/** The incubation context's ports, bound to the read models (the same as the api's). */
const INCUBATION_PORTS: IncubationPorts = { imports: [ReadModelsModule], roundRoster: ReadModelRoundRoster };

/** Background processing: no HTTP. Hosted by apps/worker, or inside the api in the embedded profile. */
@Module({
  imports: [
    ProjectionsModule,
    IncubationModule.forRoot(INCUBATION_PORTS),
    WorkflowModule,
    WorkflowRuntimeModule.forRoot({
      sagas: INCUBATION_SAGAS,
      // A saga's command refused by a rule or the current state is a decision, not a failure.
      isDecision: (error) => error instanceof DomainError,
    }),
    NotificationsModule,
  ],
  providers: [WorkerStartup],
})
export class WorkerModule {}
