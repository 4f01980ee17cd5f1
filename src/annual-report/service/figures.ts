// The figures of an annual report (issue 18) as the record gives them now, the sentences offered for section 一
// and the correction notes of a frozen year: requests through requests/service/annual-feed.ts, the register
// through disclosure/service/annual-feed.ts, the hand figures and remedy records from this module's tables.
import { and, eq, gte, lte } from 'drizzle-orm';
import type { Viewer } from '../../auth/viewer.js';
import type { Executor } from '../../db/client.js';
import { normativeDocumentsForAnnualReport } from '../../disclosure/service/annual-feed.js';
import { catalogueTimeliness } from '../../disclosure/service/timeliness.js';
import { feesPaidInYear, requestsForAnnualReport } from '../../requests/service/annual-feed.js';
import {
  ACTIVE_FIGURE_FACTS,
  ACTIVE_FIGURES,
  CELL_KEY_PATTERN,
  COLUMN_KEYS,
  HAND_FIGURES,
  REMEDY_COLUMNS,
  REMEDY_KIND_LABELS,
  REMEDY_RESULT_LABELS,
  ROW_KEYS,
  activeFigureLabel,
  applyOverrides,
  cellKey,
  cellLabel,
  computeRemedies,
  computeTable,
  normativeFigures,
  parseCellKey,
  runChecks,
  type ActiveFigure,
  type CellKey,
  type ColumnKey,
} from '../rules.js';
import type { ReportFigures } from '../schemas.js';
import { annualRemedyCases, annualReportFigures, annualReports } from '../tables.js';

export const yearRange = (year: number) => ({ from: `${year}-01-01`, to: `${year}-12-31` });

export async function reportRow(db: Executor, year: number) {
  const [row] = await db.select().from(annualReports).where(eq(annualReports.year, year));
  return row;
}

/** The figures of a year as the record gives them now (live): table 三 with corrections, 二, 四 and the checks. */
export async function liveFigures(db: Executor, viewer: Viewer, year: number, withLastYear = true): Promise<ReportFigures> {
  const [requests, documents, handRows, remedyRows] = await Promise.all([
    requestsForAnnualReport(db, viewer, year),
    normativeDocumentsForAnnualReport(db, viewer, year),
    db.select().from(annualReportFigures).where(eq(annualReportFigures.year, year)),
    db
      .select()
      .from(annualRemedyCases)
      .where(and(gte(annualRemedyCases.filedOn, yearRange(year).from), lte(annualRemedyCases.filedOn, yearRange(year).to))),
  ]);
  const { table: computed, behind } = computeTable(year, requests);
  const overrides = handRows
    .filter((r) => CELL_KEY_PATTERN.test(r.key))
    .map((r) => ({ cell: r.key as CellKey, value: Number(r.value), sourceNote: r.sourceNote }));
  const table = applyOverrides(computed, overrides);
  const byKey = new Map(handRows.map((r) => [r.key, r]));
  const register = normativeFigures(year, documents);
  const active = Object.fromEntries(
    ACTIVE_FIGURES.map((k) => [
      k,
      ACTIVE_FIGURE_FACTS[k].source === 'register'
        ? register[k as keyof typeof register]
        : byKey.has(k)
          ? Number(byKey.get(k)!.value)
          : null,
    ]),
  ) as Record<ActiveFigure, number | null>;
  const remedies = computeRemedies(
    year,
    remedyRows.map((r) => ({ kind: r.kind, filedOn: r.filedOn, result: r.result === 'pending' ? null : r.result, decidedOn: r.decidedOn })),
  );
  const handFigures = handRows.map((r) => {
    const cell = parseCellKey(r.key);
    return {
      key: r.key,
      label: cell ? `表三 ${cellLabel(cell.row, cell.col)}（更正）` : `表二 ${activeFigureLabel(r.key as ActiveFigure)}`,
      value: Number(r.value),
      sourceNote: r.sourceNote,
      enteredBy: r.enteredByName,
      enteredAt: r.enteredAt.toISOString(),
    };
  });
  let lastYearCarriedOut: Record<ColumnKey, number> | null = null;
  if (withLastYear) {
    const last = await reportRow(db, year - 1);
    if (last) {
      const lastTable = last.snapshot?.table ?? (await liveFigures(db, viewer, year - 1, false)).table;
      lastYearCarriedOut = Object.fromEntries(COLUMN_KEYS.map((c) => [c, lastTable[cellKey('carried_out', c)] ?? 0])) as Record<
        ColumnKey,
        number
      >;
    }
  }
  const checks = runChecks({
    table,
    lastYearCarriedOut,
    handFigures: [
      ...HAND_FIGURES.map((k) => ({
        key: k,
        label: `表二 ${activeFigureLabel(k)}`,
        value: active[k],
        sourceNote: byKey.get(k)?.sourceNote ?? '',
      })),
      ...handFigures.filter((f) => CELL_KEY_PATTERN.test(f.key)),
    ],
  });
  return { table, computed, behind, active, remedies, handFigures, checks };
}

