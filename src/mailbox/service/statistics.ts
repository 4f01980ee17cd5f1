// The mailbox's public monthly statistics (issue 14 point 8): every figure counted from the record by
// SQL at each request (no cached counters), per department and for the bureau. What each figure counts,
// and for which department, is README *Public statistics*; the pure rules are ../statistics-rules.ts.
import { and, count, gte, inArray, lt, sql } from 'drizzle-orm';
import type { Viewer } from '../../auth/viewer.js';
import { chinaDayOf, chinaMidnight, parseIsoDate } from '../../calendar/china-time.js';
import type { CalendarService } from '../../calendar/service.js';
import type { Database } from '../../db/client.js';
import { departmentNames } from '../../departments/service.js';
import { badRequest } from '../../server/errors.js';
import type { StatisticsQuery, StatisticsReport } from '../schemas.js';
import {
  average,
  COUNTED_EVENT_KINDS,
  MIN_LETTERS_FOR_RATES,
  periodLabel,
  periodOf,
  ratesShown,
  RATINGS,
  share,
  type CountedEventKind,
  type Rating,
  type StatisticsPeriod,
} from '../statistics-rules.js';
import { letterEvents, letters } from '../tables.js';

export interface StatisticsDeps {
  db: Database;
  calendar: CalendarService;
}

/** What is summed per department before the rates are derived. */
interface Tally {
  received: number;
  answered: number;
  answeredWithinLimit: number;
  /** Working days from clock start to first answer, summed over the answered letters. */
  workingDays: number;
  events: Record<CountedEventKind, number>;
  ratings: Record<Rating, number>;
}

const emptyTally = (): Tally => ({
  received: 0,
  answered: 0,
  answeredWithinLimit: 0,
  workingDays: 0,
  events: Object.fromEntries(COUNTED_EVENT_KINDS.map((k) => [k, 0])) as Tally['events'],
  ratings: Object.fromEntries(RATINGS.map((r) => [r, 0])) as Tally['ratings'],
});

/** The instants a period of China dates covers: [its first midnight, the midnight after its last day). */
const instantsOf = (p: StatisticsPeriod) => ({ start: chinaMidnight(parseIsoDate(p.from)!), end: chinaMidnight(parseIsoDate(p.to)! + 1) });

/** China day (days since epoch) of a timestamptz column, in SQL: the same arithmetic as chinaDayOf. */
const chinaDay = (instant: ReturnType<typeof sql>) => sql`floor((extract(epoch from ${instant}) + 28800) / 86400)::int`;

/**
 * The statistics of the period the query names (a month, or the year to date), seen at `now`. Public:
 * the viewer is not checked, and nothing in the answer names a letter or a person.
 */
export async function mailboxStatistics(
  deps: StatisticsDeps,
  _viewer: Viewer,
  q: StatisticsQuery,
  now = new Date(),
): Promise<StatisticsReport> {
  const period = periodOf(q, chinaDayOf(now));
  if ('field' in period) throw badRequest(period.message, { [`querystring.${period.field}`]: period.message });
  const tallies = await tallyPeriod(deps, period);
  const names = await departmentNames(deps.db);
  const total = emptyTally();
  for (const t of tallies.values()) addInto(total, t);
  return {
    period: { ...period, label: periodLabel(period) },
    minLettersForRates: MIN_LETTERS_FOR_RATES,
    // Every active department, with zeros where it had nothing; a deactivated one only when it has a figure.
    departments: names
      .filter((d) => d.active || tallies.has(d.id))
      .map((d) => ({ departmentId: d.id, departmentName: d.name, ...figuresOf(tallies.get(d.id) ?? emptyTally()) })),
    total: figuresOf(total),
  };
}

async function tallyPeriod(deps: StatisticsDeps, period: StatisticsPeriod): Promise<Map<number, Tally>> {
  const { start, end } = instantsOf(period);
  const tallies = new Map<number, Tally>();
  const of = (departmentId: number) => {
    let t = tallies.get(departmentId);
    if (!t) tallies.set(departmentId, (t = emptyTally()));
    return t;
  };

  const received = await deps.db
    .select({ departmentId: letters.departmentId, n: count() })
    .from(letters)
    .where(and(gte(letters.receivedAt, start), lt(letters.receivedAt, end)))
    .groupBy(letters.departmentId);
  for (const r of received) of(r.departmentId).received = r.n;

  const cal = deps.calendar.current;
  for (const a of await firstAnswers(deps.db, start, end)) {
    const t = of(a.department_id);
    t.answered += a.n;
    if (!a.late) t.answeredWithinLimit += a.n;
    t.workingDays += a.n * Math.max(0, cal.countWorkingDays(a.clock_day, a.answer_day));
  }

  for (const e of await countedEvents(deps.db, start, end)) {
    if (e.departmentId === null) continue;
    const t = of(e.departmentId);
    const kind = e.kind as CountedEventKind;
    if (kind !== 'rated') t.events[kind] += e.n;
    else if ((RATINGS as readonly string[]).includes(e.rating ?? '')) {
      t.events.rated += e.n;
      t.ratings[e.rating as Rating] += e.n;
    }
  }
  return tallies;
}

