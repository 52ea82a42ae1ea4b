/**
 * node dist/bench/generate.js --applications 100000 --data-dir /tmp/scale-100k
 *
 * Writes N applications' worth of realistic events into a fresh DATA_DIR and builds its read
 * models, for the scale benchmarks (bench:console, bench:scale; docs/read-models.md, Scale):
 *
 *   - 12 rounds of the Wuxi programmes (eaglet, gazelle, quasi-unicorn × 4 batches of 2026),
 *     each pinned to the policy version in force, ids as the engine derives them (roundIdFor);
 *   - one enterprise per two applications (Chinese names, valid unified credit codes, six Wuxi
 *     districts), each applying to two rounds of different programmes;
 *   - every application created, 90% submitted (eligibility evaluated by the real policy for
 *     each programme), 90% of those reviewed at the district (2/3 recommended, 2/9 returned,
 *     1/9 rejected), half of the recommended accepted at the city for expert review:
 *     about 3.5 events per application.
 *
 * Events go through the event store port (`EventStore.append`, many appends in flight so the
 * SQLite adapter's group commit writes them in batched transactions): the hash chain, expected
 * revisions and every check of the port hold, exactly as for commands. Nothing is written by
 * raw SQL. The store's clock moves one day per phase (creation, submission, district review,
 * city review), so as-of reads have instants where the applications stood differently.
 *
 * Then the read models are built by the normal path, the CLI's `rebuild` command
 * (dist/apps/cli/src/main.js) on the same DATA_DIR. What the benchmarks need to know about the
 * data (rounds, a sample of applications, the phase instants) is written to
 * DATA_DIR/bench-generated.json.
 */
import 'reflect-metadata';
import { Presets, SingleBar } from 'cli-progress';
import { Command, Option } from 'commander';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { randomUUID } from 'node:crypto';
import { EventStore, type NewEvent } from '../libs/event-store/src';
import { SqliteEventStore } from '../libs/event-store/src/adapters/sqlite/sqlite-event-store';
import { applicationStream } from '../libs/incubation/src/domain/application/application.events';
import { enterpriseStream } from '../libs/incubation/src/domain/enterprise/enterprise.events';
import { evaluateEligibility } from '../libs/incubation/src/domain/policies/evaluate';
import { roundStream } from '../libs/incubation/src/domain/round/round.events';
import { loadPolicyCatalog } from '../libs/incubation/src/policies/policy-catalog';
import { applicationIdFor, roundIdFor } from '../libs/incubation/src/use-cases/natural-ids';
import {
  eagletData,
  gazelleData,
  quasiUnicornData,
} from '../libs/incubation/src/testing/sample-applications';
import { creditCodeCheckCharacter } from '../libs/platform/src';

const ROOT = resolve(__dirname, '..', '..');
export const GENERATED_FILE = 'bench-generated.json';

export const CITY = 'js.wuxi';
export const DISTRICTS = [
  'js.wuxi.xinwu',
  'js.wuxi.liangxi',
  'js.wuxi.binhu',
  'js.wuxi.huishan',
  'js.wuxi.xishan',
  'js.wuxi.jiangyin',
];
const PROGRAMMES = [
  { programme: 'eaglet', name: '雏鹰', establishedOn: '2019-05-20', data: eagletData },
  { programme: 'gazelle', name: '瞪羚', establishedOn: '2016-04-01', data: gazelleData },
  { programme: 'quasi-unicorn', name: '准独角兽', establishedOn: '2018-03-01', data: quasiUnicornData },
] as const;
const BATCHES = 4;
const YEAR = 2026;

// Chinese company names: place + word + trade + form, about 40,000 distinct stems, numbered past that.
const PLACES = ['无锡', '江苏', '新吴', '梁溪', '滨湖', '惠山', '锡山', '江阴', '太湖', '蠡湖'];
const WORDS = [
  '华芯',
  '恒达',
  '天成',
  '博远',
  '中科',
  '瑞丰',
  '科创',
  '鼎盛',
  '宏图',
  '星河',
  '云帆',
  '海川',
  '精工',
  '智联',
  '新元',
  '启明',
  '盛世',
  '正泰',
  '睿思',
  '嘉诚',
  '汇通',
  '领航',
  '卓越',
  '金桥',
  '东方',
  '长城',
  '凯瑞',
  '德尔',
  '信达',
  '远景',
  '光电',
  '融创',
  '优品',
  '聚能',
  '芯动',
  '弘毅',
  '天润',
  '安泰',
  '众合',
  '百川',
];
const TRADES = [
  '智能科技',
  '微电子',
  '生物医药',
  '新材料',
  '信息技术',
  '精密机械',
  '环保科技',
  '新能源',
  '物联网',
  '软件',
  '半导体',
  '医疗器械',
  '自动化设备',
  '光伏科技',
  '检测技术',
  '数据科技',
  '传感技术',
  '机器人',
  '航空科技',
  '汽车零部件',
];
const FORMS = ['有限公司', '股份有限公司', '科技有限公司', '技术有限公司', '集团有限公司'];

