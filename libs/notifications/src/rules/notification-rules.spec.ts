import { join } from 'node:path';
import type { StoredEvent } from '@engine/event-store';
import { OutboxProcessor } from '../outbox.processor';
import type { WebhookStore } from '../webhook-store';
import {
  loadRulesFile,
  type NotificationContext,
  NotificationRules,
  parseRules,
  RulesFileError,
} from './notification-rules';

const rules = new NotificationRules(loadRulesFile(join(__dirname, '../../../../notifications/rules.yaml')));

const application = {
  id: 'app-1',
  programme: 'eaglet',
  creditCode: '91320214MA1XK0001X',
  jurisdiction: 'js.wuxi.xinwu',
  roundJurisdiction: 'js.wuxi',
};
const enterprise = { creditCode: application.creditCode, name: '无锡芯动微电子科技有限公司' };

function context(type: string, data: Record<string, unknown>, id = 'evt-1'): NotificationContext {
  return {
    event: { id, type, stream: 'application-app-1', position: 42, occurredAt: '2026-03-05T02:00:00.000Z' },
    data,
    application,
    enterprise,
  };
}

const summary = (ctx: NotificationContext) =>
  rules.plan(ctx).map((job) => `${job.channel} → ${job.recipient.kind}:${job.recipient.id}`);

