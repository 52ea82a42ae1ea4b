import type { LogLevel } from '@nestjs/common';
import type { AppConfig } from '../config/config';

/** Maps LOG_LEVEL onto the levels Nest's logger prints. */
export function nestLogLevels(level: AppConfig['LOG_LEVEL']): false | LogLevel[] {
  switch (level) {
    case 'silent':
      return false;
    case 'fatal':
    case 'error':
      return ['fatal', 'error'];
    case 'warn':
      return ['fatal', 'error', 'warn'];
    case 'info':
      return ['fatal', 'error', 'warn', 'log'];
    default:
      return ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'];
  }
}
