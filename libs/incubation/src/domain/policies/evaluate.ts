/**
 * The eligibility engine: a policy's criteria applied to an application, returned as an
 * explanation an officer can read as it stands, years later.
 *
 * Every rule yields a check {rule, label, passed, actual, required, hard, ...}, in the order of
 * the policy, each combinator followed by its children (`parent` names the combinator), so the
 * officer sees which alternative carried an "any". Logic is three-valued: a rule whose data is
 * missing is neither passed nor failed but unknown; it reports `passed: false`, actual "missing"
 * and the missing fields, and an unknown can never make a `not` pass.
 *
 * `hard` on a check means "binding": the check must pass for the enterprise to be eligible. It is
 * true for a hard rule whose ancestors are all hard "all" groups (the criteria root is one) or band
 * requirements; alternatives inside an "any" and the rule under a "not" are not binding on their
 * own (their group is). Hence `eligible` is exactly "every check with hard: true passed".
 */
import type { EligibilityInput } from './application-data';
import { latestFinancialYear, resolveReferenceDate } from './dates';
import { formatQuantity, formatThreshold, type Unit } from './format';
import {
  computeMeasure,
  type EvaluationContext,
  FACTS,
  MEASURES,
  type Observation,
  type Quantity,
  yesNo,
} from './measures';
import type {
  BandNode,
  Bilingual,
  BoundKey,
  Bounds,
  BoundValue,
  CompareNode,
  Criterion,
  FactNode,
  Period,
  Policy,
  Programme,
  RegisterKind,
  RegisterNode,
} from './policy-types';
import { Rational, type Sign } from './rational';

export interface EligibilityCheck {
  rule: string;
  label: Bilingual;
  passed: boolean;
  /** What the application shows, with units and the arithmetic; "missing" when data is absent. */
  actual: string;
  /** What the rule requires, with units and inclusive/exclusive bounds (≥ > ≤ <). */
  required: string;
  /** Binding: eligibility needs this check to pass (see the module comment). */
  hard: boolean;
  /** Declared advisory (or inside an advisory group): reported, never deciding. */
  advisory: boolean;
  kind: Criterion['kind'];
  /** The rule of the enclosing all / any / not / band. */
  parent?: string;
  fastTrack?: boolean;
  /** Fields whose absence left this rule undecided, e.g. "financials[2024].rdExpense". */
  missing?: string[];
  note?: Bilingual;
  source?: string;
}

export interface Eligibility {
  eligible: boolean;
  /** The policy version id, e.g. "eaglet/wuxi-2024". */
  policyVersion: string;
  programme: Programme;
  documentNumber: string | null;
  applicationDate: string;
  referenceDate: string;
  latestFinancialYear: number;
  checks: EligibilityCheck[];
}

/** The registers a policy's rules name (what a submission must look up). */
export function registersNamed(criteria: readonly Criterion[]): RegisterKind[] {
  const found = new Set<RegisterKind>();
  const visit = (node: Criterion): void => {
    if (node.kind === 'register') node.registers.forEach((r) => found.add(r));
    else if (node.kind === 'all' || node.kind === 'any') node.children.forEach(visit);
    else if (node.kind === 'not') visit(node.child);
    else if (node.kind === 'band') node.bands.forEach((band) => visit(band.require));
  };
  criteria.forEach(visit);
  return [...found];
}

type State = 'pass' | 'fail' | 'unknown';

export const MISSING = 'missing';

const SYMBOLS: Record<BoundKey, string> = {
  atLeast: '≥',
  moreThan: '>',
  atMost: '≤',
  lessThan: '<',
  equals: '=',
};
const BOUND_ORDER: BoundKey[] = ['equals', 'atLeast', 'moreThan', 'atMost', 'lessThan'];

// ---------------------------------------------------------------- quantities

/** The sign of (quantity - bound), exactly. */
export function compareQuantity(quantity: Quantity, bound: Rational): Sign {
  if (quantity.kind === 'exact') return quantity.value.compare(bound);
  // CAGR c = r^(1/n) - 1 against g%: c >= g  <=>  r >= (1 + g/100)^n, as x -> x^(1/n) is increasing.
  const base = Rational.ONE.add(bound.div(Rational.HUNDRED));
  if (base.sign() < 0) return 1;
  if (base.sign() === 0) return quantity.ratio.sign() === 0 ? 0 : 1;
  return quantity.ratio.compare(base.pow(quantity.years));
}

