import { createHash } from 'node:crypto';
import { Redis } from 'ioredis';
import { Logger } from '@nestjs/common';

/**
 * Failed sign-ins counted in Redis, beside the rate limits (same Redis, same RATE_LIMIT_NAMESPACE),
 * so the count holds across api replicas: per login (whether or not it exists, so a lock says
 * nothing about existence) and per client address. `max` failures within `lockoutMs` lock
 * that login (or address) until `lockoutMs` after the last failure. Time is the engine's
 * clock, passed in: a manual clock releases a lock in tests without waiting.
 *
 * Redis unreachable: sign-in is not throttled (failing open, as the rate limits do, and logged
 * once per outage); argon2id still makes every guess cost about 50 ms of server time.
 */
const SCRIPT = `
local count = tonumber(redis.call('HGET', KEYS[1], 'count') or '0')
local last = tonumber(redis.call('HGET', KEYS[1], 'last') or '0')
local now = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
if now - last >= window then count = 0 end
count = count + 1
redis.call('HSET', KEYS[1], 'count', count, 'last', now)
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return count
`;

export interface ThrottleLimits {
  maxPerLogin: number;
  maxPerAddress: number;
  lockoutMs: number;
}

export class SignInThrottle {
  private reachable: boolean | undefined;

  constructor(
    private readonly redis: Redis,
    private readonly namespace: string,
    private readonly limits: ThrottleLimits,
    private readonly logger = new Logger('SignInThrottle'),
  ) {
    redis.on('ready', () => (this.reachable = true));
    redis.on('error', (error: Error) => {
      if (this.reachable !== false)
        this.logger.warn(
          `Redis unreachable (${error.message}): failed sign-ins are not counted until it is back (failing open)`,
        );
      this.reachable = false;
    });
  }

  static connect(url: string, namespace: string, limits: ThrottleLimits): SignInThrottle {
    const redis = new Redis(url, {
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      connectTimeout: 1000,
      commandTimeout: 500,
      lazyConnect: false,
      retryStrategy: (attempt) => Math.min(attempt * 500, 5000),
    });
    return new SignInThrottle(redis, namespace, limits);
  }

  private key(kind: 'login' | 'ip', value: string): string {
    // Hashed: logins may be email addresses, which have no business in Redis in clear.
    const id = createHash('sha256').update(value.trim().toLowerCase()).digest('base64url').slice(0, 32);
    return `${this.namespace}sign-in:${kind}:${id}`;
  }

  /** Milliseconds until sign-in is allowed again for this login or address; 0 when allowed. */
  async lockedFor(login: string, address: string, now: Date): Promise<number> {
    try {
      const [byLogin, byAddress] = await Promise.all([
        this.redis.hmget(this.key('login', login), 'count', 'last'),
        this.redis.hmget(this.key('ip', address), 'count', 'last'),
      ]);
      const wait = (entry: (string | null)[], max: number) => {
        const count = Number(entry[0] ?? 0);
        const last = Number(entry[1] ?? 0);
        const left = last + this.limits.lockoutMs - now.getTime();
        return count >= max && left > 0 ? left : 0;
      };
      return Math.max(wait(byLogin, this.limits.maxPerLogin), wait(byAddress, this.limits.maxPerAddress));
    } catch {
      return 0;
    }
  }

  /** Counts a failure for the login and the address. */
  async failed(login: string, address: string, now: Date): Promise<void> {
    const args = [now.getTime(), this.limits.lockoutMs, this.limits.lockoutMs * 2];
    try {
      await Promise.all([
        this.redis.eval(SCRIPT, 1, this.key('login', login), ...args),
        this.redis.eval(SCRIPT, 1, this.key('ip', address), ...args),
      ]);
    } catch {
      // failing open (see above)
    }
  }

  /** A successful sign-in clears the login's count (the address's stays: one login proves little). */
  async succeeded(login: string): Promise<void> {
    await this.redis.del(this.key('login', login)).catch(() => undefined);
  }

  close(): void {
    this.redis.disconnect();
  }
}
