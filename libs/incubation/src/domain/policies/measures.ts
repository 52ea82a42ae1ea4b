/**
 * Derived measures and facts: the vocabulary a policy's criteria are written in.
 *
 * A measure turns the application into one or more observations (one per year for "each of the
 * last N years"), each an exact quantity with the arithmetic that produced it, or "missing" (the
 * data needed is absent: the rule fails with actual "missing"), or "unavailable" (the data is there
 * but the measure cannot be formed, e.g. growth from a zero base: the rule fails and says why).
 * Nothing here throws on bad or partial data.
 */
import { isIsoDate, type IsoDate } from '@engine/platform/calendar/iso-date';
import { type ApplicationDataInput, type EnterpriseFacts } from './application-data';
import { exactAge } from './dates';
import { financingCap } from './financing';
import { formatQuantity, formatThreshold, groupDigits, type Unit } from './format';
import {
  IP_CLASSES,
  type Bilingual,
  type DatePoint,
  type GrowthBase,
  type IpClass,
  type MeasureParams,
  type PeriodKind,
  type Policy,
  type RegisterEvidence,
} from './policy-types';
import { Rational } from './rational';

export interface EvaluationContext {
  policy: Policy;
  enterprise: EnterpriseFacts;
  data: ApplicationDataInput;
  applicationDate: IsoDate;
  referenceDate: IsoDate;
  /** The last financial year closed on or before the reference date. */
  latestYear: number;
  /** The enterprise's entries in the current versions of the registers the policy names. */
  registers: readonly RegisterEvidence[];
}

export type Quantity =
  | { kind: 'exact'; unit: Unit; value: Rational; text?: string }
  /** Compound annual growth: (end / start)^(1/years) - 1, compared exactly without taking the root. */
  | { kind: 'cagr'; unit: 'percent'; ratio: Rational; years: number };

export type Observation =
  | { status: 'value'; label?: string; quantity: Quantity; basis?: string }
  | { status: 'missing'; label?: string; missing: string[] }
  | { status: 'unavailable'; label?: string; reason: string };

type ParamName = keyof MeasureParams;

export interface MeasureDefinition {
  name: string;
  unit: Unit;
  description: Bilingual;
  params: Partial<Record<ParamName, 'required' | 'optional'>>;
  /** Period kinds allowed (yearly measures only). */
  periods?: readonly PeriodKind[];
  /** Policy sections the measure reads. */
  needs?: 'financing';
  compute(ctx: EvaluationContext, params: MeasureParams): Observation[];
}

// ---------------------------------------------------------------- reading data defensively

const isSafeInt = (value: unknown): value is number =>
  typeof value === 'number' && Number.isSafeInteger(value);
const isFiniteNumber = (value: unknown): value is number =>
  typeof value === 'number' && Number.isFinite(value);

type Read<T> = { ok: true; value: T } | { ok: false; missing: string[] };

function readYear(ctx: EvaluationContext, year: number): Read<Record<string, unknown>> {
  const rows = Array.isArray(ctx.data.financials) ? ctx.data.financials : [];
  const matches = rows.filter((row) => row !== null && typeof row === 'object' && row.year === year);
  if (matches.length === 1) return { ok: true, value: matches[0] as Record<string, unknown> };
  return {
    ok: false,
    missing: [matches.length === 0 ? `financials[${year}]` : `financials[${year}] (appears twice)`],
  };
}

const SIGNED_FIELDS = new Set(['netProfit']);

function readAmount(ctx: EvaluationContext, year: number, field: string): Read<Rational> {
  const row = readYear(ctx, year);
  if (!row.ok) return row;
  const value = row.value[field];
  if (!isSafeInt(value) || (value < 0 && !SIGNED_FIELDS.has(field))) {
    return { ok: false, missing: [`financials[${year}].${field}`] };
  }
  return { ok: true, value: Rational.of(value) };
}

function readInteger(value: unknown, path: string, min = 0): Read<Rational> {
  return isSafeInt(value) && value >= min
    ? { ok: true, value: Rational.of(value) }
    : { ok: false, missing: [path] };
}

