import { EventEmitter } from 'node:events';
import { eq, sql as q } from 'drizzle-orm';
import type { Sql } from 'postgres';
import { recordAudit, type Actor } from '../audit/record.js';
import type { Database } from '../db/client.js';
import { bundledSchedules } from './data/index.js';
import type { YearSchedule } from './data/types.js';
import { computeDeadline, explainDeadline, parseClock, type ReceiptPolicy } from './deadline.js';
import { calendarYears } from './tables.js';
import { WorkingDayCalendar } from './working-days.js';

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
  async loadYear(schedule: YearSchedule, actor: Actor): Promise<{ created: boolean }> {
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
