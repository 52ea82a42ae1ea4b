import 'reflect-metadata';
import { SingleBar } from 'cli-progress';
import { Workbook } from 'exceljs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  littleGiantData,
  techRetrofitData,
  WUXI_FIRST_BATCH,
} from '@engine/incubation/testing/sample-applications';
import {
  creditCodeCheckCharacter,
  DEVELOPMENT_JWT_SECRET,
  loadConfig,
  ManualClock,
  type Principal,
  signToken,
} from '@engine/platform';
import { WorkflowRuntime } from '@engine/workflow';
import { createApiApp } from '../../api/src/app.factory';
import { EngineDriver, officerOf } from './engine-driver';
import { weihaiAllocation } from './weihai';

/**
 * `npm run demo`: the source pages' cases walked to their final lists on the embedded engine
 * (a throwaway data directory, a manual clock), through the HTTP api as officers, enterprises
 * and experts would, with the sagas and timers doing their part. Prints a summary table.
 *
 * - Xiamen, the 8th whitelist batch of the tech-retrofit service fund in 2021: 57 projects, 4 of
 *   them from the Torch high-tech zone (named as on the page; the other 53 are not named there),
 *   under the fund's 2020 terms: 70% of total investment, 5 years, and 2% a year (the 2021
 *   promotion; 3% outside it), with the interest subsidy (贴息) the city budget owes each year;
 * - Wuxi high-tech zone, the 2021 first batch of proposed entrants: 108 eaglet, 61 gazelle,
 *   8 quasi-unicorn, with their shares of the city totals (34.50%, 30.81%, 30.77%), in rounds
 *   opened in March 2021 under the versions in force then (eaglet/wuxi-2020, gazelle/wuxi-2020,
 *   quasi-unicorn/wuxi-2020, whose figures are the 2024 ones standing in: see the file). As on
 *   the page, candidates are screened against a register: the city imports the tech-SME register
 *   (科技型中小企业名录) and screens the eaglet round for registered firms that have not applied;
 * - Weihai high-tech zone, 2 little giants (recommended locally, recognised by the ministry).
 */

interface Case {
  /** How the demo's summary names the case (its source page). */
  label: string;
  /** The round's title after its year, as a bureau would write it (`${year}年度` + title). */
  title: string;
  /** When its round opens (the policy in force that day governs it). */
  era: 'xiamen-2021' | '2026';
  programme: string;
  establishedOn: string;
  city: string;
  district: string;
  enterprises: { name: string; data: unknown; totalInvestment?: number; district?: string }[];
}

/**
 * The Wuxi page's percentages give the city totals they were shares of: 108 of 313 eaglets
 * (34.50%), 61 of 198 gazelles (30.81%), 8 of 26 quasi-unicorns (30.77%).
 */
const WUXI_CITY_TOTALS: Record<string, number> = { eaglet: 313, gazelle: 198, 'quasi-unicorn': 26 };

const code = (prefix: string, n: number) => {
  const first17 = `${prefix}${String(n).padStart(17 - prefix.length, '0')}`;
  return first17 + creditCodeCheckCharacter(first17);
};

const ZH: Record<string, string> = { eaglet: '雏鹰', gazelle: '瞪羚', 'quasi-unicorn': '准独角兽' };

/** Years the 2026 sample data moves back for the 2021 Wuxi batch. */
const WUXI_SHIFT = 5;
const yearsEarlier = (date: string, years: number) => `${Number(date.slice(0, 4)) - years}${date.slice(4)}`;
function financialsEarlier<T extends { financials: { year: number }[] }>(data: T, years: number): T {
  return { ...data, financials: data.financials.map((f) => ({ ...f, year: f.year - years })) };
}

const XIAMEN_PROJECTS = [
  { name: '开发晶照明(厦门)有限公司', project: '功率器件及LED封装项目', totalInvestment: 120_000_000 },
  { name: '厦门顾德益电器有限公司', project: '扩产技术改造项目', totalInvestment: 60_000_000 },
  { name: '厦门锐传科技有限公司', project: '高端环保设备产线改造项目', totalInvestment: 45_000_000 },
  { name: '厦门火炬新源电力科技有限公司', project: '1.0MWp分布式光伏项目', totalInvestment: 5_200_000 },
];

