import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, startProcess, waitForHttp } from './support/processes';

describe('the processes an operator runs', () => {
  let dataDir: string;
  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'e2e-proc-'));
  });
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  it('api: answers /health within 30 s on the embedded defaults and exits 0 on SIGTERM', async () => {
    const port = await freePort();
    const api = startProcess('dist/apps/api/src/main.js', { PORT: String(port), DATA_DIR: dataDir });
    const started = Date.now();
    const response = await waitForHttp(`http://127.0.0.1:${port}/health`, 30_000, api);
    expect(Date.now() - started).toBeLessThan(30_000);
    expect(response.status).toBe(200);
    const body = (await response.json()) as { status: string; checks: { eventStore: unknown } };
    expect(body.checks.eventStore).toMatchObject({ status: 'up', adapter: 'sqlite' });
    expect(['ok', 'degraded']).toContain(body.status);
    api.child.kill('SIGTERM');
    expect(await api.exited).toBe(0);
  }, 45_000);

  it('worker: runs without an HTTP server and exits 0 on SIGTERM', async () => {
    const worker = startProcess('dist/apps/worker/src/main.js', { DATA_DIR: dataDir, LOG_LEVEL: 'info' });
    const deadline = Date.now() + 20_000;
    while (!worker.output().includes('worker ready') && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(worker.output()).toContain('worker ready on the sqlite store');
    expect(worker.child.exitCode).toBeNull();
    worker.child.kill('SIGTERM');
    expect(await worker.exited).toBe(0);
    expect(worker.output()).toContain('stopped cleanly');
  }, 30_000);

  it('refuses to start with bad configuration, naming each variable, exit code 78', async () => {
    const api = startProcess('dist/apps/api/src/main.js', {
      NODE_ENV: 'production',
      PORT: 'eighty',
      DATA_DIR: dataDir,
    });
    expect(await api.exited).toBe(78);
    expect(api.output()).toContain('PORT must be a whole number');
    expect(api.output()).toContain('JWT_SECRET is the development secret');
  }, 20_000);
});