/** What the benchmarks read back: the data's rounds, a sample of applications, the phase instants. */
export interface GeneratedData {
  applications: number;
  enterprises: number;
  events: number;
  rounds: { id: string; programme: string; title: string; applications: number }[];
  /** Up to 5,000 applications spread over the data, with the district that reviews them. */
  sample: { id: string; district: string; roundId: string }[];
  /** After creation, after submission, after the district review, after the city review. */
  instants: string[];
  generatedInSeconds: number;
  eventsPerSecond: number;
  /** Per CPU second of the generator (user + system): what a quiet machine would do per core. */
  eventsPerCpuSecond: number;
}

/** The unified social credit code of the n-th generated enterprise (valid check character). */
export function creditCodeOf(n: number): string {
  const first17 = `91320214MA${String(n).padStart(7, '0')}`;
  return first17 + creditCodeCheckCharacter(first17);
}

export function companyName(n: number): string {
  const stems = PLACES.length * WORDS.length * TRADES.length;
  const s = n % stems;
  const base =
    PLACES[s % PLACES.length] +
    WORDS[Math.floor(s / PLACES.length) % WORDS.length] +
    TRADES[Math.floor(s / (PLACES.length * WORDS.length)) % TRADES.length];
  const series = Math.floor(n / stems);
  return `${base}${series ? `${series + 1}号` : ''}${FORMS[n % FORMS.length]}`;
}

let seed = 20260301;
const random = () => {
  seed = (seed * 1103515245 + 12345) % 2 ** 31;
  return seed / 2 ** 31;
};

