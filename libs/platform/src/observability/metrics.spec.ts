import { type AppendObservation, Metrics, type ObservedEventStore } from './metrics';

class RegisterSomething {}
class RefuseSomething {}

function fakeStore(overrides: Partial<ObservedEventStore> = {}) {
  const observers = new Set<(o: AppendObservation) => void>();
  const store: ObservedEventStore = {
    backend: { name: 'fake' },
    headPosition: async () => 42,
    ping: async () => undefined,
    observeAppends: (observer) => {
      observers.add(observer);
      return () => observers.delete(observer);
    },
    ...overrides,
  };
  return { store, append: (o: AppendObservation) => observers.forEach((observer) => observer(o)), observers };
}

const value = (text: string, series: string) =>
  Number(
    text
      .split('\n')
      .find((line) => line.startsWith(`${series} `))
      ?.slice(series.length + 1),
  );

describe('metrics', () => {
  it('time commands by class name and outcome, passing results and errors through', async () => {
    const metrics = new Metrics();
    const bus = {
      execute: async (command: object) => {
        if (command instanceof RefuseSomething) throw Object.assign(new Error('no'), { refused: true });
        if (command instanceof RegisterSomething) return 'done';
        throw new Error('boom');
      },
    };
    metrics.timeCommands(bus, (error) => ((error as { refused?: boolean }).refused ? 'rejected' : 'error'));
    await expect(bus.execute(new RegisterSomething())).resolves.toBe('done');
    await expect(bus.execute(new RegisterSomething())).resolves.toBe('done');
    await expect(bus.execute(new RefuseSomething())).rejects.toThrow('no');
    await expect(bus.execute({})).rejects.toThrow('boom');
    const text = await metrics.render();
    const count = (command: string, outcome: string) =>
      value(text, `engine_command_duration_seconds_count{command="${command}",outcome="${outcome}"}`);
    expect(count('RegisterSomething', 'ok')).toBe(2);
    expect(count('RefuseSomething', 'rejected')).toBe(1);
    expect(count('Object', 'error')).toBe(1);
  });

  it("record the store's appends and read its head and availability when scraped", async () => {
    const metrics = new Metrics();
    const { store, append, observers } = fakeStore();
    metrics.watchEventStore(store);
    append({ events: 3, seconds: 0.002, outcome: 'ok' });
    append({ events: 1, seconds: 0.001, outcome: 'conflict' });
    const text = await metrics.render();
    expect(value(text, 'engine_event_append_duration_seconds_count{adapter="fake",outcome="ok"}')).toBe(1);
    expect(value(text, 'engine_event_append_duration_seconds_count{adapter="fake",outcome="conflict"}')).toBe(
      1,
    );
    expect(value(text, 'engine_events_appended_total{adapter="fake"}')).toBe(3);
    expect(value(text, 'engine_event_store_head_position{adapter="fake"}')).toBe(42);
    expect(value(text, 'engine_event_store_up{adapter="fake"}')).toBe(1);
    expect(text).toContain('process_cpu_user_seconds_total');
    metrics.close();
    expect(observers.size).toBe(0);
  });

  it("report each projection's lag behind the head and the age of its last commit", async () => {
    const metrics = new Metrics();
    const committed = new Date(Date.now() - 30_000).toISOString();
    metrics.watchProjections({
      lag: async () => [
        { projection: 'applications', checkpoint: 40, head: 42, lag: 2, lastCommitAt: committed },
        { projection: 'timeline', checkpoint: 0, head: 42, lag: 42 },
      ],
    });
    const text = await metrics.render();
    expect(value(text, 'projection_lag_events{projection="applications"}')).toBe(2);
    expect(value(text, 'projection_lag_events{projection="timeline"}')).toBe(42);
    const age = value(text, 'projection_last_commit_age_seconds{projection="applications"}');
    expect(age).toBeGreaterThanOrEqual(30);
    expect(age).toBeLessThan(60);
    expect(text).not.toContain('projection_last_commit_age_seconds{projection="timeline"}');
  });

  it('report a store that does not answer as down, without failing the scrape', async () => {
    const metrics = new Metrics();
    const failing = () => Promise.reject(new Error('unreachable'));
    metrics.watchEventStore(fakeStore({ ping: failing, headPosition: failing }).store);
    const text = await metrics.render();
    expect(value(text, 'engine_event_store_up{adapter="fake"}')).toBe(0);
  });

  it('keep HTTP routes as patterns with method and status', async () => {
    const metrics = new Metrics();
    metrics.observeHttp('GET', '/v1/rounds/:id', 200, 0.012);
    const text = await metrics.render();
    expect(
      value(
        text,
        'http_request_duration_seconds_count{method="GET",route="/v1/rounds/:id",status_code="200"}',
      ),
    ).toBe(1);
  });
});
