import { useContext } from 'react';
import { LabelsContext } from '../labels';

/**
 * Words of the round's lifecycle screens (expert review, publicity, objections, lists), kept
 * beside the officer's screens so the shared catalogue in labels.tsx stays small. Chinese first.
 */
const WORDS = {
  tabApplications: ['申报列表', 'Applications'],
  tabPanels: ['专家评审', 'Expert review'],
  tabPublicity: ['公示与异议', 'Publicity and objections'],
  tabLists: ['名单与文书', 'Lists and documents'],
  panel: ['专家组', 'Panel'],
  notDrawn: ['未抽取', 'Not drawn'],
  scoredOf: ['已评分', 'Scored'],
  overdue: ['逾期', 'Overdue'],
  expert: ['评审专家', 'Expert'],
  dueOn: ['评分截止', 'Due on'],
  seatState: ['评分情况', 'State'],
  awaitingScore: ['待评分', 'Awaiting score'],
  scored: ['已评分', 'Scored'],
  declaredConflict: ['已申请回避', 'Declared a conflict'],
  replace: ['替换', 'Replace'],
  confirmReplace: ['重新抽取一名专家替换该逾期专家？', 'Draw a new expert to replace this overdue one?'],
  replaced: ['已替换', 'Replaced'],
  inReview: ['专家评审中的申报', 'Applications in expert review'],
  noneInReview: ['暂无进入专家评审的申报', 'No application is in expert review'],
  startPublicity: ['开始公示', 'Start publicity'],
  publicityNotStarted: ['尚未公示', 'Not publicised yet'],
  startsOn: ['公示开始日期', 'First day'],
  startsOnHelp: ['不填则为今天', 'Today when empty'],
  noticeNumber: ['公示文号', 'Notice number'],
  admissionNumber: ['入库通知文号', 'Admission notice number'],
  issuer: ['发文单位', 'Issuing bureau'],
  issuerHelp: ['不填则为政策的发布单位', "The policy's issuer when empty"],
  endsOnPreview: ['公示截止（预计）', 'Ends on (expected)'],
  publicityPeriod: ['公示期', 'Publicity period'],
  workingDays: ['个工作日', 'working days'],
  provisional: [
    '次年节假日安排未公布，截止日期为暂定',
    'Counted without next year’s holiday arrangement: provisional',
  ],
  proposedCount: ['公示企业数', 'On the list'],
  objections: ['异议', 'Objections'],
  raisedOn: ['提出日期', 'Raised on'],
  grounds: ['异议理由', 'Grounds'],
  objector: ['异议人', 'Objector'],
  handling: ['处理结果', 'Resolution'],
  open: ['待处理', 'Open'],
  upheld: ['异议成立（移出名单）', 'Upheld (removed from the list)'],
  dismissed: ['异议不成立', 'Dismissed'],
  resolve: ['处理', 'Resolve'],
  resolveTitle: ['处理异议', 'Resolve the objection'],
  decision: ['处理决定', 'Decision'],
  uphold: ['成立', 'Uphold'],
  dismiss: ['不成立', 'Dismiss'],
  finalize: ['确定入库名单', 'Finalize the list'],
  finalizeHelp: [
    '公示期结束且异议均已处理后，确定最终入库名单。',
    'Once publicity ended and every objection is resolved, fix the final list.',
  ],
  finalized: ['已确定入库名单', 'Finalized'],
  finalizedOn: ['确定日期', 'Finalized on'],
  admittedCount: ['入库企业数', 'Admitted'],
  issueNotice: ['印发入库通知', 'Issue the admission notice'],
  proposedList: ['拟入库名单', 'Proposed list'],
  finalList: ['入库名单', 'Final list'],
  rank: ['序号', 'No.'],
  downloads: ['下载', 'Downloads'],
  listXlsx: ['（Excel）', ' (Excel)'],
  publicityNotice: ['公示通知（Word）', 'Publicity notice (Word)'],
  admissionNotice: ['入库通知（Word）', 'Admission notice (Word)'],
  notYet: ['尚未生成', 'Not yet available'],
  loading: ['加载中', 'Loading'],
  refresh: ['刷新', 'Refresh'],
} as const;

export type OfficerWord = keyof typeof WORDS;
export function useOfficerWords() {
  const { locale } = useContext(LabelsContext);
  return (word: OfficerWord) => WORDS[word][locale === 'en' ? 1 : 0];
}