export async function generate(options: {
  dataDir: string;
  applications: number;
  concurrency?: number;
  rebuild?: boolean;
  quiet?: boolean;
}): Promise<GeneratedData> {
  const { dataDir, applications } = options;
  const concurrency = options.concurrency ?? 4096;
  mkdirSync(dataDir, { recursive: true });
  if (readdirSync(dataDir).length > 0)
    throw new Error(`${dataDir} is not empty: the generator needs a fresh DATA_DIR`);
  const started = performance.now();
  const cpuStarted = process.cpuUsage();
  const clock = { now: new Date('2026-03-02T01:00:00.000Z') };
  // NORMAL: the data is regenerable, and the WAL keeps the store consistent after a crash.
  const store = new EventStore(
    new SqliteEventStore({
      file: join(dataDir, 'events.sqlite'),
      now: () => clock.now,
      synchronous: 'NORMAL',
    }),
  );
  const catalog = loadPolicyCatalog(join(ROOT, 'policies'));
  const enterprises = Math.ceil(applications / 2);
  // Events: rounds + enterprises + every application's (estimated for the bar; the bar's total is corrected at the end).
  const expected = PROGRAMMES.length * BATCHES + enterprises + Math.round(applications * 2.95);
  const bar = new SingleBar(
    {
      format: 'generating [{bar}] {percentage}% | {value}/{total} events | {rate} events/s | ETA {left} s',
      stream: process.stderr,
      noTTYOutput: !options.quiet,
      notTTYSchedule: 10_000,
    },
    Presets.legacy,
  );
  let written = 0;
  const tick = (n: number) => {
    written += n;
    const rate = written / ((performance.now() - started) / 1000);
    bar.update(written, {
      rate: Math.round(rate),
      left: Math.max(0, Math.round((expected - written) / rate)),
    });
  };
  if (!options.quiet) bar.start(expected, 0, { rate: 0, left: '?' });
  const metadata = (sub: string, role: string) => ({
    correlationId: randomUUID(),
    causationId: randomUUID(),
    actor: { sub, role },
    occurredAt: clock.now.toISOString(),
  });
  const event = (type: string, data: unknown, sub: string, role: string): NewEvent => ({
    type,
    data,
    metadata: metadata(sub, role),
  });
  /** Runs work(0..count-1) with `concurrency` appends in flight (group commit batches them). */
  const pool = async (count: number, work: (i: number) => Promise<number> | undefined) => {
    let next = 0;
    await Promise.all(
      Array.from({ length: Math.min(concurrency, count) }, async () => {
        while (next < count) {
          const i = next++;
          const done = work(i);
          if (done) tick(await done);
        }
      }),
    );
  };
  const phase = () => (clock.now = new Date(clock.now.getTime() + 86_400_000));

  try {
    // Rounds.
    const rounds = PROGRAMMES.flatMap((p, pi) =>
      Array.from({ length: BATCHES }, (_, b) => {
        const policy = catalog.inForce(p.programme, `${YEAR}-03-01`, CITY);
        if (!policy) throw new Error(`no ${p.programme} policy in force for ${CITY}`);
        return {
          id: roundIdFor(p.programme, CITY, YEAR, b + 1),
          programmeIndex: pi,
          programme: p.programme,
          policy,
          title: `${YEAR}年度${p.name}企业第${'一二三四'[b]}批`,
          batch: b + 1,
          applications: 0,
        };
      }),
    );
    await pool(rounds.length, async (r) => {
      const round = rounds[r];
      await store.append(
        roundStream(round.id),
        [
          event(
            'RoundCreated',
            {
              roundId: round.id,
              programme: round.programme,
              year: YEAR,
              batch: round.batch,
              title: round.title,
              jurisdiction: CITY,
              opensAt: '2026-03-01T00:00:00+08:00',
              closesAt: '2026-12-31T17:00:00+08:00',
              quota: null,
              policyVersion: round.policy.id,
            },
            'officer-wuxi',
            'officer',
          ),
        ],
        'no-stream',
      );
      return 1;
    });

    // Enterprises: the n-th applies to two rounds of different programmes.
    const district = (e: number) => DISTRICTS[e % DISTRICTS.length];
    await pool(enterprises, async (e) => {
      const code = creditCodeOf(e);
      await store.append(
        enterpriseStream(code),
        [
          event(
            'EnterpriseRegistered',
            {
              creditCode: code,
              name: companyName(e),
              jurisdiction: district(e),
              establishedOn: PROGRAMMES[e % PROGRAMMES.length].establishedOn,
            },
            `ent-${code}`,
            'enterprise',
          ),
        ],
        'no-stream',
      );
      return 1;
    });
    phase();

    // Applications: state kept per application (revision and status) as the generator goes.
    const revision = new Int32Array(applications);
    const status = new Uint8Array(applications); // 0 draft, 1 submitted, 2 recommended, 3 returned, 4 rejected, 5 expert review
    const roundOf = (i: number) => {
      const e = Math.floor(i / 2);
      // The enterprise's own programme for its first application, the next one for its second.
      const programmeIndex = (e + (i % 2)) % PROGRAMMES.length;
      return rounds[programmeIndex * BATCHES + (Math.floor(e / PROGRAMMES.length) % BATCHES)];
    };
    const appId = (i: number) => applicationIdFor(roundOf(i).id, creditCodeOf(Math.floor(i / 2)));
    const dataOf = (i: number) => PROGRAMMES[roundOf(i).programmeIndex].data(i % 1000);
    const instants: string[] = [];
    const owner = (i: number) => `ent-${creditCodeOf(Math.floor(i / 2))}`;
    await pool(applications, async (i) => {
      const e = Math.floor(i / 2);
      const round = roundOf(i);
      round.applications++;
      const id = appId(i);
      await store.append(
        applicationStream(id),
        [
          event(
            'ApplicationCreated',
            {
              applicationId: id,
              roundId: round.id,
              programme: round.programme,
              policyVersion: round.policy.id,
              creditCode: creditCodeOf(e),
              jurisdiction: district(e),
              roundJurisdiction: CITY,
              data: dataOf(i),
              reReviewOf: null,
            },
            owner(i),
            'enterprise',
          ),
        ],
        'no-stream',
      );
      return 1;
    });
    instants.push(clock.now.toISOString());
    phase();

    const step = async (i: number, type: string, data: unknown, sub: string, role: string, to: number) => {
      await store.append(applicationStream(appId(i)), [event(type, data, sub, role)], revision[i]);
      revision[i]++;
      status[i] = to;
      return 1;
    };
    // Eligibility as the submit handler computes it, once per programme and data variant.
    const eligibility = new Map<string, unknown>();
    const eligibilityOf = (i: number) => {
      const round = roundOf(i);
      const key = `${round.programme}/${i % 1000}`;
      if (!eligibility.has(key))
        eligibility.set(
          key,
          evaluateEligibility(round.policy, {
            enterprise: {
              creditCode: creditCodeOf(Math.floor(i / 2)),
              establishedOn: PROGRAMMES[round.programmeIndex].establishedOn,
            },
            data: dataOf(i),
            applicationDate: '2026-03-03',
          }),
        );
      return eligibility.get(key);
    };
    await pool(applications, (i) =>
      random() < 0.9
        ? step(
            i,
            'ApplicationSubmitted',
            {
              data: dataOf(i),
              eligibility: eligibilityOf(i),
              policyVersion: roundOf(i).policy.id,
              resubmission: false,
              firstStage: 'district',
            },
            owner(i),
            'enterprise',
            1,
          )
        : undefined,
    );
    instants.push(clock.now.toISOString());
    phase();

    await pool(applications, (i) => {
      if (status[i] !== 1) return undefined;
      const officer = `officer-${district(Math.floor(i / 2))}`;
      const roll = random();
      if (roll < 0.6)
        return step(
          i,
          'ApplicationRecommended',
          { stage: 'district', reason: '材料齐全，同意推荐' },
          officer,
          'officer',
          2,
        );
      if (roll < 0.8)
        return step(
          i,
          'ApplicationReturned',
          {
            stage: 'district',
            reason: '请补充近两年研发费用专项审计报告',
            respondBy: '2026-03-20',
            provisional: false,
          },
          officer,
          'officer',
          3,
        );
      if (roll < 0.9)
        return step(
          i,
          'ApplicationRejected',
          { stage: 'district', reason: '不符合申报条件' },
          officer,
          'officer',
          4,
        );
      return undefined;
    });
    instants.push(clock.now.toISOString());
    phase();

    await pool(applications, (i) =>
      status[i] === 2 && random() < 0.5
        ? step(
            i,
            'ApplicationAcceptedForExpertReview',
            { stage: 'city', reason: '同意进入专家评审' },
            'officer-wuxi',
            'officer',
            5,
          )
        : undefined,
    );
    instants.push(clock.now.toISOString());
    if (!options.quiet) {
      bar.setTotal(written);
      bar.stop();
    }
    const events = await store.headPosition();
    const seconds = (performance.now() - started) / 1000;
    const cpu = process.cpuUsage(cpuStarted);
    const cpuSeconds = (cpu.user + cpu.system) / 1e6;
    const every = Math.max(1, Math.floor(applications / 5000));
    const sample = [];
    for (let i = 0; i < applications; i += every)
      sample.push({ id: appId(i), district: district(Math.floor(i / 2)), roundId: roundOf(i).id });
    const generated: GeneratedData = {
      applications,
      enterprises,
      events,
      rounds: rounds.map((r) => ({
        id: r.id,
        programme: r.programme,
        title: r.title,
        applications: r.applications,
      })),
      sample,
      instants,
      generatedInSeconds: Number(seconds.toFixed(1)),
      eventsPerSecond: Math.round(events / seconds),
      eventsPerCpuSecond: Math.round(events / cpuSeconds),
    };
    writeFileSync(join(dataDir, GENERATED_FILE), `${JSON.stringify(generated)}\n`);
    if (!options.quiet)
      console.log(
        `generated ${events} events (${applications} applications, ${enterprises} enterprises, ${rounds.length} rounds) in ${seconds.toFixed(1)} s: ${generated.eventsPerSecond} events/s, ${generated.eventsPerCpuSecond} per CPU second (load average ${loadavg()[0].toFixed(1)})`,
      );
    if (options.rebuild !== false) rebuild(dataDir);
    return generated;
  } finally {
    if (!options.quiet && bar.isActive) bar.stop();
    await store.close();
  }
}

