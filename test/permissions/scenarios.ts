import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { ReadModelDatabase } from '@engine/read-models';
import { eagletData } from '@engine/incubation/testing/sample-applications';
import type { Principal } from '@engine/platform';
import type { CallerKind } from '../../apps/api/src/auth/permission-matrix';
import { NotificationQueues, NotificationsRuntime } from '@engine/notifications';
import type { Harness } from '../support/api-harness';
import { creditCode } from '../support/fixtures';
import { SAMPLE_MATERIAL_PDF } from '../../apps/demo/src/sample-material';

/** One small PDF as an objection's evidence upload. */
const evidenceForm = () => {
  const form = new FormData();
  form.append('file', new Blob([SAMPLE_MATERIAL_PDF], { type: 'application/pdf' }), '年报.pdf');
  return form;
};
import { multipart, samples } from '../support/materials';
import { AccountService } from '@engine/read-models';

/**
 * How to call each row of the permission matrix (apps/api/src/auth/permission-matrix.ts),
 * keyed by `METHOD /path` exactly as in the matrix. A scenario builds what a *successful* call
 * needs, fresh for every cell (one caller's success never changes another's answer), and
 * calls as the given principal. The matrix says what each caller must get.
 */
export type Response = { status: number; body: { code?: string } & Record<string, unknown> };

/** What a cell's call works on. `code`/`owner` is the enterprise that counts as "own". */
export interface Fixture {
  parkedEventId?: string;
  objectionId?: string;
  /** An expert on the fixture's panel (the replacement row). */
  expertId?: string;
  membershipId?: string;
  /** A fund of js.wuxi.xinwu and an allocation from it (the /v1/funds rows). */
  fundId?: string;
  allocationId?: string;
  /** The expert the `expert` cell calls as (default: one on no panel). */
  expert?: Principal;
  code: string;
  owner: Principal;
  roundId?: string;
  draftId?: string;
  submittedId?: string;
  noticeId?: string;
  webhookId?: string;
  jobId?: string;
  materialId?: string;
  /** An account of its own (the /v1/accounts/:id rows) and a reset link's token for it. */
  accountId?: string;
  resetToken?: string;
}

export interface Scenario {
  /** Builds the resources of one cell. Default: {@link Kit.fixture}. */
  setup?: (kit: Kit) => Promise<Fixture>;
  call: (kit: Kit, f: Fixture, as: Principal | undefined) => Promise<Response>;
  /**
   * What a successful answer may and may not show to each kind of caller (not only whether it
   * answers): throws, naming the field, when a caller sees what its role must not.
   */
  fields?: Partial<Record<CallerKind, (body: unknown) => void>>;
}

/** Every dotted path of a JSON value (array items as `[]`), for field assertions. */
export function fieldPaths(value: unknown, prefix = ''): string[] {
  if (Array.isArray(value)) return value.flatMap((item) => fieldPaths(item, `${prefix}[]`));
  if (value === null || typeof value !== 'object') return prefix ? [prefix] : [];
  return Object.entries(value).flatMap(([key, item]) => {
    const path = prefix ? `${prefix}.${key}` : key;
    return [path, ...fieldPaths(item, path)];
  });
}

/** Fails naming every path of `body` that starts with one of `forbidden`. */
function expectNone(body: unknown, forbidden: string[]): void {
  const seen = [...new Set(fieldPaths(body))].filter((path) =>
    forbidden.some((f) => path === f || path.startsWith(`${f}.`) || path.startsWith(`${f}[]`)),
  );
  if (seen.length > 0) throw new Error(`shows fields it must not: ${seen.join(', ')}`);
}

/** Fails when the history shows an event of one of the types. */
function expectNoEvents(body: unknown, types: string[]): void {
  const seen = (body as { type: string }[]).map((e) => e.type).filter((t) => types.includes(t));
  if (seen.length > 0) throw new Error(`shows events it must not: ${[...new Set(seen)].join(', ')}`);
  const experts = JSON.stringify(body).match(/pm-e-\d+/g);
  if (experts) throw new Error(`names experts: ${[...new Set(experts)].join(', ')}`);
}

/** Fails when a field the role relies on is missing. */
function expectSome(body: unknown, required: string[]): void {
  const paths = new Set(fieldPaths(body));
  const missing = required.filter((f) => !paths.has(f));
  if (missing.length > 0) throw new Error(`lacks fields: ${missing.join(', ')}`);
}

const PANEL_EVENTS = ['ExpertPanelDrawn', 'ExpertScoreSubmitted', 'ExpertReminded', 'ExpertReplaced'];

/** The officer who sets things up: the city of every fixture. */
export const SETUP_OFFICER: Principal = { sub: 'setup-officer', role: 'officer', jurisdiction: 'js.wuxi' };

export class Kit {
  private serial = 0;
  private rounds = 0;
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

