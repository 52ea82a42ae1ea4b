import { Body, Controller, Get, HttpCode, Inject, Param, Post, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { IsISO8601 } from 'class-validator';
import type { FastifyRequest } from 'fastify';
import { Clock, errorResponse, type Principal } from '@engine/platform';
import { ManualClockFollower, ProcessorStore } from '@engine/workflow';
import { Caller, Roles } from '../auth/auth.decorators';
import { commandContext } from '../http/command-context';
import { HttpError } from '../http/http-error';
import { NoBodyPipe } from '../http/no-body.pipe';

export class SetClockRequest {
  @ApiProperty({ example: '2026-05-06T01:00:00Z', description: 'the instant the engine should consider now' })
  @IsISO8601({ strict: true, strictSeparator: true })
  now!: string;
}

@ApiTags('admin')
@ApiBearerAuth()
@Controller('v1/admin')
export class AdminController {
  constructor(
    @Inject(Clock) private readonly clock: Clock,
    @Inject(ManualClockFollower) private readonly follower: ManualClockFollower,
    @Inject(ProcessorStore) private readonly processors: ProcessorStore,
  ) {}

  @Post('clock')
  @HttpCode(200)
  @Roles('admin')
  @ApiOperation({
    summary: "Set the engine's clock (CLOCK=manual only): timers, deadlines and working days follow it",
  })
  async setClock(@Body() body: SetClockRequest, @Caller() caller: Principal, @Req() request: FastifyRequest) {
    if (!this.follower.sync) {
      throw new HttpError(
        errorResponse(
          409,
          'CLOCK_NOT_MANUAL',
          'the clock can only be set when the engine runs with CLOCK=manual',
        ),
      );
    }
    const context = commandContext(request, caller);
    await this.follower.sync.set(
      new Date(body.now),
      { sub: caller.sub, role: caller.role },
      context.correlationId,
    );
    return { now: this.clock.now().toISOString() };
  }

  @Get('parked')
  @Roles('admin')
  @ApiOperation({ summary: 'Events a saga or the outbox gave up on after its retries, oldest first' })
  async parked() {
    const rows = await this.processors.list();
    return rows.map((row) => ({
      processor: row.processor,
      eventId: row.event_id,
      position: Number(row.position),
      stream: row.stream,
      type: row.type,
      attempts: row.attempts,
      error: row.error,
      parkedAt: row.parked_at,
      state: row.state,
    }));
  }

  @Post('parked/:processor/:eventId/retry')
  @HttpCode(202)
  @Roles('admin')
  @ApiOperation({ summary: 'Ask the processor to run a parked event again' })
  async retry(
    @Param('processor') processor: string,
    @Param('eventId') eventId: string,
    @Body(NoBodyPipe) _body: unknown,
  ) {
    if (!(await this.processors.requestRetry(processor, eventId, this.clock.now()))) {
      throw new HttpError(errorResponse(404, 'PARKED_EVENT_NOT_FOUND', 'no such parked event'));
    }
    return { state: 'retry' };
  }
}
