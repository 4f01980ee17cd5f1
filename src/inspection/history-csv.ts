// The inspection history as CSV (the office exports it; issue 21 point 5).
import { STATUS_LABELS, type InspectionReport } from './rules.js';

/** The CSV of stored days: one line per day and indicator (UTF-8 with BOM so spreadsheet programs read the Chinese). */
export function historyCsv(reports: InspectionReport[]): string {
  const cell = (v: string) => (/[",\n\r]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  const lines = [['日期', '指标', '性质', '状态', '数值', '阈值', '原因', '当日单项否决'].join(',')];
  for (const r of reports) {
    for (const i of r.results) {
      lines.push(
        [r.day, i.label, i.effect, STATUS_LABELS[i.status], i.value, i.threshold, i.cause, r.vetoed ? '是' : '否'].map(cell).join(','),
      );
    }
  }
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}
