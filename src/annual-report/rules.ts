// The annual disclosure report (政府信息公开工作年度报告, issue 18): 条例 Art. 49 (submit and publish before
// 31 January), Art. 50 (contents) and the national format 国办公开办函〔2021〕30号 (national-rules.md §2).
// Pure rules, no I/O: the layout of tables 二, 三 and 四, table 三 computed from request facts, table 四
// from remedy records, the consistency checks (勾稽关系) as data, the deadlines and who may do what.
import { holdsAny, type Role } from '../auth/roles.js';
import { chinaDayOf, dayToIso } from '../calendar/china-time.js';
import {
  APPLICANT_TYPE_LABELS,
  APPLICANT_TYPES,
  OUTCOME_FACTS,
  OUTCOME_GROUP_LABELS,
  REQUEST_OUTCOMES,
  outcomesOf,
  type ApplicantType,
  type OutcomeGroup,
  type RequestOutcome,
} from '../requests/outcomes.js';

// ---- who may do what ----

/** Only the general office (the 政府信息公开工作机构, measures Art. 29) edits and approves the report. */
export const REPORT_EDITORS = ['office'] as const satisfies readonly Role[];
/** Who reads the report's staff pages: the office, the bureau leaders, administrators. */
export const REPORT_READERS = ['office', 'bureau_leader', 'admin'] as const satisfies readonly Role[];

export function can(roles: readonly Role[], action: 'read' | 'edit'): boolean {
  return holdsAny(roles, action === 'edit' ? REPORT_EDITORS : REPORT_READERS);
}

// ---- the report's states ----

export const REPORT_STATUS_LABELS = { draft: '草稿', approved: '已审定', published: '已发布' } as const;
export type ReportStatus = keyof typeof REPORT_STATUS_LABELS;
export const REPORT_STATUSES = Object.keys(REPORT_STATUS_LABELS) as [ReportStatus, ...ReportStatus[]];

/** The three texts the office writes (format sections 一, 五, 六). */
export const TEXT_SECTION_LABELS = {
  overview: '一、总体情况',
  problems: '五、存在的主要问题及改进情况',
  other: '六、其他需要报告的事项',
} as const;
export type TextSection = keyof typeof TEXT_SECTION_LABELS;
export const TEXT_SECTIONS = Object.keys(TEXT_SECTION_LABELS) as [TextSection, ...TextSection[]];

// ---- deadlines (条例 Art. 49; national-rules.md §2.6: the internal deadline is configurable) ----

/** The statutory deadline: "每年1月31日前" — published by the end of 31 January of the next year. */
export const STATUTORY_DEADLINE_MONTH_DAY = '01-31';
/** The default internal deadline the office sets itself. */
export const DEFAULT_INTERNAL_DEADLINE_MONTH_DAY = '01-20';
/** Reminders in the office's digest start on this day of the next year. */
export const REMINDERS_FROM_MONTH_DAY = '01-02';
export const deadlineOf = (year: number, monthDay: string) => `${year + 1}-${monthDay}`;

// ---- table 三 (national-rules.md §2.4): the layout declared once ----

export const COLUMN_KEYS = [...APPLICANT_TYPES, 'total'] as const;
export type ColumnKey = (typeof COLUMN_KEYS)[number];
export const COLUMN_LABELS: Record<ColumnKey, string> = { ...APPLICANT_TYPE_LABELS, total: '总计' };

export const ROW_KEYS = ['new', 'carried_in', ...REQUEST_OUTCOMES, 'total', 'carried_out'] as const;
export type RowKey = (typeof ROW_KEYS)[number];
export const ROW_LABELS: Record<RowKey, string> = {
  new: '一、本年新收政府信息公开申请数量',
  carried_in: '二、上年结转政府信息公开申请数量',
  ...(Object.fromEntries(REQUEST_OUTCOMES.map((o) => [o, OUTCOME_FACTS[o].label])) as Record<RequestOutcome, string>),
  total: '（七）总计',
  carried_out: '四、结转下年度继续办理',
};
export const RESULTS_LABEL = '三、本年度办理结果';
export const BALANCE_NOTE = '本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和';

