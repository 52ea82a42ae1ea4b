import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { z } from 'zod';
import { label, LABEL_GROUPS, type LabelGroup, type Locale } from '@engine/platform';

/** The channels a notice can go out on; one BullMQ queue each. */
export const CHANNELS = ['inbox', 'webhook', 'email', 'sms'] as const;
export type Channel = (typeof CHANNELS)[number];

/** `{{path}}`, or `{{path | label:group}}`: the code at path shown as its label (libs/platform labels). */
const PLACEHOLDER = /\{\{\s*([\w.]+)\s*(?:\|\s*label:(\w+)\s*)?\}\}/g;
const PLACEHOLDER_ROOTS = ['data', 'application', 'enterprise', 'event'];

const template = z
  .string()
  .min(1)
  .superRefine((text, ctx) => {
    for (const [, path, group] of text.matchAll(PLACEHOLDER)) {
      if (!PLACEHOLDER_ROOTS.includes(path.split('.')[0])) {
        ctx.addIssue({
          code: 'custom',
          message: `placeholder {{${path}}} must start with one of ${PLACEHOLDER_ROOTS.join(', ')}`,
        });
      }
      if (group !== undefined && !(LABEL_GROUPS as string[]).includes(group)) {
        ctx.addIssue({
          code: 'custom',
          message: `placeholder {{${path} | label:${group}}}: no label group ${group}; one of ${LABEL_GROUPS.join(', ')}`,
        });
      }
    }
  });

const words = z.object({ subject: template, body: template }).strict();

const recipient = z
  .string()
  .regex(
    /^(enterprise|expert:data\.[\w.]+|officers-of:(application\.(jurisdiction|roundJurisdiction)|data\.[\w.]+))$/,
    'must be enterprise, expert:data.<field>, or officers-of:application.jurisdiction|application.roundJurisdiction|data.<field>',
  );

/** A value a `where` condition compares with: JSON scalars only, compared strictly. */
const scalar = z.union([z.string(), z.number(), z.boolean(), z.null()]);
type Scalar = z.output<typeof scalar>;

/**
 * `where: { data.conflict: true, data.stage: [district, city] }`: the rule applies only to the
 * events whose value at each path equals the one given, or one of the list given (all must
 * hold). Paths as in the placeholders: `data.<field>` (the event's data), `application.<field>`,
 * `enterprise.<field>`.
 */
const WHERE_PATH = /^(data|application|enterprise)\.\w+(\.\w+)*$/;
const where = z
  .record(
    z.string(),
    z.union([scalar, z.array(scalar).min(1, 'a list of values needs at least one')], {
      error: 'must be a value (text, number, true, false or null) or a list of values',
    }),
  )
  .superRefine((conditions, ctx) => {
    const paths = Object.keys(conditions);
    if (paths.length === 0)
      ctx.addIssue({ code: 'custom', message: 'an empty where: name at least one path' });
    for (const path of paths) {
      if (!WHERE_PATH.test(path))
        ctx.addIssue({
          code: 'custom',
          path: [path],
          message: 'must be a path: data.<field>, application.<field> or enterprise.<field>',
        });
    }
  });

const channelSettings = z
  .object({
    attempts: z.number().int().min(1).max(100),
    backoffMs: z.number().int().min(1).max(3_600_000),
    keepCompleted: z.number().int().min(0).max(1_000_000),
    keepFailed: z.number().int().min(1).max(1_000_000),
  })
  .strict();

