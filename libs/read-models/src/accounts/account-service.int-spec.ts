import { EventStore } from '@engine/event-store';
import { SqliteEventStore } from '@engine/event-store/adapters/sqlite/sqlite-event-store';
import { DEVELOPMENT_PII_MASTER_KEY } from '@engine/platform';
import { generate } from 'otplib';
import type { ReadModelDatabase } from '../database';
import { KeyTableVault } from '../personal-data/key-table-vault';
import { testReadModels, type TestReadModels } from '../testing/databases.testing';
import { AccountError } from './account';
import { AccountService } from './account-service';
import { accountDb } from './account-tables';

const PG_URL = process.env.PG_TEST_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const ADMIN = { actor: { sub: 'admin-1', role: 'admin' } };
const PASSWORD = 'Grand-canal-2026!';

/**
 * The account service over the real read-model database, in both dialects: logins unique,
 * sessions with idle and absolute ends, disable ending sessions, single-use tokens, TOTP
 * with replay refused, and no secret in the event store.
 */
describe.each(['sqlite', 'postgres'] as const)('account service on %s', (dialect) => {
  let models: TestReadModels;
  let db: ReadModelDatabase;
  let store: EventStore;
  let now = new Date('2026-06-01T08:00:00.000Z');
  let accounts: AccountService;
  let serial = 0;
  const login = () => `user-${dialect}-${++serial}`;

  beforeAll(async () => {
    models = testReadModels(dialect, PG_URL);
    db = await models.open();
    store = new EventStore(new SqliteEventStore({ file: ':memory:', now: () => now }));
    accounts = new AccountService({
      store,
      db,
      vault: await KeyTableVault.open(db, DEVELOPMENT_PII_MASTER_KEY, { now: () => now }),
      now: () => now,
      sessionIdleMs: 30 * 60_000,
      sessionAbsoluteMs: 12 * 3_600_000,
    });
  });
  afterAll(async () => {
    await store.close();
    await models.dispose();
  });

  const officer = (name = login()) =>
    accounts.create(
      {
        login: name,
        password: PASSWORD,
        name: '周科长',
        email: `${name}@example.gov.cn`,
        scope: { role: 'officer', jurisdiction: 'js.wuxi.xinwu' },
        source: 'admin',
      },
      ADMIN,
    );

  it('creates an account whose login is unique whatever its case, and keeps secrets out of the store', async () => {
    const name = login();
    const view = await officer(name);
    expect(view).toMatchObject({
      login: name,
      role: 'officer',
      jurisdiction: 'js.wuxi.xinwu',
      status: 'active',
    });
    await expect(officer(name.toUpperCase())).rejects.toMatchObject({ status: 409, code: 'LOGIN_TAKEN' });
    const recorded = JSON.stringify(await store.readStream(`account-${view.id}`));
    expect(recorded).not.toContain(PASSWORD);
    expect(recorded).not.toContain(`${name}@example.gov.cn`);
    const credentials = await accountDb(db)
      .selectFrom('auth_credentials')
      .selectAll()
      .where('account_id', '=', view.id)
      .executeTakeFirstOrThrow();
    expect(credentials.password_hash).toMatch(/^\$argon2id\$/);
    expect(await accounts.personal(view.id)).toMatchObject({ email: `${name}@example.gov.cn`, login: name });
    expect((await accounts.checkPassword(name.toUpperCase(), PASSWORD))?.account_id).toBe(view.id);
    expect(await accounts.checkPassword(name, 'Wrong-password-1')).toBeUndefined();
    expect(await accounts.checkPassword('nobody-here', PASSWORD)).toBeUndefined();
  });

  it('refuses weak passwords and scopes a role cannot hold', async () => {
    await expect(
      accounts.create(
        { login: login(), password: 'qwertyuiop', name: 'x', scope: { role: 'admin' }, source: 'admin' },
        ADMIN,
      ),
    ).rejects.toMatchObject({ status: 400, code: 'WEAK_PASSWORD' });
    await expect(
      accounts.create(
        { login: login(), password: PASSWORD, name: 'x', scope: { role: 'officer' }, source: 'admin' },
        ADMIN,
      ),
    ).rejects.toBeInstanceOf(AccountError);
  });

  it('ends sessions when idle, at their absolute end, and at once when the account is disabled', async () => {
    const view = await officer();
    const idle = await accounts.startSession(view.id, false);
    const busy = await accounts.startSession(view.id, false);
    const start = now.getTime();
    for (let minutes = 25; minutes <= 50; minutes += 25) {
      now = new Date(start + minutes * 60_000);
      expect(await accounts.session(busy.id)).toBeDefined();
    }
    expect(await accounts.session(idle.id)).toBeUndefined();
    now = new Date(start + 12 * 3_600_000);
    expect(await accounts.session(busy.id)).toBeUndefined();

    const live = await accounts.startSession(view.id, false);
    expect((await accounts.session(live.id))?.account.account_id).toBe(view.id);
    await accounts.execute(view.id, { kind: 'disable' }, ADMIN);
    expect(await accounts.session(live.id)).toBeUndefined();
    const rows = await accountDb(db)
      .selectFrom('auth_sessions')
      .selectAll()
      .where('account_id', '=', view.id)
      .execute();
    expect(rows).toEqual([]);
    expect((await store.readStream(`account-${view.id}`)).map((e) => e.type)).toEqual([
      'AccountCreated',
      'AccountDisabled',
    ]);
    // Disabling twice records nothing more.
    await accounts.execute(view.id, { kind: 'disable' }, ADMIN);
    expect(await store.readStream(`account-${view.id}`)).toHaveLength(2);
  });

  it('uses a one-time token once, and never after it expired', async () => {
    const view = await officer();
    const token = await accounts.issueToken('password-reset', view.id, {}, 30 * 60_000);
    const [first, second] = await Promise.all([
      accounts.consumeToken('password-reset', token),
      accounts.consumeToken('password-reset', token),
    ]);
    expect([first, second].filter(Boolean)).toHaveLength(1);
    const late = await accounts.issueToken('password-reset', view.id, {}, 30 * 60_000);
    now = new Date(now.getTime() + 30 * 60_000);
    expect(await accounts.consumeToken('password-reset', late)).toBeUndefined();
  });

  it('enrols TOTP, accepts a code once, and accepts each recovery code once', async () => {
    const view = await officer();
    const { secret, uri } = await accounts.beginTotp(view.id);
    expect(uri).toContain('otpauth://totp/');
    const epoch = Math.floor(now.getTime() / 1000);
    expect(await accounts.confirmTotp(view.id, '000000', ADMIN)).toBeUndefined();
    const codes = await accounts.confirmTotp(view.id, await generate({ secret, epoch }), ADMIN);
    expect(codes).toHaveLength(10);
    now = new Date(now.getTime() + 30_000);
    const code = await generate({ secret, epoch: epoch + 30 });
    expect(await accounts.checkSecondFactor(view.id, code)).toBe(true);
    expect(await accounts.checkSecondFactor(view.id, code)).toBe(false);
    expect(await accounts.checkSecondFactor(view.id, codes![3].toUpperCase())).toBe(true);
    expect(await accounts.checkSecondFactor(view.id, codes![3])).toBe(false);
    expect(await accounts.remainingRecoveryCodes(view.id)).toBe(9);
    const stored = JSON.stringify(
      await accountDb(db)
        .selectFrom('auth_credentials')
        .selectAll()
        .where('account_id', '=', view.id)
        .execute(),
    );
    expect(stored).not.toContain(secret);
  });
});