export type CellKey = `${RowKey}:${ColumnKey}`;
export const cellKey = (row: RowKey, col: ColumnKey): CellKey => `${row}:${col}`;
export const CELL_KEY_PATTERN = new RegExp(`^(${ROW_KEYS.join('|')}):(${COLUMN_KEYS.join('|')})$`);
export function parseCellKey(s: string): { row: RowKey; col: ColumnKey } | undefined {
  const m = CELL_KEY_PATTERN.exec(s);
  return m ? { row: m[1] as RowKey, col: m[2] as ColumnKey } : undefined;
}
export const cellLabel = (row: RowKey, col: ColumnKey) => `${ROW_LABELS[row]} × ${COLUMN_LABELS[col]}`;

/**
 * The printed rows of table 三 with their label cells, as in the format (national-rules.md §2.4): the first
 * label column holds 一/二/三/四 (三 spanning the 22 result rows), the second the groups （一）…（七）
 * (（三）8, （四）3, （五）5, （六）3 rows), the third the leaves. A label cell is [text, rowspan, colspan];
 * rows carry only the label cells that start on them. No subtotal rows: only the leaves and （七） carry numbers.
 */
export interface PrintedRow {
  row: RowKey;
  labels: { text: string; rowspan: number; colspan: number }[];
}
export function printedRows(): PrintedRow[] {
  const out: PrintedRow[] = [
    { row: 'new', labels: [{ text: ROW_LABELS.new, rowspan: 1, colspan: 3 }] },
    { row: 'carried_in', labels: [{ text: ROW_LABELS.carried_in, rowspan: 1, colspan: 3 }] },
  ];
  const groups = Object.keys(OUTCOME_GROUP_LABELS) as OutcomeGroup[];
  let first = true;
  for (const g of groups) {
    const leaves = outcomesOf(g);
    leaves.forEach((o, i) => {
      const labels: PrintedRow['labels'] = [];
      if (first) labels.push({ text: RESULTS_LABEL, rowspan: REQUEST_OUTCOMES.length + 1, colspan: 1 });
      first = false;
      if (leaves.length === 1) labels.push({ text: OUTCOME_GROUP_LABELS[g], rowspan: 1, colspan: 2 });
      else {
        if (i === 0) labels.push({ text: OUTCOME_GROUP_LABELS[g], rowspan: leaves.length, colspan: 1 });
        labels.push({ text: OUTCOME_FACTS[o].label, rowspan: 1, colspan: 1 });
      }
      out.push({ row: o, labels });
    });
  }
  out.push({ row: 'total', labels: [{ text: ROW_LABELS.total, rowspan: 1, colspan: 2 }] });
  out.push({ row: 'carried_out', labels: [{ text: ROW_LABELS.carried_out, rowspan: 1, colspan: 3 }] });
  return out;
}

// ---- table 三 computed from the request record ----

/** What the report needs of one request (from requests/service/annual-feed.ts). */
export interface RequestFact {
  number: string;
  applicantType: ApplicantType;
  /** The receipt instant (条例 Art. 31); its China date decides the year. */
  receivedAt: Date;
  /** The China date the request was concluded or withdrawn; null while open. */
  concludedOn: string | null;
  /** The recorded outcome; null for a withdrawal. */
  outcome: RequestOutcome | null;
  withdrawn: boolean;
}

/**
 * The result row a concluded request counts in. A withdrawal counts in （六）3.其他 (national-rules.md §2.4
 * mapping: "withdrawn or other → （六）3"). 部分公开 is its own leaf and counts only there ("区分处理的，只计
 * 这一情形，不计其他情形"): one application, one outcome.
 */
export const resultRowOf = (f: Pick<RequestFact, 'outcome' | 'withdrawn'>): RequestOutcome => f.outcome ?? 'other';

