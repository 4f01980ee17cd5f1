import { z } from 'zod';

// Zod building blocks for every request schema: each refuses, with a Chinese field message, what
// PostgreSQL could never store (a NUL, an integer beyond `integer`, a date beyond its range), so such
// input is a 400 at the edge instead of a 500 or an activity retried forever.

/** PostgreSQL's `integer`: every id column. */
export const INT32_MAX = 2 ** 31 - 1;
export const NUL_MESSAGE = '不能包含空字符（U+0000）';

export const hasNul = (s: string) => s.includes('\u0000');

/** A string without NUL (PostgreSQL text cannot hold one). Chain `.trim().min().max()` as usual. */
export const safeString = (params?: Parameters<typeof z.string>[0]) => z.string(params).refine((s) => !hasNul(s), NUL_MESSAGE);

/** Required text: trimmed, 1..max characters, no NUL; the messages name the field. */
export const requiredText = (label: string, max: number) =>
  safeString({ error: `请填写${label}` })
    .trim()
    .min(1, `请填写${label}`)
    .max(max, `${label}不能超过 ${max} 个字`);

/** An id in a JSON body: a positive integer that fits PostgreSQL's `integer`. */
export const id32 = (message = '编号应为正整数') =>
  z.number({ error: message }).int(message).positive(message).max(INT32_MAX, '编号超出范围');

const CANONICAL = /^(0|[1-9]\d*)$/;

/**
 * An integer in a query string or path segment: canonical decimal only (`1e1`, `0x1`, ` 12`, `012`
 * and `1.0` are refused, where `z.coerce.number()` read them as numbers), within [min, max].
 */
export const queryInt = (o: { min: number; max: number; message?: string; tooSmall?: string; tooBig?: string }) => {
  const message = o.message ?? `应为 ${o.min} 到 ${o.max} 之间的整数`;
  return (
    z
      .string({ error: message })
      .regex(CANONICAL, { error: message, abort: true })
      .refine((s) => Number(s) >= o.min, { error: o.tooSmall ?? message, abort: true })
      // The length check first: a 30-digit string is not compared as a rounded double.
      .refine((s) => s.length <= String(o.max).length && Number(s) <= o.max, o.tooBig ?? message)
      .transform(Number)
  );
};

/** An id in a query string or path segment: canonical decimal, 1..2³¹−1. */
export const idParam = (message = '编号应为正整数') => queryInt({ min: 1, max: INT32_MAX, message, tooBig: '编号超出范围' });

/** The years a date anywhere in the system may name: well inside what PostgreSQL and the calendar handle. */
export const MIN_YEAR = 1900;
export const MAX_YEAR = 2200;
export const DATE_MESSAGE = `日期格式应为 YYYY-MM-DD，须为真实存在的日期，且在 ${MIN_YEAR} 至 ${MAX_YEAR} 年之间`;

/** A real calendar date YYYY-MM-DD within [MIN_YEAR, MAX_YEAR]. */
export function isSaneIsoDate(s: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (y < MIN_YEAR || y > MAX_YEAR) return false;
  const date = new Date(Date.UTC(y, mo - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d;
}

// A missing query parameter otherwise gets zod's generic "expected string, received undefined".
export const required = (what: string) => ({
  error: (iss: { input?: unknown }) => (iss.input === undefined ? `请填写${what}` : `${what}应为字符串`),
});

export const isoDate = z.string(required('日期')).refine(isSaneIsoDate, DATE_MESSAGE);

/** For an instant's text: its leading date (YYYY-MM-DD…) must be sane too. */
export const saneLeadingDate = (s: string) => isSaneIsoDate(s.slice(0, 10));
