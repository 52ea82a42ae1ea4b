import type { Pool, PoolClient } from 'pg';

interface Listening {
  stopped: boolean;
  client?: PoolClient;
  timer?: NodeJS.Timeout;
  connecting?: Promise<void>;
}

/**
 * Who hears of appends: listeners in this process are called after each committed batch, and
 * with a channel, LISTEN on a dedicated connection (opened once something listens) wakes them
 * when another process commits (`append_events` sends one NOTIFY per batch).
 */
export class PostgresNotifications {
  private readonly listeners = new Set<() => void>();
  private listening: Listening | undefined;
  private closed = false;

  constructor(
    private readonly pool: Pool,
    /** The NOTIFY channel, or null to leave other processes' writes to polling. */
    readonly channel: string | null,
  ) {}

  onAppended(listener: () => void): () => void {
    this.listeners.add(listener);
    if (this.channel && !this.listening && !this.closed) this.listen(this.channel);
    return () => this.listeners.delete(listener);
  }

  /** Calls every listener; a listener's failure is its own business. */
  emit(): void {
    for (const listener of this.listeners) {
      try {
        listener();
      } catch {
        // The append succeeded.
      }
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    const state = this.listening;
    if (!state) return;
    this.listening = undefined;
    state.stopped = true;
    clearTimeout(state.timer);
    await state.connecting;
    const client = state.client;
    state.client = undefined;
    client?.release(true);
  }

  private listen(channel: string): void {
    const state: Listening = { stopped: false };
    this.listening = state;
    const retry = () => {
      if (state.stopped) return;
      state.timer = setTimeout(() => (state.connecting = connect()), 1000);
      state.timer.unref();
    };
    const connect = async () => {
      let client: PoolClient | undefined;
      try {
        client = await this.pool.connect();
        if (state.stopped) return client.release();
        const lost = () => {
          if (state.client !== client) return;
          state.client = undefined;
          client?.release(true);
          retry();
        };
        state.client = client;
        client.on('notification', () => this.emit());
        client.on('error', lost);
        client.on('end', lost);
        await client.query(`LISTEN "${channel}"`);
        // Whatever was committed while nobody listened is found now, not at the next poll.
        this.emit();
      } catch {
        if (client && state.client === client) {
          state.client = undefined;
          client.release(true);
        }
        retry();
      }
    };
    state.connecting = connect();
  }
}
