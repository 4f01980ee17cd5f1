// Calendar arithmetic on China dates (YYYY-MM-DD): the national indicators count calendar days and months.
import { dayToIso, parseIsoDate } from '../calendar/china-time.js';

/** The same date `months` calendar months earlier (the last day of the month when it has no such day). */
export function monthsBefore(dayIso: string, months: number): string {
  const [y, m, d] = dayIso.split('-').map(Number) as [number, number, number];
  const total = y * 12 + (m - 1) - months;
  const ny = Math.floor(total / 12);
  const nm = (total % 12) + 1;
  const last = new Date(Date.UTC(ny, nm, 0)).getUTCDate();
  return `${ny}-${String(nm).padStart(2, '0')}-${String(Math.min(d, last)).padStart(2, '0')}`;
}
export const daysBetween = (from: string, to: string) => parseIsoDate(to)! - parseIsoDate(from)!;
export const addDays = (dayIso: string, n: number) => dayToIso(parseIsoDate(dayIso)! + n);
