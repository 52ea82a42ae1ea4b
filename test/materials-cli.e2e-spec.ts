import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  chmodSync,
  existsSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eagletData } from '@engine/incubation/testing/sample-applications';
import type { ExportManifest } from '@engine/incubation';
import { startApi } from './support/api-harness';
import { creditCode } from './support/fixtures';
import { filesUnder, samples, upload } from './support/materials';
import { ROOT } from './support/processes';

/**
 * The material files under the operators' and auditors' command line (the compiled CLI):
 * verify, export with and without files, verify-export, backup and restore.
 */
const city = { sub: 'officer-wuxi', role: 'officer' as const, jurisdiction: 'js.wuxi' };
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

describe('material files on the command line', () => {
  let dir: string;
  let dataDir: string;
  const files: { applicationId: string; materialId: string; content: Buffer; fileName: string }[] = [];

  const cli = (env: Record<string, string>, ...args: string[]) => {
    const result = spawnSync(process.execPath, [join(ROOT, 'dist/apps/cli/src/main.js'), ...args], {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH ?? '',
        DATA_DIR: dataDir,
        LOG_LEVEL: 'warn',
        LANG: 'en_US.UTF-8',
        ...env,
      },
      encoding: 'utf8',
      timeout: 60_000,
    });
    return { code: result.status, out: `${result.stdout}${result.stderr}` };
  };
  const blobPath = (data: string, digest: string) =>
    join(data, 'blobs', 'sha256', digest.slice(0, 2), digest);
  const alter = (path: string) => {
    chmodSync(path, 0o644);
    const bytes = readFileSync(path);
    bytes[bytes.length - 1] ^= 0xff;
    writeFileSync(path, bytes);
    return () =>
      writeFileSync(path, Buffer.from(bytes.map((b, i) => (i === bytes.length - 1 ? b ^ 0xff : b))));
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'materials-cli-'));
    dataDir = join(dir, 'data');
    const h = await startApi({ dataDir });
    try {
      const round = await h.request('POST', '/v1/rounds', {
        as: city,
        body: {
          programme: 'eaglet',
          year: 2026,
          batch: 1,
          title: '材料命令行测试批次',
          jurisdiction: 'js.wuxi',
          opensAt: '2026-03-01T00:00:00+08:00',
          closesAt: '2026-04-30T17:00:00+08:00',
        },
      });
      for (let i = 1; i <= 2; i++) {
        const code = creditCode(`91320214MC${String(i).padStart(7, '0')}`);
        const owner = { sub: `ent-${code}`, role: 'enterprise' as const, org: code };
        await h.request('POST', '/v1/enterprises', {
          as: owner,
          body: {
            creditCode: code,
            name: `命令行材料${i}有限公司`,
            jurisdiction: 'js.wuxi.xinwu',
            establishedOn: '2019-05-20',
          },
        });
        const app = await h.request('POST', '/v1/applications', {
          as: owner,
          body: { roundId: round.body.id, creditCode: code, data: eagletData() },
        });
        for (const [kind, content, fileName] of [
          ['business-licence', samples.jpeg(30_000), `营业执照${i}.jpg`],
          ['audit-report', samples.pdf(200_000), `审计报告${i}.pdf`],
        ] as const) {
          const res = await upload(h, app.body.id, owner, kind, { name: fileName, content });
          expect(res.status).toBe(201);
          files.push({ applicationId: app.body.id, materialId: res.body.id, content, fileName });
        }
      }
      // One removed: its file stays, and is still checked.
      const removed = files[0];
      expect(
        (
          await h.request(
            'DELETE',
            `/v1/applications/${removed.applicationId}/materials/${removed.materialId}`,
            {
              as: { sub: 'x', role: 'enterprise', org: creditCode('91320214MC0000001') },
            },
          )
        ).status,
      ).toBe(200);
    } finally {
      await h.close();
    }
  }, 90_000);
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('verify checks every stored file, and names the application and material of an altered one (exit 2)', () => {
    const ok = cli({}, 'verify');
    expect(ok).toMatchObject({ code: 0 });
    expect(ok.out).toContain(
      'ok: 4 materials and 0 objection evidence files in 4 files, every digest matches',
    );
    const victim = files[3];
    const undo = alter(blobPath(dataDir, sha256(victim.content)));
    try {
      const broken = cli({}, 'verify');
      expect(broken.code).toBe(2);
      expect(broken.out).toContain(
        `application ${victim.applicationId} material ${victim.materialId} (audit-report, ${victim.fileName})`,
      );
      expect(broken.out).toContain('altered');
      const json = JSON.parse(
        cli({}, 'verify', '--json')
          .out.split('\n')
          .find((line) => line.startsWith('{'))!,
      );
      expect(json.materials.problems).toEqual([
        expect.objectContaining({ materialId: victim.materialId, problem: 'altered' }),
      ]);
    } finally {
      undo();
    }
    expect(cli({}, 'verify').code).toBe(0);
  });

  it('exports the files with the events, and verify-export finds one altered file offline', () => {
    const out = join(dir, 'bundle');
    expect(cli({}, 'export', '--out', out)).toMatchObject({ code: 0 });
    const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')) as ExportManifest;
    expect(manifest.materials?.filesIncluded).toBe(true);
    expect(manifest.materials?.entries).toHaveLength(4);
    expect(readdirSync(join(out, 'materials')).sort()).toEqual(files.map((f) => sha256(f.content)).sort());
    expect(cli({}, 'verify-export', out)).toMatchObject({ code: 0 });

    const victim = files[1];
    alter(join(out, 'materials', sha256(victim.content)));
    const detected = cli({}, 'verify-export', out);
    expect(detected.code).toBe(2);
    expect(detected.out).toContain(`material ${victim.materialId} (audit-report, ${victim.fileName})`);
    expect(detected.out).toContain('is altered');
  });

  it('exports digests only with --without-files, and verify-export still ties each to its event', () => {
    const out = join(dir, 'digests');
    expect(cli({}, 'export', '--out', out, '--without-files')).toMatchObject({ code: 0 });
    expect(existsSync(join(out, 'materials'))).toBe(false);
    const manifestPath = join(out, 'manifest.json');
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as ExportManifest;
    expect(manifest.materials).toMatchObject({ filesIncluded: false });
    expect(manifest.materials!.entries.every((e) => e.file === null)).toBe(true);
    expect(cli({}, 'verify-export', out)).toMatchObject({ code: 0 });
    // A digest changed in the manifest no longer matches the event that the chain covers.
    manifest.materials!.entries[0].sha256 = '0'.repeat(64);
    writeFileSync(manifestPath, JSON.stringify(manifest, null, 2));
    const detected = cli({}, 'verify-export', out);
    expect(detected.code).toBe(2);
    expect(detected.out).toContain(`material ${manifest.materials!.entries[0].materialId}`);
  });

  it('backs up the files beside the store, and a restore into an empty DATA_DIR brings them back', async () => {
    const backup = join(dir, 'backup');
    const made = cli({}, 'backup', '--out', backup);
    expect(made).toMatchObject({ code: 0 });
    expect(made.out).toContain('4 files');
    expect(readdirSync(join(backup, 'materials'))).toHaveLength(4);

    const fresh = join(dir, 'restored');
    const restored = cli({ DATA_DIR: fresh }, 'restore', '--from', backup, '--yes');
    expect(restored).toMatchObject({ code: 0 });
    expect(filesUnder(join(fresh, 'blobs', 'sha256'))).toHaveLength(4);
    expect(cli({ DATA_DIR: fresh }, 'verify')).toMatchObject({ code: 0 });

    const h = await startApi({ dataDir: fresh });
    try {
      for (const f of files.slice(1)) {
        const res = await h.app.inject({
          method: 'GET',
          url: `/v1/applications/${f.applicationId}/materials/${f.materialId}/content`,
          headers: { authorization: `Bearer ${await h.token({ sub: 'auditor-1', role: 'auditor' })}` },
        });
        expect(res.statusCode).toBe(200);
        expect(res.rawPayload.equals(f.content)).toBe(true);
      }
    } finally {
      await h.close();
    }
  }, 60_000);

  it('refuses to restore a backup whose files are incomplete, touching nothing', () => {
    const backup = join(dir, 'backup');
    const victim = files[2];
    rmSync(join(backup, 'materials', sha256(victim.content)));
    const target = join(dir, 'untouched');
    const refused = cli({ DATA_DIR: target }, 'restore', '--from', backup, '--yes');
    expect(refused.code).toBe(2);
    expect(refused.out).toContain(`material ${victim.materialId}`);
    expect(existsSync(join(target, 'events.sqlite'))).toBe(false);
    expect(filesUnder(join(target, 'blobs', 'sha256'))).toEqual([]);
  });
});
