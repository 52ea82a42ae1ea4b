import 'reflect-metadata';
import { SingleBar } from 'cli-progress';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  littleGiantData,
  techRetrofitData,
  WUXI_FIRST_BATCH,
} from '@engine/incubation/testing/sample-applications';
import { DEVELOPMENT_JWT_SECRET, loadConfig, ManualClock, type Principal, signToken } from '@engine/platform';
import { creditCodeCheckCharacter } from '@engine/platform/identity/credit-code';
import { WorkflowRuntime } from '@engine/workflow';
import { createApiApp } from '../../api/src/app.factory';
import { EngineDriver, officerOf } from './engine-driver';

/**
 * `npm run demo`: the source pages' cases walked to their final lists on the embedded engine
 * (a throwaway data directory, a manual clock), through the HTTP api as officers, enterprises
 * and experts would, with the sagas and timers doing their part. Prints a summary table.
 *
 * - Wuxi high-tech zone, first batch of proposed entrants: 108 eaglet, 61 gazelle, 8 quasi-unicorn
 *   (2021 on the source page; run here under the policy versions in force in 2026);
 * - Xiamen Torch zone, 4 projects of the 8th tech-retrofit whitelist batch;
 * - Weihai high-tech zone, 2 little giants (recommended locally, recognised by the ministry).
 */

interface Case {
  label: string;
  programme: string;
  establishedOn: string;
  city: string;
  district: string;
  enterprises: { name: string; data: unknown; totalInvestment?: number }[];
}

const code = (prefix: string, n: number) => {
  const first17 = `${prefix}${String(n).padStart(17 - prefix.length, '0')}`;
  return first17 + creditCodeCheckCharacter(first17);
};

const ZH: Record<string, string> = { eaglet: '雏鹰', gazelle: '瞪羚', 'quasi-unicorn': '准独角兽' };

const XIAMEN_PROJECTS = [
  { name: '开发晶照明(厦门)有限公司', project: '功率器件及LED封装项目', totalInvestment: 120_000_000 },
  { name: '厦门顾德益电器有限公司', project: '扩产技术改造项目', totalInvestment: 60_000_000 },
  { name: '厦门锐传科技有限公司', project: '高端环保设备产线改造项目', totalInvestment: 45_000_000 },
  { name: '厦门火炬新源电力科技有限公司', project: '1.0MWp分布式光伏项目', totalInvestment: 5_200_000 },
];

const CASES: Case[] = [
  ...WUXI_FIRST_BATCH.map(({ programme, count, establishedOn, data }) => ({
    label: `无锡高新区 ${ZH[programme]} (${programme})`,
    programme,
    establishedOn,
    city: 'js.wuxi',
    district: 'js.wuxi.xinwu',
    enterprises: Array.from({ length: count }, (_, i) => ({
      name: `无锡高新区${ZH[programme]}示范企业${String(i + 1).padStart(3, '0')}有限公司`,
      data: data(i),
    })),
  })),
  {
    label: '厦门火炬高新区 技改基金白名单第八批 (tech-retrofit)',
    programme: 'tech-retrofit',
    establishedOn: '2012-08-09',
    city: 'fj.xiamen',
    district: 'fj.xiamen.huli',
    enterprises: XIAMEN_PROJECTS.map((p) => ({
      name: p.name,
      data: techRetrofitData({ name: p.project, totalInvestment: p.totalInvestment }),
      totalInvestment: p.totalInvestment,
    })),
  },
  {
    label: '威海高新区 专精特新"小巨人" (little-giant)',
    programme: 'little-giant',
    establishedOn: '2009-06-16',
    city: 'sd.weihai',
    district: 'sd.weihai.gaoqu',
    enterprises: [
      { name: '威海联桥新材料科技股份有限公司', data: littleGiantData(0) },
      { name: '威海克莱特菲尔风机股份有限公司', data: littleGiantData(1) },
    ],
  },
];

const CODE_PREFIX: Record<string, string> = {
  eaglet: '91320214DE',
  gazelle: '91320214DG',
  'quasi-unicorn': '91320214DQ',
  'tech-retrofit': '91350203DT',
  'little-giant': '91371000DL',
};

