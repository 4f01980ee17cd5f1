import { describe, expect, it } from 'vitest';
import {
  chinaDayOf,
  chinaMidnight,
  chinaMinuteOfDay,
  dayToIso,
  formatChinaDateTime,
  parseChinaInstant,
  parseIsoDate,
  weekdayOf,
} from '../../src/calendar/china-time.js';

const iso = (d: Date | undefined) => d?.toISOString();

describe('parseIsoDate / dayToIso', () => {
  it('accepts real dates, including 29 February of a leap year', () => {
    expect(parseIsoDate('1970-01-01')).toBe(0);
    expect(parseIsoDate('1970-01-02')).toBe(1);
    expect(parseIsoDate('1969-12-31')).toBe(-1);
    for (const d of ['2024-02-29', '2000-02-29', '2023-12-31', '2026-11-27', '2100-12-31']) {
      expect(dayToIso(parseIsoDate(d)!)).toBe(d);
    }
  });

  it('rejects impossible dates', () => {
    for (const d of ['2023-02-29', '2024-02-30', '2024-13-01', '2024-00-10', '2024-04-31', '2024-01-00', '2024-01-32', '1900-02-29']) {
      expect([d, parseIsoDate(d)]).toEqual([d, undefined]);
    }
  });

  // parseIsoDate/dayToIso use integer arithmetic; Date is the oracle here.
  const viaDate = (y: number, m: number, d: number) => {
    const t = new Date(0);
    t.setUTCFullYear(y, m - 1, d); // unlike Date.UTC, also right for years 0–99
    return t.getUTCFullYear() === y && t.getUTCMonth() === m - 1 && t.getUTCDate() === d ? t.getTime() / 86_400_000 : undefined;
  };
  const pad = (n: number, w: number) => String(n).padStart(w, '0');

  it('agrees with Date on every month 00–13 and day 00–32 of 1890–2110 and sample far years', () => {
    const years = [0, 1, 4, 99, 100, 400, 999, 1000, 1600, 1700, 9999];
    for (let y = 1890; y <= 2110; y++) years.push(y);
    for (const y of years) {
      for (let m = 0; m <= 13; m++) {
        for (let d = 0; d <= 32; d++) {
          const text = `${pad(y, 4)}-${pad(m, 2)}-${pad(d, 2)}`;
          if (parseIsoDate(text) !== viaDate(y, m, d)) expect.fail(`${text}: ${parseIsoDate(text)} vs ${viaDate(y, m, d)}`);
        }
      }
    }
  });

  it('dayToIso agrees with Date#toISOString, 1890–2110 and far days', () => {
    const check = (day: number) => {
      if (dayToIso(day) !== new Date(day * 86_400_000).toISOString().slice(0, 10)) expect.fail(`day ${day}: ${dayToIso(day)}`);
    };
    for (let day = parseIsoDate('1890-01-01')!; day <= parseIsoDate('2110-12-31')!; day++) check(day);
    for (const iso of ['0000-01-01', '0001-03-01', '0099-12-31', '0999-12-31', '1000-01-01', '1600-02-29', '9999-12-31']) {
      expect(dayToIso(parseIsoDate(iso)!)).toBe(iso);
      check(parseIsoDate(iso)!);
    }
  });

  it('rejects malformed text', () => {
    for (const d of [
      '',
      '2024-1-01',
      '2024-01-1',
      '24-01-01',
      '2024/01/01',
      '20240101',
      '2024-01-01T00:00',
      ' 2024-01-01',
      '2024-01-01 ',
      'abcd-ef-gh',
      '２０２４-01-01',
      '+024-01-01',
      '2024-+1-01',
      '2024-01-+1',
      '2024_01_01',
      '2024-0a-01',
      '-2024-01-1',
    ]) {
      expect([d, parseIsoDate(d)]).toEqual([d, undefined]);
    }
  });
});

describe('weekdayOf', () => {
  it('matches known weekdays (0 = Sunday)', () => {
    expect(weekdayOf(parseIsoDate('1970-01-01')!)).toBe(4); // Thursday
    expect(weekdayOf(parseIsoDate('2024-09-29')!)).toBe(0); // the make-up Sunday before National Day
    expect(weekdayOf(parseIsoDate('2024-10-12')!)).toBe(6);
    expect(weekdayOf(parseIsoDate('2026-11-27')!)).toBe(5);
    expect(weekdayOf(parseIsoDate('1969-12-28')!)).toBe(0); // negative day numbers
  });

  it('agrees with Date#getUTCDay for every day 1999–2101', () => {
    for (let d = parseIsoDate('1999-01-01')!; d <= parseIsoDate('2101-12-31')!; d++) {
      if (weekdayOf(d) !== new Date(d * 86_400_000).getUTCDay()) expect.fail(`weekday of ${dayToIso(d)}`);
    }
  });
});

