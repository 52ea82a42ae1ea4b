import { type DynamicModule, Global, Module } from '@nestjs/common';
import type { AppConfig } from '../config/config';
import { Clock, ManualClock, SystemClock } from '../clock/clock';
import { type CalendarArrangement, loadCalendarArrangements } from '../calendar/arrangement';
import { installCalendarArrangements, statutoryHolidays } from '../calendar/working-days';

/** Injection token of the validated configuration. */
export const APP_CONFIG = Symbol('APP_CONFIG');
/** Injection token of the calendar files installed at boot (CalendarArrangement[]). */
export const CALENDAR_ARRANGEMENTS = Symbol('CALENDAR_ARRANGEMENTS');

/**
 * Configuration, the clock and the working-day calendar, available everywhere. The calendar
 * files (CALENDAR_DIR) are validated and installed at boot: a bad file stops the process naming
 * the file and the field, like a bad policy file.
 */
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
        {
          provide: CALENDAR_ARRANGEMENTS,
          useFactory: (): CalendarArrangement[] => {
            const arrangements = loadCalendarArrangements(config.CALENDAR_DIR, statutoryHolidays);
            installCalendarArrangements(arrangements);
            return arrangements;
          },
        },
      ],
      exports: [APP_CONFIG, Clock, CALENDAR_ARRANGEMENTS],
    };
  }
}
