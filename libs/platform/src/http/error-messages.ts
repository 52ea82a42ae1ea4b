import Negotiator from 'negotiator';
import type { Locale } from '../labels/labels';
import type { ErrorResponse } from './error-response';
import { validationMessageZh } from './validation-messages';

/**
 * The Chinese message of every error code (shared/API.md: `message` in zh-CN unless
 * Accept-Language prefers English; `code` never changes). The English message is the one the
 * code that refused wrote, with its particulars; the Chinese one says the same per code.
 */
export const ERROR_MESSAGES_ZH: Record<string, string> = {
  // Generic, by status
  BAD_REQUEST: '请求有误',
  VALIDATION_FAILED: '请求内容未通过校验，请按 details 逐项更正',
  UNAUTHENTICATED: '需要有效的登录凭证',
  FORBIDDEN: '无权执行此操作',
  NOT_FOUND: '找不到请求的资源',
  CONFLICT: '当前状态下不能执行此操作',
  PRECONDITION_FAILED: '数据已被他人更新（If-Match 版本已过期），请刷新后重试',
  PAYLOAD_TOO_LARGE: '请求体过大',
  UNSUPPORTED_MEDIA_TYPE: '不支持的内容类型：接口请求请以 JSON 提交，材料文件请以 multipart/form-data 上传',
  BUSINESS_RULE_VIOLATED: '不符合业务规则',
  RATE_LIMITED: '请求过于频繁，请稍后再试',
  INTERNAL_ERROR: '服务器内部错误',
  EVENT_STORE_UNAVAILABLE: '事件库暂不可用，本次操作未被记录，请稍后重试',
  READ_MODEL_REBUILDING: '查询视图正在按新版本重建，暂不能提供此列表，请稍后重试',
  QUEUE_UNAVAILABLE: '任务队列暂不可用，请稍后重试',
  IDEMPOTENCY_KEY_REUSED: '同一个 Idempotency-Key 已用于内容不同的请求',
  CONCURRENT_UPDATES: '数据正被同时修改，请稍后重试',
  CLOCK_NOT_MANUAL: '引擎时钟不是手动时钟（CLOCK=manual），不能设置时间',
  // Documents, materials, calendar, scoring sheet and integrity (added when the branches met)
  ALREADY_DECLARED: '已就利益冲突作出声明，不能重复声明',
  CALENDAR_PROVISIONAL: '公示截止日按未发布的节假日安排推算，须安装当年节假日安排或确认按暂定日期开始',
  DOCUMENT_NOT_FOUND: '该时点尚无此文件',
  DOCUMENT_NUMBER_INVALID: '文号格式不正确（如：锡科发〔2026〕12号），年份须为发文年份',
  DOCUMENT_NUMBER_TAKEN: '该文号已被使用',
  EXPORT_REFUSED: '事件库的哈希链或材料文件已损坏，未导出任何内容，请先核验',
  FINANCING_OVER_REQUEST: '核定融资额不得超过企业申请额',
  // Funds (专项资金) and allocations
  FUND_NOT_FOUND: '找不到该专项资金',
  FUND_EXISTS: '该专项资金已设立',
  FUND_AMOUNT_INVALID: '金额须为正整数（元）',
  FUND_BUDGET_EXCEEDED: '安排金额超过专项资金剩余额度',
  ALLOCATION_EXISTS: '该笔资金安排已登记',
  ALLOCATION_NOT_FOUND: '找不到该笔资金安排',
  RECIPIENT_NOT_ADMITTED: '支持对象须为入库资格有效的企业',
  RECIPIENT_OUTSIDE_FUND: '支持对象不在该专项资金的辖区内',
  RECIPIENT_PROGRAMME_NOT_COVERED: '该专项资金不支持此类入库企业',
  PAYMENT_DOCUMENT_RECORDED: '该批复文号的拨付已登记',
  PAYMENT_EXCEEDS_ALLOCATION: '拨付金额超过该笔资金安排的未拨付额',
  FINANCING_NOT_APPROVED: '该申报尚无财政局核定的融资（须为财政局同意的技改项目）',
  INVALID_JSON: '请求体不是有效的 JSON',
  MATERIALS_MISSING: '必需的申报材料尚未上传',
  MATERIAL_EXISTS: '该材料已上传',
  MATERIAL_FILE_MISSING: '材料文件缺失',
  EVIDENCE_FILE_UNKNOWN: '找不到已上传的证据文件，请重新上传',
  EVIDENCE_FILE_NOT_FOUND: '找不到该证据文件',
  MATERIAL_KIND_UNKNOWN: '政策未列明此材料类别',
  MATERIAL_NOT_FOUND: '找不到该材料',
  NOTICE_NUMBERED: '入库通知已有文号',
  NOT_FINALIZED: '批次尚未确定最终名单',
  NO_SCORING_SHEET: '该政策没有评分表',
  PROJECT_INCOMPLETE: '项目信息不完整',
  RATE_NOT_POLICY: '企业利率与政策规定不符',
  REASON_REQUIRED: '请填写理由',
  SCORE_COMPUTED: '总分由系统按评分表计算，请逐项打分',
  TOO_MANY_STREAMS: '同时打开的实时连接过多，请关闭一些页面后再试',
  WINDOW_IMPLAUSIBLE: '申报起止时间不合理',
  // Sign-in, sessions and accounts
  SIGN_IN_FAILED: '账号或密码不正确',
  SIGN_IN_LOCKED: '登录失败次数过多，请稍后再试',
  ACCOUNT_DISABLED: '该账号已停用，请联系管理员',
  NO_ACCOUNT: '没有与此身份对应的账号，请联系管理员开通',
  CSRF_REFUSED: '请求未通过跨站校验，请从系统页面重新操作',
  SESSION_ENDED: '会话已结束，请重新登录',
  WRONG_PASSWORD: '当前密码不正确',
  RESET_LINK_INVALID: '该重置链接已失效',
  WEAK_PASSWORD: '密码不符合要求：至少 10 个字符，不能与登录名相同，也不能是常见密码',
  LOGIN_TAKEN: '该登录名已被使用',
  ACCOUNT_EXISTS: '该账号编号已存在',
  ROLE_CHANGE_REFUSED: '企业账号不能改为其他角色，请另建账号',
  TOTP_NOT_STARTED: '请先开始绑定身份验证器',
  SELF_DISABLE: '管理员不能停用自己的账号',
  TOTP_REQUIRED: '请输入身份验证器中的动态码',
  TOTP_INVALID: '动态码不正确或已使用过，请核对手机时间',
  TOTP_ENABLED: '已绑定第二验证因素，请先解除',
  TOTP_ENROLMENT_REQUIRED: '该角色须先绑定身份验证器',
  TOTP_MANDATORY: '该角色必须保留第二验证因素',
  OIDC_NOT_CONFIGURED: '本系统未配置统一身份认证登录',
  OIDC_STATE_INVALID: '本次登录已过期或已使用，请重新点击“统一身份认证登录”',
  OIDC_FAILED: '统一身份认证未确认本次登录，请重试；如仍不能登录，请联系本局系统管理员',
  OIDC_UNAVAILABLE: '暂时无法连接统一身份认证服务，请稍后再试，或使用账号密码登录',
  OIDC_NO_ROLE: '您的统一身份认证账号在本系统没有可用的角色或辖区，请联系本局系统管理员开通',
  OIDC_PROVIDER_REFUSED:
    '统一身份认证平台未同意本次登录（如已取消授权），请重试；如仍不能登录，请联系本局系统管理员',
  // Not found
  APPLICATION_NOT_FOUND: '找不到该申报',
  ENTERPRISE_NOT_FOUND: '找不到该企业',
  ROUND_NOT_FOUND: '找不到该批次',
  MEMBERSHIP_NOT_FOUND: '找不到该入库资格',
  OBJECTION_NOT_FOUND: '找不到该异议',
  WEBHOOK_NOT_FOUND: '找不到该 Webhook',
  NOTIFICATION_NOT_FOUND: '找不到该通知',
  FAILED_JOB_NOT_FOUND: '找不到该失败的通知任务',
  PARKED_EVENT_NOT_FOUND: '找不到该搁置事件',
  // Registration and rounds
  ENTERPRISE_EXISTS: '该企业已登记',
  ENTERPRISE_NOT_REGISTERED: '企业尚未登记',
  ENTERPRISE_BANNED: '该企业因失信处于禁止申报期内',
  ESTABLISHED_IN_FUTURE: '成立日期不能晚于今天',
  EXPERT_EXISTS: '该专家已登记',
  ROUND_EXISTS: '该批次已存在',
  ROUND_NOT_OPEN: '批次未开放申报',
  ROUND_CLOSED: '批次已截止申报',
  ROUND_NOT_CLOSED: '批次尚未截止申报',
  ROUND_FINALIZED: '批次已公布最终名单',
  WINDOW_INVALID: '申报时间窗口无效：截止时间须晚于开始时间',
  WINDOW_IN_PAST: '申报截止时间已过',
  NO_POLICY_IN_FORCE: '该日期没有生效的政策版本',
  WRONG_PROGRAMME: '此操作不适用于该培育类别',
  TERM_TOO_LONG: '期限超过政策允许的上限',
  FINANCING_OVER_CAP: '申请融资额超过政策上限',
  // Applications and reviews
  APPLICATION_EXISTS: '该企业在本批次已有申报',
  NOT_EDITABLE: '申报只有在草稿或被退回时才能修改',
  NOT_SUBMITTABLE: '当前状态下不能提交申报',
  NOT_ELIGIBLE: '申报不符合硬性条件，详见 explanation',
  OUTSIDE_ROUND_WINDOW: '不在批次的申报时间内',
  NOT_UNDER_REVIEW: '申报不在审核中',
  WRONG_STAGE: '审核阶段不对',
  RESPOND_BY_INVALID: '补正期限无效',
  RESPONSE_DEADLINE_PASSED: '补正期限已过',
  NOT_IN_EXPERT_REVIEW: '申报不在专家评审阶段',
  NO_EXPERT_PANEL: '尚未抽取专家组',
  PANEL_EXISTS: '已抽取专家组',
  PANEL_TOO_SMALL: '专家组人数不足',
  EXPERT_POOL_TOO_SMALL: '无利益冲突的可用专家不足',
  EXPERT_POOL_EXHAUSTED: '可用专家已抽完',
  EXPERT_NOT_OVERDUE: '该专家未超过评分期限，或已评分、已被替换',
  NOT_ON_PANEL: '您不在该申报的专家组中',
  ALREADY_SCORED: '您已为该申报评分',
  SCORE_INVALID: '评分无效',
  NOT_AWAITING_FINANCE: '申报不在等待财政意见的阶段',
  NOT_AWAITING_MINISTRY: '申报不在等待部里认定的阶段',
  NOT_NATIONAL: '此操作仅适用于国家级专精特新“小巨人”',
  NO_FINANCING: '该项目没有申请融资',
  NOT_ADMISSIBLE: '申报当前不能入库',
  // Publicity and objections
  NO_PUBLICITY: '批次尚未公示',
  STARTS_ON_INVALID: '公示开始日期无效',
  PUBLICITY_EXISTS: '批次已在公示',
  PUBLICITY_RUNNING: '公示期尚未结束',
  NOTHING_TO_PUBLICISE: '没有可以公示的申报',
  OUTSIDE_PUBLICITY: '不在公示期内',
  NOT_ON_PROPOSED_LIST: '该申报不在拟入库名单中',
  OBJECTOR_ANONYMOUS: '异议须实名提出：请填写姓名、身份证号和电话',
  OBJECTION_OPEN: '尚有未处理的异议',
  OBJECTION_RESOLVED: '该异议已处理',
  // Reference registers
  REGISTER_NOT_FOUND: '找不到该名录，或尚未导入',
  REGISTER_FILE_INVALID: '名录文件有误：请按 details 中的行号修改后重新导入',
  FILE_TOO_LARGE: '文件超过允许的大小',
  REGISTER_EMPTY: '名录文件没有数据行',
  REGISTER_UNCHANGED: '该文件已是名录的当前版本',
  REGISTER_OUTSIDE_JURISDICTION: '名录中有企业的所属地区不在您的辖区内',
  // Memberships
  MEMBERSHIP_EXITED: '该入库资格已退出',
  MEMBERSHIP_NOT_ACTIVE: '该入库资格不在有效期内',
  ANNUAL_REPORT_FILED: '该年度报告已提交',
  NO_ANNUAL_REPORT: '缺少年度报告',
  RE_REVIEW_RIGHT_LOST: '已丧失复核资格',
};