export function displayQuantity(quantity: Quantity, bounds: readonly Rational[] = []): string {
  if (quantity.kind === 'exact')
    return quantity.text ?? formatQuantity(quantity.value, quantity.unit, bounds);
  const equal = bounds.find((bound) => compareQuantity(quantity, bound) === 0);
  if (equal) return formatThreshold(equal, 'percent');
  const approximate = (Math.pow(quantity.ratio.toNumber(), 1 / quantity.years) - 1) * 100;
  for (let digits = 2; digits <= 12; digits++) {
    const shown = approximate.toFixed(digits);
    const rounded = Rational.parse(shown);
    const factor = Rational.ONE.add(rounded.div(Rational.HUNDRED));
    if (factor.sign() >= 0 && factor.pow(quantity.years).eq(quantity.ratio)) return `${shown}%`;
    if (bounds.every((bound) => rounded.compare(bound) === compareQuantity(quantity, bound)))
      return `≈ ${shown}%`;
  }
  return `≈ ${approximate.toFixed(12)}%`;
}

// ---------------------------------------------------------------- bounds

type ResolvedBound =
  | { ok: true; key: BoundKey; value: Rational; text: string }
  | { ok: false; key: BoundKey; missing: string[]; reason?: string; text: string };

function resolveBound(ctx: EvaluationContext, key: BoundKey, bound: BoundValue, unit: Unit): ResolvedBound {
  if ('value' in bound) {
    const value = Rational.parse(bound.value);
    return { ok: true, key, value, text: `${SYMBOLS[key]} ${formatThreshold(value, unit)}` };
  }
  if ('setting' in bound) {
    const terms = ctx.policy.financing;
    const raw =
      terms &&
      {
        'financing.maxAmount': terms.maxAmount,
        'financing.maxSharePercent': terms.maxSharePercent,
        'financing.maxTermYears': terms.maxTermYears,
      }[bound.setting];
    if (raw === undefined)
      return {
        ok: false,
        key,
        missing: [],
        reason: `本政策未规定 ${bound.setting}`,
        text: `${SYMBOLS[key]} ${bound.setting}`,
      };
    const value = Rational.parse(raw);
    return { ok: true, key, value, text: `${SYMBOLS[key]} ${formatThreshold(value, unit)}` };
  }
  const name = bound.measure.measure;
  const observations = computeMeasure(ctx, name, bound.measure.params);
  const observation = observations.length === 1 ? observations[0] : undefined;
  if (observation?.status === 'value' && observation.quantity.kind === 'exact') {
    const value = observation.quantity.value;
    const basis = observation.basis ? ` = ${observation.basis}` : '';
    return { ok: true, key, value, text: `${SYMBOLS[key]} ${formatQuantity(value, unit)} (${name}${basis})` };
  }
  const missing = observation?.status === 'missing' ? observation.missing : [];
  const reason = observation?.status === 'unavailable' ? observation.reason : undefined;
  return { ok: false, key, missing, reason, text: `${SYMBOLS[key]} ${name} (${reason ?? MISSING})` };
}

function satisfies(sign: Sign, key: BoundKey): boolean {
  switch (key) {
    case 'atLeast':
      return sign >= 0;
    case 'moreThan':
      return sign > 0;
    case 'atMost':
      return sign <= 0;
    case 'lessThan':
      return sign < 0;
    case 'equals':
      return sign === 0;
  }
}

function resolveBounds(ctx: EvaluationContext, bounds: Bounds, unit: Unit): ResolvedBound[] {
  return BOUND_ORDER.filter((key) => bounds[key] !== undefined).map((key) =>
    resolveBound(ctx, key, bounds[key]!, unit),
  );
}