export type Table = Record<CellKey, number>;
export type Behind = Record<CellKey, string[]>;

export const chinaDateOf = (at: Date) => dayToIso(chinaDayOf(at));

/**
 * Table 三 for a year, with the request numbers behind each cell. The statistical period is 1 January – 31
 * December of the year, China dates (national-rules.md §2.2, §2.4 mapping table):
 * - 一 本年新收: received (条例 Art. 31 receipt date) in the year;
 * - 二 上年结转: received before the year and not concluded before 1 January (still open on 1 January);
 * - 三 results: concluded in the year, by outcome;
 * - 四 结转下年度继续办理: received by 31 December and not concluded by 31 December.
 * So every column balances by construction: 一 + 二 = 三（七） + 四.
 */
export function computeTable(year: number, facts: readonly RequestFact[]): { table: Table; behind: Behind } {
  const from = `${year}-01-01`;
  const to = `${year}-12-31`;
  const behind = Object.fromEntries(ROW_KEYS.flatMap((r) => COLUMN_KEYS.map((c) => [cellKey(r, c), [] as string[]]))) as Behind;
  const add = (row: RowKey, f: RequestFact) => {
    behind[cellKey(row, f.applicantType)].push(f.number);
    behind[cellKey(row, 'total')].push(f.number);
  };
  for (const f of facts) {
    const receivedOn = chinaDateOf(f.receivedAt);
    if (receivedOn > to) continue;
    const concluded = f.concludedOn;
    if (receivedOn >= from) add('new', f);
    else if (concluded === null || concluded >= from) add('carried_in', f);
    else continue;
    if (concluded !== null && concluded <= to) {
      add(resultRowOf(f), f);
      add('total', f);
    } else add('carried_out', f);
  }
  for (const list of Object.values(behind)) list.sort();
  const table = Object.fromEntries(Object.entries(behind).map(([k, v]) => [k, v.length])) as Table;
  return { table, behind };
}

/** A hand correction of a table 三 cell (a request handled outside the system, say), with its source note. */
export interface CellOverride {
  cell: CellKey;
  value: number;
  sourceNote: string;
}

/** The table as reported: the computed cells with the office's corrections laid over them. */
export function applyOverrides(table: Table, overrides: readonly CellOverride[]): Table {
  const out = { ...table };
  for (const o of overrides) out[o.cell] = o.value;
  return out;
}

// ---- table 二 (national-rules.md §2.3, 2021 format) ----

export const ACTIVE_FIGURE_FACTS = {
  rules_issued: { row: '规章', column: '本年制发件数', source: 'hand', unit: '件' },
  rules_repealed: { row: '规章', column: '本年废止件数', source: 'hand', unit: '件' },
  rules_valid: { row: '规章', column: '现行有效件数', source: 'hand', unit: '件' },
  normative_issued: { row: '行政规范性文件', column: '本年制发件数', source: 'register', unit: '件' },
  normative_repealed: { row: '行政规范性文件', column: '本年废止件数', source: 'register', unit: '件' },
  normative_valid: { row: '行政规范性文件', column: '现行有效件数', source: 'register', unit: '件' },
  licensing_decisions: { row: '行政许可', column: '本年处理决定数量', source: 'hand', unit: '件' },
  penalty_decisions: { row: '行政处罚', column: '本年处理决定数量', source: 'hand', unit: '件' },
  coercion_decisions: { row: '行政强制', column: '本年处理决定数量', source: 'hand', unit: '件' },
  fees_amount: { row: '行政事业性收费', column: '本年收费金额（单位：万元）', source: 'hand', unit: '万元' },
} as const satisfies Record<string, { row: string; column: string; source: 'hand' | 'register'; unit: string }>;
export type ActiveFigure = keyof typeof ACTIVE_FIGURE_FACTS;
export const ACTIVE_FIGURES = Object.keys(ACTIVE_FIGURE_FACTS) as [ActiveFigure, ...ActiveFigure[]];
export const HAND_FIGURES = ACTIVE_FIGURES.filter((k) => ACTIVE_FIGURE_FACTS[k].source === 'hand');
export const activeFigureLabel = (k: ActiveFigure) => `${ACTIVE_FIGURE_FACTS[k].row} · ${ACTIVE_FIGURE_FACTS[k].column}`;