const BY_STATUS_ZH: Record<number, string> = {
  400: ERROR_MESSAGES_ZH.BAD_REQUEST,
  401: ERROR_MESSAGES_ZH.UNAUTHENTICATED,
  403: ERROR_MESSAGES_ZH.FORBIDDEN,
  404: ERROR_MESSAGES_ZH.NOT_FOUND,
  409: ERROR_MESSAGES_ZH.CONFLICT,
  412: ERROR_MESSAGES_ZH.PRECONDITION_FAILED,
  413: ERROR_MESSAGES_ZH.PAYLOAD_TOO_LARGE,
  415: ERROR_MESSAGES_ZH.UNSUPPORTED_MEDIA_TYPE,
  422: ERROR_MESSAGES_ZH.BUSINESS_RULE_VIOLATED,
  429: ERROR_MESSAGES_ZH.RATE_LIMITED,
  503: '服务暂不可用，请稍后重试',
};

/** The caller's language from Accept-Language: English when it prefers it, Chinese otherwise. */
export function negotiateLocale(acceptLanguage: string | string[] | undefined): Locale {
  if (!acceptLanguage) return 'zh-CN';
  const header = Array.isArray(acceptLanguage) ? acceptLanguage.join(',') : acceptLanguage;
  const chosen = new Negotiator({ headers: { 'accept-language': header } }).language(['zh-CN', 'zh', 'en']);
  return chosen === 'en' ? 'en' : 'zh-CN';
}

