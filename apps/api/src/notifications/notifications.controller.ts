import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  APP_CONFIG,
  type AppConfig,
  Clock,
  EgressRefusedError,
  errorResponse,
  parseAllowedNetworks,
  type Principal,
  resolveEgress,
} from '@engine/platform';
import { InboxStore, NotificationQueues, WebhookStore } from '@engine/notifications';
import { Caller, Roles } from '../auth/auth.decorators';
import { HttpError } from '../http/http-error';
import { NoBodyPipe } from '../http/no-body.pipe';
import { CreateWebhookRequest, InboxQuery } from './notifications.request.dto';

const unavailable = (error: unknown) =>
  new HttpError(
    errorResponse(
      503,
      'QUEUE_UNAVAILABLE',
      `the notification queues are unreachable: ${(error as Error).message}`,
    ),
  );

@ApiTags('notifications')
@ApiBearerAuth()
@Controller('v1')
export class NotificationsController {
  constructor(
    @Inject(InboxStore) private readonly inbox: InboxStore,
    @Inject(WebhookStore) private readonly webhooks: WebhookStore,
    @Inject(NotificationQueues) private readonly queues: NotificationQueues,
    @Inject(Clock) private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get('inbox')
  @Roles('enterprise', 'officer', 'expert', 'auditor', 'admin')
  @ApiOperation({
    summary:
      "The caller's in-app notices, newest first: an enterprise its org's, an officer its jurisdiction's (and below), an expert its own",
  })
  inboxOf(@Query() query: InboxQuery, @Caller() caller: Principal) {
    return this.inbox.list(caller, {
      unread: query.unread === 'true',
      cursor: query.cursor,
      limit: query.limit ?? 50,
    });
  }

  @Post('inbox/:id/read')
  @HttpCode(200)
  @Roles('enterprise', 'officer', 'expert', 'auditor', 'admin')
  @ApiOperation({ summary: 'Mark one of the caller’s notices read' })
  async read(@Param('id') id: string, @Caller() caller: Principal, @Body(NoBodyPipe) _body: unknown) {
    if (!(await this.inbox.markRead(caller, id, this.clock.now()))) {
      throw new HttpError(errorResponse(404, 'NOTIFICATION_NOT_FOUND', 'no such notification'));
    }
    return { id, read: true };
  }

  /**
   * The URL's host, resolved now, must not name a loopback, private, link-local or metadata
   * address (unless WEBHOOK_ALLOWED_NETWORKS allows it). A name that does not resolve yet is
   * taken: every delivery resolves and checks it again.
   */
  private async assertEgressAllowed(url: string): Promise<void> {
    try {
      await resolveEgress(new URL(url), parseAllowedNetworks(this.config.WEBHOOK_ALLOWED_NETWORKS));
    } catch (error) {
      if (!(error instanceof EgressRefusedError)) return;
      throw new HttpError(
        errorResponse(400, 'VALIDATION_FAILED', `url: ${error.message}`, [
          { field: 'url', message: error.message },
        ]),
      );
    }
  }

  @Post('webhooks')
  @HttpCode(201)
  @Roles('enterprise', 'admin')
  @ApiOperation({
    summary:
      'Subscribe a URL to events: each delivery is signed (X-Signature: sha256=HMAC-SHA256(secret, "<X-Timestamp>.<body>"))',
  })
  async create(@Body() body: CreateWebhookRequest, @Caller() caller: Principal) {
    if (caller.role === 'enterprise' && body.org !== undefined && body.org !== caller.org) {
      throw new HttpError(errorResponse(403, 'FORBIDDEN', 'an enterprise subscribes only for itself'));
    }
    const org = caller.role === 'enterprise' ? caller.org! : (body.org ?? null);
    await this.assertEgressAllowed(body.url);
    const id = await this.webhooks.create(
      { org, url: body.url, events: body.events, secret: body.secret, createdBy: caller.sub },
      this.clock.now(),
    );
    return { id };
  }

  @Get('webhooks')
  @Roles('enterprise', 'admin')
  @ApiOperation({
    summary: "Webhook subscriptions: the enterprise's own, an admin's all (never the secrets)",
  })
  list(@Caller() caller: Principal) {
    return this.webhooks.list(caller.role === 'admin' ? undefined : caller.org!);
  }

  @Delete('webhooks/:id')
  @HttpCode(200)
  @Roles('enterprise', 'admin')
  @ApiOperation({ summary: 'Delete a subscription and its secret' })
  async remove(@Param('id') id: string, @Caller() caller: Principal) {
    if (!(await this.webhooks.delete(id, caller.role === 'admin' ? undefined : caller.org!))) {
      throw new HttpError(errorResponse(404, 'WEBHOOK_NOT_FOUND', 'no such webhook'));
    }
    return { id, deleted: true };
  }

  @Get('admin/notifications/failed')
  @Roles('admin')
  @ApiOperation({ summary: 'Notification jobs that used up their attempts, newest first (every channel)' })
  async failed() {
    try {
      return await this.queues.failed();
    } catch (error) {
      throw unavailable(error);
    }
  }

  @Post('admin/notifications/failed/:jobId/retry')
  @HttpCode(202)
  @Roles('admin')
  @ApiOperation({ summary: 'Put a failed notification job back on its queue with fresh attempts' })
  async retry(@Param('jobId') jobId: string, @Body(NoBodyPipe) _body: unknown) {
    let found: boolean;
    try {
      found = await this.queues.retry(jobId);
    } catch (error) {
      throw unavailable(error);
    }
    if (!found)
      throw new HttpError(errorResponse(404, 'FAILED_JOB_NOT_FOUND', 'no such failed notification job'));
    return { jobId, state: 'waiting' };
  }
}
