import { eagletData } from '@engine/incubation/testing/sample-applications';
import type { Principal } from '@engine/platform';
import { randomUUID } from 'node:crypto';
import { NotificationQueues } from '../../apps/worker/src/notifications/notification-queues';
import { NotificationsRuntime } from '../../apps/worker/src/notifications/notifications.module';
import type { Harness } from '../support/api-harness';
import { creditCode } from '../support/fixtures';

/**
 * How to call each row of the permission matrix (apps/api/src/auth/permission-matrix.ts),
 * keyed by `METHOD /path` exactly as in the matrix. A scenario builds what a *successful* call
 * needs, fresh for every cell (one caller's success never changes another's answer), and
 * calls as the given principal. The matrix says what each caller must get.
 */
export type Response = { status: number; body: { code?: string } & Record<string, unknown> };

/** What a cell's call works on. `code`/`owner` is the enterprise that counts as "own". */
export interface Fixture {
  code: string;
  owner: Principal;
  roundId?: string;
  draftId?: string;
  submittedId?: string;
  noticeId?: string;
  webhookId?: string;
  jobId?: string;
}

export interface Scenario {
  /** Builds the resources of one cell. Default: {@link Kit.fixture}. */
  setup?: (kit: Kit) => Promise<Fixture>;
  call: (kit: Kit, f: Fixture, as: Principal | undefined) => Promise<Response>;
}

/** The officer who sets things up: the city of every fixture. */
export const SETUP_OFFICER: Principal = { sub: 'setup-officer', role: 'officer', jurisdiction: 'js.wuxi' };

export class Kit {
  private serial = 0;
  constructor(readonly h: Harness) {}

  newCode(): string {
    return creditCode(`91320214MA1PM${String(1000 + ++this.serial)}`);
  }

  enterprisePrincipal(code: string): Principal {
    return { sub: `ent-${code}`, role: 'enterprise', org: code };
  }

  async registerEnterprise(jurisdiction = 'js.wuxi.xinwu', code = this.newCode()): Promise<Fixture> {
    const owner = this.enterprisePrincipal(code);
    const res = await this.h.request('POST', '/v1/enterprises', {
      as: owner,
      body: {
        creditCode: code,
        name: `无锡权限矩阵${this.serial}有限公司`,
        jurisdiction,
        establishedOn: '2019-05-20',
      },
    });
    if (res.status !== 201) throw new Error(`fixture: registering ${code} answered ${res.status}`);
    return { code, owner };
  }

  async openRound(jurisdiction = 'js.wuxi', programme = 'eaglet'): Promise<string> {
    const res = await this.h.request('POST', '/v1/rounds', {
      as: SETUP_OFFICER,
      body: {
        programme,
        year: 2026,
        batch: 1,
        title: '权限矩阵测试批次',
        jurisdiction,
        opensAt: '2026-03-01T00:00:00+08:00',
        closesAt: '2026-04-30T17:00:00+08:00',
      },
    });
    if (res.status !== 201) throw new Error(`fixture: opening a round answered ${res.status}`);
    return res.body.id as string;
  }

  /** An enterprise in js.wuxi.xinwu, a js.wuxi round, a draft and a submitted application. */
  async fixture(): Promise<Fixture> {
    const enterprise = await this.registerEnterprise();
    const roundId = await this.openRound();
    const apply = async () => {
      const res = await this.h.request('POST', '/v1/applications', {
        as: enterprise.owner,
        body: { roundId, creditCode: enterprise.code, data: eagletData() },
      });
      if (res.status !== 201) throw new Error(`fixture: applying answered ${res.status}`);
      return res.body.id as string;
    };
    const draftId = await apply();
    const submittedId = await apply();
    const submitted = await this.h.request('POST', `/v1/applications/${submittedId}/submit`, {
      as: enterprise.owner,
    });
    if (submitted.status !== 200) throw new Error(`fixture: submitting answered ${submitted.status}`);
    return { ...enterprise, roundId, draftId, submittedId };
  }
}

/** Nothing to build: the row's resource is the api itself. */
const nothing = async (kit: Kit): Promise<Fixture> => {
  const code = kit.newCode();
  return { code, owner: kit.enterprisePrincipal(code) };
};

