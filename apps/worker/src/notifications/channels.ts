import { UnrecoverableError } from 'bullmq';
import { createHmac } from 'node:crypto';
import { traceHeaders } from '@engine/platform';
import type { Transporter } from 'nodemailer';
import type { ContactDirectory } from './contact-directory';
import type { InboxStore } from './inbox-store';
import type { NotificationJob } from './rules/notification-rules';
import { type SmsProvider, SmsRefusedError } from './sms-provider';
import type { WebhookStore } from './webhook-store';

/** What a channel did with a job: `skipped` when there was nothing to do (no contact, webhook deleted). */
export type DeliveryOutcome = 'delivered' | 'duplicate' | 'skipped';

/** `sha256=<hex>` of HMAC-SHA256 over `<timestamp>.<body>` under the subscription's secret. */
export function webhookSignature(secret: string, timestamp: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

export class InboxChannel {
  constructor(
    private readonly inbox: InboxStore,
    private readonly now: () => Date,
  ) {}
  async deliver(job: NotificationJob): Promise<DeliveryOutcome> {
    return (await this.inbox.insert(job, this.now())) ? 'delivered' : 'duplicate';
  }
}

/**
 * POSTs the notice as JSON to the subscription's URL, signed. A non-2xx answer, a timeout or
 * a network error throws: BullMQ retries with exponential backoff and, after the channel's
 * attempts, keeps the job in the failed list (GET /v1/admin/notifications/failed). Redirects
 * are not followed (docs/security.md: SSRF).
 */
export class WebhookChannel {
  constructor(
    private readonly webhooks: WebhookStore,
    private readonly options: { timeoutMs: number; wallClock?: () => number },
  ) {}

  async deliver(job: NotificationJob): Promise<DeliveryOutcome> {
    const hook = job.webhookId ? await this.webhooks.get(job.webhookId) : undefined;
    if (!hook) return 'skipped'; // deleted since: its secret is gone, and so is the wish to be told
    const body = JSON.stringify({
      id: job.notificationId,
      eventId: job.event.id,
      type: job.event.type,
      occurredAt: job.event.occurredAt,
      stream: job.event.stream,
      recipient: job.recipient,
      subject: job.zh.subject,
      body: job.zh.body,
      en: job.en,
      data: job.data ?? {},
    });
    // Wall time, not the engine's (possibly manual) clock: receivers check it against theirs.
    const timestamp = String(Math.floor((this.options.wallClock?.() ?? Date.now()) / 1000));
    const response = await fetch(hook.url, {
      method: 'POST',
      redirect: 'manual',
      signal: AbortSignal.timeout(this.options.timeoutMs),
      headers: {
        'content-type': 'application/json; charset=utf-8',
        'user-agent': 'cultivation-engine-webhooks/1',
        'x-event-id': job.event.id,
        'x-notification-id': job.notificationId,
        'x-timestamp': timestamp,
        'x-signature': webhookSignature(hook.secret, timestamp, body),
        // W3C Trace Context: the receiver may continue the delivery's trace.
        ...traceHeaders(),
      },
      body,
    });
    await response.body?.cancel().catch(() => undefined);
    if (response.status < 200 || response.status >= 300) {
      throw new Error(`webhook ${hook.id} answered ${response.status}`);
    }
    return 'delivered';
  }
}

export class EmailChannel {
  constructor(
    private readonly transport: Transporter | undefined,
    private readonly contacts: ContactDirectory,
    private readonly from: string,
    private readonly log: (message: string) => void,
  ) {}

  async deliver(job: NotificationJob): Promise<DeliveryOutcome> {
    if (!this.transport) return 'skipped';
    if (job.recipient.kind !== 'enterprise') return 'skipped';
    const contact = await this.contacts.contactOf(job.recipient.id);
    if (!contact?.email) {
      this.log(
        `no email for enterprise ${job.recipient.id} (no contact, or forgotten): ${job.notificationId} skipped`,
      );
      return 'skipped';
    }
    await this.transport.sendMail({
      from: this.from,
      to: contact.name ? { name: contact.name, address: contact.email } : contact.email,
      subject: job.zh.subject,
      text: `${job.zh.body}\n\n----\n${job.en.subject}\n${job.en.body}\n`,
      textEncoding: 'base64',
      messageId: `<${job.notificationId}@cultivation-engine>`,
      headers: { 'X-Event-Id': job.event.id },
    });
    return 'delivered';
  }
}

export class SmsChannel {
  constructor(
    private readonly provider: SmsProvider,
    private readonly contacts: ContactDirectory,
    private readonly log: (message: string) => void,
  ) {}

  async deliver(job: NotificationJob): Promise<DeliveryOutcome> {
    if (job.recipient.kind !== 'enterprise') return 'skipped';
    const contact = await this.contacts.contactOf(job.recipient.id);
    if (!contact?.phone) {
      this.log(
        `no phone for enterprise ${job.recipient.id} (no contact, or forgotten): ${job.notificationId} skipped`,
      );
      return 'skipped';
    }
    if (!job.sms) {
      this.log(`${job.notificationId}: the rule names no SMS template; skipped`);
      return 'skipped';
    }
    try {
      await this.provider.send(contact.phone, job.sms);
    } catch (error) {
      // The gateway refused for good (bad template, signature or number): no retry, kept as failed.
      if (error instanceof SmsRefusedError) throw new UnrecoverableError(error.message);
      throw error;
    }
    return 'delivered';
  }
}
