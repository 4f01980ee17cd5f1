import { TZDate } from '@date-fns/tz';
import { EventEmitter } from 'node:events';
import { eq, sql as q } from 'drizzle-orm';
import type { Sql } from 'postgres';
import type { z } from 'zod';
import { recordAudit, type Actor } from '../audit/record.js';
import { ADMIN_ONLY, type Role } from '../auth/roles.js';
import { actorFor, viewerHolds, type Viewer } from '../auth/viewer.js';
import type { Database } from '../db/client.js';
import { badRequest, forbidden } from '../server/errors.js';
import { dayToIso, parseChinaInstant, parseIsoDate } from './china-time.js';
import { bundledSchedules } from './data/index.js';
import type { YearSchedule } from './data/types.js';
import { computeDeadline, explainDeadline, parseClock, type ReceiptPolicy } from './deadline.js';
import type { deadlineQuery, yearScheduleBody } from './schemas.js';
import { calendarYears } from './tables.js';
import { scheduleProblems } from './validate-schedule.js';
import { OutOfRangeError, WorkingDayCalendar } from './working-days.js';

const CHANNEL = 'calendar_changed';

export interface CalendarYearSummary {
  year: number;
  status: 'official' | 'provisional';
  source: 'bundled' | 'loaded' | null;
  notice: YearSchedule['notice'] | null;
  amendments: YearSchedule['amendments'];
  loadedBy?: string;
  loadedAt?: string;
}

/**
 * The calendar every module uses. Bundled notices (src/calendar/data) plus years an administrator
 * loaded into PostgreSQL; a load in any process is broadcast with NOTIFY so every API and worker
 * process swaps in the new calendar without a restart, then `changed` listeners recompute deadlines.
 */
export class CalendarService {
  private cal: WorkingDayCalendar = new WorkingDayCalendar(bundledSchedules);
  private loaded = new Map<number, { schedule: YearSchedule; loadedBy: string; loadedAt: Date }>();
  private readonly events = new EventEmitter();
  private unlisten?: () => Promise<void>;
  /** Reloads overlap (a PUT reloads, and so does its NOTIFY): only a newer one may replace the calendar. */
  private reloadsStarted = 0;
  private reloadApplied = 0;
  readonly policy: ReceiptPolicy;

  constructor(
    private readonly db: Database,
    private readonly sql: Sql,
    settings: { afterHoursNextDay: boolean; officeHoursEnd: string },
  ) {
    this.policy = { afterHoursNextDay: settings.afterHoursNextDay, officeEndMinute: parseClock(settings.officeHoursEnd) };
  }

  get current(): WorkingDayCalendar {
    return this.cal;
  }

  async start(): Promise<void> {
    await this.reload();
    const sub = await this.sql.listen(CHANNEL, () => {
      void this.reload().then(
        () => this.events.emit('changed'),
        () => {},
      );
    });
    this.unlisten = () => sub.unlisten();
  }

  async stop(): Promise<void> {
    await this.unlisten?.();
  }

  async reload(): Promise<void> {
    const seq = ++this.reloadsStarted;
    const rows = await this.db.select().from(calendarYears);
    if (seq < this.reloadApplied) return; // a reload that started later (so read newer rows) already finished
    this.reloadApplied = seq;
    this.loaded = new Map(rows.map((r) => [r.year, { schedule: r.schedule, loadedBy: r.loadedBy, loadedAt: r.loadedAt }]));
    const byYear = new Map(bundledSchedules.map((s) => [s.year, s]));
    for (const [year, r] of this.loaded) byYear.set(year, r.schedule);
    this.cal = new WorkingDayCalendar([...byYear.values()].sort((a, b) => a.year - b.year));
  }

  /** Called after a year is loaded anywhere (this process included). */
  onChange(listener: () => void): () => void {
    this.events.on('changed', listener);
    return () => this.events.off('changed', listener);
  }

  /** Stores a year's notice (validated by the caller), audits it, and broadcasts the change. */
  async storeYear(schedule: YearSchedule, actor: Actor): Promise<{ created: boolean }> {
    const created = await this.db.transaction(async (tx) => {
      const [before] = await tx.select().from(calendarYears).where(eq(calendarYears.year, schedule.year));
      await tx
        .insert(calendarYears)
        .values({ year: schedule.year, schedule, loadedBy: actor.username })
        .onConflictDoUpdate({ target: calendarYears.year, set: { schedule, loadedBy: actor.username, loadedAt: new Date() } });
      await recordAudit(tx, actor, {
        action: 'calendar.load_year',
        recordType: 'calendar_year',
        recordId: schedule.year,
        before: before ? { notice: before.schedule.notice } : { notice: this.cal.officialYears.get(schedule.year)?.notice ?? null },
        after: { notice: schedule.notice, holidays: schedule.holidays.length, adjustedWorkdays: schedule.adjustedWorkdays.length },
      });
      await tx.execute(q`select pg_notify(${CHANNEL}, ${String(schedule.year)})`);
      return !before;
    });
    return { created };
  }

  /** Years from..to, extended to the latest year an administrator has loaded. */
  years(from = 2020, to = new Date().getUTCFullYear() + 1): CalendarYearSummary[] {
    const out: CalendarYearSummary[] = [];
    const last = Math.max(to, ...[...this.loaded.keys()].filter((y) => y >= from));
    for (let year = from; year <= last; year++) {
      const loaded = this.loaded.get(year);
      const schedule = this.cal.officialYears.get(year);
      out.push({
        year,
        status: schedule ? 'official' : 'provisional',
        source: loaded ? 'loaded' : schedule ? 'bundled' : null,
        notice: schedule?.notice ?? null,
        amendments: schedule?.amendments ?? [],
        ...(loaded ? { loadedBy: loaded.loadedBy, loadedAt: loaded.loadedAt.toISOString() } : {}),
      });
    }
    return out;
  }

