import type { ConnectionOptions } from 'bullmq';

/**
 * BullMQ connection settings for REDIS_URL. A producer (the api, sagas) fails fast while Redis
 * is unreachable instead of queueing commands in memory: the durable record is the event
 * store, and whatever could not be enqueued is found again by a sweep or a replay. A worker
 * blocks on Redis and must never give up a request (BullMQ requires maxRetriesPerRequest null).
 */
export function queueConnection(url: string, role: 'producer' | 'worker'): ConnectionOptions {
  return role === 'producer'
    ? {
        url,
        enableOfflineQueue: false,
        maxRetriesPerRequest: 1,
        connectTimeout: 2000,
        retryStrategy: (attempt: number) => Math.min(attempt * 500, 5000),
      }
    : {
        url,
        maxRetriesPerRequest: null,
        retryStrategy: (attempt: number) => Math.min(attempt * 500, 5000),
      };
}
