/**
 * The policy schema: what a file under policies/ may say, checked strictly so that a misspelt
 * field is refused rather than ignored. Problems come back as {path, message} pairs whose path
 * reads like the YAML (`criteria.all[2].measure`), with a "did you mean" where a name is close.
 */
import { isIsoDate } from '@engine/platform/calendar/iso-date';
import { z } from 'zod';
import { AWARD_KINDS, isDataPath } from './application-data';
import { FACTS, MEASURES, type MeasureDefinition } from './measures';
import {
  BOUND_KEYS,
  type BoundKey,
  type Bounds,
  type BoundValue,
  type Criterion,
  DATE_POINTS,
  GROWTH_BASES,
  IP_CLASSES,
  type MeasureParams,
  type MeasureRef,
  PANEL_COMPARISONS,
  PANEL_DISCLOSURES,
  type Period,
  type Policy,
  MATERIAL_MEDIA_TYPES,
  PROGRAMMES,
  QUOTA_TIE_BREAKS,
  REFERENCE_DATE_RULES,
  REGISTER_KINDS,
  REVIEW_STAGES,
  SETTINGS,
  type SettingPath,
} from './policy-types';
import { Rational } from './rational';
import type { Unit } from './format';

export type PolicyPath = (string | number)[];

export interface PolicyIssue {
  path: PolicyPath;
  message: string;
}

export type PolicyParseResult = { ok: true; policy: Policy } | { ok: false; issues: PolicyIssue[] };

/** `criteria.all[2].measure` */
export function formatPolicyPath(path: readonly PropertyKey[]): string {
  let text = '';
  for (const segment of path) {
    if (typeof segment === 'number') text += `[${segment}]`;
    else text += text === '' ? String(segment) : `.${String(segment)}`;
  }
  return text === '' ? '(top level)' : text;
}

// ---------------------------------------------------------------- suggestions

function editDistance(a: string, b: string): number {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  let previous = Array.from({ length: y.length + 1 }, (_, j) => j);
  for (let i = 1; i <= x.length; i++) {
    const current = [i];
    for (let j = 1; j <= y.length; j++) {
      current[j] = Math.min(
        previous[j] + 1,
        current[j - 1] + 1,
        previous[j - 1] + (x[i - 1] === y[j - 1] ? 0 : 1),
      );
    }
    previous = current;
  }
  return previous[y.length];
}

/** ` (did you mean "atLeast"?)` when a known name is close, else "". */
export function suggestion(input: string, known: Iterable<string>): string {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of known) {
    const prefix = input.length >= 4 && candidate.toLowerCase().startsWith(input.toLowerCase());
    const distance = prefix ? 1 : editDistance(input, candidate);
    if (distance < bestDistance) [best, bestDistance] = [candidate, distance];
  }
  return best !== undefined && bestDistance <= Math.max(2, Math.floor(input.length / 3))
    ? ` (did you mean "${best}"?)`
    : '';
}

// ---------------------------------------------------------------- issues from zod

type Def = {
  type: string;
  shape?: Record<string, z.ZodType>;
  innerType?: z.ZodType;
  in?: z.ZodType;
  element?: z.ZodType;
  valueType?: z.ZodType;
};
const defOf = (schema: z.ZodType): Def => schema._zod.def as unknown as Def;

function unwrap(schema: z.ZodType): z.ZodType {
  let current = schema;
  for (;;) {
    const def = defOf(current);
    if (
      def.innerType &&
      ['optional', 'nullable', 'default', 'readonly', 'prefault', 'catch', 'nonoptional'].includes(def.type)
    ) {
      current = def.innerType;
    } else if (def.type === 'pipe' && def.in) {
      current = def.in;
    } else {
      return current;
    }
  }
}

