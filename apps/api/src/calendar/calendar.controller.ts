import { Controller, Get, Inject } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCookieAuth,
  ApiOkResponse,
  ApiOperation,
  ApiProperty,
  ApiTags,
} from '@nestjs/swagger';
import { chinaDate, Clock } from '@engine/platform';
import { Roles } from '../auth/auth.decorators';

export class TodayResponse {
  @ApiProperty({ example: '2026-04-14T02:30:00.000Z', description: "the engine's clock" })
  now!: string;

  @ApiProperty({ example: '2026-04-14', description: 'the calendar day in China (UTC+8) at that instant' })
  today!: string;
}

/**
 * The engine's own date. The console counts working days from it, not from the browser's
 * clock: with CLOCK=manual (demos, tests) the engine's day is the one its deadlines use.
 */
@ApiTags('calendar')
@ApiBearerAuth()
@ApiCookieAuth()
@Controller('v1/calendar')
export class CalendarController {
  constructor(@Inject(Clock) private readonly clock: Clock) {}

  @Get('today')
  @Roles('enterprise', 'officer', 'expert', 'auditor', 'admin')
  @ApiOperation({
    summary: "The engine's current instant and its day in China, which deadlines are counted from",
  })
  @ApiOkResponse({ type: TodayResponse })
  today(): TodayResponse {
    const now = this.clock.now();
    return { now: now.toISOString(), today: chinaDate(now) };
  }
}