describe('notification rules (notifications/rules.yaml)', () => {
  it('ApplicationReturned reaches the enterprise on inbox, webhook, email and SMS, with the respondBy deadline', () => {
    const ctx = context('ApplicationReturned', {
      stage: 'district',
      reason: '请补充研发费用明细',
      respondBy: '2026-03-20',
    });
    expect(summary(ctx)).toEqual([
      `inbox → enterprise:${application.creditCode}`,
      `webhook → enterprise:${application.creditCode}`,
      `email → enterprise:${application.creditCode}`,
      `sms → enterprise:${application.creditCode}`,
    ]);
    const [inbox] = rules.plan(ctx);
    expect(inbox.zh.subject).toBe('申报材料被退回，请于2026-03-20前补正');
    expect(inbox.zh.body).toBe(
      '无锡芯动微电子科技有限公司：您的雏鹰企业申报（编号 app-1）在区级初审阶段被退回，原因：请补充研发费用明细。请于2026-03-20（含）前修改并重新提交，逾期视为撤回。',
    );
    expect(inbox.en.subject).toBe('Application returned: respond by 2026-03-20');
    // Codes are shown as labels of the catalogue, in each template's language.
    expect(inbox.en.body).toContain(
      'your Eaglet enterprise application app-1 was returned at the District first review stage',
    );
    expect(inbox.ruleId).toBe('application-returned');
  });

  it.each([
    ['ApplicationRejected', { stage: 'city', reason: '不符合条件' }, '申报未获通过'],
    ['ApplicationWithdrawn', { reason: 'missed the response deadline' }, '申报已撤回'],
    ['ApplicationRecommended', { stage: 'district', reason: '符合条件' }, '申报已通过区级审核并推荐至市级'],
    ['ApplicationAcceptedForExpertReview', { stage: 'city', reason: '符合条件' }, '申报进入专家评审'],
  ])('%s reaches the enterprise on inbox and webhook', (type, data, subject) => {
    const ctx = context(type, data);
    expect(summary(ctx)).toEqual([
      `inbox → enterprise:${application.creditCode}`,
      `webhook → enterprise:${application.creditCode}`,
    ]);
    expect(rules.plan(ctx)[0].zh.subject).toBe(subject);
  });

  it('ApplicationSubmitted reaches the officers of the district jurisdiction, in their inbox', () => {
    const ctx = context('ApplicationSubmitted', { resubmission: false });
    expect(summary(ctx)).toEqual(['inbox → officers:js.wuxi.xinwu']);
    expect(rules.plan(ctx)[0].zh.subject).toBe('新的申报待审核：无锡芯动微电子科技有限公司');
  });

  it('events no rule names make no jobs', () => {
    expect(rules.plan(context('ApplicationDataUpdated', {}))).toEqual([]);
  });

  it('job ids are deterministic per event, recipient and channel, and never contain ":"', () => {
    const data = { stage: 'district', reason: 'x', respondBy: '2026-03-20' };
    const once = rules.plan(context('ApplicationReturned', data)).map((j) => j.notificationId);
    const again = rules.plan(context('ApplicationReturned', data)).map((j) => j.notificationId);
    const other = rules.plan(context('ApplicationReturned', data, 'evt-2')).map((j) => j.notificationId);
    expect(again).toEqual(once);
    expect(new Set(once).size).toBe(4);
    expect(other.some((id) => once.includes(id))).toBe(false);
    expect(once.every((id) => /^n-[0-9a-f]{32}$/.test(id))).toBe(true);
  });

  it('recipients named by a field path (experts of a panel, officers of a jurisdiction) are data too', () => {
    const panelRules = new NotificationRules(
      parseRules({
        ...rules.file,
        rules: [
          {
            id: 'expert-panel-drawn',
            on: 'ExpertPanelDrawn',
            to: ['expert:data.experts', 'officers-of:application.roundJurisdiction'],
            channels: ['inbox'],
            template: {
              zh: { subject: '评审任务：{{application.id}}', body: '请于{{data.dueOn}}前完成评分。' },
              en: { subject: 'Review {{application.id}}', body: 'Score by {{data.dueOn}}.' },
            },
          },
        ],
      }),
    );
    const ctx = context('ExpertPanelDrawn', { experts: ['e-1', 'e-2', 'e-1'], dueOn: '2026-04-01' });
    expect(panelRules.plan(ctx).map((j) => `${j.recipient.kind}:${j.recipient.id}`)).toEqual([
      'expert:e-1',
      'expert:e-2',
      'officers:js.wuxi',
    ]);
    expect(panelRules.plan(ctx)[0].zh.body).toBe('请于2026-04-01前完成评分。');
  });

  it('a declared conflict of interest reaches the officers of the round, in Chinese; a declaration of none reaches no one', () => {
    const declared = context('ExpertConflictDeclared', {
      expertId: 'expert-7',
      conflict: true,
      reason: '本人曾任该企业技术顾问',
    });
    expect(summary(declared)).toEqual(['inbox → officers:js.wuxi']);
    const [notice] = rules.plan(declared);
    expect(notice.ruleId).toBe('expert-conflict-declared');
    expect(notice.zh.subject).toBe('评审专家声明利益冲突，需抽选替补专家');
    // The event type and the programme read as the label catalogue's words.
    expect(notice.zh.body).toBe(
      '评审专家expert-7对雏鹰企业申报（编号 app-1，无锡芯动微电子科技有限公司）提交了专家利益冲突声明，理由：本人曾任该企业技术顾问。该专家已回避评审，系统将按抽选规则随机抽选替补专家，请关注替补结果；如无可抽选的专家，请补充专家库。',
    );
    expect(notice.en.body).toContain(
      'Expert expert-7 declared a conflict of interest on Eaglet enterprise application',
    );
    expect(
      summary(context('ExpertConflictDeclared', { expertId: 'expert-8', conflict: false, reason: null })),
    ).toEqual([]);
  });

  it('where: every condition must hold; a list means one of; values compare strictly', () => {
    const file = parseRules({
      ...rules.file,
      rules: [
        {
          id: 'late-stage-returns',
          on: 'ApplicationReturned',
          where: { 'data.stage': ['city', 'expert'], 'application.programme': 'eaglet' },
          to: ['enterprise'],
          channels: ['inbox'],
          template: { zh: { subject: '退回', body: 'b' }, en: { subject: 'returned', body: 'b' } },
        },
        {
          id: 'counted',
          on: 'ExpertConflictDeclared',
          where: { 'data.conflict': true },
          to: ['officers-of:application.roundJurisdiction'],
          channels: ['inbox'],
          template: { zh: { subject: 's', body: 'b' }, en: { subject: 's', body: 'b' } },
        },
      ],
    });
    const subset = new NotificationRules(file);
    const count = (type: string, data: Record<string, unknown>) => subset.plan(context(type, data)).length;
    expect(count('ApplicationReturned', { stage: 'city' })).toBe(1);
    expect(count('ApplicationReturned', { stage: 'expert' })).toBe(1);
    expect(count('ApplicationReturned', { stage: 'district' })).toBe(0);
    expect(count('ApplicationReturned', {})).toBe(0);
    // Strict: the string "true" is not true, nor is 1.
    expect(count('ExpertConflictDeclared', { conflict: true })).toBe(1);
    expect(count('ExpertConflictDeclared', { conflict: 'true' })).toBe(0);
    expect(count('ExpertConflictDeclared', { conflict: 1 })).toBe(0);
    const otherProgramme = subset.plan({
      ...context('ApplicationReturned', { stage: 'city' }),
      application: { ...application, programme: 'gazelle' },
    });
    expect(otherProgramme).toEqual([]);
  });

  it('a bad where is refused at boot, naming the rule and the path', () => {
    const withWhere = (where: unknown) => ({
      ...rules.file,
      rules: [{ ...rules.file.rules[0], where }],
    });
    const problems = (where: unknown) => {
      try {
        parseRules(withWhere(where), 'rules.yaml');
      } catch (e) {
        expect(e).toBeInstanceOf(RulesFileError);
        return (e as RulesFileError).problems.join('\n');
      }
      throw new Error('accepted');
    };
    expect(problems({ 'secret.key': true })).toMatch(
      /^rules\.0\.where\.secret\.key: must be a path: data\.<field>, application\.<field> or enterprise\.<field>/m,
    );
    expect(problems({ conflict: true })).toMatch(/^rules\.0\.where\.conflict: must be a path/m);
    expect(problems({ 'data.conflict': { eq: true } })).toMatch(
      /^rules\.0\.where\.data\.conflict: must be a value \(text, number, true, false or null\) or a list of values/m,
    );
    expect(problems({ 'data.stage': [] })).toMatch(
      /^rules\.0\.where\.data\.stage: a list of values needs at least one/m,
    );
    expect(problems({})).toMatch(/^rules\.0\.where: an empty where: name at least one path/m);
    expect(problems('data.conflict == true')).toMatch(/^rules\.0\.where: /m);
  });

  it('a bad rules file is refused at boot with the offending field named', () => {
    const bad = {
      ...rules.file,
      rules: [
        { ...rules.file.rules[0], channels: ['pigeon'] },
        { ...rules.file.rules[1], to: ['everyone'] },
        {
          ...rules.file.rules[2],
          template: { zh: { subject: '{{secret.key}}', body: 'x' }, en: rules.file.rules[2].template.en },
        },
      ],
    };
    let error: RulesFileError | undefined;
    try {
      parseRules(bad, 'rules.yaml');
    } catch (e) {
      error = e as RulesFileError;
    }
    expect(error).toBeInstanceOf(RulesFileError);
    const text = error!.problems.join('\n');
    expect(text).toMatch(/^rules\.0\.channels\.0: /m);
    expect(text).toMatch(/^rules\.1\.to\.0: must be enterprise/m);
    expect(text).toMatch(/^rules\.2\.template\.zh\.subject: placeholder \{\{secret\.key\}\}/m);
    expect(() => parseRules({ ...rules.file, channels: { ...rules.file.channels, sms: undefined } })).toThrow(
      /channels\.sms/,
    );
  });
});