/** Sentences from the record the office may start section 一 from (issue 18 point 1). */
export function suggestionsOf(year: number, f: ReportFigures): string[] {
  const t = f.table;
  const a = f.active;
  const out = [
    `${year}年，本局共收到政府信息公开申请${t['new:total']}件，上年结转${t['carried_in:total']}件；本年度办结${t['total:total']}件，其中予以公开${t['disclosed:total']}件、部分公开${t['partly_disclosed:total']}件；结转下年度继续办理${t['carried_out:total']}件。`,
    `本年制发行政规范性文件${a.normative_issued}件，废止${a.normative_repealed}件，截至年底现行有效${a.normative_valid}件。`,
  ];
  const remedies =
    f.remedies['reconsideration:total']! + f.remedies['direct_suit:total']! + f.remedies['suit_after_reconsideration:total']!;
  out.push(
    remedies === 0
      ? `本年度未发生因政府信息公开工作被申请行政复议、提起行政诉讼的情况。`
      : `本年度因政府信息公开工作被申请行政复议${f.remedies['reconsideration:total']}件，被提起行政诉讼${f.remedies['direct_suit:total']! + f.remedies['suit_after_reconsideration:total']!}件。`,
  );
  if (a.fees_amount !== null) out.push(`本年度行政事业性收费金额${a.fees_amount}万元。`);
  return out;
}

/**
 * The sentences that need more of the record than the report's figures (issue 18 point 1): the proactive
 * catalogue entries due in the year and how many were published on time (条例 Art. 26, 20 working days;
 * disclosure/service/timeliness.ts), and the 信息处理费 collected (国办函〔2020〕109号; the requests' paid fee notices).
 */
export async function recordSuggestions(db: Executor, viewer: Viewer, year: number): Promise<string[]> {
  const [timeliness, fees] = await Promise.all([catalogueTimeliness({ db }, viewer, year), feesPaidInYear(db, viewer, year)]);
  const due = timeliness.departments.reduce((n, d) => n + d.due, 0);
  const published = timeliness.departments.reduce((n, d) => n + d.published, 0);
  const onTime = timeliness.departments.reduce((n, d) => n + d.onTime, 0);
  const out = [
    due === 0
      ? `本年度没有应录入政府信息公开目录的主动公开信息。`
      : `本年度应在20个工作日内主动公开的政府信息${due}条，已公开${published}条，其中按期公开${onTime}条，按期公开率${((onTime / due) * 100).toFixed(1)}%。`,
  ];
  out.push(
    fees.requests === 0
      ? `本年度未收取政府信息公开信息处理费。`
      : `本年度对${fees.requests}件政府信息公开申请收取信息处理费，共计${fees.amountYuan.toFixed(2)}元。`,
  );
  return out;
}

/** What changed in the record since approval: one note per figure that differs (the report itself stays as approved). */
export function correctionsOf(frozen: ReportFigures, live: ReportFigures): string[] {
  const notes: string[] = [];
  for (const row of ROW_KEYS)
    for (const col of COLUMN_KEYS) {
      const k = cellKey(row, col);
      if (frozen.table[k] !== live.table[k])
        notes.push(`表三 ${cellLabel(row, col)}：审定时为 ${frozen.table[k]}，按现有记录为 ${live.table[k]}`);
    }
  for (const k of ACTIVE_FIGURES)
    if (frozen.active[k] !== live.active[k])
      notes.push(`表二 ${activeFigureLabel(k)}：审定时为 ${frozen.active[k] ?? '未填报'}，按现有记录为 ${live.active[k] ?? '未填报'}`);
  for (const c of REMEDY_COLUMNS)
    if (frozen.remedies[c] !== live.remedies[c]) {
      const [kind, result] = c.split(':') as [keyof typeof REMEDY_KIND_LABELS, keyof typeof REMEDY_RESULT_LABELS | 'total'];
      notes.push(
        `表四 ${REMEDY_KIND_LABELS[kind]}·${result === 'total' ? '总计' : REMEDY_RESULT_LABELS[result]}：审定时为 ${frozen.remedies[c]}，按现有记录为 ${live.remedies[c]}`,
      );
    }
  return notes;
}
