// The approved report as the body of its site item (issue 18 point 4): the six sections in the format's order,
// from the frozen snapshot. Item bodies are Markdown rendered with raw HTML off (publishing/body.ts), so the
// printed layout's row and column spans (pages/report-view.ts) cannot be carried; the tables are drawn as the PDF
// draws them (pdf.ts): table 三 one line per row labelled with group and leaf, table 四 one line per column.
import {
  ACTIVE_FIGURES,
  ACTIVE_FIGURE_FACTS,
  BALANCE_NOTE,
  COLUMN_KEYS,
  COLUMN_LABELS,
  REMEDY_COLUMNS,
  REMEDY_KIND_LABELS,
  REMEDY_RESULT_LABELS,
  ROW_KEYS,
  TEXT_SECTION_LABELS,
  cellKey,
  type RemedyKind,
  type RemedyResult,
} from './rules.js';
import type { ReportView } from './schemas.js';
import { pdfRowLabel } from './pdf.js';

/** Text typed by the office, shown as written: Markdown's marks escaped, paragraphs kept. */
const escapeText = (s: string) =>
  s
    .replace(/[\\`*_[\]#|<>~]/g, (c) => `\\${c}`)
    .replace(/^(\s*)(\d+)\.(\s)/gm, '$1$2\\.$3')
    .replace(/^(\s*)([-+])(\s)/gm, '$1\\$2$3');
const cell = (s: string) => escapeText(s).replace(/\n/g, ' ');
const row = (cells: string[]) => `| ${cells.map(cell).join(' | ')} |`;
const table = (head: string[], rows: string[][]) => [row(head), row(head.map(() => '---')), ...rows.map(row)].join('\n');
const section = (heading: string, text: string) =>
  `## ${heading}\n\n${
    text.trim()
      ? text
          .trim()
          .split(/\n+/)
          .map((p) => escapeText(p.trim()))
          .join('\n\n')
      : '（无）'
  }`;

/** The report's body for the site (Markdown), from what the service returns for an approved report. */
export function reportSiteBody(v: ReportView): string {
  const figure = (x: number | null | undefined) => (x === null || x === undefined ? '—' : String(x));
  return [
    `本报告根据《中华人民共和国政府信息公开条例》第四十九条、第五十条和《中华人民共和国政府信息公开工作年度报告格式》（国办公开办函〔2021〕30号）编制。报告中所列数据的统计期限自${v.year}年1月1日起至${v.year}年12月31日止。`,
    section(TEXT_SECTION_LABELS.overview, v.texts.overview),
    `## 二、主动公开政府信息情况\n\n${table(
      ['信息内容', '项目', '数量'],
      ACTIVE_FIGURES.map((k) => [ACTIVE_FIGURE_FACTS[k].row, ACTIVE_FIGURE_FACTS[k].column, figure(v.active[k])]),
    )}`,
    `## 三、收到和处理政府信息公开申请情况\n\n${table(
      [BALANCE_NOTE, ...COLUMN_KEYS.map((c) => COLUMN_LABELS[c])],
      ROW_KEYS.map((r) => [pdfRowLabel(r), ...COLUMN_KEYS.map((c) => String(v.table[cellKey(r, c)] ?? 0))]),
    )}`,
    `## 四、政府信息公开行政复议、行政诉讼情况\n\n${table(
      ['类别', '结果', '数量'],
      REMEDY_COLUMNS.map((c) => {
        const [kind, result] = c.split(':') as [RemedyKind, RemedyResult | 'total'];
        return [REMEDY_KIND_LABELS[kind], result === 'total' ? '总计' : REMEDY_RESULT_LABELS[result], String(v.remedies[c] ?? 0)];
      }),
    )}`,
    section(TEXT_SECTION_LABELS.problems, v.texts.problems),
    section(TEXT_SECTION_LABELS.other, v.texts.other),
  ].join('\n\n');
}