function readDecimal(value: unknown, path: string): Read<Rational> {
  return isFiniteNumber(value) && value >= 0
    ? { ok: true, value: Rational.parse(value) }
    : { ok: false, missing: [path] };
}

const yuan = (value: Rational) => formatQuantity(value, 'yuan');
const exact = (unit: Unit, value: Rational, text?: string): Quantity => ({
  kind: 'exact',
  unit,
  value,
  text,
});
const missing = (paths: string[], label?: string): Observation => ({
  status: 'missing',
  label,
  missing: paths,
});
const single = (read: Read<Rational>, unit: Unit, basis?: string): Observation[] =>
  read.ok ? [{ status: 'value', quantity: exact(unit, read.value), basis }] : [missing(read.missing)];

function percentOf(numerator: Rational, denominator: Rational): Rational {
  return numerator.div(denominator).toPercent();
}

// ---------------------------------------------------------------- yearly measures and periods

type YearValue =
  | { status: 'value'; value: Rational; basis?: string; parts?: { num: Rational; den: Rational } }
  | { status: 'missing'; missing: string[] }
  | { status: 'unavailable'; reason: string };

interface Yearly {
  unit: Unit;
  /** How a total over several years is formed: sum of amounts, pooled ratio, or not at all. */
  total: 'sum' | 'pooled' | 'none';
  year(ctx: EvaluationContext, year: number, params: MeasureParams): YearValue;
}

const FIELD_NAMES: Record<string, string> = {
  revenue: '营业收入',
  mainBusinessRevenue: '主营业务收入',
  rdExpense: '研发费用',
  netProfit: '净利润',
  totalAssets: '资产总额',
  totalLiabilities: '负债总额',
};

function amountYearly(field: string): Yearly {
  return {
    unit: 'yuan',
    total: 'sum',
    year(ctx, year) {
      const read = readAmount(ctx, year, field);
      return read.ok ? { status: 'value', value: read.value } : { status: 'missing', missing: read.missing };
    },
  };
}

function ratioYearly(numeratorField: string, denominatorField: string): Yearly {
  return {
    unit: 'percent',
    total: 'pooled',
    year(ctx, year) {
      const num = readAmount(ctx, year, numeratorField);
      const den = readAmount(ctx, year, denominatorField);
      if (!num.ok || !den.ok) {
        return {
          status: 'missing',
          missing: [...(num.ok ? [] : num.missing), ...(den.ok ? [] : den.missing)],
        };
      }
      if (den.value.sign() <= 0) {
        return {
          status: 'unavailable',
          reason: `${year} 年${FIELD_NAMES[denominatorField]}为 0，比例无法计算`,
        };
      }
      return {
        status: 'value',
        value: percentOf(num.value, den.value),
        basis: `${yuan(num.value)} / ${yuan(den.value)}`,
        parts: { num: num.value, den: den.value },
      };
    },
  };
}

const growthYearly: Yearly = {
  unit: 'percent',
  total: 'none',
  year(ctx, year, params) {
    const field = params.of ?? 'revenue';
    const current = readAmount(ctx, year, field);
    const previous = readAmount(ctx, year - 1, field);
    if (!current.ok || !previous.ok) {
      return {
        status: 'missing',
        missing: [...(previous.ok ? [] : previous.missing), ...(current.ok ? [] : current.missing)],
      };
    }
    if (previous.value.sign() <= 0) {
      return {
        status: 'unavailable',
        reason: `${year - 1} 年${FIELD_NAMES[field]} ${yuan(previous.value)} ≤ 0，增长率无法计算`,
      };
    }
    return {
      status: 'value',
      value: percentOf(current.value.sub(previous.value), previous.value),
      basis: `(${year}: ${yuan(current.value)} − ${year - 1}: ${yuan(previous.value)}) / ${yuan(previous.value)}`,
    };
  },
};

function lastYears(ctx: EvaluationContext, count: number): number[] {
  return Array.from({ length: count }, (_, i) => ctx.latestYear - count + 1 + i);
}