export const rulesFileSchema = z
  .object({
    version: z.literal(1),
    channels: z.object(
      Object.fromEntries(CHANNELS.map((c) => [c, channelSettings])) as Record<
        Channel,
        typeof channelSettings
      >,
    ),
    rules: z
      .array(
        z
          .object({
            id: z.string().regex(/^[a-z0-9-]{1,64}$/, 'must be lower-case letters, digits and -'),
            on: z.string().regex(/^[A-Z][A-Za-z0-9]+$/, 'must be a PascalCase event type'),
            /** Only the events that match (e.g. `{ data.conflict: true }`); every event when absent. */
            where: where.optional(),
            to: z.array(recipient).min(1),
            channels: z.array(z.enum(CHANNELS)).min(1),
            template: z.object({ zh: words, en: words }).strict(),
            /**
             * The SMS gateway's approved template (Chinese gateways refuse free text): its code
             * and the values of its ${param} variables, each a template like the words above.
             */
            sms: z
              .object({
                template: z
                  .string()
                  .regex(/^[A-Za-z0-9_.-]{1,64}$/, 'must be the gateway template code, e.g. SMS_123456789'),
                params: z.record(
                  z.string().regex(/^\w{1,32}$/, 'must be a template variable name'),
                  template,
                ),
              })
              .strict()
              .optional(),
          })
          .strict()
          .superRefine((rule, ctx) => {
            if (rule.channels.includes('sms') && !rule.sms)
              ctx.addIssue({
                code: 'custom',
                path: ['sms'],
                message: 'a rule on the sms channel names the gateway template: sms: { template, params }',
              });
          }),
      )
      .min(1)
      .superRefine((rules, ctx) => {
        const seen = new Set<string>();
        rules.forEach((rule, i) => {
          if (seen.has(rule.id))
            ctx.addIssue({ code: 'custom', path: [i, 'id'], message: `duplicate id ${rule.id}` });
          seen.add(rule.id);
        });
      }),
  })
  .strict();

export type RulesFile = z.output<typeof rulesFileSchema>;
export type NotificationRule = RulesFile['rules'][number];
export type ChannelSettings = RulesFile['channels'][Channel];

export class RulesFileError extends Error {
  constructor(
    readonly file: string,
    readonly problems: string[],
  ) {
    super(`notification rules ${file} are invalid: ${problems.join('; ')}`);
  }
}

