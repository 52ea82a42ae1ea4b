import type { EventStore, StoredEvent } from '@engine/event-store';
import type { EventProcessor } from '@engine/workflow';
import { inSpan, traceHeaders, withTraceParent } from '@engine/platform';
import type { NotificationQueues } from './notification-queues';
import {
  type NotificationContext,
  notificationId,
  type NotificationJob,
  type NotificationRules,
} from './rules/notification-rules';
import type { WebhookStore } from './webhook-store';

type Application = NonNullable<NotificationContext['application']>;

/** A small map that forgets its oldest entries (what the outbox looks up never changes). */
class Memo<V> {
  private readonly map = new Map<string, V>();
  constructor(private readonly size: number) {}
  async get(key: string, load: () => Promise<V | undefined>): Promise<V | undefined> {
    if (this.map.has(key)) return this.map.get(key);
    const value = await load();
    if (value === undefined) return undefined;
    this.map.set(key, value);
    if (this.map.size > this.size) this.map.delete(this.map.keys().next().value!);
    return value;
  }
}

/**
 * The notification outbox: an event processor (checkpointed in the read-model database,
 * started at the head: no notices for history) that turns each event the rules name into jobs
 * on the channels' queues. Every job id is derived from the event id, the recipient and the
 * channel, so an event handed over again (a crash before the checkpoint) enqueues nothing new.
 * While Redis is unreachable `handle` throws and the runner retries the event, unboundedly,
 * with capped backoff: nothing is parked, nothing skipped.
 */
export class OutboxProcessor implements EventProcessor {
  readonly name = 'outbox:notifications';
  readonly startFrom = 'head' as const;
  readonly filter;
  private readonly applications = new Memo<Application>(5000);
  private readonly enterprises = new Memo<{ creditCode: string; name: string }>(5000);
  private readonly grants = new Memo<{ applicationId: string; creditCode: string }>(5000);

  constructor(
    private readonly store: EventStore,
    private readonly rules: NotificationRules,
    private readonly webhooks: WebhookStore,
    private readonly queues: Pick<NotificationQueues, 'add'>,
  ) {
    this.filter = { types: rules.eventTypes };
  }

  async handle(event: StoredEvent): Promise<void> {
    const jobs = await this.jobsFor(event);
    await this.queues.add(jobs);
  }

  /** A page of events in one enqueue (one round trip per queue). */
  async handleBatch(events: StoredEvent[]): Promise<void> {
    const jobs: NotificationJob[] = [];
    for (const event of events) {
      // Each event's jobs are planned in a span continuing the trace that wrote the event (as
      // the runner does for one event), and carry that span's trace to their delivery.
      const planned = await withTraceParent(event.metadata, () =>
        inSpan(
          `process ${this.name} ${event.type}`,
          {
            'engine.processor': this.name,
            'engine.event.type': event.type,
            'engine.event.position': event.position,
            'engine.correlation_id': event.metadata.correlationId,
            'engine.batch': events.length,
          },
          async () => {
            const trace = traceHeaders();
            const found = await this.jobsFor(event);
            return trace.traceparent ? found.map((job) => ({ ...job, trace })) : found;
          },
        ),
      );
      jobs.push(...planned);
    }
    await this.queues.add(jobs);
  }

  /** The jobs an event makes (webhook notices expanded per subscription). */
  async jobsFor(event: StoredEvent): Promise<NotificationJob[]> {
    const context = await this.contextOf(event);
    const jobs: NotificationJob[] = [];
    for (const job of this.rules.plan(context)) {
      if (job.channel !== 'webhook') {
        jobs.push(job);
        continue;
      }
      if (job.recipient.kind !== 'enterprise') continue; // subscriptions belong to enterprises
      for (const hook of await this.webhooks.subscribers(job.recipient.id, event.type)) {
        jobs.push({
          ...job,
          notificationId: notificationId(event.id, job.recipient, 'webhook', hook.id),
          webhookId: hook.id,
        });
      }
    }
    return jobs;
  }

  async contextOf(event: StoredEvent): Promise<NotificationContext> {
    const data = (event.data ?? {}) as Record<string, unknown>;
    // A membership's later events (renewed, expired, exited) name neither the enterprise nor
    // the application: the grant that opened the stream does.
    const granted =
      event.stream.startsWith('membership-') && typeof data.applicationId !== 'string'
        ? await this.grants.get(event.stream, () => this.grant(event.stream))
        : undefined;
    const applicationId =
      typeof data.applicationId === 'string' ? data.applicationId : granted?.applicationId;
    // The application of the event: its own stream, or the one a round event names.
    const stream = event.stream.startsWith('application-')
      ? event.stream
      : applicationId
        ? `application-${applicationId}`
        : undefined;
    const application = stream
      ? await this.applications.get(stream, () => this.application(stream))
      : undefined;
    const code =
      (typeof data.creditCode === 'string' ? data.creditCode : undefined) ??
      granted?.creditCode ??
      application?.creditCode;
    const enterprise = code ? await this.enterprises.get(code, () => this.enterprise(code)) : undefined;
    return {
      event: {
        id: event.id,
        type: event.type,
        stream: event.stream,
        position: event.position,
        occurredAt: event.metadata.occurredAt,
      },
      data,
      ...(application ? { application } : {}),
      ...(enterprise ? { enterprise } : {}),
    };
  }

  private async application(stream: string): Promise<Application | undefined> {
    const [created] = await this.store.readStream<Record<string, string>>(stream, { toRevision: 0 });
    if (created?.type !== 'ApplicationCreated') return undefined;
    const d = created.data;
    return {
      id: d.applicationId,
      programme: d.programme,
      creditCode: d.creditCode,
      jurisdiction: d.jurisdiction,
      roundJurisdiction: d.roundJurisdiction,
    };
  }

  private async grant(stream: string): Promise<{ applicationId: string; creditCode: string } | undefined> {
    const [first] = await this.store.readStream<Record<string, string>>(stream, { toRevision: 0 });
    return first?.type === 'MembershipGranted'
      ? { applicationId: first.data.applicationId, creditCode: first.data.creditCode }
      : undefined;
  }

  private async enterprise(code: string) {
    const [registered] = await this.store.readStream<Record<string, string>>(`enterprise-${code}`, {
      toRevision: 0,
    });
    return registered?.type === 'EnterpriseRegistered'
      ? { creditCode: code, name: registered.data.name }
      : undefined;
  }
}