function periodic(yearly: Yearly): MeasureDefinition['compute'] {
  return (ctx, params) => {
    const period = params.period ?? { kind: 'latest' };
    if (period.kind === 'latest' || period.kind === 'eachOfLast') {
      const years = period.kind === 'latest' ? [ctx.latestYear] : lastYears(ctx, period.years);
      return years.map((year): Observation => {
        const result = yearly.year(ctx, year, params);
        const label = String(year);
        if (result.status !== 'value') return { ...result, label };
        return { status: 'value', label, quantity: exact(yearly.unit, result.value), basis: result.basis };
      });
    }
    const years = lastYears(ctx, period.years);
    const results = years.map((year) => ({ year, result: yearly.year(ctx, year, params) }));
    const label = `${years[0]}–${years[years.length - 1]} ${period.kind === 'averageOfLast' ? '平均' : '合计'}`;
    const absent = results.flatMap(({ result }) => (result.status === 'missing' ? result.missing : []));
    if (absent.length > 0) return [missing(absent, label)];
    const unavailable = results.find(({ result }) => result.status === 'unavailable');
    if (unavailable && unavailable.result.status === 'unavailable') {
      return [{ status: 'unavailable', label, reason: unavailable.result.reason }];
    }
    const values = results.map(({ year, result }) => ({
      year,
      ...(result as Extract<YearValue, { status: 'value' }>),
    }));
    const shown = (value: Rational) => formatQuantity(value, yearly.unit);
    if (period.kind === 'averageOfLast') {
      const mean = Rational.sum(values.map((v) => v.value)).div(Rational.of(values.length));
      const basis = `(${values.map((v) => `${v.year}: ${shown(v.value)}`).join(' + ')}) / ${values.length}`;
      return [{ status: 'value', label, quantity: exact(yearly.unit, mean), basis }];
    }
    if (yearly.total === 'pooled') {
      const num = Rational.sum(values.map((v) => v.parts!.num));
      const den = Rational.sum(values.map((v) => v.parts!.den));
      const basis = `${yuan(num)} / ${yuan(den)}`;
      return [{ status: 'value', label, quantity: exact('percent', percentOf(num, den)), basis }];
    }
    const total = Rational.sum(values.map((v) => v.value));
    const basis = values.map((v) => `${v.year}: ${shown(v.value)}`).join(' + ');
    return [{ status: 'value', label, quantity: exact(yearly.unit, total), basis }];
  };
}

const ALL_PERIODS = ['latest', 'eachOfLast', 'averageOfLast', 'totalOfLast'] as const;

function yearlyMeasure(
  name: string,
  description: Bilingual,
  yearly: Yearly,
  extra: MeasureDefinition['params'] = {},
) {
  const periods =
    yearly.total === 'none' ? (['latest', 'eachOfLast', 'averageOfLast'] as const) : ALL_PERIODS;
  return {
    name,
    unit: yearly.unit,
    description,
    params: { period: 'optional' as const, ...extra },
    periods,
    compute: periodic(yearly),
  } satisfies MeasureDefinition;
}

// ---------------------------------------------------------------- the catalogue

