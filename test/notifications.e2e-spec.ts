import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Principal } from '@engine/platform';
import { eagletData } from '@engine/incubation/testing/sample-applications';
import { LoggingSmsProvider, NotificationsRuntime, SmsProvider } from '@engine/notifications';
import { type Harness, startApi } from './support/api-harness';
import { BrowserSession, CONSOLE_HOST } from './support/browser-session';
import { creditCode } from './support/fixtures';
import { eventually, smtpReceiver, webhookReceiver } from './support/notification-receivers';

const city = { sub: 'officer-wuxi', role: 'officer' as const, jurisdiction: 'js.wuxi' };
const xinwu = { sub: 'officer-xinwu', role: 'officer' as const, jurisdiction: 'js.wuxi.xinwu' };
const liangxi = { sub: 'officer-liangxi', role: 'officer' as const, jurisdiction: 'js.wuxi.liangxi' };
const admin = { sub: 'admin-1', role: 'admin' as const };
const enterpriseOf = (code: string) => ({ sub: `ent-${code}`, role: 'enterprise' as const, org: code });
const SECRET = 'a-long-webhook-secret-0123456789';

/** The shipped rules with quick webhook retries (2 attempts, 100 ms backoff) so the test need not wait. */
function quickRules(dir: string): string {
  const text = readFileSync(join(__dirname, '../notifications/rules.yaml'), 'utf8').replace(
    /webhook: \{[^}]*\}/,
    'webhook: { attempts: 2, backoffMs: 100, keepCompleted: 1000, keepFailed: 1000 }',
  );
  const file = join(dir, 'rules.yaml');
  writeFileSync(file, text);
  return file;
}

