import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { Client } from 'pg';
import { parse } from 'yaml';
import { assembleImage, readRuntimeStage } from './support/image-layout';
import { freePort, ROOT } from './support/processes';

/**
 * The image as a bureau's IT team would rebuild it by hand on a machine without a container
 * engine: exactly the files docker/Dockerfile's runtime stage copies (parsed from the
 * Dockerfile, no second list), production dependencies only, then the api (the image's CMD)
 * and the worker (compose.yaml's command) in the production profile over PostgreSQL and Redis
 * on this machine, each to /health/ready 200.
 */
const PG = 'postgres://postgres@127.0.0.1:5432';
const REDIS_DB = 12;

jest.setTimeout(120_000);

interface Booted {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

function boot(cwd: string, command: string[], env: Record<string, string>): Booted {
  const [program, ...rest] = command;
  const child = spawn(program === 'node' ? process.execPath : program, rest, {
    cwd,
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output: () => output, exited };
}

async function readyWithin(url: string, ms: number, process: Booted): Promise<number> {
  const deadline = Date.now() + ms;
  let last = 0;
  while (Date.now() < deadline) {
    if (process.child.exitCode !== null)
      throw new Error(`exited ${process.child.exitCode}:\n${process.output()}`);
    last = await fetch(url).then(
      (r) => r.status,
      () => 0,
    );
    if (last === 200) return last;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${url} answered ${last} after ${ms} ms:\n${process.output()}`);
}

describe('the image (docker/Dockerfile) rebuilt by hand', () => {
  const stage = readRuntimeStage(join(ROOT, 'docker/Dockerfile'));
  const compose = parse(readFileSync(join(ROOT, 'docker/compose.yaml'), 'utf8'), { merge: true }) as {
    services: Record<string, { command?: string[] }>;
  };
  const image = mkdtempSync(join(tmpdir(), 'image-'));
  const database = `image_${randomBytes(5).toString('hex')}`;
  const tag = randomBytes(4).toString('hex');
  const started: Booted[] = [];

  beforeAll(async () => {
    assembleImage(ROOT, stage, image);
    const client = new Client({ connectionString: `${PG}/test` });
    await client.connect();
    await client.query(`CREATE DATABASE ${database}`);
    await client.end();
  });
  afterAll(async () => {
    for (const p of started) if (p.child.exitCode === null) p.child.kill('SIGTERM');
    await Promise.all(started.map((p) => p.exited));
    const client = new Client({ connectionString: `${PG}/test` });
    await client.connect();
    await client.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    await client.end();
    rmSync(image, { recursive: true, force: true });
    const redis = new Redis(`redis://127.0.0.1:6379/${REDIS_DB}`);
    for (const pattern of [`{image-${tag}}*`, `image-${tag}:*`]) {
      const keys = await redis.keys(pattern);
      if (keys.length) await redis.del(...keys);
    }
    redis.disconnect();
  });

  it('copies the notification rules, the policies and the build, and only production dependencies', () => {
    const sources = stage.copies.map((copy) => copy.source);
    expect(sources).toEqual(expect.arrayContaining(['dist', 'policies', 'notifications', 'node_modules']));
    expect(existsSync(join(image, 'notifications/rules.yaml'))).toBe(true);
    // Development tools are not in the image; what the engine loads at run time is.
    expect(existsSync(join(image, 'node_modules/jest'))).toBe(false);
    expect(existsSync(join(image, 'node_modules/eslint'))).toBe(false);
    expect(existsSync(join(image, 'node_modules/@nestjs/core'))).toBe(true);
  });

  it('boots the api and the worker in the production profile to /health/ready 200, and stops them with exit 0', async () => {
    const data = join(image, 'data');
    mkdirSync(data);
    const env = {
      ...stage.env,
      // The image's /data volume: a directory the test may write.
      DATA_DIR: data,
      NODE_ENV: 'production',
      LOG_LEVEL: 'warn',
      JWT_SECRET: randomBytes(32).toString('hex'),
      PII_MASTER_KEY: randomBytes(32).toString('base64'),
      EVENT_STORE: 'postgres',
      EVENT_STORE_URL: `${PG}/${database}`,
      READ_MODEL_URL: `${PG}/${database}`,
      REDIS_URL: `redis://127.0.0.1:6379/${REDIS_DB}`,
      QUEUE_PREFIX: `{image-${tag}}`,
      RATE_LIMIT_NAMESPACE: `image-${tag}:`,
    };
    expect(stage.env.NODE_ENV).toBe('production');

    const apiPort = await freePort();
    const api = boot(image, stage.cmd, { ...env, PORT: String(apiPort) });
    started.push(api);
    expect(await readyWithin(`http://127.0.0.1:${apiPort}/health/ready`, 60_000, api)).toBe(200);

    const opsPort = await freePort();
    const workerCommand = compose.services['worker-1'].command!;
    const worker = boot(image, workerCommand, { ...env, OPS_PORT: String(opsPort) });
    started.push(worker);
    expect(await readyWithin(`http://127.0.0.1:${opsPort}/health/ready`, 60_000, worker)).toBe(200);

    for (const p of [api, worker]) p.child.kill('SIGTERM');
    expect(await api.exited).toBe(0);
    expect(await worker.exited).toBe(0);
  });
});
