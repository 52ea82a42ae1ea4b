import { createInterface } from 'node:readline/promises';
import { createEventStoreBackend, EventStore } from '@engine/event-store';
import { isJurisdiction, ROLES, SystemClock, validateCreditCode } from '@engine/platform';
import {
  AccountError,
  type AccountScope,
  AccountService,
  KeyTableVault,
  ReadModelDatabase,
  readModelOptionsFromConfig,
} from '@engine/read-models';
import { type CliCommand, CliUsageError, parseOptions } from './command';
import { t } from './locale';

/**
 * `npm run cli -- users add --role admin --login NAME --name NAME [--email E]`: creates an
 * account directly in the store, as the operator (`actor: cli`). A fresh install has no admin;
 * this makes the first one, who then manages everyone else over the api. The password is
 * read from the terminal (or from standard input when it is not a terminal), never from an
 * argument, so it stays out of shell history.
 */
export const usersCommand: CliCommand = {
  name: 'users',
  usage:
    'users add --role ROLE --login LOGIN --name NAME [--email E] [--jurisdiction PATH] [--org CODE] [--field F] [--id ID]',
  summary: 'create an account (the first admin of a fresh install); the password is read from stdin',
  async run(args, config) {
    const { values, positionals } = parseOptions('users', args, {
      role: { type: 'string' },
      login: { type: 'string' },
      name: { type: 'string' },
      email: { type: 'string' },
      jurisdiction: { type: 'string' },
      org: { type: 'string' },
      field: { type: 'string' },
      id: { type: 'string' },
    });
    if (positionals[0] !== 'add' || positionals.length !== 1)
      throw new CliUsageError(`users: the only subcommand is "add"\nusage: ${usersCommand.usage}`);
    if (!values.role || !(ROLES as readonly string[]).includes(values.role))
      throw new CliUsageError(`users: --role must be one of ${ROLES.join(', ')}`);
    if (!values.login) throw new CliUsageError('users: --login is required');
    if (!values.name) throw new CliUsageError('users: --name is required');
    const scope = { role: values.role } as AccountScope;
    if (scope.role === 'officer') {
      if (!isJurisdiction(values.jurisdiction))
        throw new CliUsageError('users: an officer needs --jurisdiction, e.g. js.wuxi.xinwu');
      scope.jurisdiction = values.jurisdiction;
    }
    if (scope.role === 'enterprise') {
      const code = validateCreditCode(values.org);
      if (!code.valid) throw new CliUsageError(`users: --org ${code.message}`);
      scope.org = values.org;
    }
    if (scope.role === 'expert') {
      if (!values.field) throw new CliUsageError('users: an expert needs --field');
      scope.field = values.field;
      scope.affiliations = [];
    }
    const password = await readPassword();
    const clock = new SystemClock();
    const store = new EventStore(createEventStoreBackend(config, clock));
    const db = await ReadModelDatabase.open(readModelOptionsFromConfig(config));
    try {
      const accounts = new AccountService({
        store,
        db,
        vault: await KeyTableVault.open(db, config.PII_MASTER_KEY, {
          previous: config.PII_MASTER_KEY_PREVIOUS,
        }),
        now: () => clock.now(),
        sessionIdleMs: config.SESSION_IDLE_MINUTES * 60_000,
        sessionAbsoluteMs: config.SESSION_ABSOLUTE_HOURS * 3_600_000,
      });
      const view = await accounts.create(
        {
          accountId: values.id,
          login: values.login,
          password,
          name: values.name,
          email: values.email,
          scope,
          source: 'cli',
        },
        { actor: { sub: 'cli', role: 'system' } },
      );
      console.log(
        t(
          `已创建 ${view.role} 账号 ${view.id}（登录名 ${view.login}）；在控制台登录，或调用 POST /v1/auth/sign-in`,
          `created ${view.role} account ${view.id} (login ${view.login}); sign in with POST /v1/auth/sign-in`,
        ),
      );
      return 0;
    } catch (error) {
      if (error instanceof AccountError) {
        console.error(`users: ${error.message}`);
        return error.status === 409 ? 1 : 64;
      }
      throw error;
    } finally {
      await db.close();
      await store.close();
    }
  },
};

/** The password from the terminal (asked twice, not echoed) or the first line of standard input. */
async function readPassword(): Promise<string> {
  if (!process.stdin.isTTY) {
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
    const line = Buffer.concat(chunks).toString('utf8').split(/\r?\n/)[0] ?? '';
    if (!line) throw new CliUsageError('users: no password on standard input');
    return line;
  }
  const ask = async (prompt: string) => {
    const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: true });
    const output = rl as unknown as { _writeToOutput: (s: string) => void };
    process.stdout.write(prompt);
    output._writeToOutput = () => undefined; // no echo
    try {
      return await rl.question('');
    } finally {
      rl.close();
      process.stdout.write('\n');
    }
  };
  const first = await ask('password: ');
  const second = await ask('again: ');
  if (first !== second) throw new CliUsageError('users: the two passwords differ');
  return first;
}
