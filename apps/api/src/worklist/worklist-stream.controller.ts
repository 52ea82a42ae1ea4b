import { type BeforeApplicationShutdown, Controller, Get, Inject, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { QueryBus } from '@nestjs/cqrs';
import type { Principal } from '@engine/platform';
import { ApplicationStatusFeed, type ApplicationStatusMessage } from '@engine/read-models';
import { IsOnWorklistQuery } from '../read/worklist.query';
import { type LiveStream, LiveStreams } from '../applications/live-streams';
import { type AuthenticatedRequest, Caller, Roles } from '../auth/auth.decorators';

/** Revisions remembered per stream to drop a message heard twice (locally and through Redis). */
const SEEN_LIMIT = 10_000;

/**
 * GET /v1/worklist/stream: one Server-Sent Events stream for an officer's whole worklist (the
 * console's home page), instead of one stream per row, which would use up a browser's six
 * connections per host. Opened like the application stream (LiveStreams.open):
 * `event: ready` first, then `event: status` with `{applicationId, status, revision, at}` each
 * time an application the officer can see (at or below their jurisdiction) changes status, as
 * the applications projection commits it (from any process, through ApplicationStatusFeed);
 * a heartbeat comment every 15 s; `event: end` with the reason when the caller's right ends.
 * The client then re-reads its worklist: the stream says what changed, never what awaits whom.
 */
@ApiTags('worklist')
@ApiBearerAuth()
@Controller('v1/worklist')
export class WorklistStreamController implements BeforeApplicationShutdown {
  constructor(
    @Inject(LiveStreams) private readonly streams: LiveStreams,
    @Inject(ApplicationStatusFeed) private readonly feed: ApplicationStatusFeed,
    @Inject(QueryBus) private readonly queries: QueryBus,
  ) {}

  @Get('stream')
  @Roles('officer')
  @ApiProduces('text/event-stream')
  @ApiOperation({
    summary:
      "Live changes of the officer's applications (text/event-stream): `event: ready`, then `event: status` for each status change of an application at or below the officer's jurisdiction, with heartbeats",
  })
  stream(
    @Caller() caller: Principal,
    @Req() request: AuthenticatedRequest,
    @Res() reply: FastifyReply,
  ): void {
    const seen = new Map<string, number>();
    const send = (stream: LiveStream, message: ApplicationStatusMessage) => {
      if ((seen.get(message.applicationId) ?? -1) >= message.revision || stream.closed) return;
      if (seen.size >= SEEN_LIMIT) seen.clear();
      seen.set(message.applicationId, message.revision);
      stream.write(`event: status\ndata: ${JSON.stringify(message)}\n\n`);
    };
    this.streams.open(caller, request, reply, {
      start: (stream) => {
        // Only what is on the officer's worklist (the query asks reach.ts).
        const unsubscribe = this.feed.subscribeAll((message) => {
          if (stream.closed || (seen.get(message.applicationId) ?? -1) >= message.revision) return;
          this.queries
            .execute<IsOnWorklistQuery, boolean>(new IsOnWorklistQuery(message.applicationId, caller))
            .then(
              (mine) => mine && send(stream, message),
              () => undefined,
            );
        });
        stream.write('event: ready\ndata: {}\n\n');
        return unsubscribe;
      },
    });
  }

  /** Ends every stream, so the server can close (clients reconnect to another replica). */
  beforeApplicationShutdown(): void {
    this.streams.endAll('shutdown');
  }
}
