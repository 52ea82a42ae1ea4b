import {
  type BeforeApplicationShutdown,
  Controller,
  Get,
  Inject,
  Param,
  ParseUUIDPipe,
  Req,
  Res,
} from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import {
  type Aggregate,
  type ApplicationState,
  GetApplicationQuery,
  assertCanSeeApplication,
} from '@engine/incubation';
import { ApiBearerAuth, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import type { Principal } from '@engine/platform';
import { ApplicationStatusFeed, type ApplicationStatusMessage, ReadModelQueries } from '@engine/read-models';
import { type AuthenticatedRequest, Caller, Roles } from '../auth/auth.decorators';
import { type LiveStream, LiveStreams } from './live-streams';

export { liveStreamSettings } from './live-streams';

/**
 * GET /v1/applications/:id/stream: Server-Sent Events, written to the raw reply (Nest's @Sse
 * would need an Observable per client and adds nothing here). First the current status, then
 * each new one as the applications projection commits it (relayed from whichever process
 * committed it, through Redis: ApplicationStatusFeed), and a heartbeat comment every 15 s, at
 * which the status is also re-read from the projection, so a change missed while Redis was
 * away still arrives. Each event carries the revision as its id; a client keeps the newest.
 * The stream's limits and end are the common ones (LiveStreams.open).
 */
@ApiTags('applications')
@ApiBearerAuth()
@Controller('v1/applications')
export class ApplicationStreamController implements BeforeApplicationShutdown {
  constructor(
    @Inject(LiveStreams) private readonly streams: LiveStreams,
    @Inject(QueryBus) private readonly queries: QueryBus,
    @Inject(ApplicationStatusFeed) private readonly feed: ApplicationStatusFeed,
    @Inject(ReadModelQueries) private readonly readModels: ReadModelQueries,
  ) {}

  @Get(':id/stream')
  @Roles('enterprise', 'officer', 'auditor')
  @ApiProduces('text/event-stream')
  @ApiOperation({
    summary:
      'Live status (text/event-stream): the current status, then each change as it happens (`event: status`, `id: <revision>`), with heartbeats',
  })
  async stream(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Caller() caller: Principal,
    @Req() request: AuthenticatedRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const current: Aggregate<ApplicationState> = await this.queries.execute(new GetApplicationQuery(id));
    assertCanSeeApplication(caller, current.state);
    let last = -1;
    const send = (stream: LiveStream, message: ApplicationStatusMessage) => {
      if (message.revision <= last) return;
      last = message.revision;
      stream.write(`event: status\nid: ${message.revision}\ndata: ${JSON.stringify(message)}\n\n`);
    };
    this.streams.open(caller, request, reply, {
      start: (stream) => {
        // Listen before sending the current status, so nothing committed in between is lost.
        const unsubscribe = this.feed.subscribe(id, (message) => send(stream, message));
        send(stream, { applicationId: id, status: current.state.status, revision: current.revision });
        return unsubscribe;
      },
      // A change missed while Redis was away still arrives: the projection is re-read.
      onHeartbeat: (stream) =>
        void this.readModels.applicationStatus(id).then(
          (status) => status && send(stream, status),
          () => undefined,
        ),
    });
  }

  /** Ends every stream, so the server can close (clients reconnect to another replica). */
  beforeApplicationShutdown(): void {
    this.streams.endAll('shutdown');
  }
}