const MEASURE_LIST: MeasureDefinition[] = [
  {
    name: 'ageYears',
    unit: 'years',
    description: {
      zh: '基准日时的成立年限（按周年计，精确到天）',
      en: 'Age at the reference date, by anniversaries, exact to the day',
    },
    params: {},
    compute(ctx) {
      const establishedOn = ctx.enterprise.establishedOn;
      if (!isIsoDate(establishedOn)) return [missing(['enterprise.establishedOn'])];
      const age = exactAge(establishedOn, ctx.referenceDate);
      const basis = `成立于 ${establishedOn}，基准日 ${ctx.referenceDate}`;
      const text = age.value.sign() < 0 ? '尚未成立' : age.text;
      return [{ status: 'value', quantity: exact('years', age.value, text), basis }];
    },
  },
  yearlyMeasure('revenue', { zh: '营业收入', en: 'Revenue' }, amountYearly('revenue')),
  yearlyMeasure(
    'mainBusinessRevenue',
    { zh: '主营业务收入', en: 'Main-business revenue' },
    amountYearly('mainBusinessRevenue'),
  ),
  yearlyMeasure('rdExpense', { zh: '研发费用', en: 'R&D expense' }, amountYearly('rdExpense')),
  yearlyMeasure('netProfit', { zh: '净利润', en: 'Net profit' }, amountYearly('netProfit')),
  yearlyMeasure(
    'rdShareOfRevenue',
    { zh: '研发费用占营业收入比例', en: 'R&D expense as a share of revenue' },
    ratioYearly('rdExpense', 'revenue'),
  ),
  yearlyMeasure(
    'mainBusinessShare',
    { zh: '主营业务收入占营业收入比例', en: 'Main-business revenue as a share of revenue' },
    ratioYearly('mainBusinessRevenue', 'revenue'),
  ),
  yearlyMeasure(
    'debtToAssets',
    { zh: '资产负债率', en: 'Debt to assets (total liabilities / total assets)' },
    ratioYearly('totalLiabilities', 'totalAssets'),
  ),
  yearlyMeasure('growth', { zh: '较上年增长率', en: 'Growth over the year before' }, growthYearly, {
    of: 'optional',
  }),
  {
    name: 'cagr',
    unit: 'percent',
    description: { zh: '近 N 年复合增长率', en: 'Compound annual growth over the last N years' },
    params: { of: 'optional', years: 'required' },
    compute(ctx, params) {
      const field: GrowthBase = params.of ?? 'revenue';
      const years = params.years ?? 1;
      const endYear = ctx.latestYear;
      const startYear = endYear - years;
      const end = readAmount(ctx, endYear, field);
      const start = readAmount(ctx, startYear, field);
      const label = `${startYear}–${endYear}`;
      if (!end.ok || !start.ok)
        return [missing([...(start.ok ? [] : start.missing), ...(end.ok ? [] : end.missing)], label)];
      if (start.value.sign() <= 0 || end.value.sign() < 0) {
        return [
          { status: 'unavailable', label, reason: `${FIELD_NAMES[field]}为 0 或负数，复合增长率无法计算` },
        ];
      }
      const basis = `(${endYear}: ${yuan(end.value)} / ${startYear}: ${yuan(start.value)})^(1/${years}) − 1`;
      return [
        {
          status: 'value',
          label,
          quantity: { kind: 'cagr', unit: 'percent', ratio: end.value.div(start.value), years },
          basis,
        },
      ];
    },
  },
  {
    name: 'employees',
    unit: 'persons',
    description: { zh: '职工总数', en: 'Employees' },
    params: {},
    compute: (ctx) => single(readInteger(ctx.data.employees, 'employees'), 'persons'),
  },
  {
    name: 'rdStaff',
    unit: 'persons',
    description: { zh: '研发人员数', en: 'R&D staff' },
    params: {},
    compute: (ctx) => single(readInteger(ctx.data.rdStaff, 'rdStaff'), 'persons'),
  },
  {
    name: 'rdStaffShare',
    unit: 'percent',
    description: { zh: '研发人员占职工总数比例', en: 'R&D staff as a share of employees' },
    params: {},
    compute(ctx) {
      const staff = readInteger(ctx.data.rdStaff, 'rdStaff');
      const employees = readInteger(ctx.data.employees, 'employees');
      if (!staff.ok || !employees.ok)
        return [missing([...(staff.ok ? [] : staff.missing), ...(employees.ok ? [] : employees.missing)])];
      if (employees.value.sign() === 0)
        return [{ status: 'unavailable', reason: '职工总数为 0，比例无法计算' }];
      const basis = `${groupDigits(staff.value.toString())} 人 / ${groupDigits(employees.value.toString())} 人`;
      return [
        { status: 'value', quantity: exact('percent', percentOf(staff.value, employees.value)), basis },
      ];
    },
  },
  {
    name: 'ipRights',
    unit: 'count',
    description: {
      zh: '知识产权数量（按所列类别合计）',
      en: 'Intellectual property rights (sum of the classes listed)',
    },
    params: { classes: 'optional' },
    compute(ctx, params) {
      const classes: IpClass[] = params.classes ?? [...IP_CLASSES];
      const rights = ctx.data.ipRights;
      const reads = classes.map((c) => ({ c, read: readInteger(rights?.[c], `ipRights.${c}`) }));
      const absent = reads.flatMap(({ read }) => (read.ok ? [] : read.missing));
      if (absent.length > 0) return [missing(absent)];
      const values = reads.map(({ c, read }) => ({ c, value: (read as { value: Rational }).value }));
      const basis =
        values.length > 1 ? values.map(({ c, value }) => `${c} ${value.toString()}`).join(' + ') : undefined;
      return [{ status: 'value', quantity: exact('count', Rational.sum(values.map((v) => v.value))), basis }];
    },
  },
  {
    name: 'valuationCny',
    unit: 'yuan',
    description: {
      zh: '估值（按本政策汇率折合人民币）',
      en: "Valuation in yuan, at the policy's own exchange rate",
    },
    params: {},
    compute(ctx) {
      const valuation = ctx.data.valuation;
      const amount = readInteger(valuation?.amount, 'valuation.amount');
      if (!amount.ok) return [missing(amount.missing)];
      const currency = valuation?.currency;
      if (currency === 'CNY') return [{ status: 'value', quantity: exact('yuan', amount.value) }];
      if (currency !== 'USD') return [missing(['valuation.currency'])];
      const rate = ctx.policy.currencyRates.USD;
      if (rate === undefined) return [{ status: 'unavailable', reason: '本政策未规定美元汇率' }];
      const value = amount.value.mul(Rational.parse(rate));
      const basis = `${groupDigits(amount.value.toString())} 美元 × ${formatThreshold(Rational.parse(rate), 'number')}`;
      return [{ status: 'value', quantity: exact('yuan', value), basis }];
    },
  },
  {
    name: 'ventureInvestment3y',
    unit: 'yuan',
    description: { zh: '近三年获得风险投资', en: 'Venture investment received in the last 3 years' },
    params: {},
    compute: (ctx) => single(readInteger(ctx.data.ventureInvestment3y, 'ventureInvestment3y'), 'yuan'),
  },
  {
    name: 'equityFinancing2y',
    unit: 'yuan',
    description: { zh: '近两年新增股权融资', en: 'New equity financing in the last 2 years' },
    params: {},
    compute: (ctx) => single(readInteger(ctx.data.equityFinancing2y, 'equityFinancing2y'), 'yuan'),
  },
  {
    name: 'nicheYears',
    unit: 'years',
    description: { zh: '从事特定细分市场年限', en: 'Years in the niche market' },
    params: {},
    compute: (ctx) => single(readDecimal(ctx.data.nicheYears, 'nicheYears'), 'years'),
  },
  {
    name: 'nationalMarketShare',
    unit: 'percent',
    description: { zh: '主导产品全国细分市场占有率', en: 'National share of the niche market' },
    params: {},
    compute: (ctx) => single(readDecimal(ctx.data.nationalMarketShare, 'nationalMarketShare'), 'percent'),
  },
  {
    name: 'awardRank',
    unit: 'rank',
    description: {
      zh: '近 N 年所获奖项的最好名次',
      en: 'Best rank in an award of the given kind within the last N years',
    },
    params: { kind: 'required', withinYears: 'required' },
    compute(ctx, params) {
      const since = ctx.latestYear - (params.withinYears ?? 1) + 1;
      const until = Number(ctx.applicationDate.slice(0, 4));
      const awards = Array.isArray(ctx.data.awards) ? ctx.data.awards : [];
      const ranks = awards
        .filter(
          (a) =>
            a?.kind === params.kind &&
            isSafeInt(a.year) &&
            a.year >= since &&
            a.year <= until &&
            isSafeInt(a.rank),
        )
        .map((a) => ({ year: a!.year as number, rank: a!.rank as number }))
        .sort((a, b) => a.rank - b.rank);
      if (ranks.length === 0) return [{ status: 'unavailable', reason: `${since}–${until} 年无此类奖项` }];
      return [
        {
          status: 'value',
          quantity: exact('rank', Rational.of(ranks[0].rank)),
          basis: `${ranks[0].year} 年`,
        },
      ];
    },
  },
  ...(['totalInvestment', 'fixedAssetInvestment', 'requestedFinancing'] as const).map(
    (field): MeasureDefinition => ({
      name: field,
      unit: 'yuan',
      description: {
        totalInvestment: { zh: '项目总投资', en: 'Total investment of the project' },
        fixedAssetInvestment: { zh: '项目固定资产投资', en: 'Fixed-asset investment of the project' },
        requestedFinancing: { zh: '申请融资额', en: 'Financing requested' },
      }[field],
      params: {},
      compute: (ctx) => single(readInteger(ctx.data.project?.[field], `project.${field}`), 'yuan'),
    }),
  ),
  {
    name: 'termYears',
    unit: 'years',
    description: { zh: '申请融资期限', en: 'Financing term requested' },
    params: {},
    compute: (ctx) => single(readDecimal(ctx.data.project?.termYears, 'project.termYears'), 'years'),
  },
  {
    name: 'financingShareOfInvestment',
    unit: 'percent',
    description: {
      zh: '申请融资额占项目总投资比例',
      en: 'Financing requested as a share of total investment',
    },
    params: {},
    compute(ctx) {
      const requested = readInteger(ctx.data.project?.requestedFinancing, 'project.requestedFinancing');
      const total = readInteger(ctx.data.project?.totalInvestment, 'project.totalInvestment', 1);
      if (!requested.ok || !total.ok) {
        return [missing([...(requested.ok ? [] : requested.missing), ...(total.ok ? [] : total.missing)])];
      }
      const basis = `${yuan(requested.value)} / ${yuan(total.value)}`;
      return [
        { status: 'value', quantity: exact('percent', percentOf(requested.value, total.value)), basis },
      ];
    },
  },
  {
    name: 'financingCap',
    unit: 'yuan',
    description: {
      zh: '可融资上限：本政策各项限额中的最小值',
      en: "Financing cap: the smallest of the policy's limits",
    },
    params: {},
    needs: 'financing',
    compute(ctx) {
      const terms = ctx.policy.financing;
      if (!terms) return [{ status: 'unavailable', reason: '本政策未规定融资限额' }];
      const total = readInteger(ctx.data.project?.totalInvestment, 'project.totalInvestment', 1);
      if (!total.ok) return [missing(total.missing)];
      const fixed = readInteger(ctx.data.project?.fixedAssetInvestment, 'project.fixedAssetInvestment');
      const result = financingCap(terms, {
        totalInvestment: Number(total.value.floor()),
        fixedAssetInvestment: fixed.ok ? Number(fixed.value.floor()) : undefined,
      });
      if (!result.ok) return [missing(result.missing)];
      return [{ status: 'value', quantity: exact('yuan', result.cap), basis: result.basis }];
    },
  },
];

