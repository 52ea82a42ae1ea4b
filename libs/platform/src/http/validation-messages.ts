/**
 * The Chinese wording of a validation detail (`details[].message` of a 400 VALIDATION_FAILED).
 *
 * The English messages come from class-validator's decorators and from our own validators
 * (text, credit code, jurisdiction, dates, document numbers, the If-Match and Idempotency-Key
 * headers). They are matched here by their fixed wording, the property name class-validator
 * puts in front of some of them stripped, and said again in Chinese with their particulars
 * (lengths, bounds, the allowed values). A message matching none is left in English: better
 * an English particular than a Chinese generality. `validation-messages.spec.ts` walks every
 * message our DTOs can produce.
 */
type Rule = [RegExp, (m: RegExpExecArray) => string];

const RULES: Rule[] = [
  [/^must be a string$/, () => '须为文本'],
  [/^must be an integer number$/, () => '须为整数'],
  [/^must be a number conforming to the specified constraints$/, () => '须为数字'],
  [/^must be a boolean value$/, () => '须为 true 或 false'],
  [/^must be an object$/, () => '须为对象'],
  [/^nested property \S+ must be either object or array$/, () => '须为对象或数组'],
  [/^must be an array$/, () => '须为数组'],
  [/^must be an email$/, () => '须为有效的电子邮箱地址'],
  [/^must be a URL address$/, () => '须为有效的网址'],
  [/^must be a UUID$/, () => '须为有效的 UUID'],
  [/^must be one of the following values: (.*)$/, (m) => `须为以下之一：${m[1]}`],
  [/^must not be less than (\S+)$/, (m) => `不得小于 ${m[1]}`],
  [/^must not be greater than (\S+)$/, (m) => `不得大于 ${m[1]}`],
  [/^must be longer than or equal to (\d+) characters$/, (m) => `长度不得少于 ${m[1]} 个字符`],
  [/^must be shorter than or equal to (\d+) characters$/, (m) => `长度不得超过 ${m[1]} 个字符`],
  [/^must contain no more than (\d+) elements$/, (m) => `最多 ${m[1]} 项`],
  [/^must contain at least (\d+) elements$/, (m) => `至少 ${m[1]} 项`],
  [/^must match .+ regular expression$/, () => '格式不正确'],
  [/^should not be empty$/, () => '不能为空'],
  [/^should not be null or undefined$/, () => '必须填写'],
  [/^property (\S+) should not exist$/, (m) => `不允许的字段 ${m[1]}`],
  [/^an unknown value was passed to the validate function$/, () => '请求内容无法识别'],
  // IsText (apps/api/src/http/text.ts)
  [/^must be (\d+) characters \(is (\d+)\)$/, (m) => `须为 ${m[1]} 个字符（现为 ${m[2]} 个）`],
  [
    /^must be (\d+) to (\d+) characters \(is (\d+)\)$/,
    (m) => `须为 ${m[1]}–${m[2]} 个字符（现为 ${m[3]} 个）`,
  ],
  [/^is not valid text$/, () => '不是有效的文本'],
  [
    /^(?:a property name )?contains a control character \(U\+([0-9A-F]{4})\)$/,
    (m) => `含有控制字符（U+${m[1]}），请删除`,
  ],
  [
    /^(?:a property name )?contains an unpaired surrogate \(U\+([0-9A-F]{4})\): not valid Unicode text$/,
    (m) => `含有不成对的代理字符（U+${m[1]}），不是有效的 Unicode 文本`,
  ],
  // apps/api/src/http/validators.ts and the request headers
  [
    /^not a valid unified social credit code: (.*)$/,
    (m) => `不是有效的统一社会信用代码：${validationMessageZh(m[1]) ?? m[1]}`,
  ],
  // …and its particulars (libs/platform/src/identity/credit-code.ts says the same in Chinese)
  [/^must be 18 characters long, got (\d+)$/, (m) => `应为18位，实际${m[1]}位`],
  [
    /^character "(.)" at position (\d+) is not allowed.*$/,
    (m) => `第${m[2]}位字符“${m[1]}”不合法（只允许数字和除 I、O、S、V、Z 以外的大写字母）`,
  ],
  [
    /^check character is "(.)" but the first 17 characters require "(.)"$/,
    (m) => `校验码错误：应为“${m[2]}”，实际为“${m[1]}”`,
  ],
  // Passwords and accounts (libs/read-models/src/accounts)
  [/^the password must have at least (\d+) characters$/, (m) => `至少 ${m[1]} 个字符`],
  [/^the password must have at most (\d+) characters$/, (m) => `最多 ${m[1]} 个字符`],
  [/^the password must not be the login$/, () => '不能与登录名相同'],
  [/^the password is among the most common passwords; choose another$/, () => '属于最常见的密码，请另选一个'],
  [/^an officer needs a jurisdiction such as (\S+)$/, (m) => `主管部门人员须指定辖区，如 ${m[1]}`],
  [/^an enterprise account needs its credit code \(org\)$/, () => '企业账号须填写统一社会信用代码（org）'],
  [/^an expert needs a field \(e\.g\. (.+)\)$/, (m) => `专家须填写专业领域，如 ${m[1]}`],
  [
    /^login must be 3 to 64 letters, digits or \. _ @ \+ -$/,
    () => '登录名须为 3–64 个字母、数字或 . _ @ + -',
  ],
  [/^id must be 1 to 64 letters, digits or \. _ : -$/, () => '编号须为 1–64 个字母、数字或 . _ : -'],
  [/^role must be one of (.+)$/, (m) => `角色须为以下之一：${m[1]}`],
  // Document numbers (libs/incubation/src/domain/documents/document-number.ts)
  [/^must be a string such as (\S+)$/, (m) => `须为文号，如 ${m[1]}`],
  [
    /^must be the issuer abbreviation, the year in 〔〕 and the number with 号, e\.g\. (\S+)$/,
    (m) => `须由发文机关代字、〔年份〕和序号加“号”组成，如 ${m[1]}`,
  ],
  [/^the year's brackets do not match \((.+)\)$/, (m) => `年份括号不匹配（${m[1]}）`],
  [/^(\d+) is not a plausible year$/, (m) => `${m[1]} 不是合理的年份`],
  [/^the number starts at 1$/, () => '序号从 1 开始'],
  [/^must be a dotted jurisdiction path such as (\S+)$/, (m) => `须为以点分隔的行政区划路径，如 ${m[1]}`],
  [/^must be a calendar date YYYY-MM-DD$/, () => '须为日期，格式 YYYY-MM-DD'],
  [/^expected "<revision>"$/, () => '须为带引号的版本号，如 "3"'],
  [/^must be empty$/, () => '此请求不应有请求体'],
  [/^invalid$/, () => '无效'],
  // Refusals the domain words as details (rounds, publicity, scores, application data)
  [/^must be YYYY-MM-DD, today or later$/, () => '须为 YYYY-MM-DD 格式的日期，且不早于今天'],
  [/^must be a valid unified social credit code$/, () => '须为有效的统一社会信用代码'],
  [/^must be a valid 18-character resident ID number$/, () => '须为有效的18位居民身份证号码'],
  [/^must be a positive integer number of yuan$/, () => '须为正整数（单位：元）'],
  [/^must carry the year of issue, (〔\d+〕)$/, (m) => `须标明发文年份${m[1]}`],
  [/^must be an integer from (\d+) to (\d+)$/, (m) => `须为 ${m[1]} 到 ${m[2]} 之间的整数`],
  [/^must be absent; give score$/, () => '不应逐项打分，请给出总分'],
  [/^must be absent; score each indicator$/, () => '不应填写总分，请逐项打分'],
  [/^must list every indicator of the scoring sheet$/, () => '须列出评分表的每一项指标'],
  [/^"(.+)" is not on the scoring sheet$/, (m) => `评分表中没有指标“${m[1]}”`],
  [/^"(.+)" is scored twice$/, (m) => `指标“${m[1]}”重复打分`],
  [/^".+" \((.+)\) is not scored$/, (m) => `指标“${m[1]}”尚未打分`],
  [/^is required when declaring a conflict$/, () => '声明利益冲突时必须填写'],
  [/^must be after opensAt$/, () => '须晚于开始时间（opensAt）'],
  [/^must be at most 366 days after opensAt$/, () => '距开始时间（opensAt）不得超过 366 天'],
  [/^must be within two years from now$/, () => '须在今后两年之内'],
  [/^must be in the future$/, () => '须为将来的时间'],
  [/^year (\d+) appears twice$/, (m) => `${m[1]} 年度重复填报`],
  [/^main-business revenue cannot exceed revenue$/, () => '主营业务收入不得超过营业收入'],
  [/^R&D staff cannot exceed employees$/, () => '研发人员数不得超过职工总数'],
  [/^fixed-asset investment cannot exceed total investment$/, () => '固定资产投资不得超过总投资'],
];

export function validationMessageZh(message: string): string | undefined {
  // class-validator writes "<property> must ..."; our validators mostly write "must ..." alone.
  const candidates = [message, message.replace(/^\S+ /, '')];
  for (const text of candidates) {
    for (const [pattern, say] of RULES) {
      const m = pattern.exec(text);
      if (m) return say(m);
    }
  }
  return undefined;
}
