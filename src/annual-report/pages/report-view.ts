// The report in the printed layout of the national format (国办公开办函〔2021〕30号; national-rules.md §2.3–2.5):
// table 二, table 三 with the format's row and column spans (rules.ts printedRows), table 四 with its two header
// rows. Pure rendering of what the service returns; each number of table 三 links to the requests behind it.
import { html, type SafeHtml } from '../../web/html.js';
import { APPLICANT_TYPES } from '../../requests/outcomes.js';
import {
  ACTIVE_FIGURE_FACTS,
  BALANCE_NOTE,
  COLUMN_KEYS,
  COLUMN_LABELS,
  REMEDY_COLUMNS,
  REMEDY_RESULT_LABELS,
  REMEDY_RESULTS,
  TEXT_SECTION_LABELS,
  cellKey,
  printedRows,
  type ActiveFigure,
} from '../rules.js';
import type { ReportView } from '../schemas.js';

/** What the printed document shows: the staff view and the public one (a published snapshot) both have it. */
type PrintedReport = Pick<ReportView, 'year' | 'texts' | 'table' | 'computed' | 'active' | 'remedies'>;

export const reportTitle = (year: number) => `福建省市场监督管理局${year}年政府信息公开工作年度报告`;
export const cellHref = (year: number, cell: string) => `/staff/annual-reports/${year}/cells/${cell}`;

const fig = (v: number | null | undefined) => (v === null || v === undefined ? '—' : String(v));

function tableTwo(v: PrintedReport): SafeHtml {
  const a = v.active;
  const f = (k: ActiveFigure) => html`<td data-figure="${k}">${fig(a[k])}</td>`;
  return html`<table class="annual-table" id="table-2">
<tr><th colspan="4">第二十条第（一）项</th></tr>
<tr><th>信息内容</th><th>本年制发件数</th><th>本年废止件数</th><th>现行有效件数</th></tr>
<tr><td>规章</td>${f('rules_issued')}${f('rules_repealed')}${f('rules_valid')}</tr>
<tr><td>行政规范性文件</td>${f('normative_issued')}${f('normative_repealed')}${f('normative_valid')}</tr>
<tr><th colspan="4">第二十条第（五）项</th></tr>
<tr><th>信息内容</th><th colspan="3">本年处理决定数量</th></tr>
<tr><td>行政许可</td><td colspan="3" data-figure="licensing_decisions">${fig(a.licensing_decisions)}</td></tr>
<tr><th colspan="4">第二十条第（六）项</th></tr>
<tr><th>信息内容</th><th colspan="3">本年处理决定数量</th></tr>
<tr><td>行政处罚</td><td colspan="3" data-figure="penalty_decisions">${fig(a.penalty_decisions)}</td></tr>
<tr><td>行政强制</td><td colspan="3" data-figure="coercion_decisions">${fig(a.coercion_decisions)}</td></tr>
<tr><th colspan="4">第二十条第（八）项</th></tr>
<tr><th>信息内容</th><th colspan="3">${ACTIVE_FIGURE_FACTS.fees_amount.column}</th></tr>
<tr><td>行政事业性收费</td><td colspan="3" data-figure="fees_amount">${fig(a.fees_amount)}</td></tr>
</table>`;
}

function tableThree(v: PrintedReport, links: boolean): SafeHtml {
  const organisations = APPLICANT_TYPES.filter((t) => t !== 'natural_person');
  const head = html`<tr><th rowspan="3" colspan="3">${BALANCE_NOTE}</th><th colspan="7">申请人情况</th></tr>
<tr><th rowspan="2">${COLUMN_LABELS.natural_person}</th><th colspan="5">法人或其他组织</th><th rowspan="2">${COLUMN_LABELS.total}</th></tr>
<tr>${organisations.map((t) => html`<th>${COLUMN_LABELS[t]}</th>`)}</tr>`;
  const body = printedRows().map(
    (r) =>
      html`<tr data-row="${r.row}">${r.labels.map((l) => html`<th scope="row"${l.rowspan > 1 && html` rowspan="${l.rowspan}"`}${l.colspan > 1 && html` colspan="${l.colspan}"`}>${l.text}</th>`)}${COLUMN_KEYS.map(
        (c) => {
          const k = cellKey(r.row, c);
          const value = v.table[k] ?? 0;
          const corrected = value !== (v.computed[k] ?? 0);
          return html`<td data-cell="${k}"${corrected && html` class="corrected"`}>${links ? html`<a href="${cellHref(v.year, k)}">${value}</a>` : value}</td>`;
        },
      )}</tr>`,
  );
  return html`<table class="annual-table" id="table-3"><thead>${head}</thead><tbody>${body}</tbody></table>`;
}

function tableFour(v: PrintedReport): SafeHtml {
  const results = [...REMEDY_RESULTS.map((r) => REMEDY_RESULT_LABELS[r]), '总计'];
  return html`<table class="annual-table" id="table-4">
<tr><th colspan="5" rowspan="2">行政复议</th><th colspan="10">行政诉讼</th></tr>
<tr><th colspan="5">未经复议直接起诉</th><th colspan="5">复议后起诉</th></tr>
<tr>${[0, 1, 2].map(() => results.map((r) => html`<th>${r}</th>`))}</tr>
<tr>${REMEDY_COLUMNS.map((c) => html`<td data-remedy="${c}">${v.remedies[c] ?? 0}</td>`)}</tr>
</table>`;
}

const paragraphs = (text: string) =>
  text.trim() ? text.split(/\n+/).map((p) => html`<p>${p}</p>`) : html`<p class="empty">（尚未填写）</p>`;

/** The report as printed: title, the six sections in the format's order. */
export function reportDocument(v: PrintedReport, opts: { links: boolean }): SafeHtml {
  return html`<article class="annual-report">
<h1>${reportTitle(v.year)}</h1>
<p>本报告根据《中华人民共和国政府信息公开条例》第四十九条、第五十条和《中华人民共和国政府信息公开工作年度报告格式》（国办公开办函〔2021〕30号）编制。报告中所列数据的统计期限自${v.year}年1月1日起至${v.year}年12月31日止。</p>
<h2>${TEXT_SECTION_LABELS.overview}</h2>${paragraphs(v.texts.overview)}
<h2>二、主动公开政府信息情况</h2>${tableTwo(v)}
<h2>三、收到和处理政府信息公开申请情况</h2>${tableThree(v, opts.links)}
<h2>四、政府信息公开行政复议、行政诉讼情况</h2>${tableFour(v)}
<h2>${TEXT_SECTION_LABELS.problems}</h2>${paragraphs(v.texts.problems)}
<h2>${TEXT_SECTION_LABELS.other}</h2>${paragraphs(v.texts.other)}
</article>`;
}