/** "≥ 20,000,000 元 且 < 50,000,000 元" */
export function describeBounds(bounds: Bounds, unit: Unit): string {
  return BOUND_ORDER.filter((key) => bounds[key] !== undefined)
    .map((key) => {
      const bound = bounds[key]!;
      if ('value' in bound) return `${SYMBOLS[key]} ${formatThreshold(Rational.parse(bound.value), unit)}`;
      return `${SYMBOLS[key]} ${'setting' in bound ? bound.setting : bound.measure.measure}`;
    })
    .join(' 且 ');
}

function periodPrefix(period: Period | undefined, latestYear: number): string {
  if (!period || period.kind === 'latest') return '';
  const range = `${latestYear - period.years + 1}–${latestYear}`;
  return period.kind === 'eachOfLast'
    ? `${range} 每年 `
    : period.kind === 'averageOfLast'
      ? `${range} 平均 `
      : `${range} 合计 `;
}

// ---------------------------------------------------------------- nodes

interface Walk {
  ctx: EvaluationContext;
  checks: EligibilityCheck[];
}

interface Position {
  parent?: string;
  binding: boolean;
  advisory: boolean;
}

interface Outcome {
  state: State;
  actual: string;
  required: string;
  missing?: string[];
}

function describeObservation(observation: Observation, bounds: Rational[], withLabel: boolean): string {
  const label = withLabel && observation.label ? `${observation.label}: ` : '';
  switch (observation.status) {
    case 'missing':
      return `${label}${MISSING}`;
    case 'unavailable':
      return `${label}${observation.reason}`;
    case 'value': {
      const shown = displayQuantity(observation.quantity, bounds);
      if (withLabel) return `${label}${shown}${observation.basis ? ` (${observation.basis})` : ''}`;
      const year = observation.basis?.includes(`${observation.label}:`) ? undefined : observation.label;
      const context = [year, observation.basis].filter(Boolean).join(': ');
      return context ? `${shown} (${context})` : shown;
    }
  }
}

function and(states: State[]): State {
  return states.includes('fail') ? 'fail' : states.includes('unknown') ? 'unknown' : 'pass';
}

function evaluateCompare(walk: Walk, node: CompareNode): Outcome {
  const definition = MEASURES.get(node.measure.measure);
  const unit: Unit = definition?.unit ?? 'number';
  const resolved = resolveBounds(walk.ctx, node.bounds, unit);
  const required =
    periodPrefix(node.measure.params.period, walk.ctx.latestYear) + resolved.map((b) => b.text).join(' 且 ');
  const observations = computeMeasure(walk.ctx, node.measure.measure, node.measure.params);
  const boundValues = resolved.flatMap((b) => (b.ok ? [b.value] : []));
  const boundMissing = resolved.flatMap((b) => (b.ok ? [] : b.missing));
  const boundUnavailable = resolved.some((b) => !b.ok && b.reason !== undefined);
  const states = observations.map((observation): State => {
    if (observation.status === 'missing') return 'unknown';
    if (observation.status === 'unavailable') return 'fail';
    const results = resolved.map((b) =>
      b.ok ? satisfies(compareQuantity(observation.quantity, b.value), b.key) : undefined,
    );
    if (results.includes(false)) return 'fail';
    if (boundUnavailable) return 'fail';
    return results.includes(undefined) ? 'unknown' : 'pass';
  });
  const missing = [
    ...observations.flatMap((o) => (o.status === 'missing' ? o.missing : [])),
    ...boundMissing,
  ];
  const allMissing = observations.every((o) => o.status === 'missing');
  const actual = allMissing
    ? MISSING
    : observations.length === 1
      ? describeObservation(observations[0], boundValues, false)
      : observations.map((o) => describeObservation(o, boundValues, true)).join('; ');
  return {
    state: and(states),
    actual,
    required,
    ...(missing.length > 0 && { missing: [...new Set(missing)] }),
  };
}

function evaluateFact(walk: Walk, node: FactNode): Outcome {
  const definition = FACTS.get(node.fact)!;
  const observation = definition.read(walk.ctx, node.at ?? 'referenceDate');
  const dated = definition.dated ? ` (${node.at === 'applicationDate' ? '申请日' : '基准日'})` : '';
  const required = node.oneOf ? `∈ {${node.oneOf.join(', ')}}` : `${yesNo(node.is ?? true)}${dated}`;
  if (observation.status === 'missing')
    return { state: 'unknown', actual: MISSING, required, missing: observation.missing };
  const passed =
    node.oneOf !== undefined
      ? node.oneOf.some((option) => option.toUpperCase() === String(observation.value).toUpperCase())
      : observation.value === node.is;
  return { state: passed ? 'pass' : 'fail', actual: observation.text, required };
}