/** The field names an object schema allows at a path, for "did you mean". */
function knownKeysAt(schema: z.ZodType, path: readonly PropertyKey[]): string[] {
  let current: z.ZodType | undefined = schema;
  for (const key of path) {
    if (!current) return [];
    const def = defOf(unwrap(current));
    if (def.type === 'object') current = def.shape?.[String(key)];
    else if (def.type === 'array') current = def.element;
    else if (def.type === 'record') current = def.valueType;
    else return [];
  }
  if (!current) return [];
  const def = defOf(unwrap(current));
  return def.type === 'object' ? Object.keys(def.shape ?? {}) : [];
}

function issuesFromZod(error: z.ZodError, schema: z.ZodType): PolicyIssue[] {
  const out: PolicyIssue[] = [];
  for (const issue of error.issues) {
    const path = issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p)) as PolicyPath;
    if (issue.code === 'unrecognized_keys') {
      const known = knownKeysAt(schema, issue.path);
      for (const key of issue.keys) {
        const hint = /\s/.test(key) ? ' (text containing a comma inside { } must be put in quotes)' : '';
        out.push({ path: [...path, key], message: `unknown field "${key}"${suggestion(key, known)}${hint}` });
      }
    } else {
      out.push({ path, message: issue.message });
    }
  }
  return out;
}

type Ctx = z.core.$RefinementCtx;

function report(ctx: Ctx, path: PolicyPath, message: string): void {
  ctx.addIssue({ code: 'custom', path, message });
}

/** Runs a sub-schema and re-reports its problems relative to the current position. */
function parseWith<T>(
  schema: z.ZodType<T>,
  value: unknown,
  ctx: Ctx,
  prefix: PolicyPath = [],
): T | undefined {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  for (const issue of issuesFromZod(result.error, schema))
    report(ctx, [...prefix, ...issue.path], issue.message);
  return undefined;
}

// ---------------------------------------------------------------- small schemas

const text = (max: number) => z.string().trim().min(1, 'must not be empty').max(max);
export const bilingualSchema = z.strictObject({ zh: text(500), en: text(500) });
const isoDate = z.string().refine(isIsoDate, 'must be a date YYYY-MM-DD (quote it if in doubt)');
const ruleId = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'must be lower-case letters, digits and hyphens, e.g. "rd-share"');
const percent = z.number().min(0).max(100);
const years = z.int().min(1).max(20);

const periodSchema = z.unknown().transform((value, ctx): Period => {
  if (value === 'latest') return { kind: 'latest' };
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    const keys = Object.keys(value);
    const kind = keys[0];
    if (keys.length === 1 && (kind === 'eachOfLast' || kind === 'averageOfLast' || kind === 'totalOfLast')) {
      const n = (value as Record<string, unknown>)[kind];
      if (typeof n === 'number' && Number.isInteger(n) && n >= 1 && n <= 10) return { kind, years: n };
      report(ctx, [kind], 'must be a whole number of years from 1 to 10');
      return z.NEVER;
    }
    if (keys.length === 1) {
      report(
        ctx,
        [kind],
        `unknown period "${kind}"${suggestion(kind, ['eachOfLast', 'averageOfLast', 'totalOfLast'])}`,
      );
      return z.NEVER;
    }
  }
  report(ctx, [], 'period is "latest", { eachOfLast: N }, { averageOfLast: N } or { totalOfLast: N }');
  return z.NEVER;
});

const measureParamShape = {
  period: periodSchema.optional(),
  of: z.enum(GROWTH_BASES).optional(),
  years: years.optional(),
  classes: z.array(z.enum(IP_CLASSES)).min(1).optional(),
  kind: z.enum(AWARD_KINDS).optional(),
  withinYears: years.optional(),
};
const PARAM_NAMES = Object.keys(measureParamShape) as (keyof MeasureParams)[];

const measureRefShape = { measure: z.string().min(1), ...measureParamShape };

