// Statutory duties outside the national indicators of 国办秘函〔2019〕19号 that the dashboard flags: the annual
// disclosure report not published by 31 January (条例 Art. 49; src/annual-report). Pure rules.
import type { InspectionFacts, InspectionReport } from './rules.js';

export interface InspectionFlag {
  key: 'annualReportLate';
  label: string;
  cause: string;
}

export interface FlagFacts {
  /** The year whose annual disclosure report is not published after 31 January; null: none. */
  annualReportLate: number | null;
}

/** A day's results with the flags; `flags` is absent when there is none. */
export type FlaggedReport = InspectionReport & { flags?: InspectionFlag[] };

export function flagsOf(f: FlagFacts): InspectionFlag[] {
  if (f.annualReportLate === null) return [];
  const y = f.annualReportLate;
  return [
    {
      key: 'annualReportLate',
      label: '政府信息公开工作年度报告逾期未发布',
      cause: `${y}年政府信息公开工作年度报告应于${y + 1}年1月31日前向社会公布（《中华人民共和国政府信息公开条例》第四十九条），至今尚未发布`,
    },
  ];
}

export function withFlags(report: InspectionReport, f: InspectionFacts & FlagFacts): FlaggedReport {
  const flags = flagsOf(f);
  return flags.length > 0 ? { ...report, flags } : report;
}