/** 国家高新技术企业 etc., as the explanation names a register. */
export const REGISTER_NAMES: Record<RegisterKind, string> = {
  'national-high-tech': '国家高新技术企业名录',
  'provincial-cultivation': '省高新技术企业培育库',
  'tech-sme': '科技型中小企业名录',
};

/**
 * A valid entry of one of the named registers on the day: passes citing the entry (register,
 * certificate number, validity, the register version it was read from); an entry outside its
 * validity fails citing it; no entry fails. Never unknown: the register is the bureau's data,
 * and absence from it is a fact.
 */
function evaluateRegister(walk: Walk, node: RegisterNode): Outcome {
  const day = node.at === 'referenceDate' ? walk.ctx.referenceDate : walk.ctx.applicationDate;
  const required =
    `${node.registers.map((r) => REGISTER_NAMES[r]).join(' 或 ')} 有效条目` +
    `（${node.at === 'referenceDate' ? '基准日' : '申请日'} ${day}）`;
  const entries = walk.ctx.registers.filter((e) => node.registers.includes(e.register));
  const cite = (e: (typeof entries)[number]) =>
    `${REGISTER_NAMES[e.register]} 证书编号 ${e.certificateNumber}，有效期 ${e.validFrom} 至 ${e.validUntil}` +
    `（名录版本 sha256:${e.version.slice(0, 12)}，${e.importedOn} 导入）`;
  const valid = entries.find((e) => e.validFrom <= day && day <= e.validUntil);
  if (valid) return { state: 'pass', actual: cite(valid), required };
  if (entries.length > 0)
    return { state: 'fail', actual: `不在有效期内：${entries.map(cite).join('；')}`, required };
  return { state: 'fail', actual: '名录中无此企业 (no entry)', required };
}

function combinatorOutcome(kind: 'all' | 'any', children: { node: Criterion; state: State }[]): Outcome {
  const counted = children.filter((c) => c.node.hard);
  const passed = counted.filter((c) => c.state === 'pass');
  const unknown = counted.filter((c) => c.state === 'unknown');
  const n = counted.length;
  if (kind === 'all') {
    const state = and(counted.map((c) => c.state));
    const gap = unknown.length > 0 ? `，${unknown.length} 项缺数据 (missing)` : '';
    return { state, actual: `${passed.length}/${n} 满足${gap}`, required: `全部 ${n} 项满足 (all of ${n})` };
  }
  const state: State = passed.length > 0 ? 'pass' : unknown.length > 0 ? 'unknown' : 'fail';
  const actual =
    passed.length > 0
      ? `满足：${passed.map((c) => c.node.rule).join('、')}`
      : unknown.length > 0
        ? `无一满足，${unknown.length} 项缺数据 (missing)`
        : '无一满足 (none)';
  return { state, actual, required: `至少 1 项满足 (any of ${n})` };
}

function evaluateBand(walk: Walk, node: BandNode, position: Position): Outcome {
  const definition = MEASURES.get(node.bandBy.measure);
  const unit: Unit = definition?.unit ?? 'number';
  const observations = computeMeasure(walk.ctx, node.bandBy.measure, node.bandBy.params);
  const observation = observations[0];
  const bandsText = node.bands.map((band) => `[${describeBounds(band.bounds, unit)}]`).join(' / ');
  const required = `按${definition?.description.zh ?? node.bandBy.measure}所在档位 ${bandsText} 的要求`;
  if (!observation || observation.status === 'missing') {
    return {
      state: 'unknown',
      actual: MISSING,
      required,
      missing: observation?.status === 'missing' ? observation.missing : [],
    };
  }
  if (observation.status === 'unavailable') return { state: 'fail', actual: observation.reason, required };
  const quantity = observation.quantity;
  const band = node.bands.find((candidate) =>
    (Object.entries(candidate.bounds) as [BoundKey, BoundValue][]).every(
      ([key, bound]) =>
        'value' in bound && satisfies(compareQuantity(quantity, Rational.parse(bound.value)), key),
    ),
  );
  const shown = describeObservation(observation, [], false);
  if (!band) return { state: 'fail', actual: `${shown}，不在任何档位 (in no band)`, required };
  const state = evaluateNode(walk, band.require, {
    parent: node.rule,
    binding: position.binding && node.hard,
    advisory: position.advisory || !node.hard,
  });
  const bandName = band.label ? band.label.zh : describeBounds(band.bounds, unit);
  return {
    state,
    actual: `${shown} → 档位 ${bandName}：${band.require.rule} ${state === 'pass' ? '满足' : state === 'fail' ? '不满足' : '缺数据'}`,
    required,
  };
}