  deadline(receivedAt: Date, workingDays: number) {
    return computeDeadline(this.cal, receivedAt, workingDays, this.policy);
  }

  explain(receivedAt: Date, workingDays: number) {
    return explainDeadline(this.cal, receivedAt, workingDays, this.policy);
  }
}

// ---- who may do what: the calendar's one authorisation point (routes declare their access from it) ----

export const CALENDAR_PERMISSIONS = {
  /** Load (or replace) a year's State Council notice. */
  loadYear: ADMIN_ONLY,
} as const satisfies Record<string, readonly Role[]>;
export type CalendarAction = keyof typeof CALENDAR_PERMISSIONS;

export const can = (viewer: Viewer, action: CalendarAction): boolean => viewerHolds(viewer, CALENDAR_PERMISSIONS[action]);

// ---- what the routes and pages ask: dates arrive validated by src/calendar/schemas.ts ----

type Deps = { calendar: CalendarService };

const OUT_OF_RANGE = '日期超出支持范围（2000–2100 年）';

/** Runs a calendar computation, turning dates beyond the supported range into a 400 on `field`. */
function inRange<T>(field: string, fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof OutOfRangeError) throw badRequest(OUT_OF_RANGE, { [field]: OUT_OF_RANGE });
    throw err;
  }
}

/** Whether a China date is a working day, and why. */
export const describeDay = ({ calendar }: Deps, date: string) =>
  inRange('params.date', () => calendar.current.describe(parseIsoDate(date)!));

/** The due date `workingDays` after a receipt, with every day counted or skipped. */
export function explainDeadlineOf({ calendar }: Deps, q: z.infer<typeof deadlineQuery>) {
  const d = inRange('querystring.from', () => calendar.explain(parseChinaInstant(q.from)!, q.workingDays));
  const deadline = { from: q.from, workingDays: d.workingDays, countFrom: d.countFrom, dueDate: d.dueDate, dueAt: d.dueAtIso };
  return { ...deadline, provisional: d.provisional, days: d.days };
}

/** The due date `workingDays` after a receipt. */
export function deadlineOf(deps: Deps, q: z.infer<typeof deadlineQuery>) {
  const { days: _days, ...deadline } = explainDeadlineOf(deps, q);
  return deadline;
}

/** Working days after `from` up to and including `to`. */
export function workingDaysBetween({ calendar }: Deps, q: { from: string; to: string }) {
  const from = parseIsoDate(q.from)!;
  const to = parseIsoDate(q.to)!;
  const cal = calendar.current;
  // Name the field that is actually out of range.
  return inRange(cal.inRange(from) ? 'querystring.to' : 'querystring.from', () => ({
    from: q.from,
    to: q.to,
    workingDays: cal.countWorkingDays(from, to),
    provisional: cal.anyProvisional(from, to),
  }));
}

/** Every year from 2020 to next year (China time), and any later one an administrator loaded. */
export const listYears = ({ calendar }: Deps) => calendar.years(2020, new TZDate(Date.now(), 'Asia/Shanghai').getFullYear() + 1);

/** Loads a year's notice for `viewer` (an administrator), once it passes the checks beyond its shape. */
export async function loadYear({ calendar }: Deps, viewer: Viewer, year: number, body: z.infer<typeof yearScheduleBody>) {
  if (!can(viewer, 'loadYear')) throw forbidden();
  const schedule = { year, ...body };
  const problems = scheduleProblems(schedule);
  if (Object.keys(problems).length > 0) throw badRequest('节假日安排有误', problems);
  await calendar.storeYear(schedule, actorFor(viewer, CALENDAR_PERMISSIONS.loadYear));
  await calendar.reload();
  return calendar.years(year, year)[0]!;
}

/** From this day of the year on, a missing notice for next year is worth a daily reminder (the office's digest). */
const NEXT_NOTICE_REMINDER_FROM = { month: 11, day: 1 };

/**
 * On and after 1 November of year Y, while Y+1's notice is not loaded: Y+1 and the first provisional
 * day of Y's end (the last days of December, which Y+1's notice may change: working-days.ts). Null
 * otherwise, and before 1 November.
 */
export function missingNextYearNotice(
  { calendar }: { calendar: Pick<CalendarService, 'current'> },
  date: string,
): { year: number; provisionalFrom: string } | null {
  const [year, month, dom] = date.split('-').map(Number) as [number, number, number];
  const cal = calendar.current;
  const before =
    month < NEXT_NOTICE_REMINDER_FROM.month || (month === NEXT_NOTICE_REMINDER_FROM.month && dom < NEXT_NOTICE_REMINDER_FROM.day);
  if (before || cal.officialYears.has(year + 1)) return null;
  const lastDay = parseIsoDate(`${year}-12-31`)!;
  let day = parseIsoDate(`${year}-${String(NEXT_NOTICE_REMINDER_FROM.month).padStart(2, '0')}-01`)!;
  while (day <= lastDay && !cal.isProvisional(day)) day++;
  return { year: year + 1, provisionalFrom: dayToIso(day) };
}
