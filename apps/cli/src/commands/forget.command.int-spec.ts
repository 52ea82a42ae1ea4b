import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEventStoreBackend, EventStore } from '@engine/event-store';
import { type AppConfig, loadConfig, ManualClock, type SealedPersonalData } from '@engine/platform';
import { KeyTableVault, ReadModelDatabase, readModelOptionsFromConfig } from '@engine/read-models';
import { exportEvents } from '@engine/incubation';
import { forgetCommand } from './forget.command';
import { verifyCommand } from './verify.command';
import { verifyExport } from './verify-export.command';

/**
 * Forgetting a person, end to end on the embedded store: events carry only sealed personal
 * data, so an export shows no plaintext before or after; after `forget` the sealed data in
 * the export can no longer be opened, and the event store's hash chains still verify, because
 * the sealed bytes they cover never change.
 */
const objector = { name: '陈静', idNumber: '11010519491231002X', phone: '13712345678' };
const bystander = { name: '周伟', idNumber: '320102199001011234', phone: '13998765432' };

function readBundle(dir: string): string {
  return readdirSync(dir)
    .map((file) => readFileSync(join(dir, file), 'utf8'))
    .join('\n');
}

function sealedIn(bundle: string): SealedPersonalData[] {
  return bundle
    .split('\n')
    .filter((line) => line.startsWith('{"data"'))
    .map((line) => (JSON.parse(line) as { data: { objector: SealedPersonalData } }).data.objector);
}

describe('forget (CLI) with sealed personal data in the event store', () => {
  let dataDir: string;
  let config: AppConfig;
  let output: string[];
  const clock = new ManualClock(new Date('2026-06-01T08:00:00.000Z'));

  const locale = process.env.LC_ALL;
  // The assertions read the English wording: an English locale, as an operator's shell has it.
  beforeAll(() => {
    process.env.LC_ALL = 'en_US.UTF-8';
  });
  afterAll(() => {
    process.env.LC_ALL = locale;
    if (locale === undefined) delete process.env.LC_ALL;
  });
  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'cli-forget-'));
    config = loadConfig({ DATA_DIR: dataDir });
    const store = new EventStore(createEventStoreBackend(config, clock));
    const db = await ReadModelDatabase.open(readModelOptionsFromConfig(config));
    const vault = await KeyTableVault.open(db, config.PII_MASTER_KEY, { now: () => clock.now() });
    try {
      for (const [i, person] of [objector, bystander].entries()) {
        const sealed = await vault.seal(vault.subjectFor('id-number', person.idNumber), person);
        await store.append(
          `objection-test-${i}`,
          [
            {
              type: 'ObjectionFiled',
              data: { applicationId: `app-${i}`, objector: sealed, grounds: '研发费用数据不实' },
              metadata: {
                correlationId: `c-${i}`,
                causationId: `c-${i}`,
                actor: { sub: 'anonymous', role: 'public' },
                occurredAt: clock.now().toISOString(),
              },
            },
          ],
          'no-stream',
        );
      }
    } finally {
      await db.close();
      await store.close();
    }
  });
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));
  beforeEach(() => {
    output = [];
    jest.spyOn(console, 'log').mockImplementation((line: string) => void output.push(line));
  });
  afterEach(() => jest.restoreAllMocks());

  async function exportTo(name: string): Promise<string> {
    const backend = createEventStoreBackend(config, clock);
    try {
      await exportEvents(backend, { out: join(dataDir, name), now: () => new Date('2026-06-02T00:00:00Z') });
    } finally {
      await backend.close();
    }
    expect((await verifyExport(join(dataDir, name))).ok).toBe(true);
    return readBundle(join(dataDir, name));
  }

  async function openAll(sealed: SealedPersonalData[]) {
    const db = await ReadModelDatabase.open(readModelOptionsFromConfig(config));
    try {
      const vault = await KeyTableVault.open(db, config.PII_MASTER_KEY);
      return await Promise.all(sealed.map((s) => vault.open(s)));
    } finally {
      await db.close();
    }
  }

  it('exports no plaintext; after forget the export cannot be opened for that person, and verify still passes', async () => {
    const before = await exportTo('before');
    for (const value of [...Object.values(objector), ...Object.values(bystander)]) {
      expect(before).not.toContain(value);
    }
    const sealedBefore = sealedIn(before);
    expect(sealedBefore).toHaveLength(2);
    expect(await openAll(sealedBefore)).toEqual([objector, bystander]);

    await expect(
      forgetCommand.run(['--id-number', objector.idNumber, '--by', 'ops-li', '--yes'], config),
    ).resolves.toBe(0);
    expect(output.join('\n')).toMatch(/^forgotten: ID number 1101\*{10}002X \(subject ps1_/);
    expect(output.join('\n')).not.toContain(objector.idNumber);

    // The export taken before, and a new one: the objector's data is gone, the bystander's is not.
    expect(await openAll(sealedBefore)).toEqual([undefined, bystander]);
    const after = await exportTo('after');
    for (const value of Object.values(objector)) expect(after).not.toContain(value);
    expect(sealedIn(after)).toEqual(sealedBefore); // the record did not change: same sealed bytes
    expect(await openAll(sealedIn(after))).toEqual([undefined, bystander]);

    await expect(verifyCommand.run([], config)).resolves.toBe(0);
    expect(output.join('\n')).toContain('every hash chain intact');
  });

  it('is safe to repeat, and also takes the subject id itself', async () => {
    await expect(forgetCommand.run(['--id-number', objector.idNumber, '--yes'], config)).resolves.toBe(0);
    expect(output.join('\n')).toContain('nothing to do');
    expect(output.join('\n')).toContain('already forgotten on 20');
    const [, subject] = /subject (ps1_[\w-]+)/.exec(output.join('\n'))!;
    output.length = 0;
    await expect(forgetCommand.run(['--subject', subject, '-y'], config)).resolves.toBe(0);
    expect(output.join('\n')).toContain('already forgotten');
  });

  it('asks before destroying a key, and without a terminal to ask on refuses unless --yes', async () => {
    await expect(forgetCommand.run(['--phone', '13800138000'], config)).rejects.toThrow(/--yes/);
  });

  it('refuses bad usage with a usage error (exit 64 from main)', async () => {
    await expect(forgetCommand.run([], config)).rejects.toThrow(/exactly one of/);
    await expect(forgetCommand.run(['--id-number', '110105194912310021'], config)).rejects.toThrow(
      /check character/,
    );
    await expect(forgetCommand.run(['--subject', 'a', '--phone', '138'], config)).rejects.toThrow(
      /exactly one/,
    );
  });
});