/** Semantic checks of a measure and its parameters; returns the reference when it is sound. */
function checkMeasure(raw: Record<string, unknown>, ctx: Ctx, at: PolicyPath): MeasureRef | undefined {
  const name = raw.measure as string;
  const definition = MEASURES.get(name);
  if (!definition) {
    report(ctx, [...at, 'measure'], `unknown measure "${name}"${suggestion(name, MEASURES.keys())}`);
    return undefined;
  }
  let sound = true;
  const params: MeasureParams = {};
  for (const param of PARAM_NAMES) {
    const given = raw[param];
    const rule = definition.params[param];
    if (given === undefined) {
      if (rule === 'required') {
        report(ctx, [...at, param], `measure "${name}" needs "${param}"`);
        sound = false;
      }
      continue;
    }
    if (!rule) {
      report(ctx, [...at, param], `measure "${name}" takes no "${param}"`);
      sound = false;
      continue;
    }
    (params as Record<string, unknown>)[param] = given;
  }
  if (params.period && definition.periods && !definition.periods.includes(params.period.kind)) {
    report(ctx, [...at, 'period'], `measure "${name}" cannot be taken as "${params.period.kind}"`);
    sound = false;
  }
  return sound ? { measure: name, params } : undefined;
}

// ---------------------------------------------------------------- bounds

const SETTING_UNITS: Record<SettingPath, Unit> = {
  'financing.maxAmount': 'yuan',
  'financing.maxSharePercent': 'percent',
  'financing.maxTermYears': 'years',
};

const boundValueSchema = z.unknown().transform((value, ctx): BoundValue => {
  if (typeof value === 'number' && Number.isFinite(value)) return { value };
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    if ('measure' in value) {
      const raw = parseWith(z.strictObject(measureRefShape), value, ctx);
      const ref = raw && checkMeasure(raw, ctx, []);
      return ref ? { measure: ref } : z.NEVER;
    }
    if ('setting' in value) {
      const raw = parseWith(z.strictObject({ setting: z.enum(SETTINGS) }), value, ctx);
      return raw ? { setting: raw.setting } : z.NEVER;
    }
  }
  report(ctx, [], 'a bound is a number, { measure: <name> } or { setting: <financing.…> }');
  return z.NEVER;
});

const boundsShape = Object.fromEntries(BOUND_KEYS.map((key) => [key, boundValueSchema.optional()])) as Record<
  BoundKey,
  z.ZodOptional<typeof boundValueSchema>
>;

function unitOfBound(bound: BoundValue): Unit | undefined {
  if ('measure' in bound) return MEASURES.get(bound.measure.measure)?.unit;
  if ('setting' in bound) return SETTING_UNITS[bound.setting];
  return undefined;
}

function literal(bound: BoundValue | undefined): Rational | undefined {
  return bound && 'value' in bound ? Rational.parse(bound.value) : undefined;
}

/** Checks a set of bounds and returns them when sound. */
function checkBounds(
  raw: Record<string, unknown>,
  ctx: Ctx,
  at: PolicyPath,
  unit?: Unit,
): Bounds | undefined {
  const bounds: Bounds = {};
  for (const key of BOUND_KEYS) if (raw[key] !== undefined) bounds[key] = raw[key] as BoundValue;
  const keys = Object.keys(bounds) as BoundKey[];
  if (keys.length === 0) {
    report(ctx, at, `needs a bound: ${BOUND_KEYS.join(', ')}`);
    return undefined;
  }
  let sound = true;
  const clash = (a: BoundKey, b: BoundKey) => {
    if (bounds[a] !== undefined && bounds[b] !== undefined) {
      report(ctx, [...at, b], `cannot have both "${a}" and "${b}"`);
      sound = false;
    }
  };
  clash('atLeast', 'moreThan');
  clash('atMost', 'lessThan');
  if (bounds.equals !== undefined && keys.length > 1) {
    report(ctx, [...at, 'equals'], '"equals" cannot be combined with other bounds');
    sound = false;
  }
  for (const key of keys) {
    const boundUnit = unitOfBound(bounds[key]!);
    if (unit && boundUnit && boundUnit !== unit) {
      report(ctx, [...at, key], `compares a value in ${unit} with a bound in ${boundUnit}`);
      sound = false;
    }
  }
  const low = literal(bounds.atLeast ?? bounds.moreThan);
  const high = literal(bounds.atMost ?? bounds.lessThan);
  if (low && high) {
    const inclusive = bounds.atLeast !== undefined && bounds.atMost !== undefined;
    if (low.gt(high) || (low.eq(high) && !inclusive)) {
      report(ctx, at, 'the bounds leave no value that could pass');
      sound = false;
    }
  }
  return sound ? bounds : undefined;
}

