import { describe, expect, it } from 'vitest';
import { computeInspection, type InspectionFacts } from '../../src/inspection/rules.js';
import { probeFailed, probeWindow, type ProbeDay } from '../../src/inspection/probe-rules.js';

// 国办秘函〔2019〕19号 单项否决 站点无法访问 (national-rules.md §3.3): monitored for 1 week, ≥ 20 visits a day;
// a visit not open within 15 s fails; a failure share ≥ 5% is a veto. The check day is Thursday 2026-12-03,
// so the week measured is Thursday 2026-11-26 to Wednesday 2026-12-02 (the check day itself is still running).

const DAY = '2026-12-03';
const WEEK = ['2026-11-26', '2026-11-27', '2026-11-28', '2026-11-29', '2026-11-30', '2026-12-01', '2026-12-02'];
const week = (probes: number[], failures: number[]): ProbeDay[] =>
  WEEK.map((day, i) => ({ day, probes: probes[i]!, failures: failures[i]! }));
const facts = (days: ProbeDay[], firstProbeDay: string | null = '2026-11-01'): InspectionFacts => ({
  day: DAY,
  homeNewestDay: DAY,
  columns: [],
  oldLetters: [],
  overLimitLetters: 0,
  overAmberLetters: 0,
  oldestOpenDay: null,
  lastAnswerPublishedDay: DAY,
  availability: { days, firstProbeDay },
});
const result = (f: InspectionFacts) => computeInspection(f).results.find((r) => r.key === 'availability')!;
const seven = (n: number) => Array<number>(7).fill(n);

describe('19号 站点无法访问: the week, the 15 s rule and the 5% veto', () => {
  it('measures the 7 whole China days before the check day (2026-11-26 to 2026-12-02 for Thursday 2026-12-03)', () => {
    expect(probeWindow(DAY)).toEqual({ from: '2026-11-26', to: '2026-12-02' });
    // Across a year end: the check on 2027-01-03 measures 2026-12-27 to 2027-01-02.
    expect(probeWindow('2027-01-03')).toEqual({ from: '2026-12-27', to: '2027-01-02' });
  });

  it('a visit fails without a 2xx answer, or when the page took longer than 15 s (15,000 ms still opens in time)', () => {
    expect(probeFailed({ status: 200, ms: 15_000 })).toBe(false);
    expect(probeFailed({ status: 200, ms: 15_001 })).toBe(true);
    expect(probeFailed({ status: null, ms: 3 })).toBe(true);
    expect(probeFailed({ status: 503, ms: 40 })).toBe(true);
    expect(probeFailed({ status: 404, ms: 40 })).toBe(true);
    expect(probeFailed({ status: 304, ms: 40 })).toBe(true);
  });

  it('48 visits a day, 16 failures of 336 (4.76%) is under the veto but amber; 17 (5.06%) is red and vetoes the site', () => {
    const under = facts(week(seven(48), [16, 0, 0, 0, 0, 0, 0]));
    expect(result(under)).toMatchObject({ status: 'amber', value: '4.8%' });
    expect(result(under).cause).toContain('共探测首页 336 次，15 秒内未能打开 16 次');
    const over = facts(week(seven(48), [16, 1, 0, 0, 0, 0, 0]));
    expect(result(over)).toMatchObject({ status: 'red', value: '5.1%' });
    expect(computeInspection(over).vetoed).toBe(true);
  });

  it('exactly 5% is red (达到 5%): 7 of 140 with exactly 20 visits a day', () => {
    expect(result(facts(week(seven(20), [7, 0, 0, 0, 0, 0, 0]))).status).toBe('red');
    expect(result(facts(week(seven(20), [6, 0, 0, 0, 0, 0, 0]))).status).toBe('amber'); // 4.3% ≥ 2%
  });

  it('green under 2% with at least 20 visits every day: 6 of 336 (1.8%)', () => {
    expect(result(facts(week(seven(48), [6, 0, 0, 0, 0, 0, 0])))).toMatchObject({ status: 'green', value: '1.8%' });
  });

  it('a day since probing began with 19 visits makes a clean week amber, and the cause names the day', () => {
    const r = result(facts(week([48, 48, 19, 48, 48, 48, 48], seven(0))));
    expect(r.status).toBe('amber');
    expect(r.cause).toContain('2026-11-28 探测不足每日 20 次');
  });

  it('days before the first probe are not held against the week; they are named in the cause', () => {
    const r = result(facts(week([0, 0, 0, 0, 48, 48, 48], seven(0)), '2026-11-30'));
    expect(r.status).toBe('green');
    expect(r.cause).toContain('探测开始前的 4 天未计入');
    expect(r.probeDays).toHaveLength(7);
  });

  it('no visit in the week is 未监测, never a value; absent facts likewise', () => {
    expect(result(facts(week(seven(0), seven(0)), null))).toMatchObject({ status: 'not_measured', value: '未监测' });
    const { availability: _omit, ...rest } = facts([]);
    expect(result(rest)).toMatchObject({ status: 'not_measured', value: '未监测' });
  });
});
