import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from './support/processes';

/**
 * The operators' command line as an operator meets it: help for every command and option,
 * the version, confirmation before destructive commands, the same exit codes everywhere, and
 * the language of the operator's locale.
 */
describe('the command line (npm run cli)', () => {
  let dataDir: string;
  beforeAll(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'cli-'));
  });
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  const cli = (args: string[], locale?: string) => {
    const result = spawnSync(process.execPath, [join(ROOT, 'dist/apps/cli/src/main.js'), ...args], {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH ?? '',
        DATA_DIR: dataDir,
        LOG_LEVEL: 'warn',
        ...(locale ? { LANG: locale } : {}),
      },
      encoding: 'utf8',
      timeout: 30_000,
    });
    return { code: result.status, out: result.stdout, err: result.stderr };
  };

  const COMMANDS: Record<string, string[]> = {
    token: ['--role', '--sub', '--jurisdiction', '--org', '--ttl'],
    verify: ['--json'],
    backup: ['--out'],
    restore: ['--from', '--force', '--yes'],
    migrate: ['--schema'],
    export: ['--from', '--to', '--out', '--part-size'],
    'verify-export': ['--json'],
    rebuild: ['--batch'],
    forget: ['--subject', '--id-number', '--phone', '--by', '--yes'],
    'rotate-master-key': ['--batch', '--check'],
  };

  it('lists every command with --help, in English under an English locale, exit 0', () => {
    const help = cli(['--help'], 'en_US.UTF-8');
    expect(help.code).toBe(0);
    for (const name of Object.keys(COMMANDS)) expect(help.out).toMatch(new RegExp(`^  ${name} `, 'm'));
    expect(help.out).toContain('Usage:');
  });

  it.each(Object.entries(COMMANDS))('%s --help describes every option and exits 0', (name, options) => {
    const help = cli([name, '--help'], 'en_US.UTF-8');
    expect(help.code).toBe(0);
    for (const option of options) expect(help.out).toMatch(new RegExp(`${option}\\b.*\\S`));
    // Each option line carries a description, not only its name.
    for (const line of help.out.split('\n').filter((l) => /^\s+(-\w, )?--/.test(l)))
      expect(line.trim().split(/\s{2,}/).length).toBeGreaterThan(1);
  });

  it('speaks Chinese without a locale or under a Chinese one', () => {
    expect(cli(['--help']).out).toContain('用法：');
    expect(cli(['token', '--help'], 'zh_CN.UTF-8').out).toContain('签发开发用的 bearer 令牌');
    expect(cli(['verify'], 'zh_CN.UTF-8').out).toMatch(/^完好：/);
    expect(cli(['verify'], 'en_GB.UTF-8').out).toMatch(/^ok: /);
  });

  it('prints the version of the package with --version', () => {
    const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
    expect(cli(['--version'])).toMatchObject({ code: 0, out: `${version}\n` });
  });

  it('exits 64 on bad usage: no command, an unknown command or option, a value outside its choices', () => {
    expect(cli([]).code).toBe(64);
    expect(cli(['nonsense']).code).toBe(64);
    expect(cli(['verify', '--no-such-option']).code).toBe(64);
    const bad = cli(['token', '--role', 'nobody', '--sub', 'x'], 'en_US.UTF-8');
    expect(bad.code).toBe(64);
    expect(bad.err).toContain('Allowed choices are enterprise, officer, expert, auditor, admin');
  });

  it('asks before forget and restore; without a terminal it refuses unless --yes (exit 64)', () => {
    const forget = cli(['forget', '--phone', '13800138000'], 'en_US.UTF-8');
    expect(forget.code).toBe(64);
    expect(forget.err).toContain('--yes');
    expect(cli(['forget', '--phone', '13800138000', '--yes'], 'en_US.UTF-8')).toMatchObject({ code: 0 });

    const backup = join(dataDir, 'copy');
    expect(cli(['backup', '--out', backup], 'en_US.UTF-8')).toMatchObject({ code: 0 });
    const restore = cli(['restore', '--from', backup, '--force'], 'en_US.UTF-8');
    expect(restore.code).toBe(64);
    expect(restore.err).toContain('--yes');
    expect(cli(['restore', '--from', backup, '--force', '--yes'], 'en_US.UTF-8').code).toBe(0);
  }, 60_000);

  it('a broken backup is exit 2, like verify', () => {
    const broken = join(dataDir, 'broken-backup');
    mkdirSync(broken);
    writeFileSync(
      join(broken, 'events.sqlite'),
      'this is not a SQLite database, whatever its name says'.repeat(100),
    );
    const restore = cli(['restore', '--from', broken, '--yes'], 'en_US.UTF-8');
    expect(restore.code).toBe(2);
  });
});
