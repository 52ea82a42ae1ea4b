/**
 * The `data` an enterprise files with an application (../shared/API.md, "Programme data"), as a
 * zod schema the API layer reuses for validation, and the evaluator's input.
 *
 * Money is integer yuan. Percentages are numbers (12.5 means 12.5%). A few optional fields go
 * beyond the contract's list because the default policies ask about them (marked "extension").
 */
import { isIsoDate } from '@engine/platform/calendar/iso-date';
import { z } from 'zod';

const MAX_YUAN = Number.MAX_SAFE_INTEGER;

/** Integer yuan, >= 0. */
export const yuanSchema = z.int().min(0).max(MAX_YUAN);
/** Integer yuan that may be negative (net profit). */
export const signedYuanSchema = z.int().min(-MAX_YUAN).max(MAX_YUAN);
export const isoDateSchema = z.string().refine(isIsoDate, 'must be a date YYYY-MM-DD');

export const financialYearSchema = z.strictObject({
  year: z.int().min(1900).max(2200),
  /** 营业收入 */
  revenue: yuanSchema,
  /** 主营业务收入 */
  mainBusinessRevenue: yuanSchema.optional(),
  /** 研发费用 */
  rdExpense: yuanSchema,
  /** 净利润 */
  netProfit: signedYuanSchema.optional(),
  /** 资产总额 */
  totalAssets: yuanSchema.optional(),
  /** 负债总额 */
  totalLiabilities: yuanSchema.optional(),
});

export const AWARD_KINDS = ['national-science-award', 'maker-china'] as const;
export type AwardKind = (typeof AWARD_KINDS)[number];

export const projectSchema = z.strictObject({
  name: z.string().trim().min(1).max(200),
  /** 项目总投资 */
  totalInvestment: yuanSchema.min(1),
  /** 其中固定资产投资 */
  fixedAssetInvestment: yuanSchema,
  /** 申请融资额 */
  requestedFinancing: yuanSchema,
  /** 融资期限（年） */
  termYears: z.number().positive().max(30),
});

/**
 * The object shape without cross-field checks, for `.partial()`, `.pick()` and friends
 * (zod refuses those on a refined schema). Validate submissions with {@link applicationDataSchema}.
 */
export const applicationDataObjectSchema = z.strictObject({
  financials: z.array(financialYearSchema).max(20),
  employees: z.int().min(0).max(10_000_000),
  rdStaff: z.int().min(0).max(10_000_000),
  ipRights: z.strictObject({
    /** I类知识产权 (invention patents and the like), granted and valid */
    classI: z.int().min(0).max(1_000_000),
    /** II类知识产权, granted and valid */
    classII: z.int().min(0).max(1_000_000),
    /** applications not yet granted */
    applied: z.int().min(0).max(1_000_000),
  }),
  valuation: z.strictObject({ amount: yuanSchema, currency: z.enum(['CNY', 'USD']) }).optional(),
  /** 近三年获得的风险投资 */
  ventureInvestment3y: yuanSchema.optional(),
  /** 从事细分市场年限 */
  nicheYears: z.number().min(0).max(200).optional(),
  /** 主导产品全国细分市场占有率, percent */
  nationalMarketShare: z.number().min(0).max(100).optional(),
  /** 自建或联合建立研发机构 */
  hasRdInstitution: z.boolean().optional(),
  /** 省级专精特新中小企业 */
  provincialSrdi: z
    .strictObject({ certificateNo: z.string().trim().min(1).max(64), validUntil: isoDateSchema })
    .optional(),
  negativeRecords: z.strictObject({
    /** 重大安全（含网络安全、数据安全）、质量、环境污染等事故 */
    majorAccident: z.boolean(),
    /** 严重失信行为 */
    seriousDishonesty: z.boolean(),
  }),
  creditRating: z.string().trim().min(1).max(16).optional(),
  project: projectSchema.optional(),
  /** extension: 战略性新兴产业领域企业 (eaglet and gazelle venture-capital paths) */
  emergingIndustry: z.boolean().optional(),
  /** extension: 近两年新增股权融资总额 (little giant, revenue under 50 million) */
  equityFinancing2y: yuanSchema.optional(),
  /** extension: 质量管理体系等管理体系认证 (little giant, refinement) */
  managementSystemCertified: z.boolean().optional(),
  /** extension: 至少一项核心业务采用信息系统支撑 (little giant, refinement) */
  coreProcessOnInformationSystem: z.boolean().optional(),
  /** extension: 拥有自主品牌 (little giant, distinctiveness) */
  ownBrand: z.boolean().optional(),
  /** extension: awards for fast tracks (国家级科技奖励 with the enterprise's rank; 创客中国 national rank) */
  awards: z
    .array(
      z.strictObject({
        kind: z.enum(AWARD_KINDS),
        year: z.int().min(1900).max(2200),
        rank: z.int().min(1).max(100_000),
      }),
    )
    .max(50)
    .optional(),
});

