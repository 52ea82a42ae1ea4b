import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { EventStore, type Subscription } from '@engine/event-store';
import {
  applicationDecider,
  type ApplicationState,
} from '@engine/incubation/domain/application/application.decider';
import type { ApplicationEvent } from '@engine/incubation/domain/application/application.events';

export interface ApplicationSummary {
  id: string;
  programme: string;
  roundId: string;
  status: string;
}

/**
 * Which applications each enterprise has, kept in memory by a catch-up subscription over the
 * application streams and folded with the same decider the commands use, so a status here can
 * never disagree with the aggregate. Interim: the SQL projections of the read-model issue
 * replace it (it rebuilds from position 0 at every boot).
 */
@Injectable()
export class EnterpriseDirectory implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('EnterpriseDirectory');
  private readonly applications = new Map<string, ApplicationState>();
  private readonly byEnterprise = new Map<string, Set<string>>();
  private subscription: Subscription | undefined;

  constructor(@Inject(EventStore) private readonly store: EventStore) {}

  async onApplicationBootstrap(): Promise<void> {
    this.subscription = this.store.subscribe<ApplicationEvent['data']>('enterprise-directory', {
      after: 0,
      filter: { streamPrefixes: ['application-'] },
      handler: async (event) =>
        this.apply(event.stream.slice('application-'.length), {
          type: event.type,
          data: event.data,
        } as ApplicationEvent),
      onError: (error, event) =>
        this.logger.error(`cannot fold ${event?.type} at ${event?.position}: ${String(error)}`),
    });
    await this.subscription.caughtUp();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.subscription?.stop();
  }

  /** The enterprise's applications, after everything committed so far has been folded in. */
  async applicationsOf(creditCode: string): Promise<ApplicationSummary[]> {
    await this.subscription?.caughtUp();
    return [...(this.byEnterprise.get(creditCode) ?? [])].map((id) => {
      const state = this.applications.get(id)!;
      return {
        id,
        programme: state.created!.programme,
        roundId: state.created!.roundId,
        status: state.status,
      };
    });
  }

  private apply(id: string, event: ApplicationEvent): void {
    const state = applicationDecider.evolve(
      this.applications.get(id) ?? applicationDecider.initialState(),
      event,
    );
    // Keep the summary small: the data itself stays in the event store.
    this.applications.set(id, { ...state, data: undefined, eligibility: undefined });
    if (event.type === 'ApplicationCreated') {
      const set = this.byEnterprise.get(event.data.creditCode) ?? new Set<string>();
      set.add(id);
      this.byEnterprise.set(event.data.creditCode, set);
    }
  }
}