const XIAMEN_BATCH_SIZE = 57;

/**
 * The partner banks' rate on the whitelist loans, from which the city budget pays the margin over
 * the enterprise's 2% (贴息). The page gives none: the one-year loan prime rate (LPR) of April
 * 2021, 3.85%, stands in.
 */
const XIAMEN_BANK_RATE_PERCENT = 3.85;

const CASES: Case[] = [
  {
    label: '厦门 技改基金白名单第八批 (tech-retrofit, 2021)',
    title: '厦门市技改服务基金白名单第八批',
    era: 'xiamen-2021',
    programme: 'tech-retrofit',
    establishedOn: '2012-08-09',
    city: 'fj.xiamen',
    district: 'fj.xiamen.torch',
    enterprises: [
      ...XIAMEN_PROJECTS.map((p) => ({
        name: p.name,
        data: techRetrofitData({ name: p.project, totalInvestment: p.totalInvestment }),
        totalInvestment: p.totalInvestment,
      })),
      // The page names only the Torch zone's four; the rest of the batch, unnamed, elsewhere in Xiamen.
      ...Array.from({ length: XIAMEN_BATCH_SIZE - XIAMEN_PROJECTS.length }, (_, i) => {
        const totalInvestment = 20_000_000 + i * 1_000_000;
        return {
          name: `厦门技改白名单第八批项目企业${String(i + 1).padStart(2, '0')}有限公司`,
          data: techRetrofitData({ name: `技术改造项目${i + 1}`, totalInvestment }),
          totalInvestment,
          district: 'fj.xiamen.other',
        };
      }),
    ],
  },
  // The 2021 batch: the sample firms (figures for 2024-2025, applying in 2026) moved five years
  // back, so that they apply in 2021 with their 2019-2020 figures and the same ages.
  ...WUXI_FIRST_BATCH.map(({ programme, count, establishedOn, data }) => ({
    label: `无锡高新区 ${ZH[programme]} (${programme}, 2021)`,
    title: `无锡市${ZH[programme]}企业第一批入库申报`,
    era: 'xiamen-2021' as const,
    programme,
    establishedOn: yearsEarlier(establishedOn, WUXI_SHIFT),
    city: 'js.wuxi',
    district: 'js.wuxi.xinwu',
    enterprises: Array.from({ length: count }, (_, i) => ({
      name: `无锡高新区${ZH[programme]}示范企业${String(i + 1).padStart(3, '0')}有限公司`,
      data: financialsEarlier(data(i), WUXI_SHIFT),
    })),
  })),
  {
    label: '威海高新区 专精特新"小巨人" (little-giant)',
    title: '威海市专精特新"小巨人"企业推荐',
    era: '2026',
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

/** Registered in the tech-SME register but not applying: what the screening finds to invite. */
const NOT_APPLYING = 6;

/**
 * The tech-SME register (科技型中小企业名录) of Wuxi for 2021 as the city imports it (XLSX): the
 * eaglet firms of the demo and {@link NOT_APPLYING} registered firms that do not apply.
 * Registration numbers and validity are illustrative (the page gives none).
 */
async function techSmeRegister(codes: { creditCode: string; name: string }[]): Promise<Buffer> {
  const workbook = new Workbook();
  const sheet = workbook.addWorksheet('科技型中小企业');
  sheet.addRow(['统一社会信用代码', '企业名称', '登记编号', '有效期起', '有效期至', '所属地区代码']);
  codes.forEach((c, i) =>
    sheet.addRow([
      c.creditCode,
      c.name,
      `20213202140${String(i + 1).padStart(5, '0')}`,
      '2021-01-01',
      '2021-12-31',
      'js.wuxi.xinwu',
    ]),
  );
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/** A multipart/form-data body with one `file` part. */
function multipartFile(name: string, content: Buffer): { body: Buffer; contentType: string } {
  const boundary = `----demo${Date.now().toString(16)}`;
  const body = Buffer.concat([
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${encodeURIComponent(name)}"\r\n` +
        'Content-Type: application/octet-stream\r\n\r\n',
    ),
    content,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return { body, contentType: `multipart/form-data; boundary=${boundary}` };
}

/**
 * Enterprises apply, officers review and experts score side by side, as they do in a real round,
 * not one request after another: {@link SIDE_BY_SIDE} at a time. The engine then commits what
 * arrives together in one transaction and its projections and sagas read it as one page.
 */
const SIDE_BY_SIDE = 8;
async function sideBySide<T>(items: readonly T[], work: (item: T, index: number) => Promise<void>) {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      await work(items[i], i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(SIDE_BY_SIDE, items.length) }, worker));
}

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
  const clock = new ManualClock(new Date('2021-03-02T01:00:00Z'));
  const listen = loadConfig();
  const config = loadConfig({
    DATA_DIR: dataDir,
    CLOCK: 'manual',
    LOG_LEVEL: 'silent',
    EVENT_STORE: 'sqlite',
    RATE_LIMIT_ENABLED: 'false',
    READ_MODEL_URL: '',
    // A throwaway store: no fsync per append (a crash loses the demo, never a bureau's record).
    SQLITE_SYNCHRONOUS: 'NORMAL',
    NOTIFICATIONS_ENABLED: 'false',
    // The demo's tokens outlive the months its clock travels.
    JWT_MAX_LIFETIME_SECONDS: '315360000',
    // `--serve` listens where the environment says (PORT, HOST), like `npm start`.
    PORT: String(listen.PORT),
    HOST: listen.HOST,
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
      payload: options.form ?? (options.body === undefined ? undefined : JSON.stringify(options.body)),
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
  const ERAS = {
    'xiamen-2021': {
      year: 2021,
      opensAt: '2021-03-01T00:00:00+08:00',
      closesAt: '2021-04-30T17:00:00+08:00',
      // Panels and the finance bureau's opinions in April 2021: inside the 2% promotion.
      reviewAt: '2021-04-06T01:00:00Z',
      publicityAt: '2021-04-30T10:00:00Z',
    },
    '2026': {
      year: 2026,
      opensAt: '2026-03-01T00:00:00+08:00',
      closesAt: '2026-04-30T17:00:00+08:00',
      reviewAt: '2026-03-16T01:00:00Z',
      publicityAt: '2026-04-30T10:00:00Z',
    },
  } as const;
  const rounds = new Map<Case, { roundId: string; apps: string[] }>();
  let registerImport: { version: string; rowCount: number; importedOn: string } | undefined;
  let screening: { candidates: { creditCode: string; name: string }[] } | undefined;
  const ends: string[] = [];

  const runEra = async (era: keyof typeof ERAS) => {
    const t = ERAS[era];
    const cases = CASES.filter((c) => c.era === era);
    await advanceTo(new Date(Date.parse(t.opensAt) + 3_600_000).toISOString());
    // 0. The city imports the tech-SME register its screening compares against (the Wuxi page).
    if (era === 'xiamen-2021') {
      const eaglets = CASES.find((c) => c.programme === 'eaglet')!;
      const listed = [
        ...eaglets.enterprises.map((e, i) => ({ creditCode: code(CODE_PREFIX.eaglet, i + 1), name: e.name })),
        ...Array.from({ length: NOT_APPLYING }, (_, i) => ({
          creditCode: code('91320214DK', i + 1),
          name: `无锡高新区科技型中小企业${String(i + 1).padStart(2, '0')}有限公司`,
        })),
      ];
      const { body, contentType } = multipartFile(
        '2021年无锡市科技型中小企业名录.xlsx',
        await techSmeRegister(listed),
      );
      const res = await app.inject({
        method: 'POST',
        url: '/v1/registers/tech-sme',
        headers: {
          authorization: `Bearer ${await token(officerOf('js.wuxi'))}`,
          'content-type': contentType,
        },
        payload: body,
      });
      if (res.statusCode !== 201) throw new Error(`importing the tech-SME register: ${res.body}`);
      registerImport = JSON.parse(res.body) as typeof registerImport;
    }
    // 1. Rounds open; enterprises register and apply; district and city review.
    for (const c of cases) {
      const roundId = await d.openRound({
        programme: c.programme,
        year: t.year,
        batch: c.programme === 'tech-retrofit' ? 8 : 1,
        title: `${t.year}年度${c.title}`,
        jurisdiction: c.city,
        opensAt: t.opensAt,
        closesAt: t.closesAt,
      });
      const apps: string[] = [];
      await sideBySide(c.enterprises, async (e, i) => {
        const creditCode = code(CODE_PREFIX[c.programme], i + 1);
        const district = e.district ?? c.district;
        await d.registerEnterprise({
          creditCode,
          name: e.name,
          jurisdiction: district,
          establishedOn: c.establishedOn,
        });
        const id = await d.apply(creditCode, roundId, e.data);
        await d.passReviews(id, district, c.city);
        apps[i] = id;
        bar.increment(1, { stage: `${c.programme}: applications reviewed` });
      });
      rounds.set(c, { roundId, apps });
      // The bureau screens the register for firms to invite: registered, valid, not applied.
      if (c.programme === 'eaglet' && era === 'xiamen-2021') {
        screening = await d.expect(200, 'GET', `/v1/rounds/${roundId}/screening`, { as: officerOf(c.city) });
      }
    }

    // 2. Expert panels: drawn at random, blind, one integer score each.
    clock.set(new Date(t.reviewAt));
    for (const c of cases) {
      await sideBySide(rounds.get(c)!.apps, async (id, i) => {
        const experts = await d.drawPanel(id, c.city);
        await d.scoreAll(
          id,
          experts,
          experts.map((_, k) => 76 + ((i + k * 3) % 19)),
        );
        bar.increment(1, { stage: `${c.programme}: expert panels` });
      });
    }
    // The finance bureau's opinion on each tech-retrofit project: 70% of the investment; the
    // rate is the policy's on the day (2% in the 2021 promotion), never typed in.
    for (const c of cases) {
      if (c.programme !== 'tech-retrofit') continue;
      await sideBySide(rounds.get(c)!.apps, async (id, i) => {
        await d.expect(200, 'POST', `/v1/applications/${id}/finance-opinion`, {
          as: officerOf(c.city),
          body: {
            approved: true,
            opinion: '同意纳入技改服务基金白名单',
            financing: {
              amount: Math.floor(c.enterprises[i].totalInvestment! * 0.7),
              termYears: 5,
              bankRatePercent: XIAMEN_BANK_RATE_PERCENT,
            },
          },
        });
      });
    }

    // 3. Windows close; the proposed lists are publicised for ten working days (over May Day).
    await advanceTo(t.publicityAt);
    const eraEnds: string[] = [];
    for (const c of cases) eraEnds.push((await d.publicise(rounds.get(c)!.roundId, c.city)).endsOn);
    ends.push(...eraEnds);
    await settle();

    // 4. Publicity ends: the sagas finalize the rounds and admit (or forward) the lists.
    await advanceTo(`${eraEnds.sort().at(-1)!}T16:00:00Z`);

    // 5. The ministry recognises the little giants; the local bureau records its decision.
    for (const c of cases) {
      if (c.programme !== 'little-giant') continue;
      for (const id of rounds.get(c)!.apps) {
        await d.expect(200, 'POST', `/v1/applications/${id}/national-decision`, {
          as: officerOf(c.city),
          body: { decision: 'recognized', documentNumber: '工信部企业函〔2026〕88号' },
        });
      }
    }
    await settle();
  };

  try {
    await d.registerExperts('demo-expert', 40, 6);
    await runEra('xiamen-2021');
    await runEra('2026');

    for (const [c, { roundId, apps }] of rounds) {
      const final = await d.list(roundId, 'final');
      const memberships = (await d.memberships(`?programme=${c.programme}`)).length;
      for (let i = 0; i < apps.length; i++) bar.increment(1, { stage: `${c.programme}: final list` });
      let note: string;
      if (c.programme === 'little-giant') note = 'recommended to MIIT, recognised';
      else if (c.programme === 'tech-retrofit') {
        const torch = c.enterprises.filter((e) => !e.district).length;
        // What the city budget owes the banks each year for the batch (贴息), project by project.
        const terms = [];
        for (const id of apps) terms.push(await d.financing(id));
        const { financing, policyVersion } = terms[0];
        const yearly = terms.reduce((n, t) => n + t.financing.yearlyInterestSubsidy, 0);
        const wan = (yuan: number) =>
          `${(yuan / 10_000).toLocaleString('en-US', { maximumFractionDigits: 2 })}万元`;
        note =
          `${torch} of ${apps.length} from the Torch zone; ${policyVersion}: 70% of investment, ` +
          `${financing.ratePercent}%/yr${financing.promotion ? ' (2021 promotion)' : ''}, ${financing.termYears} yrs; ` +
          `贴息 at ${financing.bankRatePercent}%: ${wan(yearly)}/yr`;
      } else {
        const total = WUXI_CITY_TOTALS[c.programme];
        note = `${final.length} of the city's ${total} = ${((final.length / total) * 100).toFixed(2)}%`;
      }
      summary.push({ label: c.label, applied: apps.length, finalList: final.length, memberships, note });
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
    if (registerImport && screening) {
      const eagletApps = [...rounds].find(([c]) => c.programme === 'eaglet')![1].apps;
      const check = (
        (await d.application(eagletApps[0])).eligibility.checks as { rule: string; actual: string }[]
      ).find((k) => k.rule === 'register-screening');
      console.log(
        `register: 科技型中小企业名录 sha256:${registerImport.version.slice(0, 12)}, ${registerImport.rowCount} rows, ` +
          `imported ${registerImport.importedOn}; screening the eaglet round: ${screening.candidates.length} registered, ` +
          `not applied (${screening.candidates.map((c) => c.creditCode).join(', ')})`,
      );
      console.log(`eaglet 001's explanation cites: ${check?.actual ?? '(no register check)'}`);
    }
    console.log(
      `hash chain: ${verify.ok ? 'verified' : 'BROKEN'} over ${verify.events} events in ${verify.streams} streams; ` +
        `engine clock ${clock.now().toISOString()}; ${((Date.now() - started) / 1000).toFixed(1)} s`,
    );
    await weihaiAllocation(d);
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
      // The first Wuxi eaglet enterprise registers itself, as an enterprise does: it signs in
      // with its credit code and sees its admitted application and membership.
      const eaglet = CASES.find((c) => c.programme === 'eaglet')!;
      const enterpriseLogin = code(CODE_PREFIX.eaglet, 1);
      const registered = await app.inject({
        method: 'POST',
        url: '/v1/auth/register',
        headers: { 'content-type': 'application/json' },
        payload: JSON.stringify({
          creditCode: enterpriseLogin,
          companyName: eaglet.enterprises[0].name,
          contactPerson: '赵经理',
          mobile: '13800000001',
          email: 'contact@eaglet-001.example.cn',
          password: DEMO_PASSWORD,
        }),
      });
      if (registered.statusCode !== 201)
        throw new Error(`registering the demo enterprise account: ${registered.body}`);
      await app.listen(config.PORT, config.HOST);
      serving = true;
      console.log(
        `\nThe engine keeps running at http://localhost:${config.PORT} (Ctrl-C stops it). Sign in as:`,
      );
      console.table([
        ...DEMO_ACCOUNTS.map((a) => ({
          login: a.login,
          password: DEMO_PASSWORD,
          role: a.role,
          name: a.name,
        })),
        {
          login: enterpriseLogin,
          password: DEMO_PASSWORD,
          role: 'enterprise',
          name: eaglet.enterprises[0].name,
        },
      ]);
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