interface Interval {
  low?: { value: Rational; inclusive: boolean };
  high?: { value: Rational; inclusive: boolean };
}

function intervalOf(bounds: Bounds): Interval {
  const point = literal(bounds.equals);
  if (point) return { low: { value: point, inclusive: true }, high: { value: point, inclusive: true } };
  const low = literal(bounds.atLeast ?? bounds.moreThan);
  const high = literal(bounds.atMost ?? bounds.lessThan);
  return {
    low: low && { value: low, inclusive: bounds.atLeast !== undefined },
    high: high && { value: high, inclusive: bounds.atMost !== undefined },
  };
}

function overlap(a: Interval, b: Interval): boolean {
  const lows = [a.low, b.low].filter((x) => x !== undefined);
  const highs = [a.high, b.high].filter((x) => x !== undefined);
  if (lows.length === 0 || highs.length === 0) return true;
  const low = lows.reduce((x, y) => (y.value.gt(x.value) || (y.value.eq(x.value) && !y.inclusive) ? y : x));
  const high = highs.reduce((x, y) => (y.value.lt(x.value) || (y.value.eq(x.value) && !y.inclusive) ? y : x));
  return low.value.lt(high.value) || (low.value.eq(high.value) && low.inclusive && high.inclusive);
}

// ---------------------------------------------------------------- criteria

const commonShape = {
  rule: ruleId,
  label: bilingualSchema,
  hard: z.boolean().default(true),
  fastTrack: z.boolean().optional(),
  source: text(300).optional(),
  note: bilingualSchema.optional(),
};

const NODE_KEYS = ['all', 'any', 'not', 'measure', 'fact', 'bandBy', 'register'] as const;

function common(raw: z.infer<z.ZodObject<typeof commonShape>>) {
  return {
    rule: raw.rule,
    label: raw.label,
    hard: raw.hard,
    ...(raw.fastTrack !== undefined && { fastTrack: raw.fastTrack }),
    ...(raw.source !== undefined && { source: raw.source }),
    ...(raw.note !== undefined && { note: raw.note }),
  };
}

function checkChildren(children: Criterion[], ctx: Ctx, key: 'all' | 'any'): void {
  if (children.every((child) => !child.hard)) {
    report(ctx, [key], `every rule under "${key}" is advisory; mark the group itself "hard: false" instead`);
  }
}