describe('notifications: inbox, webhooks, email, SMS (real Redis, SMTP and HTTP receivers)', () => {
  let h: Harness;
  let smtp: Awaited<ReturnType<typeof smtpReceiver>>;
  let hooks: Awaited<ReturnType<typeof webhookReceiver>>;
  let roundId: string;
  let serial = 0;
  let rulesDir: string | undefined;

  beforeAll(async () => {
    smtp = await smtpReceiver();
    // /flaky answers 500 the first time, /broken always.
    hooks = await webhookReceiver(SECRET, (hook, nth) =>
      hook.path === '/broken' ? 500 : hook.path === '/flaky' && nth === 1 ? 500 : 200,
    );
    rulesDir = mkdtempSync(join(tmpdir(), 'rules-'));
    h = await startApi({
      now: '2026-03-02T02:00:00.000Z',
      env: {
        SMTP_URL: smtp.url,
        MAIL_FROM: 'noreply@wuxi.example.gov.cn',
        NOTIFICATION_RULES_FILE: quickRules(rulesDir),
        // The receivers listen on loopback: allow it (webhooks reach public addresses only by default).
        WEBHOOK_ALLOWED_NETWORKS: '127.0.0.1',
      },
    });
    await h.app.get(NotificationsRuntime).ready();
    const round = await h.request('POST', '/v1/rounds', {
      as: city,
      body: {
        programme: 'eaglet',
        year: 2026,
        batch: 1,
        title: '2026年度无锡市雏鹰企业第一批入库申报',
        jurisdiction: 'js.wuxi',
        opensAt: '2026-03-01T00:00:00+08:00',
        closesAt: '2026-04-30T17:00:00+08:00',
      },
    });
    roundId = round.body.id;
  }, 30_000);

  afterAll(async () => {
    await h?.close();
    await smtp?.close();
    await hooks?.close();
    if (rulesDir) rmSync(rulesDir, { recursive: true, force: true });
  });

  async function enterprise(hookPath?: string, contact = true) {
    const code = creditCode(`91320214MN${String(++serial).padStart(7, '0')}`);
    const as = enterpriseOf(code);
    const registered = await h.request('POST', '/v1/enterprises', {
      as,
      body: {
        creditCode: code,
        name: `无锡通知测试${serial}有限公司`,
        jurisdiction: 'js.wuxi.xinwu',
        establishedOn: '2019-05-20',
        ...(contact
          ? { contact: { name: '张三', email: `contact${serial}@example.com`, phone: '13812345678' } }
          : {}),
      },
    });
    expect(registered.status).toBe(201);
    if (hookPath) {
      const created = await h.request('POST', '/v1/webhooks', {
        as,
        body: { url: hooks.url(hookPath), events: ['ApplicationReturned'], secret: SECRET },
      });
      expect(created.status).toBe(201);
    }
    return { code, as };
  }

  async function submitted(as: { org: string }) {
    const created = await h.request('POST', '/v1/applications', {
      as: enterpriseOf(as.org),
      body: { roundId, creditCode: as.org, data: eagletData() },
    });
    const id = created.body.id as string;
    expect(
      (await h.request('POST', `/v1/applications/${id}/submit`, { as: enterpriseOf(as.org) })).status,
    ).toBe(200);
    return id;
  }

  const returnIt = (id: string) =>
    h.request('POST', `/v1/applications/${id}/reviews`, {
      as: xinwu,
      body: { stage: 'district', decision: 'return', reason: '请补充研发费用明细', respondBy: '2026-03-20' },
    });

  const inboxOf = async (as: Principal, query = '') =>
    (await h.request('GET', `/v1/inbox${query}`, { as })).body;

  it('an enterprise sees a returned-application notice in its inbox and at its webhook within a second', async () => {
    const { code, as } = await enterprise('/hook');
    const id = await submitted(as);
    const started = Date.now();
    expect((await returnIt(id)).status).toBe(200);
    const notice = await eventually(
      async () => (await inboxOf(as)).items.find((n: { type: string }) => n.type === 'ApplicationReturned'),
      1000,
      'the inbox notice',
    );
    const hook = await eventually(
      () =>
        hooks.received.find(
          (r) =>
            r.path === '/hook' &&
            r.json.type === 'ApplicationReturned' &&
            (r.json.data as { reason?: string }).reason &&
            r.json.recipient &&
            (r.json.recipient as { id: string }).id === code,
        ),
      1000,
      'the webhook delivery',
    );
    expect(Date.now() - started).toBeLessThan(1000);
    expect(notice.subject).toBe('申报材料被退回，请于2026-03-20前补正');
    expect(notice.body).toContain('请补充研发费用明细');
    expect(notice.body).toContain(`无锡通知测试${serial}有限公司`);
    expect(notice.en.subject).toBe('Application returned: respond by 2026-03-20');
    expect(notice.read).toBe(false);
    expect(hook.validSignature).toBe(true);
    expect(hook.headers['x-event-id']).toBe(notice.eventId);
    expect(hook.headers['x-signature']).toMatch(/^sha256=[0-9a-f]{64}$/);
    expect(hook.json).toMatchObject({
      type: 'ApplicationReturned',
      data: { respondBy: '2026-03-20', stage: 'district' },
    });

    // Marked read: gone from ?unread=true, still listed.
    expect((await h.request('POST', `/v1/inbox/${notice.id}/read`, { as })).status).toBe(200);
    expect((await inboxOf(as, '?unread=true')).items.map((n: { id: string }) => n.id)).not.toContain(
      notice.id,
    );
    expect((await inboxOf(as)).items.find((n: { id: string }) => n.id === notice.id).read).toBe(true);
    // Another enterprise can neither see nor mark it.
    const other = await enterprise();
    expect((await inboxOf(other.as)).items).toEqual([]);
    expect((await h.request('POST', `/v1/inbox/${notice.id}/read`, { as: other.as })).status).toBe(404);
  });

  it('emails the contact person (real SMTP) in Chinese with English alongside, and logs a masked SMS', async () => {
    const { as } = await enterprise();
    const id = await submitted(as);
    await returnIt(id);
    const mail = await eventually(
      () => smtp.messages.find((m) => m.to.includes(`contact${serial}@example.com`)),
      5000,
      'the email',
    );
    expect(mail.subject).toBe('申报材料被退回，请于2026-03-20前补正');
    expect(mail.from).toBe('noreply@wuxi.example.gov.cn');
    expect(mail.text).toContain('您的雏鹰企业申报');
    expect(mail.text).toContain('在区级初审阶段被退回，原因：请补充研发费用明细');
    expect(mail.text).toContain('Application returned: respond by 2026-03-20');
    const sms = h.app.get(SmsProvider) as LoggingSmsProvider;
    await eventually(() => sms.sent.length > 0, 20_000, 'the SMS');
    expect(sms.sent[0].phone).toBe('138****5678');
    // The gateway's approved template and its parameters, never free text.
    expect(sms.sent[0]).toMatchObject({
      template: 'SMS_CULTIVATION_RETURNED',
      params: { programme: '雏鹰企业', respondBy: '2026-03-20' },
    });
    expect(JSON.stringify(sms.sent)).not.toContain('13812345678');
  });

  it('the district officers get the submission in their inbox; the city above sees it too, a sibling district not', async () => {
    const { as } = await enterprise(undefined, false);
    const id = await submitted(as);
    const mine = await eventually(
      async () =>
        (await inboxOf(xinwu)).items.find((n: { stream: string }) => n.stream === `application-${id}`),
      3000,
      'the officer notice',
    );
    expect(mine.type).toBe('ApplicationSubmitted');
    expect(mine.subject).toContain('新的申报待审核');
    expect((await inboxOf(city)).items.map((n: { id: string }) => n.id)).toContain(mine.id);
    expect((await inboxOf(liangxi)).items.map((n: { id: string }) => n.id)).not.toContain(mine.id);
    // Paging: limit 1 with a cursor reaches the second newest.
    const first = await inboxOf(xinwu, '?limit=1');
    expect(first.items).toHaveLength(1);
    expect(first.next).toEqual(expect.any(String));
    const second = await inboxOf(xinwu, `?limit=1&cursor=${first.next}`);
    expect(second.items[0].id).not.toBe(first.items[0].id);
  });

  it('retries a webhook that first answers 500; keeps one that always fails for an admin to inspect and replay', async () => {
    const flaky = await enterprise('/flaky');
    await returnIt(await submitted(flaky.as));
    const deliveries = await eventually(
      () => {
        const got = hooks.received.filter((r) => r.path === '/flaky');
        return got.length >= 2 ? got : undefined;
      },
      5000,
      'the retried delivery',
    );
    expect(deliveries.map((d) => d.validSignature)).toEqual([true, true]);
    expect(deliveries[0].headers['x-event-id']).toBe(deliveries[1].headers['x-event-id']);

    const broken = await enterprise('/broken');
    await returnIt(await submitted(broken.as));
    const failed = await eventually(
      async () => {
        const res = await h.request('GET', '/v1/admin/notifications/failed', { as: admin });
        return res.body.find(
          (f: { channel: string; recipient: { id: string } }) =>
            f.channel === 'webhook' && f.recipient.id === broken.code,
        );
      },
      5000,
      'the failed job',
    );
    expect(failed.attempts).toBe(2);
    expect(failed.failedReason).toContain('answered 500');
    const before = hooks.received.filter((r) => r.path === '/broken').length;
    const retry = await h.request('POST', `/v1/admin/notifications/failed/${failed.jobId}/retry`, {
      as: admin,
    });
    expect(retry.status).toBe(202);
    await eventually(
      () => hooks.received.filter((r) => r.path === '/broken').length > before,
      5000,
      'the replay',
    );
    expect(
      (await h.request('POST', '/v1/admin/notifications/failed/n-nosuchjob/retry', { as: admin })).status,
    ).toBe(404);
  });

  it('webhooks: enterprises manage their own, admins all; URLs are validated', async () => {
    const a = await enterprise();
    const b = await enterprise();
    const created = await h.request('POST', '/v1/webhooks', {
      as: a.as,
      body: { url: 'https://erp.example.com/hook', events: ['ApplicationRejected'], secret: SECRET },
    });
    expect(created.status).toBe(201);
    const mine = (await h.request('GET', '/v1/webhooks', { as: a.as })).body;
    expect(mine).toEqual([
      expect.objectContaining({ id: created.body.id, org: a.code, url: 'https://erp.example.com/hook' }),
    ]);
    expect(JSON.stringify(mine)).not.toContain(SECRET);
    expect((await h.request('GET', '/v1/webhooks', { as: b.as })).body).toEqual([]);
    expect((await h.request('DELETE', `/v1/webhooks/${created.body.id}`, { as: b.as })).status).toBe(404);
    for (const url of ['ftp://example.com/x', 'javascript:alert(1)', 'not a url']) {
      const bad = await h.request('POST', '/v1/webhooks', {
        as: a.as,
        body: { url, events: ['ApplicationRejected'], secret: SECRET },
      });
      expect(bad.status).toBe(400);
    }
    expect((await h.request('DELETE', `/v1/webhooks/${created.body.id}`, { as: admin })).status).toBe(200);
    expect((await h.request('GET', '/v1/webhooks', { as: a.as })).body).toEqual([]);
  });

  it('the contact is sealed in the event store, never in clear', async () => {
    const { code } = await enterprise();
    const history = await h.request('GET', `/v1/audit/events?stream=enterprise-${code}`, { as: admin });
    const text = JSON.stringify(history.body);
    expect(text).toContain('"contact"');
    expect(text).not.toContain('13812345678');
    expect(text).not.toContain(`@example.com`);
    expect(text).not.toContain('张三');
  });

  it('the queue dashboard is for admins: their console session in a browser, their bearer token in a script', async () => {
    expect((await h.app.inject({ method: 'GET', url: '/admin/queues' })).statusCode).toBe(401);
    const officerToken = await h.token(city);
    const asOfficer = await h.app.inject({
      method: 'GET',
      url: '/admin/queues',
      headers: { authorization: `Bearer ${officerToken}` },
    });
    expect(asOfficer.statusCode).toBe(403);
    // A token in the address is no way in (proxies and browser history would keep it).
    const adminToken = await h.token(admin);
    expect((await h.app.inject({ method: 'GET', url: `/admin/queues?token=${adminToken}` })).statusCode).toBe(
      401,
    );

    // An admin signed in to the console opens it with the session cookie.
    const created = await h.request('POST', '/v1/accounts', {
      as: admin,
      body: { role: 'admin', login: 'admin.queues', name: '孙管理员', password: 'Queue-board-2026!' },
    });
    expect(created.status).toBe(201);
    const browser = new BrowserSession(h);
    expect((await browser.signIn('admin.queues', 'Queue-board-2026!')).status).toBe(200);
    const page = await h.app.inject({
      method: 'GET',
      url: '/admin/queues',
      headers: { cookie: browser.cookieHeader(), host: CONSOLE_HOST },
    });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toMatch(/text\/html/);
    // The board's own writes with the cookie must come from the console's origin.
    const foreign = await h.app.inject({
      method: 'PUT',
      url: '/admin/queues/api/queues/notify-inbox/retry/failed',
      headers: { cookie: browser.cookieHeader(), host: CONSOLE_HOST, origin: 'https://evil.example' },
    });
    expect(foreign.statusCode).toBe(403);
    // A signed-out session opens nothing, even replayed with its old cookie.
    const oldCookie = browser.cookieHeader();
    await browser.request('POST', '/v1/auth/sign-out');
    const after = await h.app.inject({
      method: 'GET',
      url: '/admin/queues',
      headers: { cookie: oldCookie, host: CONSOLE_HOST },
    });
    expect(after.statusCode).toBe(401);

    const api = await h.app.inject({
      method: 'GET',
      url: '/admin/queues/api/queues',
      headers: { authorization: `Bearer ${adminToken}` },
    });
    expect(api.statusCode).toBe(200);
    expect(api.body).toContain('notify-inbox');
  });

  it('reports queue depth and failures per queue on /metrics', async () => {
    const res = await h.app.inject({ method: 'GET', url: '/metrics' });
    expect(res.body).toMatch(/engine_queue_jobs\{queue="notify-webhook",state="failed"\} \d+/);
    expect(res.body).toMatch(/engine_queue_jobs\{queue="notify-inbox",state="waiting"\} \d+/);
  });
});
