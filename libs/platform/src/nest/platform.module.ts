import { type DynamicModule, Global, Module } from '@nestjs/common';
import type { AppConfig } from '../config/config';
import { Clock, ManualClock, SystemClock } from '../clock/clock';

/** Injection token of the validated configuration. */
export const APP_CONFIG = Symbol('APP_CONFIG');

/** Configuration and the clock, available everywhere. */
@Global()
@Module({})
export class PlatformModule {
  static forRoot(config: AppConfig, clock?: Clock): DynamicModule {
    return {
      module: PlatformModule,
      providers: [
        { provide: APP_CONFIG, useValue: config },
        {
          provide: Clock,
          useValue: clock ?? (config.CLOCK === 'manual' ? new ManualClock() : new SystemClock()),
        },
      ],
      exports: [APP_CONFIG, Clock],
    };
  }
}