export const criterionSchema: z.ZodType<Criterion> = z.lazy(() =>
  z.unknown().transform((value, ctx): Criterion => {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      report(
        ctx,
        [],
        'a rule must be a mapping with "rule", "label" and one of all, any, not, measure, fact, bandBy, register',
      );
      return z.NEVER;
    }
    const present = NODE_KEYS.filter((key) => key in value);
    if (present.length !== 1) {
      report(
        ctx,
        [],
        present.length === 0
          ? `a rule needs exactly one of ${NODE_KEYS.join(', ')}${suggestion(Object.keys(value).find((k) => !(k in commonShape)) ?? '', NODE_KEYS)}`
          : `a rule has exactly one of ${NODE_KEYS.join(', ')}, not ${present.join(' and ')}`,
      );
      return z.NEVER;
    }
    switch (present[0]) {
      case 'all':
      case 'any': {
        const key = present[0];
        const raw = parseWith(
          z.strictObject({ ...commonShape, [key]: z.array(criterionSchema).min(1) }),
          value,
          ctx,
        );
        if (!raw) return z.NEVER;
        const children = (raw as unknown as Record<string, Criterion[]>)[key];
        checkChildren(children, ctx, key);
        return { kind: key, ...common(raw), children };
      }
      case 'not': {
        const raw = parseWith(z.strictObject({ ...commonShape, not: criterionSchema }), value, ctx);
        if (!raw) return z.NEVER;
        if (!raw.not.hard) report(ctx, ['not', 'hard'], 'the rule under "not" cannot be advisory');
        return { kind: 'not', ...common(raw), child: raw.not };
      }
      case 'measure': {
        const raw = parseWith(
          z.strictObject({ ...commonShape, ...measureRefShape, ...boundsShape }),
          value,
          ctx,
        );
        if (!raw) return z.NEVER;
        const measure = checkMeasure(raw, ctx, []);
        const bounds = checkBounds(raw, ctx, [], measure && MEASURES.get(measure.measure)?.unit);
        if (!measure || !bounds) return z.NEVER;
        return { kind: 'compare', ...common(raw), measure, bounds };
      }
      case 'fact': {
        const shape = {
          ...commonShape,
          fact: z.string().min(1),
          at: z.enum(DATE_POINTS).optional(),
          is: z.boolean().optional(),
          oneOf: z.array(text(50)).min(1).optional(),
        };
        const raw = parseWith(z.strictObject(shape), value, ctx);
        if (!raw) return z.NEVER;
        const fact = FACTS.get(raw.fact);
        if (!fact) {
          report(ctx, ['fact'], `unknown fact "${raw.fact}"${suggestion(raw.fact, FACTS.keys())}`);
          return z.NEVER;
        }
        let sound = true;
        const refuse = (path: string, message: string) => {
          report(ctx, [path], message);
          sound = false;
        };
        if (fact.type === 'boolean' && raw.is === undefined)
          refuse('is', `fact "${raw.fact}" needs "is: true" or "is: false"`);
        if (fact.type === 'boolean' && raw.oneOf !== undefined)
          refuse('oneOf', `fact "${raw.fact}" is yes/no; use "is"`);
        if (fact.type === 'text' && raw.oneOf === undefined)
          refuse('oneOf', `fact "${raw.fact}" needs "oneOf: [...]"`);
        if (fact.type === 'text' && raw.is !== undefined)
          refuse('is', `fact "${raw.fact}" is text; use "oneOf"`);
        if (raw.at !== undefined && !fact.dated) refuse('at', `fact "${raw.fact}" takes no "at"`);
        if (!sound) return z.NEVER;
        return {
          kind: 'fact',
          ...common(raw),
          fact: raw.fact,
          ...(raw.at !== undefined && { at: raw.at }),
          ...(raw.is !== undefined && { is: raw.is }),
          ...(raw.oneOf !== undefined && { oneOf: raw.oneOf }),
        };
      }
      case 'register': {
        const registerKind = z.enum(REGISTER_KINDS, {
          error: (issue) => `unknown register "${String(issue.input)}"; one of ${REGISTER_KINDS.join(', ')}`,
        });
        const raw = parseWith(
          z.strictObject({
            ...commonShape,
            register: z.preprocess((v) => (typeof v === 'string' ? [v] : v), z.array(registerKind).min(1)),
            at: z.enum(DATE_POINTS).optional(),
          }),
          value,
          ctx,
        );
        if (!raw) return z.NEVER;
        const registers = [...new Set(raw.register)];
        return { kind: 'register', ...common(raw), registers, ...(raw.at !== undefined && { at: raw.at }) };
      }
      case 'bandBy': {
        const bandShape = {
          label: bilingualSchema.optional(),
          ...Object.fromEntries(BOUND_KEYS.map((key) => [key, z.number().optional()])),
          require: criterionSchema,
        } as { label: z.ZodOptional<typeof bilingualSchema>; require: typeof criterionSchema } & Record<
          BoundKey,
          z.ZodOptional<z.ZodNumber>
        >;
        const raw = parseWith(
          z.strictObject({
            ...commonShape,
            bandBy: z.strictObject(measureRefShape),
            bands: z.array(z.strictObject(bandShape)).min(1),
          }),
          value,
          ctx,
        );
        if (!raw) return z.NEVER;
        let bandBy = checkMeasure(raw.bandBy, ctx, ['bandBy']);
        if (bandBy?.params.period?.kind === 'eachOfLast') {
          report(
            ctx,
            ['bandBy', 'period'],
            'a band is chosen by one value; use latest, averageOfLast or totalOfLast',
          );
          bandBy = undefined;
        }
        const unit = bandBy && MEASURES.get(bandBy.measure)?.unit;
        const bands = raw.bands.map((band, index) => {
          const literalBounds = Object.fromEntries(
            BOUND_KEYS.filter((key) => band[key] !== undefined).map((key) => [
              key,
              { value: band[key] as number },
            ]),
          );
          const bounds = checkBounds(literalBounds, ctx, ['bands', index], unit);
          if (!band.require.hard)
            report(ctx, ['bands', index, 'require', 'hard'], 'a band requirement cannot be advisory');
          return bounds && { bounds, require: band.require, ...(band.label && { label: band.label }) };
        });
        if (!bandBy || bands.some((b) => b === undefined)) return z.NEVER;
        const sound = bands as NonNullable<(typeof bands)[number]>[];
        for (let i = 0; i < sound.length; i++) {
          for (let j = i + 1; j < sound.length; j++) {
            if (overlap(intervalOf(sound[i].bounds), intervalOf(sound[j].bounds))) {
              report(ctx, ['bands', j], `overlaps band ${i}: a value could fall in both`);
              return z.NEVER;
            }
          }
        }
        return { kind: 'band', ...common(raw), bandBy, bands: sound };
      }
    }
  }),
);

