import { Controller, Get, HttpStatus, Inject, type OnApplicationShutdown, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { EventStore } from '@engine/event-store';
import {
  APP_CONFIG,
  type AppConfig,
  checkHealth,
  Clock,
  type HealthReport,
  RedisProbe,
} from '@engine/platform';
import { ProjectionLagProbe } from '@engine/read-models';
import { Public } from '../auth/auth.decorators';

/**
 * GET /health: the event store is required; without it the answer is 503. Redis carries
 * notifications and timers but commands do not wait on it, so without Redis the engine is
 * `degraded` and still answers 200 (work queued for Redis is kept in the event store).
 *
 * For orchestrators: GET /health/live says only that the process answers (restart it when it
 * does not); GET /health/ready runs the same checks as /health (take the replica out of the
 * load balancer on 503). While the process shuts down every route, these included, is 503.
 * Projections further behind the store than PROJECTION_LAG_DEGRADED events make the answer
 * `degraded` (reads are stale, commands work), with "projections lagging by N events" in
 * checks.projections; never 503, and liveness never looks at them.
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
    @Inject(ProjectionLagProbe) private readonly projections: ProjectionLagProbe,
  ) {
    this.redis = new RedisProbe(config.REDIS_URL);
  }

  @Get('health')
  @ApiOperation({
    summary: 'Liveness and dependencies: 200 ok or degraded, 503 when the event store is down',
  })
  health(@Res({ passthrough: true }) reply: FastifyReply): Promise<HealthReport> {
    return this.report(reply);
  }

  @Get('health/live')
  @ApiOperation({ summary: 'Liveness for orchestrators: 200 while the process answers; checks nothing else' })
  live(): { status: 'up' } {
    return { status: 'up' };
  }

  @Get('health/ready')
  @ApiOperation({
    summary:
      'Readiness for load balancers: the checks of /health; 503 when the event store is down (or the process is stopping)',
  })
  ready(@Res({ passthrough: true }) reply: FastifyReply): Promise<HealthReport> {
    return this.report(reply);
  }

  private async report(reply: FastifyReply): Promise<HealthReport> {
    const report = await checkHealth(this.store, this.redis, this.clock.now(), this.projections);
    void reply.status(report.status === 'down' ? HttpStatus.SERVICE_UNAVAILABLE : HttpStatus.OK);
    return report;
  }

  async onApplicationShutdown(): Promise<void> {
    await this.redis.close();
  }
}