function evaluateNode(walk: Walk, node: Criterion, position: Position): State {
  const index = walk.checks.length;
  walk.checks.push(undefined as unknown as EligibilityCheck);
  const advisory = position.advisory || !node.hard;
  const binding = position.binding && node.hard;
  const below = (childBinding: boolean): Position => ({ parent: node.rule, binding: childBinding, advisory });
  let outcome: Outcome;
  switch (node.kind) {
    case 'all':
    case 'any': {
      const children = node.children.map((child) => ({
        node: child,
        state: evaluateNode(walk, child, below(node.kind === 'all' && binding)),
      }));
      outcome = combinatorOutcome(node.kind, children);
      break;
    }
    case 'not': {
      const state = evaluateNode(walk, node.child, below(false));
      const rule = node.child.rule;
      outcome = {
        state: state === 'pass' ? 'fail' : state === 'fail' ? 'pass' : 'unknown',
        actual: state === 'pass' ? `${rule} 满足` : state === 'fail' ? `${rule} 不满足` : MISSING,
        required: `${rule} 不满足 (not)`,
      };
      break;
    }
    case 'compare':
      outcome = evaluateCompare(walk, node);
      break;
    case 'fact':
      outcome = evaluateFact(walk, node);
      break;
    case 'band':
      outcome = evaluateBand(walk, node, position);
      break;
    case 'register':
      outcome = evaluateRegister(walk, node);
      break;
  }
  walk.checks[index] = {
    rule: node.rule,
    label: node.label,
    passed: outcome.state === 'pass',
    actual: outcome.actual,
    required: outcome.required,
    hard: binding,
    advisory,
    kind: node.kind,
    ...(position.parent !== undefined && { parent: position.parent }),
    ...(node.fastTrack && { fastTrack: true }),
    ...(outcome.missing && outcome.missing.length > 0 && { missing: outcome.missing }),
    ...(node.note && { note: node.note }),
    ...(node.source && { source: node.source }),
  };
  return outcome.state;
}

export function createEvaluationContext(policy: Policy, input: EligibilityInput): EvaluationContext {
  const referenceDate = resolveReferenceDate(policy.referenceDate, input.applicationDate);
  return {
    policy,
    enterprise: input.enterprise ?? {},
    data: input.data !== null && typeof input.data === 'object' ? input.data : {},
    applicationDate: input.applicationDate,
    referenceDate,
    latestYear: latestFinancialYear(referenceDate),
    registers: input.registers ?? [],
  };
}

/**
 * Judges an application by a policy version. Never throws on missing or malformed data (those
 * rules fail with actual "missing"); throws RangeError only for an application date that is not
 * a date, which is the caller's error, not the enterprise's.
 */
export function evaluateEligibility(policy: Policy, input: EligibilityInput): Eligibility {
  const ctx = createEvaluationContext(policy, input);
  const walk: Walk = { ctx, checks: [] };
  const states = policy.criteria.map((node) => ({
    node,
    state: evaluateNode(walk, node, { binding: true, advisory: false }),
  }));
  const eligible = states.every(({ node, state }) => !node.hard || state === 'pass');
  return {
    eligible,
    policyVersion: policy.id,
    programme: policy.programme,
    documentNumber: policy.documentNumber,
    applicationDate: ctx.applicationDate,
    referenceDate: ctx.referenceDate,
    latestFinancialYear: ctx.latestYear,
    checks: walk.checks,
  };
}
