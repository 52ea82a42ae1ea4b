import {
  AlignmentType,
  Document,
  Footer,
  Packer,
  PageNumber,
  Paragraph,
  Table,
  TableCell,
  TableRow,
  TextRun,
  VerticalAlign,
  WidthType,
} from 'docx';
import { officialDate } from '../domain/documents/official-date';
import type { RoundDocumentModel } from '../use-cases/get-round-document/get-round-document.query';
import { asOfLine, COLUMNS, countsLine, listTitle, noticeTitle, publicityPeriod } from './labels';
import { normalisePackage } from './ooxml-package';

// GB/T 9704-2012: title in 小标宋 二号 (22 pt), body in 仿宋 三号 (16 pt), A4 with 37/28 mm margins.
const TITLE_FONT = { ascii: 'Times New Roman', hAnsi: 'Times New Roman', eastAsia: '方正小标宋简体' };
const BODY_FONT = { ascii: 'Times New Roman', hAnsi: 'Times New Roman', eastAsia: '仿宋_GB2312' };
const TITLE_SIZE = 44; // half-points
const BODY_SIZE = 32;
const TABLE_SIZE = 24;
const MM = 56.6929; // twips per millimetre

const text = (value: string, size = BODY_SIZE, bold = false) =>
  new TextRun({ text: value, font: BODY_FONT, size, bold });

const body = (value: string) =>
  new Paragraph({
    children: [text(value)],
    indent: { firstLine: 2 * BODY_SIZE * 10 },
    spacing: { line: 560 },
  });

/**
 * The publicity notice (公示) or the admission notice (入库通知) as a Word document: document
 * number, title, body with the counts and the period, the list as a table, the issuing bureau
 * and the date in the official calendar format. Built with `docx`; every value comes from the
 * model, and the document's own timestamps are those of the event it records.
 */
export async function roundNoticeDocument(model: RoundDocumentModel): Promise<Buffer> {
  const at = new Date(model.changedAt);
  const paragraphs: (Paragraph | Table)[] = [];
  if (model.documentNumber) {
    paragraphs.push(
      new Paragraph({
        alignment: AlignmentType.CENTER,
        spacing: { after: 480 },
        children: [text(model.documentNumber)],
      }),
    );
  }
  paragraphs.push(
    new Paragraph({
      alignment: AlignmentType.CENTER,
      spacing: { after: 480 },
      children: [new TextRun({ text: noticeTitle(model), font: TITLE_FONT, size: TITLE_SIZE })],
    }),
  );
  for (const line of bodyText(model)) paragraphs.push(body(line));
  const asOf = asOfLine(model);
  if (asOf) paragraphs.push(body(asOf));
  paragraphs.push(
    new Paragraph({
      alignment: AlignmentType.CENTER,
      spacing: { before: 240, after: 240 },
      children: [text(listTitle(model), BODY_SIZE, true)],
    }),
    listTable(model),
    new Paragraph({
      spacing: { before: 480 },
      alignment: AlignmentType.RIGHT,
      children: [text(model.issuer)],
    }),
    new Paragraph({ alignment: AlignmentType.RIGHT, children: [text(officialDate(model.issuedOn))] }),
  );

  const document = withCreationTime(
    at,
    () =>
      new Document({
        creator: model.issuer,
        lastModifiedBy: model.issuer,
        title: noticeTitle(model),
        description: model.documentNumber ?? undefined,
        styles: { default: { document: { run: { font: BODY_FONT, size: BODY_SIZE } } } },
        sections: [
          {
            properties: {
              page: {
                size: { width: Math.round(210 * MM), height: Math.round(297 * MM) },
                margin: {
                  top: Math.round(37 * MM),
                  bottom: Math.round(35 * MM),
                  left: Math.round(28 * MM),
                  right: Math.round(26 * MM),
                },
              },
            },
            footers: {
              default: new Footer({
                children: [
                  new Paragraph({
                    alignment: AlignmentType.CENTER,
                    children: [new TextRun({ children: ['— ', PageNumber.CURRENT, ' —'], size: 28 })],
                  }),
                ],
              }),
            },
            children: paragraphs,
          },
        ],
      }),
  );
  return normalisePackage(new Uint8Array(await Packer.toBuffer(document)), at);
}

function bodyText(model: RoundDocumentModel): string[] {
  const listed = model.entries.length;
  if (model.stage === 'publicity') {
    return [
      `根据${model.title}申报工作安排，经企业申报、初审推荐、形式审查和专家评审，拟将${listed}家企业列入名单，现予以公示（名单见下表）。`,
      `公示期：${publicityPeriod(model)}。`,
      '公示期内，任何单位和个人对名单有异议的，请以书面形式实名提出，写明理由并提供相关证据；匿名或逾期提出的异议不予受理。',
      `${countsLine(model)}。`,
    ];
  }
  const forward = model.final?.outcome === 'forward';
  return [
    `经企业申报、初审推荐、形式审查、专家评审和公示（公示期${publicityPeriod(model)}），${countsLine(model)}。`,
    forward
      ? `现将${listed}家推荐企业名单予以公布，并报上级主管部门审定。`
      : `现将${listed}家入库企业名单予以公布。`,
  ];
}

function cell(value: string, width: number, bold = false): TableCell {
  return new TableCell({
    width: { size: width, type: WidthType.PERCENTAGE },
    verticalAlign: VerticalAlign.CENTER,
    children: [new Paragraph({ alignment: AlignmentType.CENTER, children: [text(value, TABLE_SIZE, bold)] })],
  });
}

const TABLE_WIDTHS = [8, 20, 44, 28];

function listTable(model: RoundDocumentModel): Table {
  const header = new TableRow({
    tableHeader: true,
    children: [COLUMNS.no, COLUMNS.district, COLUMNS.name, COLUMNS.creditCode].map((label, i) =>
      cell(label, TABLE_WIDTHS[i], true),
    ),
  });
  const rows = model.entries.map(
    (entry) =>
      new TableRow({
        cantSplit: true,
        children: [String(entry.no), entry.district, entry.name, entry.creditCode].map((value, i) =>
          cell(value, TABLE_WIDTHS[i]),
        ),
      }),
  );
  return new Table({ width: { size: 100, type: WidthType.PERCENTAGE }, rows: [header, ...rows] });
}

/**
 * `docx` stamps a document's core properties (dcterms:created/modified) with `new Date()` when
 * the Document is constructed and offers no option to set them. The construction is
 * synchronous, so for exactly its duration `Date` reads the event's time instead; nothing else
 * can run in between on this thread, and `Date` is restored before returning.
 */
function withCreationTime<T>(at: Date, construct: () => T): T {
  const RealDate = globalThis.Date;
  const fixed = at.getTime();
  class EventTime extends RealDate {
    constructor(...args: unknown[]) {
      if (args.length === 0) super(fixed);
      else super(...(args as [string]));
    }
    static override now(): number {
      return fixed;
    }
  }
  globalThis.Date = EventTime as DateConstructor;
  try {
    return construct();
  } finally {
    globalThis.Date = RealDate;
  }
}
