/**
 * A policy version as the engine holds it after validation: plain, JSON-serialisable data.
 * The YAML form is documented in docs/policies.md; the schema is in policy-schema.ts.
 */
import type { AwardKind, RegisterKind } from './application-data';

export const PROGRAMMES = ['eaglet', 'gazelle', 'quasi-unicorn', 'little-giant', 'tech-retrofit'] as const;
export type Programme = (typeof PROGRAMMES)[number];

export const REVIEW_STAGES = ['district', 'city', 'expert-panel', 'finance-bureau', 'ministry'] as const;
export type ReviewStage = (typeof REVIEW_STAGES)[number];

/**
 * - `end-of-previous-year`: 31 December of the year before the application date (the usual
 *   "上年度" reading: age and prior-year figures are taken at that day).
 * - `application-date`: the application date itself.
 */
export const REFERENCE_DATE_RULES = ['end-of-previous-year', 'application-date'] as const;
export type ReferenceDateRule = (typeof REFERENCE_DATE_RULES)[number];

export const PANEL_COMPARISONS = ['>', '>='] as const;
export type PanelComparison = (typeof PANEL_COMPARISONS)[number];

export const CURRENCIES = ['USD'] as const;
export type ForeignCurrency = (typeof CURRENCIES)[number];

export interface Bilingual {
  zh: string;
  en: string;
}

export interface ExpertPanelSettings {
  /** Experts per panel. */
  size: number;
  /** The mean of the panel's integer scores is compared with this. */
  passThreshold: number;
  /** `>`: strictly above (national high-tech: "above 70", 70 fails); `>=`: at least. */
  comparison: PanelComparison;
  /** Working days an expert has to score before being reminded and replaced. */
  scoringWorkingDays: number;
  /** The pool drawn from must be at least this many times the panel size. */
  poolMultiple: number;
  minTechnicalSharePercent?: number;
  minFinancialExperts?: number;
  /**
   * The scoring sheet (评分表). When set, an expert scores each indicator, declares first that
   * they have no conflict of interest, and the engine computes the total; when absent, an
   * expert gives one integer score 0-100 (docs/policies.md).
   */
  scoring?: ScoringSheet;
  /**
   * Blind review: the fields of the application's `data` (dotted paths, e.g.
   * `financials.rdExpense`) an expert on the panel sees. Nothing else of the application is
   * shown to experts: no credit code, name or founding date, no figure not listed here.
   */
  expertSees: string[];
  /**
   * What the enterprise learns of its panel once the application is final (admitted, rejected,
   * failed or withdrawn): `none` (only the published mean), `scores` (each score, no names) or
   * `experts-and-scores`. While the review runs it learns nothing either way.
   */
  disclosure: PanelDisclosure;
}

export interface ScoringIndicator {
  /** Stable code, e.g. `innovation`. */
  code: string;
  label: Bilingual;
  /** Share of the total, in percent; the weights of a sheet add up to 100. */
  weight: number;
  /** The highest integer score an expert may give on this indicator. */
  maxScore: number;
}

export interface ScoringSheet {
  indicators: ScoringIndicator[];
}

/**
 * How a round's quota (名额) is filled at finalization when scores tie at the cut:
 * - `admit-all-tied`: every application tied with the last place is admitted (并列者同时入选),
 *   so the list may exceed the quota by the ties;
 * - `credit-code`: ties are ordered by unified social credit code, ascending, and the quota holds.
 */
export const QUOTA_TIE_BREAKS = ['admit-all-tied', 'credit-code'] as const;
export type QuotaTieBreak = (typeof QUOTA_TIE_BREAKS)[number];

export const PANEL_DISCLOSURES = ['none', 'scores', 'experts-and-scores'] as const;
export type PanelDisclosure = (typeof PANEL_DISCLOSURES)[number];

export interface WorkflowSettings {
  /** In order. */
  reviewStages: ReviewStage[];
  expertPanel?: ExpertPanelSettings;
  publicityWorkingDays: number;
  /** Working days an enterprise has to answer a return for more material. */
  responseDeadlineWorkingDays: number;
  validityYears: number;
  /** Years a successful re-review (复核) extends the membership by. */
  reReviewExtensionYears?: number;
  /** "MM-DD" each year, or null when members file no annual report. */
  annualReportDue: string | null;
  /** Years an enterprise is barred from applying after fraud or serious dishonesty. */
  banYearsAfterFraud: number;
  /** Months within which a major change (rename, merger, relocation) must be reported. */
  majorChangeReportMonths?: number;
  /** Admission to this list ends a membership of these lists with reason `promoted`. */
  promotesFrom?: Programme[];
  /** How ties at the quota's cut are broken (absent: admit-all-tied). */
  quotaTieBreak?: QuotaTieBreak;
}

/** The file types an application's materials may be, decided by their content (magic bytes). */
export const MATERIAL_MEDIA_TYPES = [
  'application/pdf',
  'application/ofd',
  'image/jpeg',
  'image/png',
] as const;
export type MaterialMediaType = (typeof MATERIAL_MEDIA_TYPES)[number];

