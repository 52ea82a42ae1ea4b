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
import { Clock, errorResponse, type Principal } from '@engine/platform';
import { ApplicationStatusFeed, type ApplicationStatusMessage, ReadModelQueries } from '@engine/read-models';
import { type AuthenticatedRequest, Caller, Roles } from '../auth/auth.decorators';
import { HttpError } from '../http/http-error';
import { LiveStreams, liveStreamSettings, type StreamEndReason } from './live-streams';

export { liveStreamSettings } from './live-streams';

/**
 * GET /v1/applications/:id/stream: Server-Sent Events, written to the raw reply (Nest's @Sse
 * would need an Observable per client and adds nothing here). First the current status, then
 * each new one as the applications projection commits it (relayed from whichever process
 * committed it, through Redis: ApplicationStatusFeed), and a heartbeat comment every 15 s, at
 * which the status is also re-read from the projection, so a change missed while Redis was
 * away still arrives. Each event carries the revision as its id; a client keeps the newest.
 */
@ApiTags('applications')
@ApiBearerAuth()
@Controller('v1/applications')
export class ApplicationStreamController implements BeforeApplicationShutdown {
  constructor(
    @Inject(LiveStreams) private readonly streams: LiveStreams,
    @Inject(Clock) private readonly clock: Clock,
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
    if (this.streams.count(caller.sub) >= this.streams.maxPerCaller) {
      throw new HttpError(
        errorResponse(
          429,
          'TOO_MANY_STREAMS',
          `at most ${this.streams.maxPerCaller} live streams at once per caller; close one first`,
        ),
      );
    }
    const expiresAt = caller.expiresAt === undefined ? undefined : caller.expiresAt * 1000;
    if (expiresAt !== undefined && expiresAt <= this.clock.now().getTime()) {
      throw new HttpError(errorResponse(401, 'UNAUTHENTICATED', 'token expired'));
    }

    reply.hijack();
    const raw = reply.raw;
    raw.writeHead(200, {
      ...(reply.getHeaders() as Record<string, string>),
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    raw.write('retry: 3000\n\n');
    let last = -1;
    const send = (message: ApplicationStatusMessage) => {
      if (message.revision <= last || raw.writableEnded) return;
      last = message.revision;
      raw.write(`event: status\nid: ${message.revision}\ndata: ${JSON.stringify(message)}\n\n`);
    };
    // Listen before sending the current status, so nothing committed in between is lost.
    const unsubscribe = this.feed.subscribe(id, send);
    send({ applicationId: id, status: current.state.status, revision: current.revision });
    // The stream lives no longer than the caller's right: checked at each heartbeat against the
    // engine's clock, and by a timer set to the expiry.
    const expired = () => expiresAt !== undefined && this.clock.now().getTime() >= expiresAt;
    // A cookie session ends with its streams, on this replica at once and on any other at the
    // next session check (LiveStreams).
    const sessionId = request.session?.id;
    const heartbeat = setInterval(() => {
      if (expired()) {
        close('token-expired');
        return;
      }
      raw.write(': heartbeat\n\n');
      this.readModels.applicationStatus(id).then(
        (status) => status && send(status),
        () => undefined,
      );
    }, liveStreamSettings.heartbeatMs);
    heartbeat.unref();
    const expiry =
      expiresAt === undefined
        ? undefined
        : setTimeout(
            () => close('token-expired'),
            Math.min(2 ** 31 - 1, expiresAt - this.clock.now().getTime()),
          );
    expiry?.unref();
    let closed = false;
    const close = (reason?: StreamEndReason) => {
      if (closed) return;
      closed = true;
      unregister?.();
      clearInterval(heartbeat);
      if (expiry) clearTimeout(expiry);
      unsubscribe();
      if (!raw.writableEnded) {
        // Tell the client why, so it does not reconnect with the same token.
        if (reason) raw.write(`event: end\ndata: ${JSON.stringify({ reason })}\n\n`);
        raw.end();
      }
    };
    const unregister = this.streams.add(caller.sub, close, sessionId);
    if (!unregister) {
      // Raced past the count above by another request of the same caller.
      close();
      return;
    }
    // The response's 'close': the client went away or the stream was ended (the request's own
    // 'close' only says that its body was read).
    raw.on('close', () => close());
  }

  /** Ends every stream, so the server can close (clients reconnect to another replica). */
  beforeApplicationShutdown(): void {
    this.streams.endAll('shutdown');
  }
}
