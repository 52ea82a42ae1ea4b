import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eagletData } from '@engine/incubation/testing/sample-applications';
import {
  type ApiProcess,
  draftApplication,
  memoryOf,
  pdfBytes,
  startApiProcess,
  streamDownload,
  streamUpload,
} from '../bench/materials-support';
import { filesUnder } from './support/materials';
import { ROOT } from './support/processes';

/**
 * Uploads stream: a 50 MB file through the compiled api (its own process, real HTTP) raises the
 * process's resident memory by less than 20 MB, measured by the kernel's peak RSS (VmHWM, reset
 * just before the upload through /proc/<pid>/clear_refs) against the RSS just before.
 *
 * Protocol: the process is warmed up first with uploads of 2 and 50 MB. The first large upload
 * of a fresh process makes V8 grow its young generation once (about 30 MB on this machine,
 * whatever the file's size: 10 MB cold gives +11 MB, then 50 MB +20 MB, and every upload after
 * that +0 to 3 MB); what this test guards is that memory does not follow the file's size, so it
 * measures the process in that steady state, over three further 50 MB uploads.
 */
const MB = 1024 * 1024;

describe('material uploads stream', () => {
  let dataDir: string;
  let api: ApiProcess;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'e2e-materials-memory-'));
    api = await startApiProcess(ROOT, {
      DATA_DIR: dataDir,
      MATERIAL_MAX_FILE_BYTES: String(64 * MB),
      MATERIAL_MAX_APPLICATION_BYTES: String(512 * MB),
    });
  }, 90_000);
  afterAll(async () => {
    await api?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('a 50 MB upload grows the api process by less than 20 MB, and the file comes back whole', async () => {
    const { id, token } = await draftApplication(api.base, eagletData());
    for (const size of [2, 50]) {
      const warm = await streamUpload(api.base, token, id, 'audit-report', 'warm.pdf', pdfBytes(size * MB));
      expect(warm.status).toBe(201);
    }

    const pid = api.child.pid!;
    const read = (path: string) => readFileSync(path, 'utf8');
    let upload: Awaited<ReturnType<typeof streamUpload>> | undefined;
    const growths: number[] = [];
    for (let i = 0; i < 3; i++) {
      const before = memoryOf(pid, read);
      // 5: reset the peak resident set size (VmHWM) to the current one.
      writeFileSync(`/proc/${pid}/clear_refs`, '5');
      upload = await streamUpload(api.base, token, id, 'audit-report', '审计报告.pdf', pdfBytes(50 * MB));
      const after = memoryOf(pid, read);
      expect(upload.status).toBe(201);
      expect(upload.body).toMatchObject({ size: 50 * MB, mediaType: 'application/pdf' });
      growths.push(after.peak - before.rss);
      console.log(
        `50 MB upload: RSS ${(before.rss / MB).toFixed(1)} MB before, peak ${(after.peak / MB).toFixed(1)} MB during (+${((after.peak - before.rss) / MB).toFixed(1)} MB)`,
      );
    }
    expect(Math.max(...growths)).toBeLessThan(20 * MB);

    const download = await streamDownload(api.base, token, upload!.body.href as string);
    expect(download).toEqual({ status: 200, bytes: 50 * MB });
  }, 120_000);

  it('over real HTTP a refused upload is answered while it streams (413, 415) and leaves nothing behind', async () => {
    const { id, token } = await draftApplication(api.base, eagletData(), 2);
    const stored = () => filesUnder(join(dataDir, 'blobs'));
    const before = stored();
    const tooBig = await streamUpload(api.base, token, id, 'audit-report', 'big.pdf', pdfBytes(70 * MB));
    expect(tooBig.status).toBe(413);
    expect(tooBig.body).toMatchObject({ code: 'FILE_TOO_LARGE' });
    async function* text() {
      for (let i = 0; i < 200; i++) yield Buffer.alloc(64 * 1024, 'not a document ');
    }
    const wrongType = await streamUpload(api.base, token, id, 'audit-report', 'fake.pdf', text());
    expect(wrongType.status).toBe(415);
    expect(stored()).toEqual(before);
    // The connection is still good for the next request.
    const ok = await streamUpload(api.base, token, id, 'audit-report', 'ok.pdf', pdfBytes(MB));
    expect(ok.status).toBe(201);
  }, 120_000);
});