/** Validates a parsed rules document; problems name the field (`rules.2.channels.0: ...`). */
export function parseRules(document: unknown, file = 'rules'): RulesFile {
  const result = rulesFileSchema.safeParse(document);
  if (result.success) return result.data;
  throw new RulesFileError(
    file,
    result.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`),
  );
}

export function loadRulesFile(file: string): RulesFile {
  let document: unknown;
  try {
    document = parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new RulesFileError(file, [(error as Error).message]);
  }
  return parseRules(document, file);
}

/** Whom a notice is for. `officers`: everyone whose jurisdiction covers `id`. */
export interface Recipient {
  kind: 'enterprise' | 'expert' | 'officers';
  id: string;
}

/** What the outbox knows about an event when it applies the rules. */
export interface NotificationContext {
  event: { id: string; type: string; stream: string; position: number; occurredAt: string };
  data: Record<string, unknown>;
  /** The event's application (from its ApplicationCreated), when it concerns one. */
  application?: {
    id: string;
    programme: string;
    creditCode: string;
    jurisdiction: string;
    roundJurisdiction: string;
  };
  /** The enterprise concerned (from its EnterpriseRegistered), when known. */
  enterprise?: { creditCode: string; name: string };
}

export interface RenderedText {
  subject: string;
  body: string;
}

/** One job for one channel: what the outbox puts on that channel's queue. */
export interface NotificationJob {
  /** Deterministic (event id, recipient, channel[, webhook]); the BullMQ jobId and the inbox row's key. */
  notificationId: string;
  channel: Channel;
  ruleId: string;
  recipient: Recipient;
  event: NotificationContext['event'];
  zh: RenderedText;
  en: RenderedText;
  /** Webhook deliveries: the subscription (its URL and secret are read at delivery time). */
  webhookId?: string;
  /** Webhook deliveries: the event's data, as the receiver gets it. */
  data?: Record<string, unknown>;
  /** W3C Trace Context of where the job was queued (traceparent), continued by its delivery. */
  trace?: Record<string, string>;
  /** SMS deliveries: the gateway template and its parameters, filled in. */
  sms?: SmsMessage;
}

/** A text message as the Chinese SMS gateways take it: an approved template and its parameters. */
export interface SmsMessage {
  template: string;
  params: Record<string, string>;
}

/** A deterministic id with no ':' (BullMQ custom ids may not contain one). */
export function notificationId(eventId: string, recipient: Recipient, channel: string, extra = ''): string {
  const digest = createHash('sha256')
    .update([eventId, recipient.kind, recipient.id, channel, extra].join('\u0000'))
    .digest('hex')
    .slice(0, 32);
  return `n-${digest}`;
}

function lookup(root: unknown, path: string): unknown {
  let value = root;
  for (const key of path.split('.')) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

/** Fills a template; `| label:group` shows a code as its label in the template's language. */
export function render(text: string, context: NotificationContext, locale: Locale = 'zh-CN'): string {
  return text.replace(PLACEHOLDER, (_, path: string, group: LabelGroup | undefined) => {
    const value = lookup(context, path);
    if (value === undefined || value === null || typeof value === 'object') return '—';
    return group ? label(group, String(value), locale) : String(value);
  });
}

/** Whether the event meets every condition of a rule's `where` (true when it has none). */
export function matches(
  conditions: Record<string, Scalar | Scalar[]> | undefined,
  context: NotificationContext,
): boolean {
  if (!conditions) return true;
  return Object.entries(conditions).every(([path, expected]) => {
    const value = lookup(context, path);
    return Array.isArray(expected) ? expected.some((one) => one === value) : expected === value;
  });
}

/** The recipients a rule's `to` names for this event (none when the event lacks what it needs). */
export function resolveRecipients(spec: string, context: NotificationContext): Recipient[] {
  if (spec === 'enterprise') {
    const code =
      (typeof context.data.creditCode === 'string' ? context.data.creditCode : undefined) ??
      context.application?.creditCode ??
      context.enterprise?.creditCode;
    return code ? [{ kind: 'enterprise', id: code }] : [];
  }
  const [kind, path] = spec.split(':') as ['expert' | 'officers-of', string];
  const value = lookup(context, path);
  const ids = (Array.isArray(value) ? value : [value]).filter(
    (v): v is string => typeof v === 'string' && v.length > 0,
  );
  return [...new Set(ids)].map((id) => ({ kind: kind === 'expert' ? 'expert' : 'officers', id }));
}

/**
 * The rules as a function: given an event (and what the outbox looked up about it), the
 * notices to send, one per rule, recipient and channel. Webhook notices are expanded into one
 * per subscription by the outbox (they depend on who subscribed, not on the rules).
 */
export class NotificationRules {
  private readonly byType = new Map<string, NotificationRule[]>();

  constructor(readonly file: RulesFile) {
    for (const rule of file.rules) this.byType.set(rule.on, [...(this.byType.get(rule.on) ?? []), rule]);
  }

  /** Event types any rule reacts to: the outbox's filter. */
  get eventTypes(): string[] {
    return [...this.byType.keys()];
  }

  settings(channel: Channel): ChannelSettings {
    return this.file.channels[channel];
  }

  plan(context: NotificationContext): NotificationJob[] {
    const jobs: NotificationJob[] = [];
    const seen = new Set<string>();
    for (const rule of this.byType.get(context.event.type) ?? []) {
      if (!matches(rule.where, context)) continue;
      const zh = {
        subject: render(rule.template.zh.subject, context),
        body: render(rule.template.zh.body, context),
      };
      const en = {
        subject: render(rule.template.en.subject, context, 'en'),
        body: render(rule.template.en.body, context, 'en'),
      };
      for (const spec of rule.to) {
        for (const recipient of resolveRecipients(spec, context)) {
          for (const channel of rule.channels) {
            const id = notificationId(context.event.id, recipient, channel);
            if (seen.has(id)) continue;
            seen.add(id);
            jobs.push({
              notificationId: id,
              channel,
              ruleId: rule.id,
              recipient,
              event: context.event,
              zh,
              en,
              ...(channel === 'webhook' ? { data: context.data } : {}),
              ...(channel === 'sms' && rule.sms
                ? {
                    sms: {
                      template: rule.sms.template,
                      params: Object.fromEntries(
                        Object.entries(rule.sms.params).map(([name, text]) => [name, render(text, context)]),
                      ),
                    },
                  }
                : {}),
            });
          }
        }
      }
    }
    return jobs;
  }
}
