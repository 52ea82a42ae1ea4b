import { type DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { EventStoreModule } from '@engine/event-store';
import { type AppConfig, type Clock, PlatformModule } from '@engine/platform';
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
        ...(options.withWorker ? [WorkerModule] : []),
      ],
      controllers: [HealthController],
      providers: [{ provide: APP_FILTER, useClass: ErrorFilter }],
    };
  }
}
