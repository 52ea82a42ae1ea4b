import { Redis } from 'ioredis';
import type { ApplicationStatusChange } from '../projection';

/** One application's status as a live feed hands it out. */
export interface ApplicationStatusMessage {
  applicationId: string;
  status: string;
  /** The application's stream revision that set it: a client keeps the highest it has seen. */
  revision: number;
  /** occurredAt of the event that set it, when known. */
  at?: string;
}

export const APPLICATION_STATUS_CHANNEL = 'engine:application-status';

type Listener = (message: ApplicationStatusMessage) => void;

export interface ApplicationStatusFeedOptions {
  /** Redis for fan-out across processes; without it, only this process's commits are seen. */
  redisUrl?: string;
  channel?: string;
  /** Reported once per outage, not per failed publish. */
  onRedisError?: (error: Error) => void;
}

/**
 * Live application statuses. Whoever commits a status change into the applications projection
 * (ProjectionHost) publishes it here: at once to this process's listeners, and on a Redis
 * channel to every other process, whose feed relays it to its own listeners (the api
 * replicas' SSE clients). When Redis is down, listeners in the publishing process are still
 * told (the embedded profile keeps working) and both connections keep reconnecting in the
 * background (the subscriber resubscribes by itself); a listener may get a message twice
 * (locally and through Redis) and keeps only revisions it has not seen.
 */
export class ApplicationStatusFeed {
  private readonly listeners = new Map<string, Set<Listener>>();
  private publisher: Redis | undefined;
  private subscriber: Redis | undefined;
  private closed = false;
  private redisDown = false;
  private readonly channel: string;

  constructor(private readonly options: ApplicationStatusFeedOptions = {}) {
    this.channel = options.channel ?? APPLICATION_STATUS_CHANNEL;
  }

  /** Tells everyone, here and in other processes, of committed status changes. */
  publish(changes: readonly ApplicationStatusChange[]): void {
    if (this.closed || changes.length === 0) return;
    const messages = changes.map(({ applicationId, status, revision, at }): ApplicationStatusMessage => ({
      applicationId,
      status,
      revision,
      at,
    }));
    for (const message of messages) this.deliver(message);
    const publisher = this.connectPublisher();
    if (!publisher || publisher.status !== 'ready') return; // other processes catch up on their next re-read
    publisher.publish(this.channel, JSON.stringify(messages)).catch((error: Error) => this.down(error));
  }

  /** Listens to one application's statuses until the returned function is called. */
  subscribe(applicationId: string, listener: Listener): () => void {
    let set = this.listeners.get(applicationId);
    if (!set) this.listeners.set(applicationId, (set = new Set()));
    set.add(listener);
    this.connectSubscriber();
    return () => {
      set.delete(listener);
      if (set.size === 0 && this.listeners.get(applicationId) === set) this.listeners.delete(applicationId);
    };
  }

  /** Listens to every application's statuses (a worklist's stream filters them) until called. */
  subscribeAll(listener: Listener): () => void {
    this.everyone.add(listener);
    this.connectSubscriber();
    return () => this.everyone.delete(listener);
  }

  private readonly everyone = new Set<Listener>();
  private subscribed = false;

  /** Whether this process hears other processes' changes now (subscribed to the channel). */
  get connected(): boolean {
    return this.subscribed && this.subscriber?.status === 'ready';
  }

  /** Resolves once subscribed to the Redis channel (or after `ms`). */
  async ready(ms = 2000): Promise<boolean> {
    this.connectSubscriber();
    const deadline = Date.now() + ms;
    while (!this.connected && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    return this.connected;
  }

  async close(): Promise<void> {
    this.closed = true;
    this.listeners.clear();
    this.everyone.clear();
    this.publisher?.disconnect();
    this.subscriber?.disconnect();
  }

  private deliver(message: ApplicationStatusMessage): void {
    for (const listener of [...(this.listeners.get(message.applicationId) ?? []), ...this.everyone]) {
      try {
        listener(message);
      } catch {
        // One broken listener (a closed socket) must not stop the others.
      }
    }
  }

  private connection(): Redis | undefined {
    if (!this.options.redisUrl || this.closed) return undefined;
    const client = new Redis(this.options.redisUrl, {
      lazyConnect: true,
      connectTimeout: 1000,
      // Publishing never waits for a Redis that is not there.
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      retryStrategy: (attempt) => Math.min(attempt * 200, 2000),
    });
    client.on('error', (error: Error) => this.down(error));
    client.on('ready', () => (this.redisDown = false));
    client.connect().catch(() => undefined);
    return client;
  }

  private connectPublisher(): Redis | undefined {
    this.publisher ??= this.connection();
    return this.publisher;
  }

  private connectSubscriber(): void {
    if (this.subscriber || !this.options.redisUrl || this.closed) return;
    const subscriber = (this.subscriber = this.connection()!);
    // Subscribes on every (re)connection: the offline queue is off, so nothing waits meanwhile.
    subscriber.on('ready', () => {
      subscriber.subscribe(this.channel).then(
        () => (this.subscribed = true),
        (error: Error) => this.down(error),
      );
    });
    subscriber.on('close', () => (this.subscribed = false));
    subscriber.on('message', (channel: string, text: string) => {
      if (channel !== this.channel) return;
      let messages: ApplicationStatusMessage[];
      try {
        messages = JSON.parse(text) as ApplicationStatusMessage[];
      } catch {
        return;
      }
      for (const message of Array.isArray(messages) ? messages : []) {
        if (typeof message?.applicationId === 'string' && Number.isInteger(message.revision))
          this.deliver(message);
      }
    });
  }

  private down(error: Error): void {
    if (this.redisDown) return;
    this.redisDown = true;
    this.options.onRedisError?.(error);
  }
}
