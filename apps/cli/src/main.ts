import 'reflect-metadata';
import { Command, CommanderError } from 'commander';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, loadConfig } from '@engine/platform';
import { backupCommand, restoreCommand } from './commands/backup.command';
import { calendarCheckCommand } from './commands/calendar-check.command';
import { collectBlobsCommand } from './commands/collect-blobs.command';
import { CliBrokenError, type CliCommand, CliUsageError, commanderCommand, EXIT } from './commands/command';
import { exportCommand } from './commands/export.command';
import { forgetCommand } from './commands/forget.command';
import { cliLocale, t } from './commands/locale';
import { migrateCommand } from './commands/migrate.command';
import { rebuildCommand } from './commands/rebuild.command';
import { registerImportCommand, screenCommand } from './commands/registers.command';
import { rotateMasterKeyCommand } from './commands/rotate-master-key.command';
import { tokenCommand } from './commands/token.command';
import { usersCommand } from './commands/users.command';
import { verifyCommand } from './commands/verify.command';
import { verifyExportCommand } from './commands/verify-export.command';

/**
 * Operators' and auditors' command line: `npm run cli -- <command> [options]`, on commander.
 * Each command lives in commands/<name>.command.ts and declares its arguments and options once:
 * they give both `--help` and the parsing. Exit codes (commands/command.ts EXIT): 0 done,
 * 1 failed, 2 broken record/backup/export, 64 bad usage, 78 bad configuration.
 */
const commands: CliCommand[] = [
  tokenCommand,
  verifyCommand,
  backupCommand,
  restoreCommand,
  migrateCommand,
  exportCommand,
  verifyExportCommand,
  collectBlobsCommand,
  rebuildCommand,
  forgetCommand,
  rotateMasterKeyCommand,
  usersCommand,
  registerImportCommand,
  screenCommand,
  calendarCheckCommand,
];

const TITLES: Record<string, string> = {
  'Usage:': '用法：',
  'Options:': '选项：',
  'Commands:': '命令：',
  'Arguments:': '参数：',
  'Global Options:': '全局选项：',
};

function version(): string {
  for (const candidate of [
    join(__dirname, '../../../../package.json'),
    join(__dirname, '../../../package.json'),
  ]) {
    try {
      return (JSON.parse(readFileSync(candidate, 'utf8')) as { version: string }).version;
    } catch {
      // the next place
    }
  }
  return 'unknown';
}

export function buildProgram(
  argv: string[],
  run: (command: CliCommand, args: string[]) => Promise<number>,
): {
  program: Command;
  exitCode: () => number;
} {
  let exitCode: number = EXIT.ok;
  const program = new Command('cli')
    .usage(t('<命令> [选项]', '<command> [options]'))
    .description(
      t(
        '企业培育库的运维与审计命令。配置来自环境变量（README.md“配置”一节）。',
        "The cultivation engine's operators' and auditors' commands. Configuration comes from the environment (README.md, \"Configuration\").",
      ),
    )
    .version(version(), '-V, --version', t('显示版本号', 'print the version'))
    .helpOption('-h, --help', t('显示帮助', 'show help'))
    .helpCommand('help [command]', t('显示某个命令的帮助', 'show help for a command'))
    .exitOverride()
    .showHelpAfterError(t('（--help 查看用法）', '(--help for usage)'));
  program.configureHelp({
    styleTitle: (title) => (cliLocale() === 'zh-CN' ? (TITLES[title] ?? title) : title),
  });
  for (const command of commands) {
    const sub = commanderCommand(command.name, command.summary, command.options ?? {}, command.arguments)
      .exitOverride()
      .configureHelp({ styleTitle: (title) => (cliLocale() === 'zh-CN' ? (TITLES[title] ?? title) : title) })
      .action(async () => {
        // The command parses its arguments again from the same declaration (commands/command.ts
        // parseOptions), so that it can also be called directly (its tests do).
        exitCode = await run(command, argv.slice(argv.indexOf(command.name) + 1));
      });
    // A command that does not declare its options parses them itself.
    if (!command.options) sub.allowUnknownOption().allowExcessArguments();
    program.addCommand(sub);
  }
  return { program, exitCode: () => exitCode };
}

async function main(argv: string[]): Promise<number> {
  const { program, exitCode } = buildProgram(argv, (command, args) => command.run(args, loadConfig()));
  if (argv.length === 0) {
    program.outputHelp({ error: true });
    return EXIT.usage;
  }
  try {
    await program.parseAsync(argv, { from: 'user' });
    return exitCode();
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version end here too, with exit code 0.
      return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    throw error;
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof ConfigError || error instanceof CliUsageError || error instanceof CliBrokenError) {
      console.error(error.message);
      process.exit(
        error instanceof ConfigError
          ? EXIT.config
          : error instanceof CliBrokenError
            ? EXIT.broken
            : EXIT.usage,
      );
    }
    console.error(error instanceof Error ? error.stack : error);
    process.exit(EXIT.failed);
  },
);