  /** One round per programme, jurisdiction, year and batch: each call a batch of its own. */
  nextBatch(): { year: number; batch: number } {
    const n = this.rounds++;
    return { year: 2026 + Math.floor(n / 99), batch: (n % 99) + 1 };
  }

  async openRound(jurisdiction = 'js.wuxi', programme = 'eaglet'): Promise<string> {
    const res = await this.h.request('POST', '/v1/rounds', {
      as: SETUP_OFFICER,
      body: {
        programme,
        ...this.nextBatch(),
        title: '权限矩阵测试批次',
        jurisdiction,
        opensAt: '2026-03-01T00:00:00+08:00',
        closesAt: '2026-04-30T17:00:00+08:00',
      },
    });
    if (res.status !== 201) throw new Error(`fixture: opening a round answered ${res.status}`);
    return res.body.id as string;
  }

  private experts: Promise<void> | undefined;

  /** The matrix's expert pool: 16 experts (3 in finance), none of them the matrix's `expert-1`. */
  ensureExperts(): Promise<void> {
    this.experts ??= (async () => {
      for (let n = 1; n <= 16; n++) {
        const res = await this.h.request('POST', '/v1/experts', {
          as: { sub: 'setup-admin', role: 'admin' },
          body: {
            id: `pm-e-${n}`,
            name: `矩阵专家${n}`,
            field: n <= 3 ? 'finance' : 'engineering',
            affiliations: [],
          },
        });
        if (res.status !== 201) throw new Error(`fixture: registering an expert answered ${res.status}`);
      }
    })();
    return this.experts;
  }

