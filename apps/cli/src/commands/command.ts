import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { AppConfig } from '@engine/platform';

export interface CliCommand {
  name: string;
  usage: string;
  summary: string;
  /** Returns the process exit code. */
  run(args: string[], config: AppConfig): Promise<number>;
}

export class CliUsageError extends Error {}

/** node:util parseArgs, with unknown options and missing values reported as usage errors. */
export function parseOptions<T extends NonNullable<ParseArgsConfig['options']>>(
  command: string,
  args: string[],
  options: T,
) {
  try {
    return parseArgs({ args, options, strict: true, allowPositionals: true });
  } catch (error) {
    throw new CliUsageError(`${command}: ${(error as Error).message}`);
  }
}