/** What the register gives for one 行政规范性文件 (disclosure/service/annual-feed.ts). */
export interface NormativeDocumentFact {
  formedOn: string;
  validity: 'valid' | 'amended' | 'repealed' | 'expired';
  validityChangedOn: string | null;
}

/**
 * 行政规范性文件 from the register (category 规章和行政规范性文件): 本年制发 = 成文日期 in the year; 本年废止 =
 * repealed or expired (已废止 / 已失效) with the change dated in the year; 现行有效 = formed by 31 December and
 * still in force on 31 December (有效 or 已修改 — an amended document stays in force as amended — or repealed
 * only after the year). The register does not tell 规章 from 规范性文件, and a provincial department issues no
 * 规章 of its own, so the 规章 row is entered by the office with its source like the other hand figures.
 */
export function normativeFigures(year: number, docs: readonly NormativeDocumentFact[]) {
  const from = `${year}-01-01`;
  const to = `${year}-12-31`;
  const ended = (d: NormativeDocumentFact) => d.validity === 'repealed' || d.validity === 'expired';
  return {
    normative_issued: docs.filter((d) => d.formedOn >= from && d.formedOn <= to).length,
    normative_repealed: docs.filter(
      (d) => ended(d) && d.validityChangedOn !== null && d.validityChangedOn >= from && d.validityChangedOn <= to,
    ).length,
    normative_valid: docs.filter((d) => d.formedOn <= to && (!ended(d) || (d.validityChangedOn !== null && d.validityChangedOn > to)))
      .length,
  };
}

// ---- table 四 (national-rules.md §2.5): 行政复议 and 行政诉讼 ----

export const REMEDY_KIND_LABELS = {
  reconsideration: '行政复议',
  direct_suit: '行政诉讼（未经复议直接起诉）',
  suit_after_reconsideration: '行政诉讼（复议后起诉）',
} as const;
export type RemedyKind = keyof typeof REMEDY_KIND_LABELS;
export const REMEDY_KINDS = Object.keys(REMEDY_KIND_LABELS) as [RemedyKind, ...RemedyKind[]];

export const REMEDY_RESULT_LABELS = { upheld: '结果维持', corrected: '结果纠正', other: '其他结果', pending: '尚未审结' } as const;
export type RemedyResult = keyof typeof REMEDY_RESULT_LABELS;
export const REMEDY_RESULTS = Object.keys(REMEDY_RESULT_LABELS) as [RemedyResult, ...RemedyResult[]];

/** The 15 columns of table 四, in the printed order: per kind the four results and 总计. */
export const REMEDY_COLUMNS = REMEDY_KINDS.flatMap((k) => [...REMEDY_RESULTS, 'total' as const].map((r) => `${k}:${r}` as const));
export type RemedyColumn = (typeof REMEDY_COLUMNS)[number];

export interface RemedyFact {
  kind: RemedyKind;
  filedOn: string;
  /** The result once decided, with the date; null while pending. */
  result: Exclude<RemedyResult, 'pending'> | null;
  decidedOn: string | null;
}

/**
 * Table 四 for a year: the cases filed in the year, each with its result as of 31 December (decided later or
 * not yet: 尚未审结). The format gives no counting rule of its own (national-rules.md §2.5); this reading
 * counts each case once, in the year it was brought.
 */
