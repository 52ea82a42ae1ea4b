import { UnrecoverableError } from 'bullmq';
import { createHmac } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { BlockList } from 'node:net';
import { resolveEgress, type ResolvedAddress, traceHeaders } from '@engine/platform';
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
 * attempts, keeps the job in the failed list (GET /v1/admin/notifications/failed).
 *
 * SSRF (docs/security.md): the host is resolved at every delivery and every address checked
 * (no loopback, private, link-local or metadata address unless WEBHOOK_ALLOWED_NETWORKS names
 * it); the connection goes to the address checked, never to a second lookup's answer (DNS
 * rebinding); redirects are never followed (a 3xx is a failed delivery).
 */
export class WebhookChannel {
  constructor(
    private readonly webhooks: WebhookStore,
    private readonly options: { timeoutMs: number; allowedNetworks?: BlockList; wallClock?: () => number },
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
    const url = new URL(hook.url);
    const pinned = await resolveEgress(url, this.options.allowedNetworks ?? new BlockList());
    const status = await postPinned(url, pinned, this.options.timeoutMs, body, {
      'content-type': 'application/json; charset=utf-8',
      'user-agent': 'cultivation-engine-webhooks/1',
      'x-event-id': job.event.id,
      'x-notification-id': job.notificationId,
      'x-timestamp': timestamp,
      'x-signature': webhookSignature(hook.secret, timestamp, body),
      // W3C Trace Context: the receiver may continue the delivery's trace.
      ...traceHeaders(),
    });
    if (status < 200 || status >= 300) {
      throw new Error(
        `webhook ${hook.id} answered ${status}${status >= 300 && status < 400 ? ' (redirects are not followed)' : ''}`,
      );
    }
    return 'delivered';
  }
}

/**
 * One POST to `url`, connecting to `pinned` (the address checked) whatever the name resolves
 * to now; TLS still verifies the certificate against the URL's host name. The answer is
 * discarded unread. Resolves to the status code.
 */
function postPinned(
  url: URL,
  pinned: ResolvedAddress,
  timeoutMs: number,
  body: string,
  headers: Record<string, string>,
): Promise<number> {
  return new Promise((resolve, reject) => {
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    const request = send(
      url,
      {
        method: 'POST',
        headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
        timeout: timeoutMs,
        lookup: (_host, options, callback) => {
          const cb = callback as unknown as (...args: unknown[]) => void;
          if ((options as { all?: boolean }).all)
            cb(null, [{ address: pinned.address, family: pinned.family }]);
          else cb(null, pinned.address, pinned.family);
        },
      },
      (response) => {
        response.resume();
        response.on('end', () => resolve(response.statusCode ?? 0));
        response.on('error', reject);
      },
    );
    const deadline = setTimeout(
      () => request.destroy(new Error(`no answer within ${timeoutMs} ms`)),
      timeoutMs,
    );
    request.on('close', () => clearTimeout(deadline));
    request.on('timeout', () => request.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    request.on('error', reject);
    request.end(body);
  });
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