  private async expectOk(method: 'POST' | 'GET', url: string, body: unknown, as: Principal = SETUP_OFFICER) {
    const res = await this.h.request(method, url, { as, body });
    if (res.status >= 300)
      throw new Error(`fixture: ${method} ${url} answered ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  }

  /** The fixture with its submitted application accepted for expert review by the city. */
  async inExpertReview(): Promise<Fixture> {
    const f = await this.fixture();
    for (const stage of ['district', 'city']) {
      await this.expectOk('POST', `/v1/applications/${f.submittedId}/reviews`, {
        stage,
        decision: 'recommend',
        reason: '同意',
      });
    }
    return f;
  }

  /** …its panel drawn and one expert's score in: the review runs. */
  async underPanelReview(): Promise<Fixture> {
    await this.ensureExperts();
    const f = await this.inExpertReview();
    const { experts } = await this.expectOk('POST', `/v1/applications/${f.submittedId}/panel`, {});
    await this.expectOk(
      'POST',
      `/v1/applications/${f.submittedId}/scores`,
      { score: 66, comment: '研发投入不足' },
      { sub: (experts as string[])[0], role: 'expert' },
    );
    return f;
  }

  /** …scored by its panel (passed), its round closed: ready for publicity. */
  async passed(): Promise<Fixture> {
    await this.ensureExperts();
    const f = await this.inExpertReview();
    const { experts } = await this.expectOk('POST', `/v1/applications/${f.submittedId}/panel`, {});
    for (const expert of experts as string[]) {
      await this.expectOk(
        'POST',
        `/v1/applications/${f.submittedId}/scores`,
        { score: 85 },
        { sub: expert, role: 'expert' },
      );
    }
    await this.expectOk('POST', `/v1/rounds/${f.roundId}/close`, undefined);
    return f;
  }

  /** …and in publicity. */
  async inPublicity(): Promise<Fixture> {
    const f = await this.passed();
    await this.expectOk('POST', `/v1/rounds/${f.roundId}/publicity`, {});
    await this.h.settle();
    return f;
  }

  /**
   * …through publicity to a membership: the clock runs past the publicity's end (the sagas
   * finalize and admit), then goes back, so later fixtures still open rounds in their window.
   */
  async membership(): Promise<Fixture> {
    const f = await this.inPublicity();
    const back = this.h.clock.now().toISOString();
    const round = await this.expectOk('GET', `/v1/rounds/${f.roundId}`, undefined, {
      sub: 'setup-auditor',
      role: 'auditor',
    });
    await this.h.advanceTo(new Date(Date.parse(`${round.publicity.endsOn}T16:00:00Z`)).toISOString());
    const application = await this.expectOk('GET', `/v1/applications/${f.submittedId}`, undefined, {
      sub: 'setup-auditor',
      role: 'auditor',
    });
    this.h.clock.set(new Date(back));
    if (!application.membershipId)
      throw new Error(`fixture: the application was not admitted (${application.status})`);
    return { ...f, membershipId: application.membershipId };
  }

  /**
   * An enterprise in js.wuxi.xinwu, a js.wuxi round with its submitted application, and a
   * draft in a second round (one application per enterprise and round).
   */
  async fixture(): Promise<Fixture> {
    const enterprise = await this.registerEnterprise();
    const roundId = await this.openRound();
    const draftRoundId = await this.openRound();
    const apply = async (roundId: string) => {
      const res = await this.h.request('POST', '/v1/applications', {
        as: enterprise.owner,
        body: { roundId, creditCode: enterprise.code, data: eagletData() },
      });
      if (res.status !== 201) throw new Error(`fixture: applying answered ${res.status}`);
      return res.body.id as string;
    };
    const draftId = await apply(draftRoundId);
    const submittedId = await apply(roundId);
    const submitted = await this.h.request('POST', `/v1/applications/${submittedId}/submit`, {
      as: enterprise.owner,
    });
    if (submitted.status !== 200) throw new Error(`fixture: submitting answered ${submitted.status}`);
    return { ...enterprise, roundId, draftId, submittedId };
  }
}

/** Uploads a small PDF to the application as the given caller. */
async function uploadAs(k: Kit, applicationId: string, as: Principal | undefined): Promise<Response> {
  const { body, contentType } = multipart(
    { kind: 'business-licence' },
    { name: '营业执照.pdf', content: samples.pdf() },
  );
  const res = await k.h.app.inject({
    method: 'POST',
    url: `/v1/applications/${applicationId}/materials`,
    headers: {
      ...(as ? { authorization: `Bearer ${await k.h.token(as)}` } : {}),
      'content-type': contentType,
    },
    payload: body,
  });
  return { status: res.statusCode, body: res.json() };
}

/** Imports a one-row national high-tech register (a fresh certificate number: a new version). */
async function importRegisterAs(k: Kit, as: Principal | undefined): Promise<Response> {
  const csv =
    '统一社会信用代码,企业名称,证书编号,有效期起,有效期至\n' +
    `${creditCode('91320214MA1REG001')},无锡名录科技有限公司,GR${randomUUID().slice(0, 8)},2025-01-01,2027-12-31\n`;
  const { body, contentType } = multipart(
    {},
    { name: '高企名录.csv', content: Buffer.from(csv), type: 'text/csv' },
  );
  const res = await k.h.app.inject({
    method: 'POST',
    url: '/v1/registers/national-high-tech',
    headers: {
      ...(as ? { authorization: `Bearer ${await k.h.token(as)}` } : {}),
      'content-type': contentType,
    },
    payload: body,
  });
  return { status: res.statusCode, body: res.json() };
}

/** The default fixture with a file attached to its draft. */
const withMaterial = async (k: Kit): Promise<Fixture> => {
  const f = await k.fixture();
  const res = await uploadAs(k, f.draftId!, f.owner);
  if (res.status !== 201) throw new Error(`fixture: uploading answered ${res.status}`);
  return { ...f, materialId: res.body.id as string };
};

/** Nothing to build: the row's resource is the api itself. */
const nothing = async (kit: Kit): Promise<Fixture> => {
  const code = kit.newCode();
  return { code, owner: kit.enterprisePrincipal(code) };
};

const FUND = {
  budget: 1_000_000,
  source: '中央财政中小企业发展专项资金',
  jurisdiction: 'js.wuxi.xinwu',
  year: 2026,
};

/** A fund of js.wuxi.xinwu with one allocation to a platform, made by the setup officer. */
const fund = async (kit: Kit): Promise<Fixture> => {
  const f = await nothing(kit);
  const created = await kit.h.request('POST', '/v1/funds', {
    as: SETUP_OFFICER,
    body: { ...FUND, name: `权限矩阵专项资金${randomUUID()}` },
  });
  if (created.status !== 201) throw new Error(`fixture: establishing a fund answered ${created.status}`);
  const fundId = created.body.id as string;
  const allocated = await kit.h.request('POST', `/v1/funds/${fundId}/allocations`, {
    as: SETUP_OFFICER,
    body: { recipient: { platform: '新吴区中小企业公共服务示范平台' }, amount: 200_000, purpose: '平台奖补' },
  });
  if (allocated.status !== 201) throw new Error(`fixture: allocating answered ${allocated.status}`);
  return { ...f, fundId, allocationId: allocated.body.id as string };
};

const PASSWORD = 'Matrix-pass-2026!';

/** A fresh officer account (and a reset token for it) for one cell. */
const account = async (kit: Kit): Promise<Fixture> => {
  const f = await nothing(kit);
  const accounts = kit.h.app.get(AccountService);
  const login = `matrix-${kit.newCode().toLowerCase()}`;
  const view = await accounts.create(
    {
      login,
      password: PASSWORD,
      name: '矩阵科员',
      scope: { role: 'officer', jurisdiction: 'js.wuxi' },
      source: 'admin',
    },
    { actor: { sub: 'setup-admin', role: 'admin' } },
  );
  const resetToken = await accounts.issueToken('password-reset', view.id, {}, 30 * 60_000);
  return { ...f, accountId: view.id, resetToken };
};

export const SCENARIOS: Record<string, Scenario> = {
  'GET /health': { setup: nothing, call: (k, _f, as) => k.h.request('GET', '/health', { as }) },
  'GET /health/live': { setup: nothing, call: (k, _f, as) => k.h.request('GET', '/health/live', { as }) },
  'GET /health/ready': { setup: nothing, call: (k, _f, as) => k.h.request('GET', '/health/ready', { as }) },
  'GET /metrics': { setup: nothing, call: (k, _f, as) => k.h.request('GET', '/metrics', { as }) },
  'GET /v1/programmes': { setup: nothing, call: (k, _f, as) => k.h.request('GET', '/v1/programmes', { as }) },
  'GET /v1/labels': { setup: nothing, call: (k, _f, as) => k.h.request('GET', '/v1/labels', { as }) },
  'GET /v1/public/rounds': {
    setup: nothing,
    call: (k, _f, as) => k.h.request('GET', '/v1/public/rounds?status=open', { as }),
  },

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
          ...k.nextBatch(),
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
    // Everyone applies for the fixture's enterprise in a round it has not applied in: only that
    // enterprise may.
    setup: async (k) => ({ ...(await k.registerEnterprise()), roundId: await k.openRound() }),
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
    // While its panel reviews: the enterprise must not learn who reviews it or how they score.
    setup: (k) => k.underPanelReview(),
    call: (k, f, as) => k.h.request('GET', `/v1/applications/${f.submittedId}`, { as }),
    fields: {
      'enterprise:own': (body) => {
        expectSome(body, ['id', 'status', 'creditCode', 'data', 'eligibility']);
        expectNone(body, ['panel', 'panelScores', 'seat', 'score', 'result']);
        if (/pm-e-\d+/.test(JSON.stringify(body))) throw new Error('names an expert');
      },
      'officer:own': (body) => expectSome(body, ['panel', 'panel[].expertId', 'creditCode']),
      auditor: (body) => expectSome(body, ['panel', 'panel[].expertId', 'creditCode']),
    },
  },
  'POST /v1/applications/:id/materials': {
    call: (k, f, as) => uploadAs(k, f.draftId!, as),
  },
  'GET /v1/applications/:id/materials': {
    call: (k, f, as) => k.h.request('GET', `/v1/applications/${f.draftId}/materials`, { as }),
  },
  'GET /v1/applications/:id/materials/:materialId/content': {
    setup: withMaterial,
    call: (k, f, as) =>
      k.h.request('GET', `/v1/applications/${f.draftId}/materials/${f.materialId}/content`, { as }),
  },
  'DELETE /v1/applications/:id/materials/:materialId': {
    setup: withMaterial,
    call: (k, f, as) =>
      k.h.request('DELETE', `/v1/applications/${f.draftId}/materials/${f.materialId}`, { as }),
  },
  'GET /v1/applications/:id/history': {
    setup: (k) => k.underPanelReview(),
    call: (k, f, as) => k.h.request('GET', `/v1/applications/${f.submittedId}/history`, { as }),
    fields: {
      'enterprise:own': (body) => {
        expectNoEvents(body, PANEL_EVENTS);
        expectSome(body, ['[].type', '[].hash']);
      },
      'officer:own': (body) => {
        const types = (body as { type: string }[]).map((e) => e.type);
        if (!types.includes('ExpertPanelDrawn') || !types.includes('ExpertScoreSubmitted'))
          throw new Error(`officers must see the panel's events, saw ${types.join(', ')}`);
      },
    },
  },

  'GET /v1/worklist': { setup: nothing, call: (k, _f, as) => k.h.request('GET', '/v1/worklist', { as }) },
  'GET /v1/worklist/stream': {
    setup: nothing,
    call: (k, _f, as) => streamStatus(k.h, '/v1/worklist/stream', as),
  },
  'GET /v1/audit/events': {
    setup: nothing,
    call: (k, _f, as) => k.h.request('GET', '/v1/audit/events?limit=5', { as }),
  },
  'GET /v1/audit/verify': {
    setup: nothing,
    call: (k, _f, as) => k.h.request('GET', '/v1/audit/verify', { as }),
  },
  'GET /v1/audit/verify/progress': {
    setup: nothing,
    call: (k, _f, as) => k.h.request('GET', '/v1/audit/verify/progress', { as }),
  },
  'GET /v1/audit/export': {
    setup: nothing,
    call: (k, _f, as) => k.h.request('GET', '/v1/audit/export?withoutFiles=true', { as }),
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
    // A parked event of its own for every cell.
    setup: async (k) => {
      const f = await nothing(k);
      const at = k.h.clock.now().toISOString();
      await k.h.app
        .get(ReadModelDatabase)
        .writer.insertInto('processor_parked')
        .values({
          processor: 'saga:deadlines',
          event_id: randomUUID(),
          position: 1,
          stream: 'application-x',
          type: 'ApplicationReturned',
          attempts: 6,
          error: 'matrix fixture',
          parked_at: at,
          state: 'parked',
          updated_at: at,
        })
        .execute();
      const rows = await k.h.app
        .get(ReadModelDatabase)
        .writer.selectFrom('processor_parked')
        .select('event_id')
        .where('error', '=', 'matrix fixture')
        .where('state', '=', 'parked')
        .execute();
      return { ...f, parkedEventId: rows[0].event_id };
    },
    call: (k, f, as) =>
      k.h.request('POST', `/v1/admin/parked/saga:deadlines/${f.parkedEventId}/retry`, { as }),
  },

  'GET /v1/applications/:id/stream': {
    call: (k, f, as) => streamStatus(k.h, `/v1/applications/${f.submittedId}/stream`, as),
  },
  'GET /v1/rounds/:id/stats': {
    call: (k, f, as) => k.h.request('GET', `/v1/rounds/${f.roundId}/stats`, { as }),
  },
  'GET /v1/rounds': { setup: nothing, call: (k, _f, as) => k.h.request('GET', '/v1/rounds', { as }) },
  'GET /v1/rounds/:id/applications': {
    call: (k, f, as) => k.h.request('GET', `/v1/rounds/${f.roundId}/applications`, { as }),
  },
  'POST /v1/rounds/:id/panels': {
    setup: async (k) => {
      await k.ensureExperts();
      return k.inExpertReview();
    },
    call: (k, f, as) => k.h.request('POST', `/v1/rounds/${f.roundId}/panels`, { as }),
  },
  'GET /v1/rounds/:id/panels': {
    call: (k, f, as) => k.h.request('GET', `/v1/rounds/${f.roundId}/panels`, { as }),
  },
  'POST /v1/applications/:id/panel/replacements': {
    setup: async (k) => {
      await k.ensureExperts();
      const f = await k.inExpertReview();
      const drawn = await k.h.request('POST', `/v1/applications/${f.submittedId}/panel`, {
        as: SETUP_OFFICER,
        body: {},
      });
      return { ...f, expertId: drawn.body.experts[0] as string };
    },
    call: (k, f, as) =>
      k.h.request('POST', `/v1/applications/${f.submittedId}/panel/replacements`, {
        as,
        body: { expertId: f.expertId! },
      }),
  },
  'GET /v1/assignments': {
    setup: nothing,
    call: (k, _f, as) => k.h.request('GET', '/v1/assignments', { as }),
  },
  'POST /v1/experts': {
    setup: nothing,
    call: (k, f, as) =>
      k.h.request('POST', '/v1/experts', {
        as,
        body: { id: `new-${f.code}`, name: '新专家', field: 'engineering', affiliations: [] },
      }),
  },
  'POST /v1/applications/:id/panel': {
    setup: async (k) => {
      await k.ensureExperts();
      return k.inExpertReview();
    },
    call: (k, f, as) => k.h.request('POST', `/v1/applications/${f.submittedId}/panel`, { as, body: {} }),
  },
  'POST /v1/applications/:id/scores': {
    setup: async (k) => {
      await k.ensureExperts();
      const f = await k.inExpertReview();
      const drawn = await k.h.request('POST', `/v1/applications/${f.submittedId}/panel`, {
        as: SETUP_OFFICER,
        body: {},
      });
      return { ...f, expert: { sub: drawn.body.experts[0] as string, role: 'expert' as const } };
    },
    call: (k, f, as) =>
      k.h.request('POST', `/v1/applications/${f.submittedId}/scores`, { as, body: { score: 80 } }),
  },
  'POST /v1/applications/:id/conflict-declaration': {
    setup: async (k) => {
      await k.ensureExperts();
      const f = await k.inExpertReview();
      const drawn = await k.h.request('POST', `/v1/applications/${f.submittedId}/panel`, {
        as: SETUP_OFFICER,
        body: {},
      });
      return { ...f, expert: { sub: drawn.body.experts[0] as string, role: 'expert' as const } };
    },
    call: (k, f, as) =>
      k.h.request('POST', `/v1/applications/${f.submittedId}/conflict-declaration`, {
        as,
        body: { conflict: false },
      }),
  },
  'POST /v1/rounds/:id/publicity': {
    setup: (k) => k.passed(),
    call: (k, f, as) => k.h.request('POST', `/v1/rounds/${f.roundId}/publicity`, { as, body: {} }),
  },
  'POST /v1/rounds/:id/finalize': {
    setup: (k) => k.inPublicity(),
    call: (k, f, as) => k.h.request('POST', `/v1/rounds/${f.roundId}/finalize`, { as }),
  },
  'POST /v1/registers/:register': {
    setup: nothing,
    call: (k, _f, as) => importRegisterAs(k, as),
  },
  'GET /v1/registers/:register': {
    setup: async (k) => {
      const f = await k.fixture();
      const res = await importRegisterAs(k, {
        sub: 'officer-wuxi-registers',
        role: 'officer',
        jurisdiction: 'js.wuxi',
      });
      if (res.status !== 201) throw new Error(`fixture: importing a register answered ${res.status}`);
      return f;
    },
    call: (k, _f, as) => k.h.request('GET', '/v1/registers/national-high-tech?jurisdiction=js.wuxi', { as }),
  },
  'GET /v1/rounds/:id/screening': {
    call: (k, f, as) => k.h.request('GET', `/v1/rounds/${f.roundId}/screening`, { as }),
  },
  'GET /v1/rounds/:id/list': {
    call: (k, f, as) => k.h.request('GET', `/v1/rounds/${f.roundId}/list`, { as }),
  },
  'GET /v1/rounds/:id/documents/:name': {
    setup: (k) => k.inPublicity(),
    call: (k, f, as) => k.h.request('GET', `/v1/rounds/${f.roundId}/documents/publicity-list.xlsx`, { as }),
  },
  'POST /v1/rounds/:id/admission-notice': {
    call: (k, f, as) =>
      k.h.request('POST', `/v1/rounds/${f.roundId}/admission-notice`, {
        as,
        body: { documentNumber: `锡科发〔${k.h.clock.now().getUTCFullYear()}〕1号` },
      }),
  },
  'GET /v1/statistics/applications': {
    setup: nothing,
    call: (k, _f, as) => k.h.request('GET', '/v1/statistics/applications?year=2026', { as }),
  },
  'GET /v1/statistics/applications.xlsx': {
    setup: nothing,
    call: (k, _f, as) => k.h.request('GET', '/v1/statistics/applications.xlsx?year=2026', { as }),
  },
  'POST /v1/applications/:id/objections': {
    setup: (k) => k.inPublicity(),
    call: (k, f, as) =>
      k.h.request('POST', `/v1/applications/${f.submittedId}/objections`, {
        as,
        body: {
          objector: { name: '李四', idNumber: '11010519491231002X', phone: '13900139000' },
          grounds: '申报数据与年报不一致，请核查',
          evidence: ['年报第2页'],
        },
      }),
  },
  'POST /v1/applications/:id/objections/evidence': {
    setup: (k) => k.inPublicity(),
    call: (k, f, as) =>
      k.h.request('POST', `/v1/applications/${f.submittedId}/objections/evidence`, {
        as,
        form: evidenceForm(),
      }),
  },
  'GET /v1/objections/:id/evidence/:sha256': {
    setup: async (k) => {
      const f = await k.inPublicity();
      const file = await k.h.request('POST', `/v1/applications/${f.submittedId}/objections/evidence`, {
        form: evidenceForm(),
      });
      if (file.status !== 201) throw new Error(`fixture: uploading evidence answered ${file.status}`);
      const raised = await k.h.request('POST', `/v1/applications/${f.submittedId}/objections`, {
        body: {
          objector: { name: '李四', idNumber: '11010519491231002X', phone: '13900139000' },
          grounds: '申报数据与年报不一致，请核查',
          evidence: [],
          evidenceFiles: [{ sha256: file.body.sha256, fileName: '年报.pdf' }],
        },
      });
      if (raised.status !== 201) throw new Error(`fixture: objecting answered ${raised.status}`);
      return { ...f, objectionId: `${raised.body.id as string}/evidence/${file.body.sha256 as string}` };
    },
    call: (k, f, as) => k.h.request('GET', `/v1/objections/${f.objectionId}`, { as }),
  },
  'GET /v1/objections/:id': {
    setup: async (k) => {
      const f = await k.inPublicity();
      const raised = await k.h.request('POST', `/v1/applications/${f.submittedId}/objections`, {
        body: {
          objector: { name: '李四', idNumber: '11010519491231002X', phone: '13900139000' },
          grounds: '申报数据与年报不一致，请核查',
          evidence: ['年报第2页'],
        },
      });
      if (raised.status !== 201) throw new Error(`fixture: objecting answered ${raised.status}`);
      return { ...f, objectionId: raised.body.id as string };
    },
    call: (k, f, as) => k.h.request('GET', `/v1/objections/${f.objectionId}`, { as }),
  },
  'POST /v1/objections/:id/resolution': {
    setup: async (k) => {
      const f = await k.inPublicity();
      const raised = await k.h.request('POST', `/v1/applications/${f.submittedId}/objections`, {
        body: {
          objector: { name: '李四', idNumber: '11010519491231002X', phone: '13900139000' },
          grounds: '申报数据与年报不一致，请核查',
          evidence: ['年报第2页'],
        },
      });
      if (raised.status !== 201) throw new Error(`fixture: objecting answered ${raised.status}`);
      return { ...f, objectionId: raised.body.id as string };
    },
    call: (k, f, as) =>
      k.h.request('POST', `/v1/objections/${f.objectionId}/resolution`, {
        as,
        body: { upheld: false, reason: '经核查，数据属实' },
      }),
  },
  'POST /v1/applications/:id/finance-opinion': {
    call: (k, f, as) =>
      k.h.request('POST', `/v1/applications/${f.submittedId}/finance-opinion`, {
        as,
        body: { approved: false, opinion: '不同意' },
      }),
  },
  'POST /v1/applications/:id/national-decision': {
    call: (k, f, as) =>
      k.h.request('POST', `/v1/applications/${f.submittedId}/national-decision`, {
        as,
        body: { decision: 'recognized', documentNumber: '工信部企业函〔2026〕1号' },
      }),
  },
  'GET /v1/memberships': {
    setup: nothing,
    call: (k, _f, as) => k.h.request('GET', '/v1/memberships', { as }),
  },
  'POST /v1/memberships/:id/annual-reports': {
    setup: (k) => k.membership(),
    call: (k, f, as) =>
      k.h.request('POST', `/v1/memberships/${f.membershipId}/annual-reports`, {
        as,
        body: { year: 2025, data: { revenue: 15_000_000 } },
      }),
  },
  'POST /v1/memberships/:id/exit': {
    setup: (k) => k.membership(),
    call: (k, f, as) =>
      k.h.request('POST', `/v1/memberships/${f.membershipId}/exit`, { as, body: { reason: 'withdrawn' } }),
  },
  'GET /v1/innovation-indicators': {
    setup: nothing,
    call: (k, _f, as) => k.h.request('GET', '/v1/innovation-indicators', { as }),
  },
  'GET /v1/applications/:id/financing': {
    call: (k, f, as) => k.h.request('GET', `/v1/applications/${f.submittedId}/financing`, { as }),
  },
  'POST /v1/funds': {
    setup: nothing,
    call: (k, _f, as) =>
      k.h.request('POST', '/v1/funds', { as, body: { ...FUND, name: `权限矩阵专项资金${randomUUID()}` } }),
  },
  'GET /v1/funds/:id': {
    setup: fund,
    call: (k, f, as) => k.h.request('GET', `/v1/funds/${f.fundId}`, { as }),
  },
  'POST /v1/funds/:id/allocations': {
    setup: fund,
    call: (k, f, as) =>
      k.h.request('POST', `/v1/funds/${f.fundId}/allocations`, {
        as,
        body: {
          recipient: { platform: '新吴区中小企业公共服务示范平台' },
          amount: 100_000,
          purpose: '平台奖补',
        },
      }),
  },
  'POST /v1/funds/:id/allocations/:allocationId/payments': {
    setup: fund,
    call: (k, f, as) =>
      k.h.request('POST', `/v1/funds/${f.fundId}/allocations/${f.allocationId}/payments`, {
        as,
        body: { amount: 100_000, documentNumber: '新财字〔2026〕1号' },
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
      const deadline = Date.now() + 20_000;
      for (;;) {
        const inbox = await k.h.request('GET', '/v1/inbox', { as: f.owner });
        const notice = (inbox.body.items as { id: string }[])[0];
        if (notice) return { ...f, noticeId: notice.id };
        if (Date.now() > deadline) throw new Error('fixture: no inbox notice within 20 s');
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
      const deadline = Date.now() + 20_000;
      while (!(await (await queue.getJob(jobId))?.isFailed())) {
        if (Date.now() > deadline) throw new Error('fixture: the webhook job did not fail within 20 s');
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      return { ...f, jobId };
    },
    call: (k, f, as) => k.h.request('POST', `/v1/admin/notifications/failed/${f.jobId}/retry`, { as }),
  },
  'GET /v1/me': { setup: nothing, call: (k, _f, as) => k.h.request('GET', '/v1/me', { as }) },
  'GET /v1/calendar/today': {
    setup: nothing,
    call: (k, _f, as) => k.h.request('GET', '/v1/calendar/today', { as }),
  },
  'POST /v1/auth/sign-in': {
    setup: account,
    call: async (k, f, as) => {
      const login = (await k.h.app.get(AccountService).view(f.accountId!))!.login;
      return k.h.request('POST', '/v1/auth/sign-in', { as, body: { login, password: PASSWORD } });
    },
  },
  'POST /v1/auth/sign-out': {
    setup: nothing,
    call: (k, _f, as) => k.h.request('POST', '/v1/auth/sign-out', { as }),
  },
  'POST /v1/auth/sign-out-everywhere': {
    setup: nothing,
    call: (k, _f, as) => k.h.request('POST', '/v1/auth/sign-out-everywhere', { as }),
  },
  'GET /v1/auth/oidc': {
    setup: nothing,
    call: (k, _f, as) => k.h.request('GET', '/v1/auth/oidc', { as }),
  },
  'POST /v1/auth/register': {
    setup: nothing,
    call: (k, _f, as) =>
      k.h.request('POST', '/v1/auth/register', {
        as,
        body: {
          creditCode: k.newCode(),
          companyName: '矩阵注册有限公司',
          contactPerson: '张三',
          mobile: '13812345678',
          email: 'matrix@example.com',
          password: PASSWORD,
        },
      }),
  },
  'POST /v1/auth/password': {
    setup: nothing,
    call: (k, _f, as) =>
      k.h.request('POST', '/v1/auth/password', {
        as,
        body: { currentPassword: PASSWORD, newPassword: 'Another-matrix-2027!' },
      }),
  },
  'POST /v1/auth/password-reset': {
    setup: account,
    call: (k, _f, as) =>
      k.h.request('POST', '/v1/auth/password-reset', { as, body: { login: 'nobody-at-all' } }),
  },
  'POST /v1/auth/password-reset/confirm': {
    setup: account,
    call: (k, f, as) =>
      k.h.request('POST', '/v1/auth/password-reset/confirm', {
        as,
        body: { token: f.resetToken, password: 'Another-matrix-2027!' },
      }),
  },
  'POST /v1/auth/totp/enrol': {
    setup: nothing,
    call: (k, _f, as) => k.h.request('POST', '/v1/auth/totp/enrol', { as }),
  },
  'POST /v1/auth/totp/confirm': {
    setup: nothing,
    call: (k, _f, as) => k.h.request('POST', '/v1/auth/totp/confirm', { as, body: { code: '123456' } }),
  },
  'POST /v1/auth/totp/disable': {
    setup: nothing,
    call: (k, _f, as) => k.h.request('POST', '/v1/auth/totp/disable', { as, body: { code: '123456' } }),
  },
  'POST /v1/accounts': {
    setup: nothing,
    call: (k, _f, as) =>
      k.h.request('POST', '/v1/accounts', {
        as,
        body: {
          login: `matrix-new-${k.newCode().toLowerCase()}`,
          name: '新科员',
          password: PASSWORD,
          role: 'officer',
          jurisdiction: 'js.wuxi',
        },
      }),
  },
  'GET /v1/accounts': { setup: nothing, call: (k, _f, as) => k.h.request('GET', '/v1/accounts', { as }) },
  'GET /v1/accounts/:id': {
    setup: account,
    call: (k, f, as) => k.h.request('GET', `/v1/accounts/${f.accountId}`, { as }),
  },
  'POST /v1/accounts/:id/disable': {
    setup: account,
    call: (k, f, as) => k.h.request('POST', `/v1/accounts/${f.accountId}/disable`, { as, body: {} }),
  },
  'POST /v1/accounts/:id/enable': {
    setup: account,
    call: (k, f, as) => k.h.request('POST', `/v1/accounts/${f.accountId}/enable`, { as }),
  },
  'POST /v1/accounts/:id/role': {
    setup: account,
    call: (k, f, as) =>
      k.h.request('POST', `/v1/accounts/${f.accountId}/role`, {
        as,
        body: { role: 'officer', jurisdiction: 'js.wuxi.xinwu' },
      }),
  },
  'POST /v1/accounts/:id/password': {
    setup: account,
    call: (k, f, as) =>
      k.h.request('POST', `/v1/accounts/${f.accountId}/password`, {
        as,
        body: { password: 'Another-matrix-2027!' },
      }),
  },
  'POST /v1/accounts/:id/totp/reset': {
    setup: account,
    call: (k, f, as) => k.h.request('POST', `/v1/accounts/${f.accountId}/totp/reset`, { as }),
  },
};

const ports = new WeakMap<Harness, Promise<number>>();
/** The status (and error body) of a streaming GET, over a real socket: an open stream never ends. */
async function streamStatus(h: Harness, path: string, as: Principal | undefined): Promise<Response> {
  if (!ports.has(h)) {
    ports.set(
      h,
      h.app
        .listen({ port: 0, host: '127.0.0.1' })
        .then(() => (h.app.getHttpServer().address() as AddressInfo).port),
    );
  }
  const port = await ports.get(h)!;
  const headers: Record<string, string> = as ? { authorization: `Bearer ${await h.token(as)}` } : {};
  return new Promise<Response>((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, path, headers }, (res) => {
      if (res.statusCode === 200) {
        res.destroy();
        resolve({ status: 200, body: {} });
        return;
      }
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text ? JSON.parse(text) : {} }));
    });
    req.on('error', reject);
    req.end();
  });
}
