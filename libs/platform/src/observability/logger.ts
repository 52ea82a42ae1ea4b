import type { LoggerService } from '@nestjs/common';
import { hostname } from 'node:os';
import { type DestinationStream, type Level, type LevelWithSilent, type Logger, pino } from 'pino';
import { currentCorrelationId } from './correlation';

export type { Logger as PinoLogger } from 'pino';

export interface CreateLoggerOptions {
  /** `api`, `worker`, `cli`: which process wrote the line. */
  service: string;
  /** LOG_LEVEL; `silent` writes nothing. */
  level: LevelWithSilent;
  /** Where the JSON lines go; standard output unless given (tests pass a stream to read them). */
  destination?: DestinationStream;
}

/**
 * Paths never written, whatever a caller logs by mistake: credentials travel in headers and
 * tokens, and request bodies are never logged at all (nothing in the engine passes one).
 */
const REDACTED = [
  'authorization',
  'headers.authorization',
  'req.headers.authorization',
  'headers.cookie',
  'req.headers.cookie',
  'token',
  'password',
  'secret',
  'JWT_SECRET',
];

/**
 * The process's one logger: one JSON object per line on standard output, with `level` as a
 * word, an ISO `time`, the `service`, `pid` and `hostname`, and the `correlationId` of the
 * request (or job) in progress when there is one.
 */
export function createLogger(options: CreateLoggerOptions): Logger {
  return pino(
    {
      level: options.level,
      base: { service: options.service, pid: process.pid, hostname: hostname() },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      messageKey: 'msg',
      redact: { paths: REDACTED, censor: '[redacted]' },
      serializers: { err: pino.stdSerializers.err },
      // Called only for lines that are written; the merge object (explicit fields) wins.
      mixin: () => {
        const correlationId = currentCorrelationId();
        return correlationId === undefined ? {} : { correlationId };
      },
    },
    options.destination,
  );
}

const STACK = /\n\s+at /;

/**
 * Nest's LoggerService on top of the pino logger, so that Nest's own lines, `new Logger(ctx)`
 * calls anywhere in the engine and Fastify's lines are one JSON stream. The Nest context
 * becomes `context`; an Error becomes `err`; a message that is a JSON object (as the auth
 * guard writes) or a plain object becomes fields of the line.
 */
export class PinoNestLogger implements LoggerService {
  constructor(readonly pino: Logger) {}

  log(message: unknown, ...params: unknown[]): void {
    this.write('info', message, params);
  }

  error(message: unknown, ...params: unknown[]): void {
    this.write('error', message, params);
  }

  warn(message: unknown, ...params: unknown[]): void {
    this.write('warn', message, params);
  }

  debug(message: unknown, ...params: unknown[]): void {
    this.write('debug', message, params);
  }

  verbose(message: unknown, ...params: unknown[]): void {
    this.write('trace', message, params);
  }

  fatal(message: unknown, ...params: unknown[]): void {
    this.write('fatal', message, params);
  }

  private write(level: Level, message: unknown, params: unknown[]): void {
    if (!this.pino.isLevelEnabled(level)) return;
    const fields: Record<string, unknown> = {};
    const rest = [...params];
    // Nest passes the context last: log(message, context) and error(message, stack, context).
    if (rest.length > 0 && (level !== 'error' || rest.length > 1 || !isStack(rest[0]))) {
      const context = rest.pop();
      if (typeof context === 'string') fields.context = context;
    }
    if (level === 'error' && typeof rest[0] === 'string' && isStack(rest[0])) fields.stack = rest[0];
    let msg: string;
    if (message instanceof Error) {
      fields.err = message;
      msg = message.message;
    } else if (typeof message === 'string') {
      const parsed = message.startsWith('{') ? parseObject(message) : undefined;
      if (parsed) {
        Object.assign(fields, parsed);
        msg = typeof parsed.event === 'string' ? parsed.event : '';
      } else if (isStack(message)) {
        fields.stack = message;
        msg = message.slice(0, message.indexOf('\n'));
      } else {
        msg = message;
      }
    } else if (typeof message === 'object' && message !== null) {
      Object.assign(fields, message);
      const text = (message as { message?: unknown; msg?: unknown }).message ?? fields.msg;
      delete fields.msg;
      msg = typeof text === 'string' ? text : '';
    } else {
      msg = String(message);
    }
    this.pino[level](fields, msg);
  }
}

function isStack(value: unknown): value is string {
  return typeof value === 'string' && STACK.test(value);
}

function parseObject(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}
