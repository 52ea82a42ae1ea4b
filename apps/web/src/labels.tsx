import { createContext, useContext } from 'react';
import type { components } from './schema';

export type Locale = 'zh-CN' | 'en';
type Catalogue = {
  'zh-CN': Record<string, Record<string, string>>;
  en: Record<string, Record<string, string>>;
};

export const LabelsContext = createContext<{ labels: Catalogue | null; locale: Locale }>({
  labels: null,
  locale: 'zh-CN',
});

export type LabelGroup =
  | 'programmes'
  | 'applicationStatuses'
  | 'roundStatuses'
  | 'membershipStatuses'
  | 'stages'
  | 'decisions'
  | 'exitReasons'
  | 'eventTypes'
  | 'materials'
  | 'roles'
  | 'timerPurposes';

/** `t(group, code)`: the label of a code in the chosen locale; the code itself only if the catalogue lacks it. */
export function useLabel() {
  const { labels, locale } = useContext(LabelsContext);
  return (group: LabelGroup, code: string | null | undefined) =>
    code == null ? '' : (labels?.[locale]?.[group]?.[code] ?? code);
}

/** Words of the console itself (not codes): Chinese first, English when switched. */
const WORDS = {
  home: ['首页', 'Home'],
  rounds: ['申报批次', 'Rounds'],
  memberships: ['入库企业', 'Memberships'],
  statsChart: ['各培育库申报数', 'Applications by programme'],
  statsTable: ['按培育库和状态统计', 'By programme and status'],
  noFigures: ['该年度暂无申报', 'No applications this year'],
  statsXlsx: ['下载统计表（XLSX，含区县）', 'Download the table (XLSX, by district)'],
  signOut: ['退出登录', 'Sign out'],
  signIn: ['登录', 'Sign in'],
  login: ['账号', 'Login'],
  password: ['密码', 'Password'],
  openRounds: ['申报中的批次', 'Open rounds'],
  worklist: ['待办事项', 'Awaiting me'],
  enterprise: ['企业名称', 'Enterprise'],
  creditCode: ['统一社会信用代码', 'Credit code'],
  programme: ['培育库', 'Programme'],
  status: ['状态', 'Status'],
  stage: ['环节', 'Stage'],
  waiting: ['已等待（工作日）', 'Waiting (working days)'],
  window: ['申报时间', 'Window'],
  applications: ['申报数', 'Applications'],
  title: ['批次名称', 'Title'],
  year: ['年度', 'Year'],
  batch: ['批次', 'Batch'],
  jurisdiction: ['发布单位辖区', 'Jurisdiction'],
  create: ['新建批次', 'New round'],
  close: ['截止申报', 'Close'],
  confirmClose: ['确定提前截止该批次申报？', 'Close this round to submissions now?'],
  policyInForce: ['适用政策版本', 'Policy version in force'],
  opensAt: ['开始时间', 'Opens'],
  closesAt: ['截止时间', 'Closes'],
  search: ['企业名称或信用代码', 'Name or credit code'],
  district: ['所属区县', 'District'],
  eligible: ['资格', 'Eligibility'],
  yes: ['符合', 'Eligible'],
  no: ['不符合', 'Not eligible'],
  score: ['评审得分', 'Score'],
  drawPanels: ['批量抽取评审专家', 'Draw all expert panels'],
  confirmDraw: [
    '为本批次所有进入专家评审且未抽取的申报抽取专家？',
    'Draw panels for every application in expert review without one?',
  ],
  drawn: ['已抽取', 'Drawn'],
  skipped: ['已跳过', 'Skipped'],
  failed: ['失败', 'Failed'],
  statistics: ['统计', 'Statistics'],
  total: ['合计', 'Total'],
  data: ['申报材料', 'Submitted data'],
  eligibility: ['资格审查', 'Eligibility'],
  rule: ['条件', 'Rule'],
  actual: ['实际', 'Actual'],
  required: ['要求', 'Required'],
  passed: ['结果', 'Result'],
  timeline: ['办理记录', 'Timeline'],
  actions: ['办理', 'Actions'],
  recommend: ['推荐', 'Recommend'],
  return: ['退回补正', 'Return'],
  reject: ['不予推荐', 'Reject'],
  reason: ['理由', 'Reason'],
  respondBy: ['补正期限', 'Respond by'],
  confirm: ['确认', 'Confirm'],
  cancel: ['取消', 'Cancel'],
  conflictTitle: ['该申报已被他人处理', 'Someone acted first'],
  conflictBody: [
    '您打开页面后，该申报已有新的办理记录（见下），您的操作未提交。请刷新后再办理。',
    'The application changed after you opened it (see below); your action was not sent. Reload and act again.',
  ],
  reload: ['刷新', 'Reload'],
  done: ['已办理', 'Done'],
  documentNumber: ['政策文号', 'Document number'],
  validUntil: ['有效期至', 'Valid until'],
  exitReason: ['出库原因', 'Exit reason'],
  recordExit: ['登记出库', 'Record exit'],
  note: ['备注', 'Note'],
  annualReport: ['年度数据', 'Annual report'],
  lostRight: ['已丧失复核资格', 'Lost re-review right'],
  live: ['实时更新', 'Live'],
  language: ['English', '中文'],
  nothing: ['暂无', 'None'],
  badLogin: ['账号或密码错误', 'Wrong login or password'],
  totpCode: ['动态码（或恢复码）', 'Authenticator code (or a recovery code)'],
  forgotPassword: ['忘记密码？', 'Forgot your password?'],
  ssoSignIn: ['统一身份认证登录', 'Sign in with the identity platform'],
  ssoRefused: [
    '统一身份认证登录未成功，请重试；如仍不能登录，请联系本局系统管理员',
    'Single sign-on failed; try again or ask your administrator',
  ],
  resetTitle: ['重置密码', 'Reset your password'],
  resetAsk: ['发送重置链接', 'Send a reset link'],
  resetSent: [
    '如该账号存在且登记了电子邮箱，重置链接已发送，30 分钟内有效，只能使用一次。',
    'If the account exists and has an email address, a reset link is on its way: it works once, within 30 minutes.',
  ],
  newPassword: ['新密码（至少 10 个字符）', 'New password (at least 10 characters)'],
  passwordAgain: ['再次输入新密码', 'New password again'],
  passwordsDiffer: ['两次输入的密码不一致', 'The two passwords differ'],
  resetSet: ['设置新密码', 'Set the new password'],
  resetDone: ['密码已重置，请用新密码登录', 'Password reset: sign in with the new one'],
  backToSignIn: ['返回登录', 'Back to sign-in'],
  enrolTitle: ['绑定身份验证器', 'Set up an authenticator app'],
  enrolHelp: [
    '您的角色须使用第二验证因素。请用身份验证器（如 Microsoft Authenticator、Google 身份验证器）扫描二维码，再输入其显示的 6 位动态码。',
    'Your role must use a second factor. Scan the QR code with an authenticator app, then enter the 6-digit code it shows.',
  ],
  enrolSecret: ['无法扫码时手动输入密钥', 'Or type this key into the app'],
  enrolCode: ['身份验证器显示的 6 位动态码', 'The 6-digit code the app shows'],
  enrolConfirm: ['确认绑定', 'Confirm'],
  recoveryTitle: ['恢复码', 'Recovery codes'],
  recoveryHelp: [
    '请妥善保存以下恢复码：手机丢失时，每个恢复码可代替动态码登录一次。它们只显示这一次。',
    'Keep these recovery codes safe: each signs you in once if you lose your phone. They are shown only now.',
  ],
  continue: ['继续', 'Continue'],
} as const;

export type Word = keyof typeof WORDS;
export function useWords() {
  const { locale } = useContext(LabelsContext);
  return (word: Word) => WORDS[word][locale === 'en' ? 1 : 0];
}

export type RoundListItem = components['schemas']['RoundListItemDto'];