export function computeRemedies(year: number, facts: readonly RemedyFact[]): Record<RemedyColumn, number> {
  const out = Object.fromEntries(REMEDY_COLUMNS.map((c) => [c, 0])) as Record<RemedyColumn, number>;
  const to = `${year}-12-31`;
  for (const f of facts) {
    if (!f.filedOn.startsWith(`${year}-`)) continue;
    const result: RemedyResult = f.result !== null && f.decidedOn !== null && f.decidedOn <= to ? f.result : 'pending';
    out[`${f.kind}:${result}`] += 1;
    out[`${f.kind}:total`] += 1;
  }
  return out;
}

// ---- the checks before submission (issue 18 point 2) ----

export interface Check {
  id: string;
  label: string;
  /** The cells involved (table 三 cell keys or hand-figure keys). */
  cells: string[];
  /** The two sides as numbers, where the check compares two sums. */
  left?: number;
  right?: number;
  passed: boolean;
}

export interface CheckInput {
  table: Table;
  /** Last year's 四 per column, when last year's report is in the system. */
  lastYearCarriedOut?: Record<ColumnKey, number> | null;
  /** Every hand-typed figure (table 二 hand rows, table 三 corrections, table 四 is from records), with its note. */
  handFigures: { key: string; label: string; value: number | null; sourceNote: string }[];
}

const sum = (t: Table, cells: CellKey[]) => cells.reduce((s, c) => s + t[c], 0);

export function runChecks({ table, lastYearCarriedOut, handFigures }: CheckInput): Check[] {
  const checks: Check[] = [];
  for (const col of COLUMN_KEYS) {
    // The format's own note on the column (national-rules.md §2.4): 一 + 二 = 三（七） + 四.
    const l = [cellKey('new', col), cellKey('carried_in', col)];
    const r = [cellKey('total', col), cellKey('carried_out', col)];
    const left = sum(table, l);
    const right = sum(table, r);
    checks.push({
      id: `balance:${col}`,
      label: `${COLUMN_LABELS[col]}列：第一项加第二项之和等于第三项（七）总计加第四项之和`,
      cells: [...l, ...r],
      left,
      right,
      passed: left === right,
    });
  }
  for (const col of COLUMN_KEYS) {
    const leaves = REQUEST_OUTCOMES.map((o) => cellKey(o, col));
    const left = table[cellKey('total', col)];
    const right = sum(table, leaves);
    checks.push({
      id: `leaves:${col}`,
      label: `${COLUMN_LABELS[col]}列：（七）总计等于各办理结果之和`,
      cells: [cellKey('total', col), ...leaves],
      left,
      right,
      passed: left === right,
    });
  }
  for (const row of ROW_KEYS) {
    const parts = APPLICANT_TYPES.map((c) => cellKey(row, c));
    const left = table[cellKey(row, 'total')];
    const right = sum(table, parts);
    checks.push({
      id: `columns:${row}`,
      label: `${ROW_LABELS[row]}：总计等于自然人与五类法人或其他组织之和`,
      cells: [cellKey(row, 'total'), ...parts],
      left,
      right,
      passed: left === right,
    });
  }
  if (lastYearCarriedOut) {
    for (const col of COLUMN_KEYS) {
      const left = table[cellKey('carried_in', col)];
      const right = lastYearCarriedOut[col];
      checks.push({
        id: `carry:${col}`,
        label: `${COLUMN_LABELS[col]}列：本年“上年结转”等于上年度报告“结转下年度继续办理”`,
        cells: [cellKey('carried_in', col), `last_year:${cellKey('carried_out', col)}`],
        left,
        right,
        passed: left === right,
      });
    }
  }
  for (const f of handFigures) {
    checks.push({
      id: `source:${f.key}`,
      label: f.value === null ? `${f.label}：尚未填报` : `${f.label}：手工填报的数字须注明来源`,
      cells: [f.key],
      passed: f.value !== null && f.sourceNote.trim() !== '',
    });
  }
  return checks;
}

/** The year a report may be made for: a finished year (the report is on the year before). */
export const reportableYear = (year: number, today: string) => year >= 2021 && `${year}-12-31` < today;