// ---------------------------------------------------------------- the policy

const scoringSchema = z
  .strictObject({
    indicators: z
      .array(
        z.strictObject({
          code: z.string().regex(/^[a-z][a-z0-9-]{0,39}$/, 'must be a lowercase code such as "innovation"'),
          label: bilingualSchema,
          weight: z.number().positive().max(100),
          maxScore: z.int().min(1).max(100),
        }),
      )
      .min(1)
      .max(30),
  })
  .superRefine((sheet, ctx) => {
    const codes = sheet.indicators.map((i) => i.code);
    codes.forEach((code, index) => {
      if (codes.indexOf(code) !== index)
        report(ctx, ['indicators', index, 'code'], `"${code}" appears twice`);
    });
    // Weights are percent of the total; exact in hundredths so 33.33 + 33.33 + 33.34 adds up.
    const hundredths = sheet.indicators.reduce((sum, i) => sum + Math.round(i.weight * 100), 0);
    if (hundredths !== 10_000)
      report(ctx, ['indicators'], `the weights add up to ${hundredths / 100}, not 100`);
  });

const expertPanelSchema = z.strictObject({
  size: z.int().min(1).max(50),
  passThreshold: z.number().min(0).max(100),
  comparison: z.enum(PANEL_COMPARISONS),
  scoringWorkingDays: z.int().min(1).max(60),
  poolMultiple: z.int().min(1).max(20),
  minTechnicalSharePercent: percent.optional(),
  minFinancialExperts: z.int().min(0).max(50).optional(),
  scoring: scoringSchema.optional(),
  expertSees: z
    .array(
      z.string().refine(isDataPath, 'must name a field of application data, e.g. "financials.rdExpense"'),
    )
    .max(100),
  disclosure: z.enum(PANEL_DISCLOSURES),
});