export const SCENARIOS: Record<string, Scenario> = {
  'GET /health': { setup: nothing, call: (k, _f, as) => k.h.request('GET', '/health', { as }) },
  'GET /health/live': { setup: nothing, call: (k, _f, as) => k.h.request('GET', '/health/live', { as }) },
  'GET /health/ready': { setup: nothing, call: (k, _f, as) => k.h.request('GET', '/health/ready', { as }) },
  'GET /metrics': { setup: nothing, call: (k, _f, as) => k.h.request('GET', '/metrics', { as }) },
  'GET /v1/programmes': { setup: nothing, call: (k, _f, as) => k.h.request('GET', '/v1/programmes', { as }) },

  'POST /v1/enterprises': {
    // A fresh, unregistered code: "own" is the enterprise registering itself.
    setup: nothing,
    call: (k, f, as) =>
      k.h.request('POST', '/v1/enterprises', {
        as,
        body: {
          creditCode: f.code,
          name: '无锡新注册有限公司',
          jurisdiction: 'js.wuxi.xinwu',
          establishedOn: '2020-01-01',
        },
      }),
  },
  'GET /v1/enterprises/:creditCode': {
    setup: (k) => k.registerEnterprise(),
    call: (k, f, as) => k.h.request('GET', `/v1/enterprises/${f.code}`, { as }),
  },

  'POST /v1/rounds': {
    setup: nothing,
    call: (k, _f, as) =>
      k.h.request('POST', '/v1/rounds', {
        as,
        body: {
          programme: 'gazelle',
          year: 2026,
          batch: 2,
          title: '权限',
          jurisdiction: 'js.wuxi',
          opensAt: '2026-03-01T00:00:00+08:00',
          closesAt: '2026-04-30T17:00:00+08:00',
        },
      }),
  },
  'GET /v1/rounds/:id': {
    setup: async (k) => ({ ...(await nothing(k)), roundId: await k.openRound() }),
    call: (k, f, as) => k.h.request('GET', `/v1/rounds/${f.roundId}`, { as }),
  },
  'POST /v1/rounds/:id/close': {
    setup: async (k) => ({ ...(await nothing(k)), roundId: await k.openRound() }),
    call: (k, f, as) => k.h.request('POST', `/v1/rounds/${f.roundId}/close`, { as }),
  },

  'POST /v1/applications': {
    // Everyone applies for the fixture's enterprise: only that enterprise may.
    call: (k, f, as) =>
      k.h.request('POST', '/v1/applications', {
        as,
        body: { roundId: f.roundId, creditCode: f.code, data: eagletData() },
      }),
  },
  'PATCH /v1/applications/:id': {
    call: (k, f, as) =>
      k.h.request('PATCH', `/v1/applications/${f.draftId}`, { as, body: { data: eagletData(1) } }),
  },
  'POST /v1/applications/:id/submit': {
    call: (k, f, as) => k.h.request('POST', `/v1/applications/${f.draftId}/submit`, { as }),
  },
  'POST /v1/applications/:id/reviews': {
    call: (k, f, as) =>
      k.h.request('POST', `/v1/applications/${f.submittedId}/reviews`, {
        as,
        body: { stage: 'district', decision: 'recommend', reason: '同意' },
      }),
  },
  'GET /v1/applications/:id': {
    call: (k, f, as) => k.h.request('GET', `/v1/applications/${f.submittedId}`, { as }),
  },
  'GET /v1/applications/:id/history': {
    call: (k, f, as) => k.h.request('GET', `/v1/applications/${f.submittedId}/history`, { as }),
  },

  'GET /v1/worklist': { setup: nothing, call: (k, _f, as) => k.h.request('GET', '/v1/worklist', { as }) },
  'GET /v1/audit/events': {
    setup: nothing,
    call: (k, _f, as) => k.h.request('GET', '/v1/audit/events?limit=5', { as }),
  },
  'GET /v1/audit/verify': {
    setup: nothing,
    call: (k, _f, as) => k.h.request('GET', '/v1/audit/verify', { as }),
  },
  'POST /v1/admin/clock': {
    setup: nothing,
    call: (k, _f, as) =>
      k.h.request('POST', '/v1/admin/clock', { as, body: { now: k.h.clock.now().toISOString() } }),
  },
  'GET /v1/admin/parked': {
    setup: nothing,
    call: (k, _f, as) => k.h.request('GET', '/v1/admin/parked', { as }),
  },
  'POST /v1/admin/parked/:processor/:eventId/retry': {
    setup: nothing,
    call: (k, _f, as) =>
      k.h.request('POST', '/v1/admin/parked/saga:deadlines/00000000-0000-4000-8000-000000000000/retry', {
        as,
      }),
  },
  'GET /v1/inbox': {
    setup: nothing,
    call: (k, _f, as) => k.h.request('GET', '/v1/inbox', { as }),
  },
  'POST /v1/inbox/:id/read': {
    // The owner's notice of its submission reaching the district officers is not the owner's;
    // the enterprise's own notice comes from a return, which the outbox delivers to its inbox.
    setup: async (k) => {
      await k.h.app.get(NotificationsRuntime).ready();
      const f = await k.fixture();
      await k.h.request('POST', `/v1/applications/${f.submittedId}/reviews`, {
        as: SETUP_OFFICER,
        body: { stage: 'district', decision: 'return', reason: '请补充材料', respondBy: '2026-04-20' },
      });
      const deadline = Date.now() + 5000;
      for (;;) {
        const inbox = await k.h.request('GET', '/v1/inbox', { as: f.owner });
        const notice = (inbox.body.items as { id: string }[])[0];
        if (notice) return { ...f, noticeId: notice.id };
        if (Date.now() > deadline) throw new Error('fixture: no inbox notice within 5 s');
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    },
    call: (k, f, as) => k.h.request('POST', `/v1/inbox/${f.noticeId}/read`, { as }),
  },
  'POST /v1/webhooks': {
    setup: (k) => k.registerEnterprise(),
    call: (k, _f, as) =>
      k.h.request('POST', '/v1/webhooks', {
        as,
        body: {
          url: 'https://erp.example.com/hook',
          events: ['ApplicationReturned'],
          secret: 'a-secret-of-16-chars-or-more',
        },
      }),
  },
  'GET /v1/webhooks': {
    setup: nothing,
    call: (k, _f, as) => k.h.request('GET', '/v1/webhooks', { as }),
  },
  'DELETE /v1/webhooks/:id': {
    setup: async (k) => {
      const f = await k.registerEnterprise();
      const res = await k.h.request('POST', '/v1/webhooks', {
        as: f.owner,
        body: { url: 'https://erp.example.com/hook', events: ['*'], secret: 'a-secret-of-16-chars-or-more' },
      });
      return { ...f, webhookId: res.body.id as string };
    },
    call: (k, f, as) => k.h.request('DELETE', `/v1/webhooks/${f.webhookId}`, { as }),
  },
  'GET /v1/admin/notifications/failed': {
    setup: nothing,
    call: (k, _f, as) => k.h.request('GET', '/v1/admin/notifications/failed', { as }),
  },
  'POST /v1/admin/notifications/failed/:jobId/retry': {
    // A webhook job to a port nobody listens on, with one attempt: it fails at once.
    setup: async (k) => {
      const f = await nothing(k);
      const hook = await k.h.request('POST', '/v1/webhooks', {
        as: { sub: 'admin-setup', role: 'admin' },
        body: { url: 'http://127.0.0.1:1/refused', events: ['*'], secret: 'a-secret-of-16-chars-or-more' },
      });
      const jobId = `n-permissions-${randomUUID()}`;
      const queue = k.h.app.get(NotificationQueues).queues.webhook;
      const event = { id: randomUUID(), type: 'PermissionCheck', stream: 'x', position: 0, occurredAt: '' };
      const text = { subject: '权限矩阵', body: '权限矩阵' };
      await queue.add(
        'PermissionCheck',
        {
          notificationId: jobId,
          channel: 'webhook',
          ruleId: 'permissions',
          recipient: { kind: 'enterprise', id: f.code },
          event,
          zh: text,
          en: text,
          webhookId: hook.body.id as string,
        },
        { jobId, attempts: 1 },
      );
      const deadline = Date.now() + 5000;
      while (!(await (await queue.getJob(jobId))?.isFailed())) {
        if (Date.now() > deadline) throw new Error('fixture: the webhook job did not fail within 5 s');
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      return { ...f, jobId };
    },
    call: (k, f, as) => k.h.request('POST', `/v1/admin/notifications/failed/${f.jobId}/retry`, { as }),
  },
};
