// The quarterly hand-in of review forms (审核单), measures Art. 20(四): "各处室（单位）应妥善保管审核单，
// 每季度首月5日前将上一季度的审核单报送办公室". Pure rules, no I/O: the quarter of a form, the hand-in's
// due date, who may do what.
import { chinaDayOf, chinaMidnight, dayToIso, parseIsoDate } from '../calendar/china-time.js';
import type { WorkingDayCalendar } from '../calendar/working-days.js';
import { holdsAny, type Role } from '../auth/roles.js';
import type { Env } from '../config/env.js';

export interface Quarter {
  year: number;
  /** 1..4 */
  q: 1 | 2 | 3 | 4;
}

export const QUARTER_LABELS = ['第一季度', '第二季度', '第三季度', '第四季度'] as const;
export const quarterLabel = (x: Quarter) => `${x.year}年${QUARTER_LABELS[x.q - 1]}`;
/** "2026-Q4": the quarter in URLs and the API. */
export const quarterKey = (x: Quarter) => `${x.year}-Q${x.q}`;
export const QUARTER_KEY_PATTERN = /^(20\d\d)-Q([1-4])$/;
export function parseQuarterKey(key: string): Quarter | undefined {
  const m = QUARTER_KEY_PATTERN.exec(key);
  return m ? { year: Number(m[1]), q: Number(m[2]) as Quarter['q'] } : undefined;
}
/** A number for a quarter (20264), the digest task's ref. */
export const quarterRef = (x: Quarter) => x.year * 10 + x.q;

const iso = (y: number, m: number, d: number) => `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;

/** The quarter a form belongs to: the quarter of its submission (送审) time, China time. */
export function quarterOf(instant: Date): Quarter {
  const [y, m] = dayToIso(chinaDayOf(instant)).split('-').map(Number) as [number, number];
  return { year: y, q: (Math.floor((m - 1) / 3) + 1) as Quarter['q'] };
}

export const nextQuarter = (x: Quarter): Quarter =>
  x.q === 4 ? { year: x.year + 1, q: 1 } : { year: x.year, q: (x.q + 1) as Quarter['q'] };
export const previousQuarter = (x: Quarter): Quarter =>
  x.q === 1 ? { year: x.year - 1, q: 4 } : { year: x.year, q: (x.q - 1) as Quarter['q'] };

/** [from, to): the instants of the quarter, China time (from its first day 00:00 to the next quarter's). */
export function quarterPeriod(x: Quarter): { from: Date; to: Date } {
  const n = nextQuarter(x);
  return {
    from: chinaMidnight(parseIsoDate(iso(x.year, 3 * x.q - 2, 1))!),
    to: chinaMidnight(parseIsoDate(iso(n.year, 3 * n.q - 2, 1))!),
  };
}

/** The first day of the hand-in month (the 1st of the next quarter's first month): reminders start then. */
export const handInOpensOn = (x: Quarter) => {
  const n = nextQuarter(x);
  return iso(n.year, 3 * n.q - 2, 1);
};

/** HANDIN_REST_DAY_RULE: what happens when the due date is a rest day. */
export type RestDayRule = Env['HANDIN_REST_DAY_RULE'];

/**
 * The last day of a quarter's hand-in. Art. 20(四) says "每季度首月5日前": we read 前 as "before", so
 * the 5th is already late and the hand-in is due by the end of the 4th (China time), in calendar days
 * (the article counts dates, not working days). With `calendar` (the default) that date stands whatever
 * day it is; with `next_working_day` a 4th that is a rest day moves to the next working day.
 */
export function handInDueDate(x: Quarter, rule: RestDayRule, cal: Pick<WorkingDayCalendar, 'isWorkingDay'>): string {
  const n = nextQuarter(x);
  let day = parseIsoDate(iso(n.year, 3 * n.q - 2, 4))!;
  if (rule === 'next_working_day') while (!cal.isWorkingDay(day)) day++;
  return dayToIso(day);
}

/** The instant the hand-in is late: the end of its due date, China time. */
export const handInDueAt = (dueDate: string) => chinaMidnight(parseIsoDate(dueDate)! + 1);

/** A hand-in can be confirmed once its quarter has ended (it gathers the whole quarter's forms). */
export const quarterEnded = (x: Quarter, now: Date) => now.getTime() >= quarterPeriod(x).to.getTime();

/** A department's state for a quarter in the office's matrix. */
export const HANDIN_STATES = ['handed_in', 'late', 'missing', 'pending', 'no_forms'] as const;
export type HandInState = (typeof HANDIN_STATES)[number];
export const HANDIN_STATE_LABELS: Record<HandInState, string> = {
  handed_in: '已报送',
  late: '逾期报送',
  missing: '逾期未报送',
  pending: '待报送',
  no_forms: '本季度无审核单',
};

// ---- who may do what ----

/** Who sees a department's hand-in: its own staff; the bureau-wide readers see every department's. */
export const HANDIN_READERS = ['handler', 'dept_leader', 'office', 'bureau_leader', 'admin'] as const satisfies readonly Role[];
/** Who sees every department's hand-ins and the office's matrix. */
export const HANDIN_OFFICE = ['office', 'bureau_leader', 'admin'] as const satisfies readonly Role[];
/** Who confirms a department's hand-in: its leader (处室负责人). */
export const HANDIN_CONFIRMERS = ['dept_leader'] as const satisfies readonly Role[];

export interface HandInViewer {
  roles: readonly Role[];
  departmentId: number | null;
}
export type HandInAction = 'view' | 'confirm';

/** The module's one authorisation point. */
export function can(v: HandInViewer, action: HandInAction, departmentId: number): boolean {
  if (action === 'confirm') return holdsAny(v.roles, HANDIN_CONFIRMERS) && v.departmentId === departmentId;
  return holdsAny(v.roles, HANDIN_OFFICE) || (holdsAny(v.roles, HANDIN_READERS) && v.departmentId === departmentId);
}
export const seesAll = (v: HandInViewer) => holdsAny(v.roles, HANDIN_OFFICE);
