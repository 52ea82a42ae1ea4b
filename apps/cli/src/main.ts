import 'reflect-metadata';
import { ConfigError, loadConfig } from '@engine/platform';
import { backupCommand, restoreCommand } from './commands/backup.command';
import { type CliCommand, CliUsageError } from './commands/command';
import { exportCommand } from './commands/export.command';
import { forgetCommand } from './commands/forget.command';
import { migrateCommand } from './commands/migrate.command';
import { rebuildCommand } from './commands/rebuild.command';
import { tokenCommand } from './commands/token.command';
import { usersCommand } from './commands/users.command';
import { verifyCommand } from './commands/verify.command';
import { verifyExportCommand } from './commands/verify-export.command';

/**
 * Operators' and auditors' command line: `npm run cli -- <command> [options]`.
 * Each command lives in commands/<name>.command.ts.
 */
const commands: CliCommand[] = [
  tokenCommand,
  verifyCommand,
  backupCommand,
  restoreCommand,
  migrateCommand,
  exportCommand,
  verifyExportCommand,
  rebuildCommand,
  forgetCommand,
  usersCommand,
];

function usage(): string {
  const width = Math.max(...commands.map((c) => c.usage.length));
  return [
    'usage: npm run cli -- <command> [options]',
    '',
    ...commands.map((c) => `  ${c.usage.padEnd(width)}  ${c.summary}`),
    '',
    'Configuration comes from the environment (README.md, "Configuration").',
  ].join('\n');
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === 'help' || name === '--help' || name === '-h') {
    console.log(usage());
    return name ? 0 : 64;
  }
  const command = commands.find((c) => c.name === name);
  if (!command) {
    console.error(`unknown command "${name}"\n\n${usage()}`);
    return 64; // EX_USAGE
  }
  return command.run(rest, loadConfig());
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof ConfigError || error instanceof CliUsageError) {
      console.error(error.message);
      process.exit(error instanceof ConfigError ? 78 : 64);
    }
    console.error(error instanceof Error ? error.stack : error);
    process.exit(1);
  },
);