const workflowSchema = z.strictObject({
  reviewStages: z
    .array(z.enum(REVIEW_STAGES))
    .min(1)
    .refine((stages) => new Set(stages).size === stages.length, 'a stage appears twice'),
  expertPanel: expertPanelSchema.optional(),
  publicityWorkingDays: z.int().min(1).max(60),
  responseDeadlineWorkingDays: z.int().min(1).max(120),
  validityYears: z.int().min(1).max(20),
  reReviewExtensionYears: z.int().min(1).max(20).optional(),
  annualReportDue: z
    .string()
    .refine((value) => isIsoDate(`2024-${value}`), 'must be a month and day "MM-DD", e.g. "05-31"')
    .nullable(),
  banYearsAfterFraud: z.int().min(0).max(20),
  majorChangeReportMonths: z.int().min(1).max(24).optional(),
  promotesFrom: z.array(z.enum(PROGRAMMES)).optional(),
  quotaTieBreak: z.enum(QUOTA_TIE_BREAKS).optional(),
});

const financingSchema = z.strictObject({
  maxAmount: z.int().min(1),
  maxSharePercent: percent,
  maxFixedAssetSharePercent: percent.optional(),
  maxWorkingCapitalSharePercent: percent.optional(),
  ratePercent: percent,
  promotionalRates: z.array(z.strictObject({ from: isoDate, to: isoDate, ratePercent: percent })).optional(),
  maxTermYears: z.number().positive().max(30),
});

const materialRequirementSchema = z.strictObject({
  kind: z
    .string()
    .regex(/^[a-z][a-z0-9-]{0,47}$/, 'must be lowercase letters, digits and dashes, e.g. "business-licence"'),
  label: bilingualSchema,
  required: z.boolean(),
  mediaTypes: z
    .array(z.enum(MATERIAL_MEDIA_TYPES))
    .min(1)
    .default([...MATERIAL_MEDIA_TYPES]),
  visibleToExperts: z.boolean().default(false),
  note: bilingualSchema.optional(),
});