/** `--serve`: after the story, keep the engine running with one named account per role. */
const SERVE = process.argv.includes('--serve');
const DEMO_PASSWORD = 'Demo-2026-Wuxi!';
const DEMO_ACCOUNTS = [
  { login: 'wuxi.city', name: '王科长（无锡市科技局）', role: 'officer', jurisdiction: 'js.wuxi' },
  { login: 'xinwu.district', name: '李主任（新吴区科技局）', role: 'officer', jurisdiction: 'js.wuxi.xinwu' },
  { login: 'expert.zhang', name: '张教授', role: 'expert', field: 'ic-design' },
  { login: 'auditor.sun', name: '孙审计', role: 'auditor' },
  { login: 'admin', name: '系统管理员', role: 'admin' },
] as const;

async function main(): Promise<void> {
  let serving = false;
  const dataDir = mkdtempSync(join(tmpdir(), 'cultivation-demo-'));
  const clock = new ManualClock(new Date('2026-03-02T01:00:00Z'));
  const config = loadConfig({
    DATA_DIR: dataDir,
    CLOCK: 'manual',
    LOG_LEVEL: 'silent',
    EVENT_STORE: 'sqlite',
    RATE_LIMIT_ENABLED: 'false',
    READ_MODEL_URL: '',
  });
  const app = await createApiApp(config, { clock, logger: false, withWorker: true });
  await app.init();
  const tokens = new Map<string, string>();
  const token = async (p: Principal) => {
    const key = JSON.stringify(p);
    if (!tokens.has(key))
      tokens.set(key, await signToken(p, DEVELOPMENT_JWT_SECRET, { now: clock.now(), expiresIn: '3650d' }));
    return tokens.get(key)!;
  };
  const d = new EngineDriver(async (method, url, options = {}) => {
    const res = await app.inject({
      method,
      url,
      headers: {
        ...(options.as ? { authorization: `Bearer ${await token(options.as)}` } : {}),
        ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      payload: options.body === undefined ? undefined : JSON.stringify(options.body),
    });
    return { status: res.statusCode, body: res.body ? JSON.parse(res.body) : undefined };
  });
  const runtime = app.get(WorkflowRuntime);
  const settle = () => runtime.settled();
  const advanceTo = async (instant: string) => {
    clock.set(new Date(instant));
    await settle();
  };

  const total = CASES.reduce((n, c) => n + c.enterprises.length, 0);
  const bar = new SingleBar({
    format: ' {bar} {percentage}% | {value}/{total} applications | {stage}',
    hideCursor: true,
  });
  const started = Date.now();
  bar.start(total * 3, 0, { stage: 'expert pool' });
  const summary: { label: string; applied: number; finalList: number; memberships: number; note: string }[] =
    [];
  try {
    await d.registerExperts('demo-expert', 40, 6);
    const rounds = new Map<Case, { roundId: string; apps: string[] }>();

    // 1. Rounds open; enterprises register and apply; district and city review.
    for (const c of CASES) {
      const roundId = await d.openRound({
        programme: c.programme,
        year: 2026,
        batch: 1,
        title: `${c.label} 2026年第一批`,
        jurisdiction: c.city,
        opensAt: '2026-03-01T00:00:00+08:00',
        closesAt: '2026-04-30T17:00:00+08:00',
      });
      const apps: string[] = [];
      for (const [i, e] of c.enterprises.entries()) {
        const creditCode = code(CODE_PREFIX[c.programme], i + 1);
        await d.registerEnterprise({
          creditCode,
          name: e.name,
          jurisdiction: c.district,
          establishedOn: c.establishedOn,
        });
        const id = await d.apply(creditCode, roundId, e.data);
        await d.passReviews(id, c.district, c.city);
        apps.push(id);
        bar.increment(1, { stage: `${c.programme}: applications reviewed` });
      }
      rounds.set(c, { roundId, apps });
    }

    // 2. Expert panels: drawn at random, blind, one integer score each.
    clock.set(new Date('2026-03-16T01:00:00Z'));
    for (const [c, { apps }] of rounds) {
      for (const [i, id] of apps.entries()) {
        const experts = await d.drawPanel(id, c.city);
        await d.scoreAll(
          id,
          experts,
          experts.map((_, k) => 76 + ((i + k * 3) % 19)),
        );
        bar.increment(1, { stage: `${c.programme}: expert panels` });
      }
    }
    // The finance bureau's opinion on each tech-retrofit project: 70% of the investment.
    for (const [c, { apps }] of rounds) {
      if (c.programme !== 'tech-retrofit') continue;
      for (const [i, id] of apps.entries()) {
        await d.expect(200, 'POST', `/v1/applications/${id}/finance-opinion`, {
          as: officerOf(c.city),
          body: {
            approved: true,
            opinion: '同意纳入技改服务基金白名单',
            financing: {
              amount: Math.floor(c.enterprises[i].totalInvestment! * 0.7),
              ratePercent: 2,
              termYears: 5,
            },
          },
        });
      }
    }

    // 3. Windows close; the proposed lists are publicised for ten working days (over May Day).
    await advanceTo('2026-04-30T10:00:00Z');
    const ends: string[] = [];
    for (const [c, { roundId }] of rounds) ends.push((await d.publicise(roundId, c.city)).endsOn);
    await settle();

    // 4. Publicity ends: the sagas finalize the rounds and admit (or forward) the lists.
    const lastEnd = ends.sort().at(-1)!;
    await advanceTo(`${lastEnd}T16:00:00Z`);

    // 5. The ministry recognises the little giants; the local bureau records its decision.
    for (const [c, { apps }] of rounds) {
      if (c.programme !== 'little-giant') continue;
      for (const id of apps) {
        await d.expect(200, 'POST', `/v1/applications/${id}/national-decision`, {
          as: officerOf(c.city),
          body: { decision: 'recognized', documentNumber: '工信部企业函〔2026〕88号' },
        });
      }
    }
    await settle();

    for (const [c, { roundId, apps }] of rounds) {
      const final = await d.list(roundId, 'final');
      const memberships = (await d.memberships(`?programme=${c.programme}`)).length;
      for (let i = 0; i < apps.length; i++) bar.increment(1, { stage: `${c.programme}: final list` });
      summary.push({
        label: c.label,
        applied: apps.length,
        finalList: final.length,
        memberships,
        note:
          c.programme === 'little-giant'
            ? 'recommended to MIIT, recognised'
            : c.programme === 'tech-retrofit'
              ? 'financing 70% of investment, 2%/yr, 5 yrs'
              : `publicity ${ends[0] ? 'over May Day' : ''}`.trim(),
      });
    }
    bar.stop();
    const verify = await d.expect(200, 'GET', '/v1/audit/verify', {
      as: { sub: 'auditor-demo', role: 'auditor' },
    });
    console.log('');
    console.table(
      summary.map((s) => ({
        list: s.label,
        applications: s.applied,
        'final list': s.finalList,
        memberships: s.memberships,
        note: s.note,
      })),
    );
    console.log(
      `hash chain: ${verify.ok ? 'verified' : 'BROKEN'} over ${verify.events} events in ${verify.streams} streams; ` +
        `engine clock ${clock.now().toISOString()}; ${((Date.now() - started) / 1000).toFixed(1)} s`,
    );
    if (SERVE) {
      const admin: Principal = { sub: 'demo-admin', role: 'admin' };
      for (const account of DEMO_ACCOUNTS) {
        const res = await app.inject({
          method: 'POST',
          url: '/v1/accounts',
          headers: { authorization: `Bearer ${await token(admin)}`, 'content-type': 'application/json' },
          payload: JSON.stringify({ ...account, password: DEMO_PASSWORD }),
        });
        if (res.statusCode !== 201)
          throw new Error(`creating the demo account ${account.login}: ${res.body}`);
      }
      await app.listen(config.PORT, config.HOST);
      serving = true;
      console.log(
        `\nThe engine keeps running at http://localhost:${config.PORT} (Ctrl-C stops it). Sign in as:`,
      );
      console.table(
        DEMO_ACCOUNTS.map((a) => ({ login: a.login, password: DEMO_PASSWORD, role: a.role, name: a.name })),
      );
      const stop = async () => {
        await app.close();
        rmSync(dataDir, { recursive: true, force: true });
        process.exit(0);
      };
      process.once('SIGINT', () => void stop());
      process.once('SIGTERM', () => void stop());
      await new Promise(() => undefined);
    }
    const expected = CASES.reduce((n, c) => n + c.enterprises.length, 0);
    const admitted = summary.reduce((n, s) => n + s.memberships, 0);
    if (!verify.ok || admitted !== expected) {
      throw new Error(
        `expected ${expected} memberships and a verified chain, got ${admitted} and ok=${verify.ok}`,
      );
    }
  } finally {
    bar.stop();
    if (!serving) {
      await app.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  }
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
