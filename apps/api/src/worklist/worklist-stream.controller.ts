import { type BeforeApplicationShutdown, Controller, Get, Inject, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Clock, errorResponse, jurisdictionCovers, type Principal } from '@engine/platform';
import { ApplicationStatusFeed, type ApplicationStatusMessage, ReadModelDatabase } from '@engine/read-models';
import { LiveStreams, liveStreamSettings, type StreamEndReason } from '../applications/live-streams';
import { type AuthenticatedRequest, Caller, Roles } from '../auth/auth.decorators';
import { HttpError } from '../http/http-error';

/** Revisions remembered per stream to drop a message heard twice (locally and through Redis). */
const SEEN_LIMIT = 10_000;

/**
 * GET /v1/worklist/stream: one Server-Sent Events stream for an officer's whole worklist (the
 * console's home page), instead of one stream per row, which would use up a browser's six
 * connections per host. Written like the application stream (application-stream.controller.ts):
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
    @Inject(Clock) private readonly clock: Clock,
    @Inject(ApplicationStatusFeed) private readonly feed: ApplicationStatusFeed,
    @Inject(ReadModelDatabase) private readonly db: ReadModelDatabase,
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
    const jurisdiction = caller.jurisdiction!;

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
    const seen = new Map<string, number>();
    const send = (message: ApplicationStatusMessage) => {
      if ((seen.get(message.applicationId) ?? -1) >= message.revision || raw.writableEnded) return;
      if (seen.size >= SEEN_LIMIT) seen.clear();
      seen.set(message.applicationId, message.revision);
      raw.write(`event: status\ndata: ${JSON.stringify(message)}\n\n`);
    };
    // Only what the officer may see: the application's district at or below their jurisdiction.
    const unsubscribe = this.feed.subscribeAll((message) => {
      if (closed || (seen.get(message.applicationId) ?? -1) >= message.revision) return;
      this.db.reader
        .selectFrom('applications')
        .select(['jurisdiction'])
        .where('application_id', '=', message.applicationId)
        .executeTakeFirst()
        .then(
          (row) => row && jurisdictionCovers(jurisdiction, row.jurisdiction) && send(message),
          () => undefined,
        );
    });
    raw.write('event: ready\ndata: {}\n\n');
    const expired = () => expiresAt !== undefined && this.clock.now().getTime() >= expiresAt;
    const heartbeat = setInterval(() => {
      if (expired()) close('token-expired');
      else raw.write(': heartbeat\n\n');
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
        if (reason) raw.write(`event: end\ndata: ${JSON.stringify({ reason })}\n\n`);
        raw.end();
      }
    };
    const unregister = this.streams.add(caller.sub, close, request.session?.id);
    if (!unregister) {
      close();
      return;
    }
    raw.on('close', () => close());
  }

  /** Ends every stream, so the server can close (clients reconnect to another replica). */
  beforeApplicationShutdown(): void {
    this.streams.endAll('shutdown');
  }
}