describe('parseChinaInstant', () => {
  it('reads a bare date as China midnight', () => {
    expect(iso(parseChinaInstant('2024-10-01'))).toBe('2024-09-30T16:00:00.000Z');
  });

  it('reads a date-time without offset as China local time', () => {
    expect(iso(parseChinaInstant('2024-09-30T23:59'))).toBe('2024-09-30T15:59:00.000Z');
    expect(iso(parseChinaInstant('2024-09-30T18:00:00'))).toBe('2024-09-30T10:00:00.000Z');
    expect(iso(parseChinaInstant('2024-09-30 08:00:00.5'))).toBe('2024-09-30T00:00:00.500Z');
    expect(iso(parseChinaInstant('2024-10-01T00:00:00'))).toBe('2024-09-30T16:00:00.000Z');
  });

  it('honours Z and explicit offsets', () => {
    expect(iso(parseChinaInstant('2024-09-30T15:59:00Z'))).toBe('2024-09-30T15:59:00.000Z');
    expect(iso(parseChinaInstant('2024-09-30T23:59:00+08:00'))).toBe('2024-09-30T15:59:00.000Z');
    expect(iso(parseChinaInstant('2024-09-30T23:59:00+0800'))).toBe('2024-09-30T15:59:00.000Z');
    // 08:59 in Los Angeles (PDT, -07:00) on 30 September is 23:59 China the same day.
    expect(iso(parseChinaInstant('2024-09-30T08:59:00-07:00'))).toBe('2024-09-30T15:59:00.000Z');
    expect(iso(parseChinaInstant('2024-09-30T12:00:00.123Z'))).toBe('2024-09-30T12:00:00.123Z');
  });

  it('truncates sub-millisecond digits instead of rounding into the next day', () => {
    expect(formatChinaDateTime(parseChinaInstant('2024-09-30T23:59:59.9999+08:00')!)).toBe('2024-09-30T23:59:59.999+08:00');
    expect(iso(parseChinaInstant('2024-09-30T00:00:00.123456789Z'))).toBe('2024-09-30T00:00:00.123Z');
  });

  it('rejects malformed and impossible values', () => {
    for (const t of [
      '',
      'now',
      '2023-02-29',
      '2024-02-30T10:00',
      '2024-13-01T00:00Z',
      '2024-09-30T24:00',
      '2024-09-30T23:60',
      '2024-09-30T23:59:60',
      '2024-09-30T23',
      '2024-09-30T23:59+15:00',
      '2024-09-30T23:59+08:60',
      '2024-09-30T23:59:00.Z',
      '2024-09-30T1:00',
      '1727711940000',
    ]) {
      expect([t, parseChinaInstant(t)]).toEqual([t, undefined]);
    }
  });
});

describe('chinaDayOf / chinaMinuteOfDay / chinaMidnight', () => {
  it('place UTC instants on the China calendar', () => {
    expect(dayToIso(chinaDayOf(new Date('2024-09-30T15:59:00Z')))).toBe('2024-09-30'); // 23:59 China
    expect(chinaMinuteOfDay(new Date('2024-09-30T15:59:00Z'))).toBe(23 * 60 + 59);
    expect(dayToIso(chinaDayOf(new Date('2024-09-30T16:00:00Z')))).toBe('2024-10-01'); // 00:00 China
    expect(chinaMinuteOfDay(new Date('2024-09-30T16:00:00Z'))).toBe(0);
    expect(dayToIso(chinaDayOf(new Date('1969-12-31T16:00:00Z')))).toBe('1970-01-01');
    expect(dayToIso(chinaDayOf(new Date('1969-12-31T15:59:59.999Z')))).toBe('1969-12-31');
    expect(chinaMinuteOfDay(new Date('1969-12-31T15:59:59.999Z'))).toBe(1439);
    expect(iso(chinaMidnight(parseIsoDate('2024-10-01')!))).toBe('2024-09-30T16:00:00.000Z');
    expect(formatChinaDateTime(new Date('2024-10-17T15:59:59.999Z'))).toBe('2024-10-17T23:59:59.999+08:00');
  });

  // The module uses a fixed +08:00 instead of a tz database; this checks that against Intl's
  // Asia/Shanghai for every hour of 2023–2026 (about 35,000 instants; well under a second with one cached formatter).
  it('agree with Intl Asia/Shanghai for every hour of 2023–2026', () => {
    const fmt = new Intl.DateTimeFormat('en-CA', {
      timeZone: 'Asia/Shanghai',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    const start = Date.parse('2022-12-31T16:00:00Z'); // 2023-01-01 00:00 China
    const end = Date.parse('2026-12-31T16:00:00Z');
    let checked = 0;
    for (let t = start; t < end; t += 3600_000) {
      // Vary the minute so minute-of-day is exercised too, not only whole hours.
      const instant = new Date(t + ((checked * 7) % 60) * 60_000);
      const p = Object.fromEntries(fmt.formatToParts(instant).map((x) => [x.type, x.value]));
      const day = `${p.year}-${p.month}-${p.day}`;
      const minute = Number(p.hour) * 60 + Number(p.minute);
      if (dayToIso(chinaDayOf(instant)) !== day || chinaMinuteOfDay(instant) !== minute) {
        expect.fail(`${instant.toISOString()}: ${dayToIso(chinaDayOf(instant))} ${chinaMinuteOfDay(instant)} vs Intl ${day} ${minute}`);
      }
      checked++;
    }
    expect(checked).toBe(4 * 365 * 24 + 24); // 2024 is a leap year
  });
});
