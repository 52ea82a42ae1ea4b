import { Command, CommanderError, Option } from 'commander';
import { createInterface } from 'node:readline/promises';
import type { AppConfig } from '@engine/platform';
import { t } from './locale';

/** One option of a command: `--name VALUE` (string) or a `--flag` (boolean). */
export interface CliOptionSpec {
  type: 'string' | 'boolean';
  /** Shown by `--help`, in the locale's language. */
  description?: string;
  default?: string | boolean;
  /** The value's placeholder in the help (default: the option's name in capitals). */
  placeholder?: string;
  /** Values accepted; anything else is a usage error (exit 64). */
  choices?: readonly string[];
  short?: string;
}
export type CliOptionSpecs = Record<string, CliOptionSpec>;

/**
 * A command of the operators' and auditors' command line. Each lives in its own module
 * (commands/<name>.command.ts); main.ts turns the list into a commander program, whose `--help`
 * shows `summary`, `arguments` and every option's description.
 */
export interface CliCommand {
  name: string;
  /** One line of usage, as README.md shows it. */
  usage: string;
  summary: string;
  /** commander argument syntax: `<dir>`, `[projection...]`. */
  arguments?: { syntax: string; description: string }[];
  options?: CliOptionSpecs;
  /** Returns the process exit code (EXIT below). */
  run(args: string[], config: AppConfig): Promise<number>;
}

/** Exit codes, the same for every command. */
export const EXIT = {
  ok: 0,
  /** Something failed (the message says what). */
  failed: 1,
  /** The record, a backup or an export is broken or was altered. */
  broken: 2,
  /** Bad usage: unknown command or option, a missing or invalid value, a refusal to go on. */
  usage: 64,
  /** Bad configuration (the environment). */
  config: 78,
} as const;

export class CliUsageError extends Error {}

/** The integrity of a backup, an export or the record is broken: exit 2, like `verify`. */
export class CliBrokenError extends Error {}

/** Builds the commander command of `name` from its options (used for help and for parsing). */
export function commanderCommand(
  name: string,
  summary: string,
  spec: CliOptionSpecs,
  args: CliCommand['arguments'] = [],
) {
  const command = new Command(name).description(summary);
  for (const { syntax, description } of args) command.argument(syntax, description);
  for (const [key, option] of Object.entries(spec)) {
    const flags = `${option.short ? `-${option.short}, ` : ''}--${key}${
      option.type === 'string' ? ` <${option.placeholder ?? key.toUpperCase().replace(/-/g, '_')}>` : ''
    }`;
    const built = new Option(flags, option.description);
    if (option.default !== undefined) built.default(option.default);
    if (option.choices) built.choices(option.choices);
    command.addOption(built);
  }
  command.helpOption('-h, --help', t('显示此命令的帮助', 'show help for this command'));
  return command;
}

/**
 * Parses a command's arguments with commander (unknown options, missing values and values
 * outside `choices` are usage errors, exit 64). `values` are keyed as in `spec`.
 */
export function parseOptions<T extends CliOptionSpecs>(
  name: string,
  args: string[],
  spec: T,
  positional: CliCommand['arguments'] = [{ syntax: '[arguments...]', description: '' }],
): {
  values: { [K in keyof T]: T[K]['type'] extends 'boolean' ? boolean | undefined : string | undefined };
  positionals: string[];
} {
  const command = commanderCommand(name, '', spec, positional)
    .exitOverride()
    .configureOutput({ writeErr: () => undefined, writeOut: () => undefined })
    .allowExcessArguments(false);
  try {
    command.parse(args, { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError)
      throw new CliUsageError(`${name}: ${error.message.replace(/^error: /, '')}`);
    throw error;
  }
  const values = Object.fromEntries(
    Object.keys(spec).map((key) => [
      key,
      command.getOptionValue(key.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase())),
    ]),
  );
  return { values: values as never, positionals: command.args };
}

/**
 * Asks before a destructive step. `--yes` skips the question; without a terminal to ask on,
 * the command refuses (exit 64) rather than guess.
 */
export async function confirm(question: string, yes: boolean | undefined): Promise<boolean> {
  if (yes) return true;
  if (!process.stdin.isTTY) {
    throw new CliUsageError(
      t(
        '没有可以确认的终端：确认无误后加 --yes 再运行',
        'no terminal to confirm on: run again with --yes once you are sure',
      ),
    );
  }
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    const answer = (await rl.question(`${question} ${t('[y/N] ', '[y/N] ')}`)).trim().toLowerCase();
    return ['y', 'yes', '是', 'shi'].includes(answer);
  } finally {
    rl.close();
  }
}
