import {
  type DynamicModule,
  Global,
  Inject,
  Injectable,
  Logger,
  Module,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { join } from 'node:path';
import { APP_CONFIG, type AppConfig, Clock } from '@engine/platform';
import { KurrentDbEventStore } from './adapters/kurrentdb';
import { PostgresEventStore } from './adapters/postgres';
import { SqliteEventStore } from './adapters/sqlite/sqlite-event-store';
import { EventStore } from './event-store';
import type { EventStoreBackend } from './event-store.port';
import { UpcasterRegistry } from './upcasting';

/** Path of the embedded store inside DATA_DIR. */
export function sqliteEventStoreFile(config: AppConfig): string {
  return join(config.DATA_DIR, 'events.sqlite');
}

/** Opens the adapter EVENT_STORE names. The only place that knows which adapters exist. */
export function createEventStoreBackend(config: AppConfig, clock: Clock): EventStoreBackend {
  const now = () => clock.now();
  switch (config.EVENT_STORE) {
    case 'sqlite':
      return new SqliteEventStore({
        file: sqliteEventStoreFile(config),
        now,
        synchronous: config.SQLITE_SYNCHRONOUS,
      });
    case 'kurrentdb':
      return new KurrentDbEventStore({ connectionString: config.KURRENTDB_URL!, now });
    case 'postgres':
      return new PostgresEventStore({ connectionString: config.EVENT_STORE_URL!, now });
  }
}

@Injectable()
class EventStoreLifecycle implements OnApplicationShutdown {
  private readonly logger = new Logger('EventStore');
  constructor(@Inject(EventStore) private readonly store: EventStore) {}
  async onApplicationShutdown(): Promise<void> {
    await this.store.close();
    this.logger.log('event store closed');
  }
}

/** Provides {@link EventStore} on the configured adapter; closes it last on shutdown. */
@Global()
@Module({})
export class EventStoreModule {
  static forRoot(options: { upcasters?: UpcasterRegistry } = {}): DynamicModule {
    return {
      module: EventStoreModule,
      providers: [
        {
          provide: EventStore,
          inject: [APP_CONFIG, Clock],
          useFactory: (config: AppConfig, clock: Clock) =>
            new EventStore(createEventStoreBackend(config, clock), {
              upcasters: options.upcasters,
              limits: { maxEventBytes: config.MAX_EVENT_BYTES },
            }),
        },
        EventStoreLifecycle,
      ],
      exports: [EventStore],
    };
  }
}
