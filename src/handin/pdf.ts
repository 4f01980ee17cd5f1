// The hand-in as one PDF (measures Art. 20(四)): a cover sheet (department, quarter, count, the list of
// forms), then every form laid out from the 审核单's one content model (src/publishing/review-sheet.ts),
// each on its own page, with the shared drawing of src/web/pdf.ts (Chinese font embedded).
import { FORM_STATUS_LABELS } from '../publishing/rules.js';
import { reviewSheet } from '../publishing/review-sheet.js';
import type { FormView } from '../publishing/service/records.js';
import { shortTime } from '../web/labels.js';
import { drawSheet, sheetPdf, type PdfResult } from '../web/pdf.js';

export const HANDIN_TITLE = '网站信息发布审核单季度报送';

export interface HandInDocument {
  department: string;
  /** 2026年第四季度 */
  quarter: string;
  forms: FormView[];
}

export function handInPdf(d: HandInDocument, fontPath?: string): Promise<PdfResult> {
  return sheetPdf(
    { Title: HANDIN_TITLE, Subject: `${d.department} ${d.quarter}` },
    (c) => {
      c.line(HANDIN_TITLE, 16, 'center');
      c.doc.lineWidth(0.7);
      c.labelled('报送处室', d.department);
      c.labelled('所属季度', d.quarter);
      c.labelled('审核单数量', `${d.forms.length} 份`);
      c.labelled('依据', '《福建省市场监督管理局网站管理办法》第二十条（四）：每季度首月5日前将上一季度的审核单报送办公室');
      c.y += 10;
      const w = c.width;
      c.row(
        [
          { text: '编号', width: 60 },
          { text: '信息标题', width: w - 60 - 110 - 80 },
          { text: '送审时间', width: 110 },
          { text: '状态', width: 80 },
        ],
        { fill: '#eeeeee', size: 11 },
      );
      for (const f of d.forms)
        c.row([
          { text: String(f.id), width: 60 },
          { text: `${f.title}（${f.column}）`, width: w - 60 - 110 - 80 },
          { text: shortTime(f.submittedAt), width: 110 },
          { text: FORM_STATUS_LABELS[f.status], width: 80 },
        ]);
      if (d.forms.length === 0) c.labelled('审核单', '本季度无审核单');
      for (const f of d.forms) {
        c.newPage();
        drawSheet(c, reviewSheet(f));
      }
    },
    fontPath,
  );
}
