import Database from 'better-sqlite3';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EventStore } from '@engine/event-store';
import { SqliteEventStore } from '@engine/event-store/adapters/sqlite/sqlite-event-store';
import { randomWorkflow } from '@engine/read-models/testing/random-workflow.testing';
import type { ExportManifest } from '@engine/incubation';
import { verifyExport } from '../apps/cli/src/commands/verify-export.command';
import { ROOT } from './support/processes';

/** The auditor's and operator's command line, run as the compiled process: export, verify-export, rebuild. */
describe('read models and export on the command line', () => {
  let dir: string;
  let dataDir: string;
  const clock = { now: new Date('2026-03-02T02:00:00.000Z') };
  let midway: string;
  let end: string;

  const cli = (...args: string[]) => {
    const result = spawnSync(process.execPath, [join(ROOT, 'dist/apps/cli/src/main.js'), ...args], {
      cwd: ROOT,
      // An English locale: the assertions read the English wording (Chinese without a locale).
      env: { PATH: process.env.PATH ?? '', DATA_DIR: dataDir, LOG_LEVEL: 'warn', LANG: 'en_US.UTF-8' },
      encoding: 'utf8',
      timeout: 60_000,
    });
    return { code: result.status, out: `${result.stdout}${result.stderr}` };
  };
  const copy = (from: string, to: string) => {
    rmSync(to, { recursive: true, force: true });
    spawnSync('cp', ['-r', from, to]);
    return to;
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'read-models-cli-'));
    dataDir = join(dir, 'data');
    const store = new EventStore(
      new SqliteEventStore({ file: join(dataDir, 'events.sqlite'), now: () => clock.now }),
    );
    await randomWorkflow(store, {
      seed: 7,
      enterprises: 20,
      rounds: 3,
      steps: 400,
      clock,
      afterStep: (step) => {
        if (step === 200) midway = clock.now.toISOString();
      },
    });
    end = new Date(clock.now.getTime() + 1000).toISOString();
    await store.close();
  }, 60_000);
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('exports a period that starts mid-stream, and verifies it offline', async () => {
    const out = join(dir, 'bundle');
    const exported = cli('export', '--from', midway, '--to', end, '--out', out, '--part-size', '50');
    expect(exported).toMatchObject({ code: 0 });
    expect(exported.out).toMatch(/manifest\.json sha256 [0-9a-f]{64}/);
    const files = readdirSync(out).sort();
    expect(files).toEqual(
      expect.arrayContaining([
        'manifest.json',
        'context.jsonl',
        'events-000001.jsonl',
        'events-000002.jsonl',
      ]),
    );
    const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')) as ExportManifest;
    expect(manifest.selection).toMatchObject({ basis: 'recordedAt', from: midway, to: end });
    expect(manifest.counts.context).toBeGreaterThan(0);
    // Streams that began before the period carry the hash they continue from.
    const continued = manifest.streams.filter((s) => s.firstRevision > 0);
    expect(continued.length).toBeGreaterThan(0);
    expect(
      continued.every((s) => /^[0-9a-f]{64}$/.test(s.previousHash) && s.previousHash !== '0'.repeat(64)),
    ).toBe(true);
    expect(manifest.files.every((f) => /^[0-9a-f]{64}$/.test(f.sha256))).toBe(true);

    const verified = cli('verify-export', out);
    expect(verified).toMatchObject({ code: 0 });
    expect(verified.out).toMatch(/^ok: \d+ events \(\+\d+ context\)/);
    expect((await verifyExport(out)).problems).toEqual([]);
  }, 60_000);

  it('detects one altered line (exit 2), even when the file digest in the manifest is forged to match', async () => {
    const clean = join(dir, 'bundle-clean');
    expect(cli('export', '--from', midway, '--to', end, '--out', clean)).toMatchObject({ code: 0 });
    const tampered = copy(clean, join(dir, 'bundle-tampered'));
    const file = join(tampered, 'events-000001.jsonl');
    const lines = readFileSync(file, 'utf8').split('\n');
    const index = lines.findIndex(
      (l) => l.includes('"ApplicationRejected"') || l.includes('"ApplicationReturned"'),
    );
    expect(index).toBeGreaterThanOrEqual(0);
    const event = JSON.parse(lines[index]);
    event.data.reason = '篡改后的意见';
    lines[index] = JSON.stringify(event);
    writeFileSync(file, lines.join('\n'));

    const detected = cli('verify-export', tampered);
    expect(detected.code).toBe(2);
    expect(detected.out).toContain('TAMPERED');
    expect(detected.out).toContain('events-000001.jsonl: SHA-256');
    expect(detected.out).toContain(`hash chain broken at ${event.stream} revision ${event.revision}`);

    // Forge the digest too: the chain still gives it away.
    const manifestPath = join(tampered, 'manifest.json');
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as ExportManifest;
    const { createHash } = await import('node:crypto');
    manifest.files.find((f) => f.name === 'events-000001.jsonl')!.sha256 = createHash('sha256')
      .update(readFileSync(file))
      .digest('hex');
    writeFileSync(manifestPath, JSON.stringify(manifest));
    const forged = await verifyExport(tampered);
    expect(forged.ok).toBe(false);
    expect(forged.problems).toEqual([
      expect.stringContaining(
        `hash chain broken at ${event.stream} revision ${event.revision} (hash-mismatch)`,
      ),
    ]);

    // A line removed is found as well.
    const removed = copy(clean, join(dir, 'bundle-removed'));
    const removedFile = join(removed, 'events-000001.jsonl');
    const kept = readFileSync(removedFile, 'utf8').split('\n');
    kept.splice(3, 1);
    writeFileSync(removedFile, kept.join('\n'));
    expect(cli('verify-export', removed).code).toBe(2);
    expect(cli('verify-export', join(dir, 'nowhere')).code).toBe(64);
  }, 60_000);

  it('rebuilds the read models with a progress report, switching generations', () => {
    const first = cli('rebuild');
    expect(first).toMatchObject({ code: 0 });
    expect(first.out).toMatch(/rebuilding applications[a-z, -]*: 100%/);
    expect(first.out).toMatch(/applications: generation 1, \d+ events to position \d+/);
    const second = cli('rebuild', 'applications');
    expect(second).toMatchObject({ code: 0 });
    expect(second.out).toMatch(/applications: generation 2 replaced 1/);
    const db = new Database(join(dataDir, 'read-models.sqlite'), { readonly: true });
    try {
      const applications = db.prepare('SELECT count(*) AS n FROM applications').get() as { n: number };
      const events = new Database(join(dataDir, 'events.sqlite'), { readonly: true });
      const created = events
        .prepare(`SELECT count(*) AS n FROM events WHERE type = 'ApplicationCreated'`)
        .get() as {
        n: number;
      };
      events.close();
      expect(applications.n).toBe(created.n);
      const tables = db
        .prepare(`SELECT name FROM sqlite_master WHERE name LIKE 'applications__g%' AND type = 'table'`)
        .all();
      expect(tables).toEqual([{ name: 'applications__g2' }]);
    } finally {
      db.close();
    }
    expect(cli('rebuild', 'nonsense')).toMatchObject({ code: 64 });
  }, 60_000);
});