/**
 * Each letter's first answer in [start, end): a reopened letter answered again counts once, by its
 * first answer, for the department that gave it. The clock start, deadline and lateness are the
 * round's own, from the answer event (older events lack them: their letters had one round only, so the
 * row's are theirs). Grouped by (department, late, clock day, answer day) for the working-day sums.
 */
async function firstAnswers(db: Database, start: Date, end: Date) {
  const clock = sql`coalesce((e.data->>'clockStartedAt')::timestamptz, l.clock_started_at)`;
  const late = sql`coalesce((e.data->>'late')::boolean, l.closed_late, e.at > l.due_at)`;
  return db.execute<{ department_id: number; late: boolean; clock_day: number; answer_day: number; n: number }>(sql`
    select e.department_id, ${late} as late, ${chinaDay(clock)} as clock_day, ${chinaDay(sql`e.at`)} as answer_day, count(*)::int as n
    from letter_events e join letters l on l.id = e.letter_id
    where e.kind = 'answered' and e.at >= ${start.toISOString()}::timestamptz and e.at < ${end.toISOString()}::timestamptz
      and e.department_id is not null
      and not exists (select 1 from letter_events p
        where p.letter_id = e.letter_id and p.kind = 'answered' and (p.at, p.id) < (e.at, e.id))
    group by 1, 2, 3, 4`);
}

/**
 * Transfers (for the transferring department), the office's decisions (for the lead department it
 * named), reopenings (for the department the letter goes back to), ratings and publications (for the
 * answering department, as their features write them) in [start, end).
 */
function countedEvents(db: Database, start: Date, end: Date) {
  const department = sql<number | null>`case ${letterEvents.kind}
    when 'arbitrated' then ${letterEvents.toDepartmentId}
    when 'reopened' then coalesce(${letterEvents.toDepartmentId}, ${letterEvents.departmentId})
    else ${letterEvents.departmentId} end`;
  const rating = sql<string | null>`case when ${letterEvents.kind} = 'rated' then ${letterEvents.data}->>'rating' end`;
  return db
    .select({ kind: letterEvents.kind, departmentId: department, rating, n: count() })
    .from(letterEvents)
    .where(and(inArray(letterEvents.kind, [...COUNTED_EVENT_KINDS]), gte(letterEvents.at, start), lt(letterEvents.at, end)))
    .groupBy(letterEvents.kind, department, rating);
}

function addInto(sum: Tally, t: Tally) {
  sum.received += t.received;
  sum.answered += t.answered;
  sum.answeredWithinLimit += t.answeredWithinLimit;
  sum.workingDays += t.workingDays;
  for (const k of COUNTED_EVENT_KINDS) sum.events[k] += t.events[k];
  for (const r of RATINGS) sum.ratings[r] += t.ratings[r];
}

function figuresOf(t: Tally): StatisticsReport['total'] {
  const shown = ratesShown(t.received);
  const rated = t.events.rated;
  return {
    received: t.received,
    answered: t.answered,
    answeredWithinLimit: t.answeredWithinLimit,
    answeredWithinLimitRate: share(t.answeredWithinLimit, t.answered, shown),
    averageWorkingDaysToAnswer: average(t.workingDays, t.answered, shown),
    transferred: t.events.transferred,
    arbitrated: t.events.arbitrated,
    reopened: t.events.reopened,
    satisfaction: {
      rated,
      satisfied: t.ratings.satisfied,
      basicallySatisfied: t.ratings.basically_satisfied,
      dissatisfied: t.ratings.dissatisfied,
    },
    satisfactionShares:
      shown && rated > 0
        ? {
            satisfied: share(t.ratings.satisfied, rated, true)!,
            basicallySatisfied: share(t.ratings.basically_satisfied, rated, true)!,
            dissatisfied: share(t.ratings.dissatisfied, rated, true)!,
          }
        : null,
    published: t.events.published,
    unpublished: t.events.unpublished,
    ratesShown: shown,
  };
}
