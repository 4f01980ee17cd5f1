// China dates and instants, independent of the server's time zone.
// Asia/Shanghai has been UTC+8 all year since 1991 (no DST), so plain arithmetic is exact here and
// far cheaper than a time-zone database lookup on every list row; test/unit/china-time.test.ts checks
// it against Intl's Asia/Shanghai for every hour of several years. These stay hand-written rather than
// date-fns: they run per list row, and workflows/ imports this file (it stays small and dependency-free).

export const CHINA_OFFSET_MS = 8 * 3600_000;
const DAY_MS = 86_400_000;

// parseIsoDate and dayToIso run for every request and list row, so they use integer arithmetic
// (H. Hinnant's civil-date algorithms) instead of a regex and Date objects: about 10× faster.

/** Value of `n` ASCII digits of `s` from `at`, or -1. */
function digits(s: string, at: number, n: number): number {
  let v = 0;
  for (let i = at; i < at + n; i++) {
    const c = s.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    v = v * 10 + c;
  }
  return v;
}

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const isLeap = (y: number) => y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);

/** Days since 1970-01-01 of a valid YYYY-MM-DD string, or undefined when malformed or impossible. */
export function parseIsoDate(text: string): number | undefined {
  if (text.length !== 10 || text.charCodeAt(4) !== 45 || text.charCodeAt(7) !== 45) return undefined;
  const y = digits(text, 0, 4);
  const m = digits(text, 5, 2);
  const d = digits(text, 8, 2);
  if (y < 0 || m < 1 || m > 12 || d < 1 || d > (m === 2 && isLeap(y) ? 29 : MONTH_DAYS[m - 1]!)) return undefined;
  const yy = m <= 2 ? y - 1 : y; // years start in March, so the leap day is the last day of a year
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m > 2 ? m - 3 : m + 9) + 2) / 5) + d - 1;
  return era * 146_097 + yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy - 719_468;
}

const TWO = Array.from({ length: 32 }, (_, i) => String(i).padStart(2, '0'));

export function dayToIso(day: number): string {
  const z = day + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  const y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  if (y < 1000 || y > 9999) return new Date(day * DAY_MS).toISOString().slice(0, 10); // rare: keep Date's format
  return `${y}-${TWO[m]}-${TWO[d]}`;
}

/** 0 = Sunday … 6 = Saturday. 1970-01-01 was a Thursday. */
export function weekdayOf(day: number): number {
  return (((day + 4) % 7) + 7) % 7;
}

/** The China calendar day (days since epoch) an instant falls on. */
export function chinaDayOf(instant: Date): number {
  return Math.floor((instant.getTime() + CHINA_OFFSET_MS) / DAY_MS);
}

/** Minutes since China midnight of an instant. */
export function chinaMinuteOfDay(instant: Date): number {
  const ms = (((instant.getTime() + CHINA_OFFSET_MS) % DAY_MS) + DAY_MS) % DAY_MS;
  return Math.floor(ms / 60_000);
}

/** The instant China midnight starts `day`. */
export function chinaMidnight(day: number): Date {
  return new Date(day * DAY_MS - CHINA_OFFSET_MS);
}

/** The last millisecond of a China date (YYYY-MM-DD): a task due that day is overdue after it. */
export const endOfChinaDate = (dayIso: string): Date => new Date(chinaMidnight(parseIsoDate(dayIso)! + 1).getTime() - 1);

/** ISO 8601 with +08:00, e.g. 2024-10-08T23:59:59.999+08:00. */
export function formatChinaDateTime(instant: Date): string {
  const shifted = new Date(instant.getTime() + CHINA_OFFSET_MS).toISOString();
  return `${shifted.slice(0, 23)}+08:00`;
}

/**
 * Parses an ISO date (a China date) or date-time. A date-time without an offset is China local time.
 * Returns the instant, or undefined when malformed or impossible.
 */
export function parseChinaInstant(text: string): Date | undefined {
  const m = /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:?\d{2})?)?$/.exec(text);
  if (!m) return undefined;
  const day = parseIsoDate(m[1]!);
  if (day === undefined) return undefined;
  if (m[2] === undefined) return chinaMidnight(day);
  const [h, mi, s] = [Number(m[2]), Number(m[3]), Number(m[4] ?? 0)];
  if (h > 23 || mi > 59 || s > 59) return undefined;
  // Truncate to milliseconds: rounding .9995 up would move 23:59:59.9995 into the next China day.
  const ms = Number((m[5] ?? '').padEnd(3, '0').slice(0, 3));
  const localMs = day * DAY_MS + ((h * 60 + mi) * 60 + s) * 1000 + ms;
  const zone = m[6];
  if (zone === undefined) return new Date(localMs - CHINA_OFFSET_MS);
  if (zone === 'Z') return new Date(localMs);
  const zm = /^([+-])(\d{2}):?(\d{2})$/.exec(zone)!;
  const offH = Number(zm[2]);
  const offM = Number(zm[3]);
  if (offH > 14 || offM > 59) return undefined;
  const offset = (zm[1] === '-' ? -1 : 1) * (offH * 60 + offM) * 60_000;
  return new Date(localMs - offset);
}
