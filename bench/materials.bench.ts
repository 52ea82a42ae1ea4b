/**
 * npm run bench:materials — material files over HTTP beside raw disk writes of the same bytes.
 *
 *   raw write   the file's bytes written to a new file in DATA_DIR in 64 KiB pieces, fsynced
 *               (the same durability the disk blob store gives: data fsynced before it is named)
 *   upload      POST /v1/applications/:id/materials, multipart, streamed from this process in
 *               64 KiB pieces; timed from the first byte sent to the 201 (stored, fsynced, renamed
 *               into place, MaterialAttached appended with synchronous=FULL)
 *   download    GET .../content, timed until the last byte arrived (hashed on the way out)
 *
 * The api is the compiled one (dist/apps/api/src/main.js) in a child process on loopback, embedded
 * profile (SQLite, disk blob store) in a temp DATA_DIR. Each run uses a new 20 MiB file (fresh
 * random bytes: the store is content-addressed); runs alternate raw write and upload so drift in
 * machine load hits both. Figures are medians over RUNS (default 5), in MB/s (10^6 bytes/s).
 * Target (issue 20): upload and download at least 0.5x of the raw disk write.
 * Environment: RUNS (5), SIZE_MB (20, in MiB).
 */
import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { createWriteStream, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { eagletData } from '../libs/incubation/src/testing/sample-applications';
import { median } from './bench-support';
import { draftApplication, startApiProcess, streamDownload, streamUpload } from './materials-support';

const RUNS = Number(process.env.RUNS ?? 5);
const SIZE = Number(process.env.SIZE_MB ?? 20) * 1024 * 1024;
const PIECE = 64 * 1024;

function* pieces(bytes: Buffer): Generator<Buffer> {
  for (let i = 0; i < bytes.length; i += PIECE) yield bytes.subarray(i, i + PIECE);
}

async function* asyncPieces(bytes: Buffer): AsyncGenerator<Buffer> {
  yield* pieces(bytes);
}

const mbps = (bytes: number, ms: number) => bytes / 1e6 / (ms / 1000);

async function main(): Promise<void> {
  const root = resolve(__dirname, '..', '..');
  const dir = mkdtempSync(join(tmpdir(), 'bench-materials-'));
  const dataDir = join(dir, 'data');
  const rawDir = join(dataDir, 'raw');
  mkdirSync(rawDir, { recursive: true });
  const api = await startApiProcess(root, {
    DATA_DIR: dataDir,
    MATERIAL_MAX_FILE_BYTES: String(SIZE),
    MATERIAL_MAX_APPLICATION_BYTES: String(SIZE * (RUNS + 2)),
  });
  const samples = { raw: [] as number[], upload: [] as number[], download: [] as number[] };
  try {
    const { id, token } = await draftApplication(api.base, eagletData());
    // Warm-up, untimed: code paths, JIT, V8's heap sizing.
    const warm = await streamUpload(api.base, token, id, 'audit-report', 'warm.pdf', asyncPieces(file()));
    if (warm.status !== 201)
      throw new Error(`warm-up upload answered ${warm.status}: ${JSON.stringify(warm.body)}`);

    for (let run = 1; run <= RUNS; run++) {
      const bytes = file();

      let started = performance.now();
      await pipeline(
        asyncPieces(bytes),
        createWriteStream(join(rawDir, `run-${run}.pdf`), { flags: 'wx', flush: true }),
      );
      samples.raw.push(mbps(SIZE, performance.now() - started));

      started = performance.now();
      const upload = await streamUpload(
        api.base,
        token,
        id,
        'audit-report',
        `报告${run}.pdf`,
        asyncPieces(bytes),
      );
      samples.upload.push(mbps(SIZE, performance.now() - started));
      if (upload.status !== 201)
        throw new Error(`upload answered ${upload.status}: ${JSON.stringify(upload.body)}`);

      started = performance.now();
      const download = await streamDownload(api.base, token, upload.body.href as string);
      samples.download.push(mbps(SIZE, performance.now() - started));
      if (download.status !== 200 || download.bytes !== SIZE)
        throw new Error(`download answered ${download.status} with ${download.bytes} bytes`);
      console.log(
        `run ${run}/${RUNS}: raw write ${samples.raw.at(-1)!.toFixed(0)} MB/s, upload ${samples.upload.at(-1)!.toFixed(0)} MB/s, download ${samples.download.at(-1)!.toFixed(0)} MB/s`,
      );
    }
  } finally {
    await api.stop();
  }

  const m = { raw: median(samples.raw), upload: median(samples.upload), download: median(samples.download) };
  const ratio = { upload: m.upload / m.raw, download: m.download / m.raw };
  console.log(`\n${(SIZE / 1024 / 1024).toFixed(0)} MiB files, median of ${RUNS} runs\n`);
  console.log('| measure | MB/s | ratio to raw write | target |');
  console.log('|---|---:|---:|---|');
  console.log(`| raw disk write (fsynced) | ${m.raw.toFixed(0)} | 1.00x | |`);
  console.log(`| upload over HTTP | ${m.upload.toFixed(0)} | ${ratio.upload.toFixed(2)}x | >= 0.5x |`);
  console.log(`| download over HTTP | ${m.download.toFixed(0)} | ${ratio.download.toFixed(2)}x | >= 0.5x |`);
  const met = ratio.upload >= 0.5 && ratio.download >= 0.5;
  console.log(`\nmaterials target ${met ? 'MET' : 'MISSED'}`);
  mkdirSync('bench/results', { recursive: true });
  writeFileSync(
    'bench/results/materials.json',
    JSON.stringify(
      { at: new Date().toISOString(), runs: RUNS, size: SIZE, samples, medians: m, ratio, met },
      null,
      2,
    ),
  );
  rmSync(dir, { recursive: true, force: true });
}

/** A new file: a PDF header and fresh random bytes. */
function file(): Buffer {
  const bytes = randomBytes(SIZE);
  bytes.write('%PDF-1.7\n', 0, 'latin1');
  return bytes;
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