/**
 * The error body in the caller's language: the message is Chinese (by code, else by status)
 * unless English is preferred, and so is each detail's message (validation-messages.ts); the
 * code, status and the details' fields are untouched.
 */
/** How a media type is named to a person. */
const MEDIA_NAMES: Record<string, string> = {
  'application/pdf': 'PDF',
  'application/ofd': 'OFD',
  'image/jpeg': 'JPEG',
  'image/png': 'PNG',
};

/**
 * Whether a message is Chinese prose (a refusing code wrote it in Chinese, particulars
 * included), not English prose quoting a Chinese label: more Han characters than Latin letters.
 */
function isChinese(message: string): boolean {
  const han = message.match(/\p{Script=Han}/gu)?.length ?? 0;
  const latin = message.match(/[A-Za-z]/g)?.length ?? 0;
  return han > latin;
}

/** The Chinese message of a code that carries its particulars in the body, or undefined. */
function withParticulars(body: ErrorResponse): string | undefined {
  if (body.code === 'WEAK_PASSWORD' && body.details?.[0]) {
    const reason = validationMessageZh(body.details[0].message);
    if (reason) return `密码不符合要求：${reason}`;
  }
  if (body.code === 'MATERIALS_MISSING') {
    const missing = (body.explanation as { missing?: { label?: { zh?: string } }[] } | undefined)?.missing;
    const labels = (missing ?? []).map((m) => m.label?.zh).filter((l): l is string => typeof l === 'string');
    if (labels.length) return `必需的申报材料尚未上传：${labels.join('、')}`;
  }
  if (body.code === 'UNSUPPORTED_MEDIA_TYPE') {
    const accepted = (body.limits as { accepted?: string[] } | undefined)?.accepted;
    if (accepted?.length)
      return `文件类型不符合要求（按文件内容识别，而非文件名），此类材料只接受：${accepted.map((t) => MEDIA_NAMES[t] ?? t).join('、')}`;
  }
  return undefined;
}

export function localizeError(body: ErrorResponse, locale: Locale): ErrorResponse {
  if (locale === 'en') return body;
  const details = body.details?.map((d) => ({ ...d, message: validationMessageZh(d.message) ?? d.message }));
  const localized = details ? { ...body, details } : body;
  // The refusing code wrote Chinese itself, with its particulars: that says more than the
  // per-code message.
  if (isChinese(body.message)) return localized;
  let message =
    withParticulars(body) ??
    ERROR_MESSAGES_ZH[body.code] ??
    BY_STATUS_ZH[body.statusCode] ??
    ERROR_MESSAGES_ZH.INTERNAL_ERROR;
  const retry = body.code === 'RATE_LIMITED' ? /retry in (\d+) s/.exec(body.message) : null;
  if (retry) message = `请求过于频繁，请在 ${retry[1]} 秒后重试`;
  return { ...localized, message };
}