describe('outbox: an event into jobs', () => {
  const created = {
    type: 'ApplicationCreated',
    data: { applicationId: 'app-1', ...application, creditCode: application.creditCode },
  };
  const store = {
    readStream: async (stream: string) =>
      stream === 'application-app-1'
        ? [created]
        : stream === `enterprise-${application.creditCode}`
          ? [{ type: 'EnterpriseRegistered', data: { name: enterprise.name } }]
          : [],
  };
  const webhooks = {
    subscribers: async (org: string, type: string) =>
      org === application.creditCode && type === 'ApplicationReturned'
        ? [{ id: 'wh-1' }, { id: 'wh-2' }]
        : [],
  };
  const event = (id: string): StoredEvent => ({
    id,
    stream: 'application-app-1',
    revision: 3,
    position: 42,
    type: 'ApplicationReturned',
    schemaVersion: 1,
    data: { stage: 'district', reason: 'x', respondBy: '2026-03-20' },
    metadata: {
      correlationId: 'c',
      causationId: 'c',
      actor: { sub: 'o', role: 'officer' },
      occurredAt: '2026-03-05T02:00:00.000Z',
      recordedAt: '2026-03-05T02:00:00.000Z',
    },
    hash: 'h',
  });

  it('looks up the enterprise through the application, and makes one webhook job per subscription', async () => {
    const added: string[][] = [];
    const outbox = new OutboxProcessor(store as never, rules, webhooks as unknown as WebhookStore, {
      add: async (jobs) =>
        void added.push(jobs.map((j) => `${j.channel}/${j.webhookId ?? '-'}/${j.notificationId}`)),
    });
    await outbox.handle(event('evt-9'));
    await outbox.handle(event('evt-9')); // redelivered: the same ids, which BullMQ ignores
    expect(added[0].map((s) => s.split('/').slice(0, 2).join('/'))).toEqual([
      'inbox/-',
      'webhook/wh-1',
      'webhook/wh-2',
      'email/-',
      'sms/-',
    ]);
    expect(added[1]).toEqual(added[0]);
    expect(outbox.filter.types).toEqual(
      expect.arrayContaining(['ApplicationReturned', 'ApplicationSubmitted']),
    );
    expect(outbox.startFrom).toBe('head');
  });

  it('finds the enterprise of a membership’s exit through the grant that opened its stream, for its inbox and webhooks (innovation points)', async () => {
    const grantStore = {
      readStream: async (stream: string) =>
        stream === 'membership-m-1'
          ? [
              {
                type: 'MembershipGranted',
                data: { applicationId: 'app-1', creditCode: application.creditCode },
              },
            ]
          : store.readStream(stream),
    };
    const outbox = new OutboxProcessor(grantStore as never, rules, webhooks as unknown as WebhookStore, {
      add: async () => undefined,
    });
    const exited: StoredEvent = {
      ...event('evt-10'),
      stream: 'membership-m-1',
      type: 'MembershipExited',
      data: { reason: 'relocated', note: null, on: '2027-01-04', banUntil: null },
    };
    const ctx = await outbox.contextOf(exited);
    expect(summary(ctx)).toEqual([
      `inbox → enterprise:${application.creditCode}`,
      `webhook → enterprise:${application.creditCode}`,
    ]);
    expect(rules.plan(ctx)[0].zh.body).toBe(
      '无锡芯动微电子科技有限公司的雏鹰企业入库资格已于2027-01-04退出（迁出本辖区），不再计入创新积分辅助指标。',
    );
    const granted = context('MembershipGranted', {
      membershipId: 'm-1',
      applicationId: 'app-1',
      creditCode: application.creditCode,
      programme: 'eaglet',
      validFrom: '2026-05-06',
      validUntil: '2029-05-05',
    });
    expect(summary(granted)).toEqual([`webhook → enterprise:${application.creditCode}`]);
  });

  it('refuses a template naming a label group that does not exist, naming the placeholder', () => {
    const bad = {
      version: 1,
      channels: {
        inbox: { attempts: 1, backoffMs: 1, keepCompleted: 1, keepFailed: 1 },
        webhook: { attempts: 1, backoffMs: 1, keepCompleted: 1, keepFailed: 1 },
        email: { attempts: 1, backoffMs: 1, keepCompleted: 1, keepFailed: 1 },
        sms: { attempts: 1, backoffMs: 1, keepCompleted: 1, keepFailed: 1 },
      },
      rules: [
        {
          id: 'x',
          on: 'ApplicationReturned',
          to: ['enterprise'],
          channels: ['inbox'],
          template: {
            zh: { subject: '{{application.programme | label:programs}}', body: 'b' },
            en: { subject: 's', body: 'b' },
          },
        },
      ],
    };
    expect(() => parseRules(bad)).toThrow(/no label group programs/);
  });
});
