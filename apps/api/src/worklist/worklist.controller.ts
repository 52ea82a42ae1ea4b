import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { QueryBus } from '@nestjs/cqrs';
import { decodeCursor, InvalidCursorError } from '@engine/read-models';
import { GetWorklistQuery } from '../read/worklist.query';
import { errorResponse, type Principal } from '@engine/platform';
import { Caller, Roles } from '../auth/auth.decorators';
import { HttpError } from '../http/http-error';
import { WorklistPageDto, WorklistQuery } from './worklist.query.dto';

@ApiTags('worklist')
@ApiBearerAuth()
@Controller('v1/worklist')
export class WorklistController {
  constructor(@Inject(QueryBus) private readonly queries: QueryBus) {}

  @Get()
  @Roles('officer')
  @ApiOperation({
    summary:
      "Applications awaiting this officer's review: the district stage under their jurisdiction, the city stage of rounds issued under it; oldest first, cursor-paginated",
  })
  @ApiOkResponse({ type: WorklistPageDto })
  async list(@Query() query: WorklistQuery, @Caller() caller: Principal): Promise<WorklistPageDto> {
    if (query.cursor) {
      try {
        decodeCursor(query.cursor);
      } catch (error) {
        if (!(error instanceof InvalidCursorError)) throw error;
        throw new HttpError(
          errorResponse(400, 'VALIDATION_FAILED', `cursor: ${error.message}`, [
            { field: 'cursor', message: error.message },
          ]),
        );
      }
    }
    return this.queries.execute(
      new GetWorklistQuery(
        {
          programme: query.programme,
          roundId: query.round,
          status: query.status,
          cursor: query.cursor,
          limit: query.limit ?? 50,
        },
        caller,
      ),
    );
  }
}