/** One kind of material a programme asks for (docs/materials.md). */
export interface MaterialRequirement {
  /** Stable id, e.g. `business-licence`. */
  kind: string;
  label: Bilingual;
  /** Submit is refused while no file of this kind is attached. */
  required: boolean;
  mediaTypes: MaterialMediaType[];
  /** Experts on the panel may read files of this kind (blind review: none that name the enterprise). */
  visibleToExperts: boolean;
  note?: Bilingual;
}

export interface PromotionalRate {
  from: string;
  to: string;
  ratePercent: number;
}

export interface FinancingTerms {
  /** Absolute cap per project, yuan. */
  maxAmount: number;
  /** Cap as a share of the project's total investment, percent. */
  maxSharePercent: number;
  /** Fixed-asset part at most this share of total investment (and at most the fixed-asset investment). */
  maxFixedAssetSharePercent?: number;
  /** Working-capital part at most this share of total investment (and at most the non-fixed investment). */
  maxWorkingCapitalSharePercent?: number;
  /** Yearly rate the enterprise pays, percent. */
  ratePercent: number;
  promotionalRates?: PromotionalRate[];
  maxTermYears: number;
}

export const PERIOD_KINDS = ['latest', 'eachOfLast', 'averageOfLast', 'totalOfLast'] as const;
export type PeriodKind = (typeof PERIOD_KINDS)[number];
export type Period = { kind: 'latest' } | { kind: Exclude<PeriodKind, 'latest'>; years: number };

export const GROWTH_BASES = ['revenue', 'mainBusinessRevenue', 'netProfit'] as const;
export type GrowthBase = (typeof GROWTH_BASES)[number];

export const IP_CLASSES = ['classI', 'classII', 'applied'] as const;
export type IpClass = (typeof IP_CLASSES)[number];

export const DATE_POINTS = ['referenceDate', 'applicationDate'] as const;

export { REGISTER_KINDS, type RegisterEvidence, type RegisterKind } from './application-data';
export type DatePoint = (typeof DATE_POINTS)[number];

export interface MeasureParams {
  period?: Period;
  of?: GrowthBase;
  years?: number;
  classes?: IpClass[];
  kind?: AwardKind;
  withinYears?: number;
}

export interface MeasureRef {
  measure: string;
  params: MeasureParams;
}

export const SETTINGS = [
  'financing.maxAmount',
  'financing.maxSharePercent',
  'financing.maxTermYears',
] as const;
export type SettingPath = (typeof SETTINGS)[number];

export type BoundValue = { value: number } | { measure: MeasureRef } | { setting: SettingPath };

export const BOUND_KEYS = ['atLeast', 'moreThan', 'atMost', 'lessThan', 'equals'] as const;
export type BoundKey = (typeof BOUND_KEYS)[number];
export type Bounds = Partial<Record<BoundKey, BoundValue>>;

interface NodeBase {
  rule: string;
  label: Bilingual;
  /** false: advisory, reported but never deciding. */
  hard: boolean;
  /** Marks a fast-track alternative (直通条件) in the explanation. */
  fastTrack?: boolean;
  /** Where the rule comes from, e.g. a document and article. */
  source?: string;
  /** Shown to officers beside the rule. */
  note?: Bilingual;
}

export interface AllNode extends NodeBase {
  kind: 'all';
  children: Criterion[];
}
export interface AnyNode extends NodeBase {
  kind: 'any';
  children: Criterion[];
}
export interface NotNode extends NodeBase {
  kind: 'not';
  child: Criterion;
}
export interface CompareNode extends NodeBase {
  kind: 'compare';
  measure: MeasureRef;
  bounds: Bounds;
}
export interface FactNode extends NodeBase {
  kind: 'fact';
  fact: string;
  at?: DatePoint;
  is?: boolean;
  oneOf?: string[];
}
export interface Band {
  bounds: Bounds;
  label?: Bilingual;
  require: Criterion;
}
export interface BandNode extends NodeBase {
  kind: 'band';
  bandBy: MeasureRef;
  bands: Band[];
}

/**
 * A valid entry in one of the named registers on the day (`at`, default the application date):
 * evidence from the bureau's reference data instead of the enterprise's declaration.
 */
export interface RegisterNode extends NodeBase {
  kind: 'register';
  /** Any of these registers will do. */
  registers: RegisterKind[];
  at?: DatePoint;
}

export type Criterion = AllNode | AnyNode | NotNode | CompareNode | FactNode | BandNode | RegisterNode;

export interface Policy {
  /** `<programme>/<version>`, the file's path under policies/ without the extension. */
  id: string;
  programme: Programme;
  name: Bilingual;
  issuer: Bilingual;
  /** Dotted jurisdiction path of the issuer, e.g. `js.wuxi`, `fj.xiamen`, `cn`. */
  jurisdiction: string;
  /** Issuing document number, e.g. 锡科规〔2024〕218号; null when it was not recovered. */
  documentNumber: string | null;
  effectiveFrom: string;
  /** Last day in force (inclusive), or null while in force. */
  effectiveTo: string | null;
  referenceDate: ReferenceDateRule;
  /** Yuan per unit of a foreign currency, e.g. { USD: 7.1 }. */
  currencyRates: Partial<Record<ForeignCurrency, number>>;
  workflow: WorkflowSettings;
  financing?: FinancingTerms;
  /** The materials an application attaches; empty when the version names none. */
  requiredMaterials: MaterialRequirement[];
  /** All must hold (the root is an implicit "all"). */
  criteria: Criterion[];
}
