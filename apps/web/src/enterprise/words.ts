import { useContext } from 'react';
import { LabelsContext } from '../labels';

/**
 * Words of the enterprise portal and the public pages (not codes: those come from the label
 * catalogue). Kept beside the screens rather than in labels.tsx, which every role's screens share.
 */
const WORDS = {
  portal: ['企业申报服务', 'Enterprise portal'],
  myApplications: ['我的申报', 'My applications'],
  openRounds: ['可申报的批次', 'Rounds open to me'],
  noOpenRounds: ['目前没有面向本企业所在辖区的申报批次', 'No round is open for your jurisdiction now'],
  apply: ['我要申报', 'Apply'],
  applied: ['已申报', 'Applied'],
  view: ['查看', 'Open'],
  round: ['申报批次', 'Round'],
  programme: ['培育库', 'Programme'],
  status: ['状态', 'Status'],
  window: ['申报时间', 'Window'],
  profile: ['完善企业信息', 'Company profile'],
  profileHelp: [
    '首次申报前，请登记企业的所属辖区和成立日期（用于确定可申报的批次和企业年龄条件）。',
    'Before the first application, record your district and founding date (they decide which rounds you may enter and the age rules).',
  ],
  companyName: ['企业名称', 'Company name'],
  creditCode: ['统一社会信用代码', 'Unified social credit code'],
  jurisdiction: ['所属辖区', 'District'],
  establishedOn: ['成立日期', 'Founded on'],
  save: ['保存', 'Save'],
  saveDraft: ['保存草稿', 'Save draft'],
  saved: ['已保存', 'Saved'],
  submit: ['提交申报', 'Submit'],
  resubmit: ['提交补正', 'Submit the correction'],
  confirmSubmit: [
    '提交后将进入审核，不能再修改（被退回补正时除外）。确定提交？',
    'Once submitted it goes to review and cannot be changed (unless returned). Submit now?',
  ],
  submitted: ['已提交', 'Submitted'],
  submitRefused: ['未能提交', 'Not submitted'],
  materialsMissing: ['必需的申报材料尚未上传', 'Required materials are missing'],
  notEligible2: ['申报不符合硬性条件', 'A hard eligibility rule is not met'],
  missingMaterials: ['以下必需材料尚未上传：', 'These required materials are missing:'],
  failedRules: ['以下硬性条件未满足：', 'These hard rules are not met:'],
  data: ['申报数据', 'Application data'],
  basics: ['基本情况', 'Basic facts'],
  financials: ['近年财务数据', 'Financial years'],
  addYear: ['添加年度', 'Add a year'],
  remove: ['删除', 'Remove'],
  other: [
    '其他条件（按政策要求填写，不适用的留空）',
    'Other facts (fill in what the policy asks; leave the rest empty)',
  ],
  project: ['技改项目', 'Retrofit project'],
  yes: ['是', 'Yes'],
  no: ['否', 'No'],
  materials: ['申报材料', 'Materials'],
  materialKind: ['材料', 'Material'],
  required: ['必需', 'Required'],
  optional: ['可选', 'Optional'],
  file: ['文件', 'File'],
  upload: ['上传', 'Upload'],
  uploaded: ['已上传', 'Uploaded'],
  download: ['下载', 'Download'],
  confirmRemove: ['确定删除该文件？', 'Remove this file?'],
  accepted: ['接受的格式', 'Accepted'],
  limits: [
    '单个文件不超过 20 MB，整份申报合计不超过 200 MB；仅接受 PDF、OFD、JPEG、PNG（按文件内容识别）。',
    'At most 20 MB a file and 200 MB an application; PDF, OFD, JPEG and PNG only (recognised by content).',
  ],
  tooLarge: [
    '文件过大：单个文件不超过 20 MB，整份申报的材料合计不超过 200 MB。',
    'Too large: at most 20 MB a file and 200 MB for all of an application’s materials.',
  ],
  wrongType: [
    '文件类型不符：该材料仅接受 {types}，系统按文件内容识别，改扩展名无效。',
    'Wrong type: this material takes {types} only, recognised by content (renaming does not help).',
  ],
  uploadFailed: ['上传失败', 'Upload failed'],
  draftFirst: [
    '请先填写申报数据并保存草稿，再上传材料。',
    'Save the data as a draft first, then upload materials.',
  ],
  eligibility: ['资格预审', 'Eligibility preview'],
  eligible: ['符合', 'Met'],
  notEligible: ['不符合', 'Not met'],
  rule: ['条件', 'Rule'],
  actual: ['本企业', 'Yours'],
  requiredValue: ['要求', 'Required'],
  documentNumber: ['政策文号', 'Document number'],
  timeline: ['办理进度', 'Progress'],
  returnedTitle: ['申报被退回补正', 'Returned for correction'],
  returnedBody: [
    '退回理由：{reason}。请在 {respondBy} 前修改申报数据或补充材料后提交补正，逾期视为撤回。',
    'Reason: {reason}. Correct the data or materials and resubmit by {respondBy}; after that it is withdrawn.',
  ],
  deadlinePassed: ['补正期限已过', 'The response deadline has passed'],
  next: ['下一步', 'Next'],
  nextDraft: ['填写数据、上传材料后提交申报。', 'Fill in the data, upload the materials, then submit.'],
  nextReturned: [
    '按退回理由修改数据或补充材料，在补正期限前点击“提交补正”。',
    'Correct the data or materials as the reason says, then submit the correction before the deadline.',
  ],
  nextWaiting: ['等待主管部门审核，结果将在此实时更新。', 'Awaiting review; this page updates by itself.'],
  live: ['实时更新', 'Live'],
  signOut: ['退出登录', 'Sign out'],
  language: ['English', '中文'],
  policyVersion: ['适用政策', 'Policy version'],
  newApplication: ['新建申报', 'New application'],
  // registration
  register: ['企业注册', 'Register your company'],
  registerLink: ['没有账号？企业注册', 'No account? Register your company'],
  haveAccount: ['已有账号？去登录', 'Have an account? Sign in'],
  contactPerson: ['联系人', 'Contact person'],
  mobile: ['手机号码', 'Mobile'],
  email: ['电子邮箱', 'Email'],
  password: ['密码', 'Password'],
  passwordAgain: ['确认密码', 'Password again'],
  passwordHelp: [
    '至少 10 位，不能与账号相同，不能是常见密码',
    'At least 10 characters, not the login, not a common password',
  ],
  passwordsDiffer: ['两次输入的密码不一致', 'The passwords differ'],
  registered: ['注册成功，请以统一社会信用代码登录', 'Registered: sign in with your credit code'],
  badCreditCode: ['统一社会信用代码不正确（{problem}）', 'Not a valid credit code ({problem})'],
  badMobile: ['请输入11位手机号码', 'Enter an 11-digit mobile number'],
  badEmail: ['请输入正确的电子邮箱', 'Enter a valid email address'],
  // publicity
  publicity: ['公示', 'Publicity'],
  publicityTitle: ['入库名单公示', 'Lists in publicity'],
  noPublicity: ['目前没有正在公示的名单', 'No list is in publicity now'],
  publicityEnds: ['公示截止日', 'Publicity ends on'],
  score: ['评审得分', 'Score'],
  object: ['提出异议', 'Object'],
  objectionTitle: ['实名提出异议', 'Object under your real name'],
  objectionHelp: [
    '异议须实名提出（姓名、身份证号、联系电话），并写明理由和证据；匿名异议不予受理。',
    'Objections are made under a real name (name, ID number, phone) with grounds and evidence; anonymous ones are not accepted.',
  ],
  objectorName: ['姓名', 'Name'],
  idNumber: ['身份证号', 'ID number'],
  phone: ['联系电话', 'Phone'],
  grounds: ['异议理由', 'Grounds'],
  evidence: ['证据', 'Evidence'],
  evidenceHelp: [
    '每行一项：证据的名称、出处或网址。本系统暂不接受公众上传证据文件，请写明可核查的出处，或向主管部门当面提交。',
    'One per line: what, where, or a link. Files cannot be uploaded by the public yet: name a checkable source, or hand them to the bureau.',
  ],
  objectionFiled: ['异议已提交，编号 {id}', 'Objection filed, number {id}'],
  badIdNumber: ['请输入18位身份证号', 'Enter the 18-character ID number'],
  signIn: ['登录', 'Sign in'],
  cancel: ['取消', 'Cancel'],
  confirm: ['确认', 'Confirm'],
  nothing: ['暂无', 'None'],
} as const;

export type PortalWord = keyof typeof WORDS;

/** `w(word, {name: value})`: the word in the chosen locale, `{name}` replaced. */
export function usePortalWords() {
  const { locale } = useContext(LabelsContext);
  return (word: PortalWord, values?: Record<string, string | number>) => {
    let text: string = WORDS[word][locale === 'en' ? 1 : 0];
    for (const [k, v] of Object.entries(values ?? {})) text = text.replace(`{${k}}`, String(v));
    return text;
  };
}