/** Builds the read models of DATA_DIR with the CLI's `rebuild`, as an operator would. */
export function rebuild(dataDir: string): void {
  const cli = join(ROOT, 'dist', 'apps', 'cli', 'src', 'main.js');
  if (!existsSync(cli)) throw new Error(`${cli} missing: run node scripts/build.js first`);
  const started = performance.now();
  const result = spawnSync(process.execPath, [cli, 'rebuild'], {
    cwd: ROOT,
    env: { ...process.env, DATA_DIR: dataDir, LOG_LEVEL: 'silent', SQLITE_SYNCHRONOUS: 'NORMAL' },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  if (result.status !== 0) throw new Error(`rebuild failed (exit ${result.status})`);
  console.log(`rebuilt the read models in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

if (require.main === module) {
  const program = new Command('generate')
    .description('Write N applications of realistic events into a fresh DATA_DIR and rebuild its read models')
    .addOption(
      new Option('--applications <n>', 'applications to generate').default(100_000).argParser((v) => {
        const n = Number(v);
        if (!Number.isSafeInteger(n) || n < 2 || n > 9_999_999)
          throw new Error('--applications: 2 to 9999999');
        return n;
      }),
    )
    .requiredOption('--data-dir <dir>', 'a new or empty directory (DATA_DIR of the api afterwards)')
    .option('--no-rebuild', 'leave the read models unbuilt')
    .addOption(new Option('--concurrency <n>', 'appends in flight').default(4096).argParser(Number));
  program.parse();
  const opts = program.opts<{
    applications: number;
    dataDir: string;
    rebuild: boolean;
    concurrency: number;
  }>();
  generate({
    dataDir: resolve(opts.dataDir),
    applications: opts.applications,
    rebuild: opts.rebuild,
    concurrency: opts.concurrency,
  }).then(
    () => process.exit(0),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
