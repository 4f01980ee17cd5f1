// China dates and instants, independent of the server's time zone.
// Asia/Shanghai has been UTC+8 all year since 1991 (no DST), so plain arithmetic is exact here and
// far cheaper than a time-zone database lookup on every list row; test/unit/china-time.test.ts checks
// it against Intl's Asia/Shanghai for every hour of several years.

export const CHINA_OFFSET_MS = 8 * 3600_000;
const DAY_MS = 86_400_000;

/** Days since 1970-01-01 of a valid YYYY-MM-DD string, or undefined when malformed or impossible. */
export function parseIsoDate(text: string): number | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!m) return undefined;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const ms = Date.UTC(y, mo - 1, d);
  const check = new Date(ms);
  if (check.getUTCFullYear() !== y || check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== d) return undefined;
  return ms / DAY_MS;
}

export function dayToIso(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
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
  const ms = Math.round(Number(`0.${m[5] ?? '0'}`) * 1000);
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
