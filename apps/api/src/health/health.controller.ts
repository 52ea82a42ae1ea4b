import { Controller, Get, HttpStatus, Inject, type OnApplicationShutdown, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { EventStore } from '@engine/event-store';
import { APP_CONFIG, type AppConfig, chinaDate, Clock, RedisProbe } from '@engine/platform';
import { calendarCoverageWarning, officialCalendarCoverage } from '@engine/platform/calendar/working-days';
import { Public } from '../auth/auth.decorators';

type Check = { status: 'up'; [key: string]: unknown } | { status: 'down'; error: string };

/**
 * GET /health. The event store is required: without it the answer is 503. Redis carries
 * notifications and timers but commands do not wait on it, so without Redis the engine is
 * `degraded` and still answers 200 (work queued for Redis is kept in the event store).
 */
@ApiTags('health')
@Public()
@Controller()
export class HealthController implements OnApplicationShutdown {
  private readonly redis: RedisProbe;

  constructor(
    @Inject(EventStore) private readonly store: EventStore,
    @Inject(APP_CONFIG) config: AppConfig,
    @Inject(Clock) private readonly clock: Clock,
  ) {
    this.redis = new RedisProbe(config.REDIS_URL);
  }

  @Get('health')
  @ApiOperation({
    summary: 'Liveness and dependencies: 200 ok or degraded, 503 when the event store is down',
  })
  async health(@Res({ passthrough: true }) reply: FastifyReply) {
    const [eventStore, redis] = await Promise.all([this.checkStore(), this.redis.ping()]);
    const calendarWarning = calendarCoverageWarning(chinaDate(this.clock.now()));
    const calendar = calendarWarning
      ? { status: 'provisional', warning: calendarWarning, ...officialCalendarCoverage() }
      : { status: 'up', ...officialCalendarCoverage() };
    const status =
      eventStore.status === 'down' ? 'down' : redis.status === 'down' || calendarWarning ? 'degraded' : 'ok';
    reply.status(status === 'down' ? HttpStatus.SERVICE_UNAVAILABLE : HttpStatus.OK);
    return { status, checks: { eventStore, redis, calendar } };
  }

  private async checkStore(): Promise<Check> {
    try {
      await this.store.ping();
      return {
        status: 'up',
        adapter: this.store.backend.name,
        headPosition: await this.store.headPosition(),
      };
    } catch (error) {
      return { status: 'down', error: (error as Error).message };
    }
  }

  async onApplicationShutdown(): Promise<void> {
    await this.redis.close();
  }
}
