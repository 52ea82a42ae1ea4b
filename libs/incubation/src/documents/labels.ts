import { officialDate } from '../domain/documents/official-date';
import type { RoundDocumentModel } from '../use-cases/get-round-document/get-round-document.query';

/**
 * Chinese names of the programmes and statuses, for the printed lists and tables. The console's label
 * catalogue (`GET /v1/labels`) carries the same words; these are the ones a printed table needs.
 */
export const PROGRAMME_NAMES: Record<string, string> = {
  eaglet: '雏鹰企业',
  gazelle: '瞪羚企业',
  'quasi-unicorn': '准独角兽企业',
  'little-giant': '专精特新"小巨人"企业',
  'tech-retrofit': '技改服务基金白名单',
};

export const STATUS_NAMES: [string, string][] = [
  ['draft', '草稿'],
  ['submitted', '已提交'],
  ['returned', '退回补正'],
  ['withdrawn', '已撤回'],
  ['recommended', '已推荐'],
  ['in-expert-review', '专家评审中'],
  ['passed', '评审通过'],
  ['failed', '评审未通过'],
  ['in-publicity', '公示中'],
  ['admitted', '已入库'],
  ['rejected', '未通过'],
];

/** The words each document uses, in one place, so the list, the CSV and the notice agree. */
export function listTitle(model: RoundDocumentModel): string {
  if (model.stage === 'publicity') return `${model.title}拟入库企业名单`;
  return model.final?.outcome === 'forward' ? `${model.title}推荐企业名单` : `${model.title}入库企业名单`;
}

export function noticeTitle(model: RoundDocumentModel): string {
  if (model.stage === 'publicity') return `关于${model.title}拟入库企业名单的公示`;
  return model.final?.outcome === 'forward'
    ? `关于${model.title}推荐企业名单的通知`
    : `关于公布${model.title}入库企业名单的通知`;
}

export function publicityPeriod(model: RoundDocumentModel): string {
  const p = model.publicity;
  return `${officialDate(p.startsOn)}至${officialDate(p.endsOn)}（${p.workingDays}个工作日）`;
}

/** The programme's name, e.g. 雏鹰企业 (its code when unknown). */
export function programmeName(model: RoundDocumentModel): string {
  return PROGRAMME_NAMES[model.programme] ?? model.programme;
}

/** The counts line: how many were published, removed on objection, and are on this list. */
export function countsLine(model: RoundDocumentModel): string {
  const listed = model.entries.length;
  if (model.stage === 'publicity') {
    return model.removed
      ? `公示企业${model.published}家，异议成立移出${model.removed}家，现名单${listed}家`
      : `公示企业${listed}家`;
  }
  const verb = model.final?.outcome === 'forward' ? '推荐' : '入库';
  return `公示企业${model.published}家，异议成立移出${model.removed}家，${verb}企业${listed}家`;
}

/** Shown where the list is printed as of an earlier instant, so nobody mistakes it for today's. */
export function asOfLine(model: RoundDocumentModel): string | null {
  return model.asOf ? `（截至${model.asOf}的记录）` : null;
}

export const COLUMNS = {
  no: '序号',
  district: '所在区域',
  name: '企业名称',
  creditCode: '统一社会信用代码',
  score: '专家评审得分',
} as const;
