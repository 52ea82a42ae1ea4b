import { useContext } from 'react';
import { LabelsContext } from '../labels';

/** The expert screens' own words (codes still come from the label catalogue). */
const WORDS = {
  assignments: ['我的评审任务', 'My assignments'],
  application: ['申报编号', 'Application'],
  assignedAt: ['分配时间', 'Assigned'],
  dueOn: ['评分截止日', 'Due on'],
  remaining: ['剩余工作日', 'Working days left'],
  overdue: ['已逾期', 'Overdue'],
  state: ['状态', 'State'],
  open: ['进入评审', 'Open'],
  'awaiting-score': ['待评分', 'Awaiting my score'],
  scored: ['已评分', 'Scored'],
  replaced: ['已替换', 'Replaced'],
  concluded: ['评审结束', 'Concluded'],
  blindNote: [
    '匿名评审：本页不显示企业名称、统一社会信用代码，仅显示政策允许专家查看的数据和材料。',
    'Blind review: no enterprise name or credit code; only the data and materials the policy shows experts.',
  ],
  data: ['申报数据', 'Application data'],
  eligibility: ['资格审查结论', 'Eligibility'],
  eligible: ['符合', 'Met'],
  notEligible: ['不符合', 'Not met'],
  materials: ['申报材料（专家可见）', 'Materials (visible to experts)'],
  download: ['下载', 'Download'],
  noMaterials: ['暂无专家可见的材料', 'No material visible to experts'],
  declaration: ['利益冲突声明（回避声明）', 'Conflict-of-interest declaration'],
  declarationAsk: [
    '评分前，请声明您与该申报企业是否存在利益冲突（任职、持股、亲属关系、近三年合作等）。',
    'Before scoring, declare whether you have a conflict of interest with this applicant.',
  ],
  noConflict: ['本人与该申报企业无利益冲突', 'I have no conflict of interest'],
  hasConflict: ['本人存在利益冲突，申请回避', 'I have a conflict of interest'],
  conflictReason: ['冲突情况说明', 'What the conflict is'],
  declare: ['提交声明', 'Declare'],
  declaredNone: ['已声明无利益冲突', 'Declared: no conflict'],
  declaredConflict: [
    '您已声明存在利益冲突并回避，系统将抽取替补专家，无需评分。',
    'You declared a conflict: a replacement is drawn and you do not score.',
  ],
  sheet: ['评分表', 'Scoring sheet'],
  indicator: ['评分指标', 'Indicator'],
  weight: ['权重', 'Weight'],
  maxScore: ['满分', 'Max'],
  yourScore: ['评分', 'Score'],
  comment: ['评语', 'Comment'],
  overallComment: ['总体评价', 'Overall comment'],
  total: ['总分（系统计算）', 'Total (computed)'],
  exact: ['加权合计', 'Weighted sum'],
  totalHint: ['总分由系统按权重计算，不可手工填写。', 'The total is computed from the weights, never typed.'],
  singleScore: ['评审得分（0–100）', 'Score (0-100)'],
  noSheet: [
    '该培育库政策未设置评分表，请直接给出 0–100 的整数总分。',
    "This programme's policy has no scoring sheet: give one integer score from 0 to 100.",
  ],
  submit: ['提交评分', 'Submit score'],
  confirmSubmit: ['评分提交后不可修改，确认提交？', 'A score cannot be changed once submitted. Submit?'],
  submitted: ['评分已提交', 'Score submitted'],
  yourTotal: ['您的评分', 'Your score'],
  alreadyScored: [
    '您已对该申报提交过评分，每位专家只能评分一次，本次提交未被接受。',
    'You have already scored this application; an expert scores once. This submission was not accepted.',
  ],
  confirm: ['确认', 'Confirm'],
  cancel: ['取消', 'Cancel'],
  back: ['返回任务列表', 'Back to assignments'],
  notOnPanel: ['该申报不在您的评审任务中。', 'This application is not among your assignments.'],
  policy: ['政策版本', 'Policy version'],
  programme: ['培育库', 'Programme'],
  status: ['申报状态', 'Status'],
  reasonRequired: ['请说明利益冲突情况', 'Say what the conflict is'],
  scoreRequired: ['请评分', 'Give a score'],
} as const;

export type ExpertWord = keyof typeof WORDS;
export function useExpertWords() {
  const { locale } = useContext(LabelsContext);
  return (word: ExpertWord) => WORDS[word][locale === 'en' ? 1 : 0];
}
