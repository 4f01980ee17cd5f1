// Home-page availability (国办秘函〔2019〕19号, 站点无法访问; shared/domain/national-rules.md §3.3): the site is
// visited at least 20 times a day for a week; a visit the home page has not answered within 15 s is a
// failure; a failure share of 5% or more is a veto. Pure: the probes come from service/probes.ts.
import { addDays } from './calendar-days.js';

export const PROBE_RULE = {
  timeoutMs: 15_000,
  minPerDay: 20,
  windowDays: 7,
  /** The veto share (≥ 5%) and the share from which it is amber (≥ 2%: one bad hour of a day). */
  vetoShare: 0.05,
  amberShare: 0.02,
} as const;

/** One China day's probes. */
export interface ProbeDay {
  day: string;
  probes: number;
  failures: number;
}

export interface AvailabilityFacts {
  /** The week measured: the 7 whole China days before the check day, oldest first, each present (0 when none ran). */
  days: ProbeDay[];
  /** The China day of the first probe ever; null: the system never probed. */
  firstProbeDay: string | null;
}

/** The week before `day` (the check day itself is still running, so it is not counted). */
export function probeWindow(day: string): { from: string; to: string } {
  return { from: addDays(day, -PROBE_RULE.windowDays), to: addDays(day, -1) };
}

export interface AvailabilityMeasure {
  probes: number;
  failures: number;
  /** failures / probes, or null when nothing was probed in the week. */
  share: number | null;
  /** Days of the week, since probing began, with fewer than 20 probes. */
  thinDays: string[];
  /** Days of the week before probing began. */
  unmonitoredDays: number;
}

export function measureAvailability(f: AvailabilityFacts): AvailabilityMeasure {
  const probes = f.days.reduce((n, d) => n + d.probes, 0);
  const failures = f.days.reduce((n, d) => n + d.failures, 0);
  const begun = (d: ProbeDay) => f.firstProbeDay !== null && d.day >= f.firstProbeDay;
  return {
    probes,
    failures,
    share: probes === 0 ? null : failures / probes,
    thinDays: f.days.filter((d) => begun(d) && d.probes < PROBE_RULE.minPerDay).map((d) => d.day),
    unmonitoredDays: f.days.filter((d) => !begun(d)).length,
  };
}

export type AvailabilityStatus = 'green' | 'amber' | 'red' | 'not_measured';

/**
 * The status: red at a failure share ≥ 5% (however short the week measured so far: failures already
 * seen do not go away); amber at ≥ 2%, or when a day since probing began had fewer than 20 probes (the
 * week does not meet the national method, so a green would claim more than was measured); not measured
 * when no probe ran in the week.
 */
export function availabilityStatus(m: AvailabilityMeasure): AvailabilityStatus {
  if (m.share === null) return 'not_measured';
  if (m.share >= PROBE_RULE.vetoShare) return 'red';
  if (m.share >= PROBE_RULE.amberShare || m.thinDays.length > 0) return 'amber';
  return 'green';
}

const percent = (share: number) => `${(share * 100).toFixed(1)}%`;

export function availabilityCause(m: AvailabilityMeasure, window: { from: string; to: string }): string {
  if (m.share === null) return `${window.from} 至 ${window.to} 没有首页可用性探测记录`;
  const parts = [
    `${window.from} 至 ${window.to} 共探测首页 ${m.probes} 次，15 秒内未能打开 ${m.failures} 次（${percent(m.share)}，达到 5% 为不达标）`,
  ];
  if (m.thinDays.length > 0) parts.push(`${m.thinDays.join('、')} 探测不足每日 20 次`);
  if (m.unmonitoredDays > 0) parts.push(`探测开始前的 ${m.unmonitoredDays} 天未计入`);
  return parts.join('；');
}

export const availabilityValue = (m: AvailabilityMeasure) => (m.share === null ? '未监测' : percent(m.share));

/** A probe's result: it failed unless the home page answered 2xx (after redirects) within the timeout. */
export const probeFailed = (p: { status: number | null; ms: number }) =>
  p.status === null || p.status < 200 || p.status > 299 || p.ms > PROBE_RULE.timeoutMs;
