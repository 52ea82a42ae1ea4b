import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, type SealedPersonalData } from '@engine/platform';
import { KeyTableVault, ReadModelDatabase, readModelOptionsFromConfig } from '@engine/read-models';
import { forgetCommand } from './forget.command';
import { rotateMasterKeyCommand } from './rotate-master-key.command';

/**
 * Rotating PII_MASTER_KEY as docs/privacy.md tells an operator to: the new key in
 * PII_MASTER_KEY, the old one in PII_MASTER_KEY_PREVIOUS, `rotate-master-key`, then the old key
 * dropped. Everything sealed before opens under the new key alone, and a person is still found
 * by ID number (their subject id did not change).
 */
const people = [
  { name: '陈静', idNumber: '11010519491231002X' },
  { name: '周伟', idNumber: '320102199001011234' },
];

describe('rotate-master-key (CLI)', () => {
  const oldKey = randomBytes(32).toString('base64');
  const newKey = randomBytes(32).toString('base64');
  let dataDir: string;
  let output: string[];
  let errors: string[];
  let sealed: SealedPersonalData[];
  const locale = process.env.LC_ALL;
  const configWith = (env: Record<string, string>) => loadConfig({ DATA_DIR: dataDir, ...env });

  async function withVault<T>(
    env: Record<string, string>,
    use: (vault: KeyTableVault) => Promise<T>,
  ): Promise<T> {
    const config = configWith(env);
    const db = await ReadModelDatabase.open(readModelOptionsFromConfig(config));
    try {
      return await use(
        await KeyTableVault.open(db, config.PII_MASTER_KEY, { previous: config.PII_MASTER_KEY_PREVIOUS }),
      );
    } finally {
      await db.close();
    }
  }

  beforeAll(async () => {
    process.env.LC_ALL = 'en_US.UTF-8'; // the assertions read the English wording
    dataDir = mkdtempSync(join(tmpdir(), 'cli-rotate-'));
    sealed = await withVault({ PII_MASTER_KEY: oldKey }, (vault) =>
      Promise.all(people.map((p) => vault.seal(vault.subjectFor('id-number', p.idNumber), p))),
    );
  });
  afterAll(() => {
    rmSync(dataDir, { recursive: true, force: true });
    process.env.LC_ALL = locale;
    if (locale === undefined) delete process.env.LC_ALL;
  });
  beforeEach(() => {
    output = [];
    errors = [];
    jest.spyOn(console, 'log').mockImplementation((line: string) => void output.push(line));
    jest.spyOn(console, 'error').mockImplementation((line: string) => void errors.push(line));
  });
  afterEach(() => jest.restoreAllMocks());

  it('refuses to start without the old key, saying which setting lacks it', async () => {
    await expect(rotateMasterKeyCommand.run([], configWith({ PII_MASTER_KEY: newKey }))).resolves.toBe(1);
    expect(errors.join('\n')).toMatch(/neither PII_MASTER_KEY nor in PII_MASTER_KEY_PREVIOUS/);
  });

  it('re-wraps every key under the new master key; afterwards the new key alone opens everything', async () => {
    const rotating = { PII_MASTER_KEY: newKey, PII_MASTER_KEY_PREVIOUS: oldKey };
    await expect(rotateMasterKeyCommand.run(['--check'], configWith(rotating))).resolves.toBe(1);
    expect(output.join('\n')).toMatch(/3 keys are still wrapped by an old master key/); // 2 people + the subject key
    output.length = 0;

    await expect(rotateMasterKeyCommand.run(['--batch', '1'], configWith(rotating))).resolves.toBe(0);
    expect(output.join('\n')).toMatch(/^re-wrapped 3 keys under the current master key/);
    await expect(rotateMasterKeyCommand.run(['--check'], configWith(rotating))).resolves.toBe(0);

    const opened = await withVault({ PII_MASTER_KEY: newKey }, (vault) =>
      Promise.all(sealed.map((s) => vault.open(s))),
    );
    expect(opened).toEqual(people);
    // The subject ids did not change: a forget by ID number under the new key finds the person.
    output.length = 0;
    await expect(
      forgetCommand.run(['--id-number', people[0].idNumber, '--yes'], configWith({ PII_MASTER_KEY: newKey })),
    ).resolves.toBe(0);
    expect(output.join('\n')).toMatch(/^forgotten: ID number/);
    const after = await withVault({ PII_MASTER_KEY: newKey }, (vault) =>
      Promise.all(sealed.map((s) => vault.open(s))),
    );
    expect(after).toEqual([undefined, people[1]]);
  });

  it('says what is wrong with a bad --batch', async () => {
    await expect(
      rotateMasterKeyCommand.run(['--batch', '0'], configWith({ PII_MASTER_KEY: newKey })),
    ).rejects.toThrow('--batch must be a whole number from 1 to 10000');
  });
});
