import { Redis } from 'ioredis';
import { once } from 'node:events';

export type ProbeStatus = { status: 'up'; latencyMs: number } | { status: 'down'; error: string };

/**
 * A connection used only to ask Redis whether it is there. It never queues commands while
 * disconnected and keeps retrying in the background, so a missing Redis costs one quick
 * failure per probe instead of a hanging request.
 */
export class RedisProbe {
  private readonly client: Redis;

  constructor(url: string) {
    this.client = new Redis(url, {
      lazyConnect: true,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      connectTimeout: 1000,
      retryStrategy: (attempt) => Math.min(attempt * 500, 5000),
    });
    // Errors surface through ping(); an unhandled 'error' event would crash the process.
    this.client.on('error', () => undefined);
    this.client.connect().catch(() => undefined);
  }

  async ping(): Promise<ProbeStatus> {
    const started = performance.now();
    try {
      if (this.client.status !== 'ready') {
        // Just booted or reconnecting: give the connection the same second to come up.
        await withTimeout(once(this.client, 'ready'), 1000);
      }
      await withTimeout(this.client.ping(), 1000);
      return { status: 'up', latencyMs: Math.round(performance.now() - started) };
    } catch (error) {
      return { status: 'down', error: (error as Error).message };
    }
  }

  async close(): Promise<void> {
    this.client.disconnect();
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
    promise.then(
      (value) => (clearTimeout(timer), resolve(value)),
      (error) => (clearTimeout(timer), reject(error)),
    );
  });
}
