import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EventStore, type StoredEvent } from '@engine/event-store';
import { SqliteEventStore } from '@engine/event-store/adapters/sqlite/sqlite-event-store';
import { DEVELOPMENT_JWT_SECRET, signToken } from '@engine/platform';
import { creditCode } from './support/fixtures';
import { freePort, startProcess, waitForHttp } from './support/processes';

/**
 * SIGTERM under load: the compiled api (embedded SQLite, worker inside) takes a steady stream
 * of real commands from several clients; SIGTERM arrives mid-stream. The api must exit 0; every
 * command it acknowledged (2xx) must be in the store, and nothing it did not acknowledge; once
 * it has begun stopping it must refuse (503, or the connection closed) and never half-do a
 * command.
 */
const CLIENTS = 8;
const ACCEPTED_BEFORE_SIGNAL = 60;

type Outcome = { status: number } | { error: string };
interface Attempt {
  code: string;
  /** Sent after the api had written that it received the signal. */
  afterStopping: boolean;
  outcome: Outcome;
}

function connectionError(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? String(error);
}

describe('graceful shutdown under load', () => {
  let dataDir: string;
  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'e2e-shutdown-'));
  });
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  it('exits 0 after SIGTERM mid-load, with every acknowledged command stored and nothing half-done', async () => {
    const port = await freePort();
    const api = startProcess('dist/apps/api/src/main.js', {
      PORT: String(port),
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      LOG_LEVEL: 'info',
    });
    const ready = await waitForHttp(`http://127.0.0.1:${port}/health/ready`, 30_000, api);
    expect(ready.status).toBe(200);
    const token = await signToken(
      { sub: 'officer-shutdown', role: 'officer', jurisdiction: 'js.wuxi' },
      DEVELOPMENT_JWT_SECRET,
      { now: new Date(), expiresIn: '1h' },
    );

    let exitCode: number | null | undefined;
    void api.exited.then((code) => (exitCode = code));
    const stopping = () => api.output().includes('SIGTERM received');
    const attempts: Attempt[] = [];
    let serial = 0;

    async function send(afterStopping: boolean): Promise<void> {
      const code = creditCode(`91320214MA1TD${String(++serial).padStart(4, '0')}`);
      let outcome: Outcome;
      try {
        const res = await fetch(`http://127.0.0.1:${port}/v1/enterprises`, {
          method: 'POST',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          body: JSON.stringify({
            creditCode: code,
            name: `无锡停机测试${serial}号有限公司`,
            jurisdiction: 'js.wuxi.xinwu',
            establishedOn: '2019-05-20',
          }),
          signal: AbortSignal.timeout(20_000),
        });
        await res.arrayBuffer();
        outcome = { status: res.status };
      } catch (error) {
        outcome = { error: connectionError(error) };
        await new Promise((resolve) => setTimeout(resolve, 5)); // refused: do not spin
      }
      attempts.push({ code, afterStopping, outcome });
    }
    async function client(): Promise<void> {
      while (exitCode === undefined) await send(stopping());
    }
    // The moment the api writes that it is stopping, one more command goes out at once (before
    // its exit can be noticed), so there is always a request sent after the signal took effect.
    const probes: Promise<void>[] = [];
    const onOutput = () => {
      if (probes.length === 0 && stopping()) probes.push(send(true));
    };
    api.child.stdout!.on('data', onOutput);

    const load = Promise.all(Array.from({ length: CLIENTS }, client));
    const accepted = () => attempts.filter((a) => 'status' in a.outcome && a.outcome.status === 201).length;
    while (accepted() < ACCEPTED_BEFORE_SIGNAL && exitCode === undefined) {
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    api.child.kill('SIGTERM');
    await load;
    await Promise.all(probes);

    expect({ exitCode, output: exitCode === 0 ? '' : api.output() }).toEqual({ exitCode: 0, output: '' });
    expect(api.output()).toContain('stopped cleanly');

    // Every answer is an acknowledgement (201) or a refusal: 503 while stopping, or no connection.
    const refusals = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET', 'other side closed']);
    const unexpected = attempts.filter((a) =>
      'status' in a.outcome ? ![201, 503].includes(a.outcome.status) : !refusals.has(a.outcome.error),
    );
    expect(unexpected).toEqual([]);
    const acknowledged = attempts.filter((a) => 'status' in a.outcome && a.outcome.status === 201);
    expect(acknowledged.length).toBeGreaterThanOrEqual(ACCEPTED_BEFORE_SIGNAL);

    // Once the api said it was stopping, it took nothing more; and the load did go on past that.
    const late = attempts.filter((a) => a.afterStopping);
    expect(late.length).toBeGreaterThan(0);
    expect(late.filter((a) => 'status' in a.outcome && a.outcome.status === 201)).toEqual([]);

    // The store, opened read-only after the exit: exactly the acknowledged registrations, each
    // once, with intact hash chains. A refused command left nothing behind.
    const backend = new SqliteEventStore({
      file: join(dataDir, 'events.sqlite'),
      now: () => new Date(),
      readonly: true,
    });
    const store = new EventStore(backend);
    try {
      const stored: StoredEvent[] = [];
      for (let after = 0; ;) {
        const page = await store.readAll({ after, limit: 500 });
        stored.push(...page.events);
        if (page.isEnd || page.next === after) break;
        after = page.next;
      }
      const registered = stored
        .filter((event) => event.type === 'EnterpriseRegistered')
        .map((event) => (event.data as { creditCode: string }).creditCode);
      expect(registered.length).toBe(new Set(registered).size);
      expect(new Set(registered)).toEqual(new Set(acknowledged.map((a) => a.code)));
      expect((await store.verify()).ok).toBe(true);
    } finally {
      await store.close();
    }
  }, 90_000);
});
