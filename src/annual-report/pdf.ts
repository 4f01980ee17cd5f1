// The annual report as a PDF (issue 18 point 4) with the Chinese font embedded, drawn with the shared pdfkit
// canvas of src/web/pdf.ts: the six sections in the format's order; table 三 one line per data row labelled with
// its group and leaf (the HTML page carries the format's row and column spans; the PDF does not draw spans).
import { OUTCOME_FACTS, OUTCOME_GROUP_LABELS, outcomesOf, type RequestOutcome } from '../requests/outcomes.js';
import { sheetPdf, type PdfResult } from '../web/pdf.js';
import {
  ACTIVE_FIGURE_FACTS,
  ACTIVE_FIGURES,
  COLUMN_KEYS,
  COLUMN_LABELS,
  REMEDY_COLUMNS,
  REMEDY_KIND_LABELS,
  REMEDY_RESULT_LABELS,
  TEXT_SECTION_LABELS,
  cellKey,
  ROW_KEYS,
  ROW_LABELS,
  type RowKey,
  type RemedyKind,
  type RemedyResult,
} from './rules.js';
import type { ReportView } from './schemas.js';
import { reportTitle } from './pages/report-view.js';

/** A row of table 三 by its full label: the group and the leaf (（三）不予公开 1.属于国家秘密), or the row itself. */
export function pdfRowLabel(row: RowKey): string {
  const o = OUTCOME_FACTS[row as RequestOutcome];
  if (!o) return ROW_LABELS[row];
  return outcomesOf(o.group).length === 1 ? OUTCOME_GROUP_LABELS[o.group] : `${OUTCOME_GROUP_LABELS[o.group]} ${o.label}`;
}

export function reportPdf(v: ReportView, fontPath?: string): Promise<PdfResult> {
  return sheetPdf(
    { Title: reportTitle(v.year), Subject: `${v.year}年度 · ${v.statusLabel}` },
    (c) => {
      c.line(reportTitle(v.year), 15, 'center');
      c.doc.lineWidth(0.6);
      const text = (heading: string, body: string) => {
        c.row([{ text: heading, width: c.width }], { fill: '#eeeeee', size: 11 });
        c.row([{ text: body.trim() || '（尚未填写）', width: c.width }]);
        c.y += 8;
      };
      text(TEXT_SECTION_LABELS.overview, v.texts.overview);
      c.row([{ text: '二、主动公开政府信息情况', width: c.width }], { fill: '#eeeeee', size: 11 });
      for (const k of ACTIVE_FIGURES)
        c.labelled(`${ACTIVE_FIGURE_FACTS[k].row} · ${ACTIVE_FIGURE_FACTS[k].column}`, v.active[k] === null ? '—' : String(v.active[k]));
      c.y += 8;
      c.row([{ text: '三、收到和处理政府信息公开申请情况', width: c.width }], { fill: '#eeeeee', size: 11 });
      const labelW = 190;
      const w = (c.width - labelW) / COLUMN_KEYS.length;
      c.row([{ text: '', width: labelW }, ...COLUMN_KEYS.map((k) => ({ text: COLUMN_LABELS[k], width: w }))], { size: 8 });
      for (const row of ROW_KEYS)
        c.row(
          [
            { text: pdfRowLabel(row), width: labelW },
            ...COLUMN_KEYS.map((k) => ({ text: String(v.table[cellKey(row, k)] ?? 0), width: w })),
          ],
          { size: 8 },
        );
      c.y += 8;
      c.row([{ text: '四、政府信息公开行政复议、行政诉讼情况', width: c.width }], { fill: '#eeeeee', size: 11 });
      for (const col of REMEDY_COLUMNS) {
        const [kind, result] = col.split(':') as [RemedyKind, RemedyResult | 'total'];
        c.labelled(
          `${REMEDY_KIND_LABELS[kind]} · ${result === 'total' ? '总计' : REMEDY_RESULT_LABELS[result]}`,
          String(v.remedies[col] ?? 0),
        );
      }
      c.y += 8;
      text(TEXT_SECTION_LABELS.problems, v.texts.problems);
      text(TEXT_SECTION_LABELS.other, v.texts.other);
      if (v.approvedAt) c.line(`审定：${v.approvedBy ?? ''}`, 10, 'right');
    },
    fontPath,
  );
}