export const MEASURES: ReadonlyMap<string, MeasureDefinition> = new Map(MEASURE_LIST.map((m) => [m.name, m]));

export function computeMeasure(ctx: EvaluationContext, name: string, params: MeasureParams): Observation[] {
  const definition = MEASURES.get(name);
  if (!definition) return [{ status: 'unavailable', reason: `unknown measure "${name}"` }];
  return definition.compute(ctx, params);
}

// ---------------------------------------------------------------- facts

export type FactValue = boolean | string;

export type FactObservation =
  { status: 'value'; value: FactValue; text: string } | { status: 'missing'; missing: string[] };

export interface FactDefinition {
  name: string;
  type: 'boolean' | 'text';
  description: Bilingual;
  /** Facts about a date accept `at: referenceDate | applicationDate`. */
  dated?: boolean;
  read(ctx: EvaluationContext, at: DatePoint): FactObservation;
}

export function yesNo(value: boolean): string {
  return value ? '是 (yes)' : '否 (no)';
}

function booleanFact(
  name: string,
  description: Bilingual,
  pick: (data: ApplicationDataInput) => unknown,
  path: string,
): FactDefinition {
  return {
    name,
    type: 'boolean',
    description,
    read(ctx) {
      const value = pick(ctx.data);
      return typeof value === 'boolean'
        ? { status: 'value', value, text: yesNo(value) }
        : { status: 'missing', missing: [path] };
    },
  };
}