export const applicationDataSchema = applicationDataObjectSchema.superRefine((data, ctx) => {
  const seen = new Set<number>();
  data.financials.forEach((year, index) => {
    if (seen.has(year.year)) {
      ctx.addIssue({
        code: 'custom',
        path: ['financials', index, 'year'],
        message: `year ${year.year} appears twice`,
      });
    }
    seen.add(year.year);
    if (year.mainBusinessRevenue !== undefined && year.mainBusinessRevenue > year.revenue) {
      ctx.addIssue({
        code: 'custom',
        path: ['financials', index, 'mainBusinessRevenue'],
        message: 'main-business revenue cannot exceed revenue',
      });
    }
  });
  if (data.rdStaff > data.employees) {
    ctx.addIssue({ code: 'custom', path: ['rdStaff'], message: 'R&D staff cannot exceed employees' });
  }
  if (data.project && data.project.fixedAssetInvestment > data.project.totalInvestment) {
    ctx.addIssue({
      code: 'custom',
      path: ['project', 'fixedAssetInvestment'],
      message: 'fixed-asset investment cannot exceed total investment',
    });
  }
});

/** Whether a dotted path (`financials.rdExpense`) names a field of application data. */
export function isDataPath(path: string): boolean {
  let schema: z.ZodType = applicationDataObjectSchema;
  for (const key of path.split('.')) {
    for (;;) {
      if (schema instanceof z.ZodOptional || schema instanceof z.ZodNullable)
        schema = schema.unwrap() as z.ZodType;
      else if (schema instanceof z.ZodArray) schema = schema.element as z.ZodType;
      else break;
    }
    if (!(schema instanceof z.ZodObject)) return false;
    const shape = schema.shape as Record<string, z.ZodType>;
    if (!Object.prototype.hasOwnProperty.call(shape, key)) return false;
    schema = shape[key];
  }
  return true;
}

export type ApplicationData = z.infer<typeof applicationDataObjectSchema>;
export type FinancialYear = z.infer<typeof financialYearSchema>;
export type ProjectData = z.infer<typeof projectSchema>;

type DeepPartial<T> = T extends readonly (infer U)[]
  ? DeepPartial<U>[]
  : T extends object
    ? { [K in keyof T]?: DeepPartial<T[K]> }
    : T;

/**
 * What the evaluator accepts: anything from a half-filled draft to a full submission. Every
 * field a rule needs and does not find makes that rule fail with actual "missing"; nothing throws.
 */
export type ApplicationDataInput = DeepPartial<ApplicationData>;

export interface EnterpriseFacts {
  /** 成立日期, YYYY-MM-DD, from the enterprise record */
  establishedOn?: string;
  creditCode?: string;
}

/**
 * The reference registers (名录) an officer imports and a rule can require an entry of
 * (docs/policies.md, "Registers"):
 * - `national-high-tech`: national high-tech enterprises (国家高新技术企业), certificate GR…;
 * - `provincial-cultivation`: the province's high-tech enterprise cultivation pool (省高新技术企业培育库);
 * - `tech-sme`: technology-based SMEs (科技型中小企业), registration number per year.
 */
export const REGISTER_KINDS = ['national-high-tech', 'provincial-cultivation', 'tech-sme'] as const;
export type RegisterKind = (typeof REGISTER_KINDS)[number];

/**
 * An entry of an imported register, as the eligibility rules see it: which register, which
 * version of it (the SHA-256 of the imported file), the certificate and its validity.
 */
export interface RegisterEvidence {
  register: RegisterKind;
  /** The register version: SHA-256 (hex) of the file it was imported from. */
  version: string;
  /** The day the version was imported (YYYY-MM-DD, China). */
  importedOn: string;
  creditCode: string;
  name: string;
  certificateNumber: string;
  /** First and last day of validity, inclusive (YYYY-MM-DD). */
  validFrom: string;
  validUntil: string;
}

export interface EligibilityInput {
  enterprise: EnterpriseFacts;
  data: ApplicationDataInput | undefined;
  /** The day the application is judged for (its submission), YYYY-MM-DD. */
  applicationDate: string;
  /**
   * The enterprise's entries in the current versions of the registers the policy names (what
   * `register` rules check); absent or empty: no entry in any.
   */
  registers?: readonly RegisterEvidence[];
}
