import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Harness, startApi } from './support/api-harness';
import { BrowserSession } from './support/browser-session';

const ROOT = join(__dirname, '..');

/**
 * The first admin of a fresh install (issue 15): `npm run cli -- users add --role admin ...`
 * with the compiled CLI, the password on standard input; then that admin signs in over HTTP
 * and manages accounts. Also: the sign-in endpoints are in the served OpenAPI document.
 */
describe('the first admin, from the command line', () => {
  let dataDir: string;
  let h: Harness | undefined;
  beforeAll(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'e2e-users-'));
  });
  afterAll(async () => {
    await h?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const cli = (args: string[], input: string) =>
    spawnSync(process.execPath, [join(ROOT, 'dist/apps/cli/src/main.js'), ...args], {
      input,
      encoding: 'utf8',
      env: { PATH: process.env.PATH ?? '', DATA_DIR: dataDir, LOG_LEVEL: 'warn' },
    });

  it('creates an admin who then signs in and creates an officer', async () => {
    const add = ['users', 'add', '--role', 'admin', '--login', 'root.admin', '--name', '系统管理员'];
    const created = cli(add, 'Bureau-admin-2026!\n');
    expect(created.stderr).toBe('');
    expect(created.status).toBe(0);
    // No locale set: the operator reads Chinese.
    expect(created.stdout).toMatch(/已创建 admin 账号 acc-[\w-]+（登录名 root\.admin）/);
    // Again: the login is taken. A common password: refused, nothing made.
    expect(cli(add, 'Bureau-admin-2026!\n').status).toBe(1);
    const weak = cli(['users', 'add', '--role', 'admin', '--login', 'other', '--name', 'x'], 'password123\n');
    expect([weak.status, weak.stderr]).toEqual([64, expect.stringMatching(/most common passwords/)]);
    expect(cli(['users', 'add', '--role', 'officer', '--login', 'o', '--name', 'x'], 'x\n').status).toBe(64);

    h = await startApi({ dataDir });
    const admin = new BrowserSession(h);
    expect((await admin.signIn('root.admin', 'Bureau-admin-2026!')).body).toMatchObject({
      role: 'admin',
      name: '系统管理员',
    });
    const officer = await admin.request('POST', '/v1/accounts', {
      body: {
        login: 'li.liangxi',
        name: '李科员',
        password: 'Liangxi-officer-1',
        role: 'officer',
        jurisdiction: 'js.wuxi.liangxi',
      },
    });
    expect(officer).toMatchObject({
      status: 201,
      body: { role: 'officer', jurisdiction: 'js.wuxi.liangxi' },
    });
    const list = await admin.request('GET', '/v1/accounts');
    // (the CLI ran on the system clock, the app on the test's manual clock: compare as a set)
    expect(list.body.map((a: { login: string }) => a.login).sort()).toEqual(['li.liangxi', 'root.admin']);
    expect(JSON.stringify(list.body)).not.toMatch(/argon2|password/i);

    const doc = await h.request('GET', '/docs-json');
    for (const path of [
      '/v1/auth/sign-in',
      '/v1/auth/sign-out',
      '/v1/me',
      '/v1/accounts',
      '/v1/auth/oidc/login',
    ])
      expect(doc.body.paths[path]).toBeDefined();
  }, 120_000);
});