const FACT_LIST: FactDefinition[] = [
  booleanFact(
    'majorAccident',
    { zh: '发生重大安全、质量、环境污染等事故', en: 'Had a major safety, quality or environmental accident' },
    (d) => d.negativeRecords?.majorAccident,
    'negativeRecords.majorAccident',
  ),
  booleanFact(
    'seriousDishonesty',
    { zh: '有严重失信行为', en: 'Has a record of serious dishonesty' },
    (d) => d.negativeRecords?.seriousDishonesty,
    'negativeRecords.seriousDishonesty',
  ),
  {
    name: 'provincialSrdiValid',
    type: 'boolean',
    dated: true,
    description: {
      zh: '持有在有效期内的省级专精特新中小企业证书',
      en: 'Holds a provincial specialised-and-innovative SME certificate valid on the date',
    },
    read(ctx, at) {
      const date = at === 'applicationDate' ? ctx.applicationDate : ctx.referenceDate;
      const certificate = ctx.data.provincialSrdi;
      if (certificate === undefined || certificate === null) {
        return { status: 'value', value: false, text: '否 (no)：无省级专精特新证书' };
      }
      if (!isIsoDate(certificate.validUntil))
        return { status: 'missing', missing: ['provincialSrdi.validUntil'] };
      const valid = certificate.validUntil >= date;
      const number =
        typeof certificate.certificateNo === 'string' ? `证书 ${certificate.certificateNo} ` : '';
      return {
        status: 'value',
        value: valid,
        text: `${yesNo(valid)}：${number}有效期至 ${certificate.validUntil}，${valid ? '覆盖' : '早于'} ${date}`,
      };
    },
  },
  booleanFact(
    'hasRdInstitution',
    { zh: '自建或与高校、科研机构联合建立研发机构', en: 'Has its own or a joint R&D institution' },
    (d) => d.hasRdInstitution,
    'hasRdInstitution',
  ),
  booleanFact(
    'emergingIndustry',
    { zh: '属于战略性新兴产业领域', en: 'Belongs to a strategic emerging industry' },
    (d) => d.emergingIndustry,
    'emergingIndustry',
  ),
  booleanFact(
    'managementSystemCertified',
    { zh: '获得质量管理体系等管理体系认证', en: 'Holds a management-system certification' },
    (d) => d.managementSystemCertified,
    'managementSystemCertified',
  ),
  booleanFact(
    'coreProcessOnInformationSystem',
    { zh: '至少一项核心业务采用信息系统支撑', en: 'Runs at least one core process on an information system' },
    (d) => d.coreProcessOnInformationSystem,
    'coreProcessOnInformationSystem',
  ),
  booleanFact('ownBrand', { zh: '拥有自主品牌', en: 'Owns its own brand' }, (d) => d.ownBrand, 'ownBrand'),
  {
    name: 'creditRating',
    type: 'text',
    description: { zh: '信用评级', en: 'Credit rating' },
    read(ctx) {
      const rating = ctx.data.creditRating;
      return typeof rating === 'string' && rating.trim() !== ''
        ? { status: 'value', value: rating.trim(), text: rating.trim() }
        : { status: 'missing', missing: ['creditRating'] };
    },
  },
];

export const FACTS: ReadonlyMap<string, FactDefinition> = new Map(FACT_LIST.map((f) => [f.name, f]));
