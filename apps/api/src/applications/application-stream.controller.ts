import {
  type BeforeApplicationShutdown,
  Controller,
  Get,
  Inject,
  Param,
  ParseUUIDPipe,
  Res,
} from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import type { ApplicationAggregate } from '@engine/incubation/aggregates/application.aggregate';
import { GetApplicationQuery } from '@engine/incubation/use-cases/get-application/get-application.query';
import { assertCanSeeApplication } from '@engine/incubation/use-cases/reach';
import type { Principal } from '@engine/platform';
import { ApplicationStatusFeed, type ApplicationStatusMessage, ReadModelQueries } from '@engine/read-models';
import { Caller, Roles } from '../auth/auth.decorators';

/**
 * A comment line every `heartbeatMs` keeps proxies from closing an idle stream; the status is
 * re-read from the projection then too. (Tests shorten it.)
 */
export const liveStreamSettings = { heartbeatMs: 15_000 };

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
  private readonly open = new Set<() => void>();

  constructor(
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
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const current: ApplicationAggregate = await this.queries.execute(new GetApplicationQuery(id));
    assertCanSeeApplication(caller, current.state);

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
    const heartbeat = setInterval(() => {
      raw.write(': heartbeat\n\n');
      this.readModels.applicationStatus(id).then(
        (status) => status && send(status),
        () => undefined,
      );
    }, liveStreamSettings.heartbeatMs);
    heartbeat.unref();
    const close = () => {
      if (!this.open.delete(close)) return;
      clearInterval(heartbeat);
      unsubscribe();
      if (!raw.writableEnded) raw.end();
    };
    this.open.add(close);
    // The response's 'close': the client went away or the stream was ended (the request's own
    // 'close' only says that its body was read).
    raw.on('close', close);
  }

  /** Ends every stream, so the server can close (clients reconnect to another replica). */
  beforeApplicationShutdown(): void {
    for (const close of [...this.open]) close();
  }
}