export const policySchema = z
  .strictObject({
    id: z
      .string()
      .regex(/^[a-z-]+\/[a-z0-9][a-z0-9.-]*$/, 'must be "<programme>/<version>", e.g. "eaglet/wuxi-2024"'),
    programme: z.enum(PROGRAMMES),
    name: bilingualSchema,
    issuer: bilingualSchema,
    jurisdiction: z.string().regex(/^[a-z]+(\.[a-z0-9-]+)*$/, 'must be a dotted path such as "js.wuxi"'),
    documentNumber: text(100).nullable(),
    effectiveFrom: isoDate,
    effectiveTo: isoDate.nullable(),
    referenceDate: z.enum(REFERENCE_DATE_RULES),
    currencyRates: z.strictObject({ USD: z.number().positive().max(1000).optional() }).default({}),
    workflow: workflowSchema,
    financing: financingSchema.optional(),
    requiredMaterials: z.array(materialRequirementSchema).default([]),
    criteria: z.strictObject({ all: z.array(criterionSchema).min(1) }),
  })
  .superRefine((policy, ctx) => {
    if (!policy.id.startsWith(`${policy.programme}/`)) {
      report(ctx, ['id'], `must start with the programme: "${policy.programme}/…"`);
    }
    if (policy.effectiveTo !== null && policy.effectiveTo < policy.effectiveFrom) {
      report(ctx, ['effectiveTo'], 'is before effectiveFrom');
    }
    const stages = policy.workflow.reviewStages;
    if (stages.includes('expert-panel') && !policy.workflow.expertPanel) {
      report(ctx, ['workflow', 'expertPanel'], 'is required when reviewStages include "expert-panel"');
    }
    if (!stages.includes('expert-panel') && policy.workflow.expertPanel) {
      report(ctx, ['workflow', 'expertPanel'], 'is set but reviewStages do not include "expert-panel"');
    }
    if (policy.workflow.promotesFrom?.includes(policy.programme)) {
      report(ctx, ['workflow', 'promotesFrom'], 'a list cannot promote from itself');
    }
    policy.financing?.promotionalRates?.forEach((rate, index) => {
      if (rate.to < rate.from)
        report(ctx, ['financing', 'promotionalRates', index, 'to'], 'is before "from"');
    });
    const { maxFixedAssetSharePercent: fixed, maxWorkingCapitalSharePercent: working } =
      policy.financing ?? {};
    if ((fixed === undefined) !== (working === undefined)) {
      report(ctx, ['financing'], 'maxFixedAssetSharePercent and maxWorkingCapitalSharePercent go together');
    }

    const kinds = new Set<string>();
    policy.requiredMaterials.forEach((material, index) => {
      if (kinds.has(material.kind))
        report(ctx, ['requiredMaterials', index, 'kind'], `"${material.kind}" is listed twice`);
      kinds.add(material.kind);
    });

    const seen = new Map<string, string>();
    const visit = (node: Criterion, path: PolicyPath) => {
      const earlier = seen.get(node.rule);
      if (earlier) report(ctx, [...path, 'rule'], `"${node.rule}" is already used at ${earlier}`);
      else seen.set(node.rule, formatPolicyPath(path));
      const measures: [MeasureRef, PolicyPath][] = [];
      const bounds: [Bounds, PolicyPath][] = [];
      switch (node.kind) {
        case 'all':
        case 'any':
          node.children.forEach((child, i) => visit(child, [...path, node.kind, i]));
          break;
        case 'not':
          visit(node.child, [...path, 'not']);
          break;
        case 'band':
          measures.push([node.bandBy, [...path, 'bandBy']]);
          node.bands.forEach((band, i) => visit(band.require, [...path, 'bands', i, 'require']));
          break;
        case 'compare':
          measures.push([node.measure, path]);
          bounds.push([node.bounds, path]);
          break;
        case 'fact':
        case 'register':
          break;
      }
      for (const [bound, at] of bounds) {
        for (const [key, value] of Object.entries(bound) as [BoundKey, BoundValue][]) {
          if ('measure' in value) measures.push([value.measure, [...at, key]]);
          if ('setting' in value && !policy.financing) {
            report(ctx, [...at, key], `refers to ${value.setting} but the policy has no "financing" section`);
          }
        }
      }
      for (const [ref, at] of measures) {
        const definition: MeasureDefinition | undefined = MEASURES.get(ref.measure);
        if (definition?.needs === 'financing' && !policy.financing) {
          report(ctx, [...at, 'measure'], `"${ref.measure}" needs the policy's "financing" section`);
        }
        if (ref.measure === 'valuationCny' && policy.currencyRates.USD === undefined) {
          report(
            ctx,
            [...at, 'measure'],
            '"valuationCny" needs currencyRates.USD (valuations are often quoted in dollars)',
          );
        }
      }
    };
    policy.criteria.all.forEach((node, i) => visit(node, ['criteria', 'all', i]));
    if (policy.criteria.all.every((node) => !node.hard)) {
      report(ctx, ['criteria', 'all'], 'every rule is advisory: nothing would decide eligibility');
    }
  });

/** Validates a parsed YAML document as a policy. Pure: no file system, no clock. */
export function parsePolicy(raw: unknown): PolicyParseResult {
  const result = policySchema.safeParse(raw);
  if (!result.success) return { ok: false, issues: issuesFromZod(result.error, policySchema) };
  const { criteria, currencyRates, financing, ...rest } = result.data;
  return {
    ok: true,
    policy: { ...rest, currencyRates, ...(financing && { financing }), criteria: criteria.all },
  };
}
