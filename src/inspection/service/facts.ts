// The day's facts, gathered only through the publishing and mailbox services (never their tables).
import { chinaDayOf, chinaMidnight, dayToIso, parseIsoDate } from '../../calendar/china-time.js';
import type { Executor } from '../../db/client.js';
import { lastPublishedAnswerAt, unansweredLetters } from '../../mailbox/service/inspection-feed.js';
import { columnFreshness, newestHomeItemAt } from '../../publishing/service/inspection-feed.js';
import { brokenLinkFacts } from '../../links/service/results.js';
import { availabilityFacts } from './probes.js';
import { lateAnnualReport } from '../../annual-report/service/digest-feed.js';
import { columnKind, letterCutoffs, type InspectionFacts } from '../rules.js';
import type { FlagFacts } from '../flag-rules.js';

const chinaDate = (d: Date | null) => (d ? dayToIso(chinaDayOf(d)) : null);
/** The instant a China date begins: "received before that date" is "received before this instant". */
const startOf = (dayIso: string) => chinaMidnight(parseIsoDate(dayIso)!);

/** How many of the oldest unanswered letters the drill-down lists. */
export const LETTER_SAMPLE = 50;

export async function gatherFacts(db: Executor, now: Date): Promise<InspectionFacts & FlagFacts> {
  const day = dayToIso(chinaDayOf(now));
  const cut = letterCutoffs(day);
  const [home, columns, letters, lastAnswer] = await Promise.all([
    newestHomeItemAt(db, now),
    columnFreshness(db, now),
    unansweredLetters(db, { limitAt: startOf(cut.limitDay), amberAt: startOf(cut.amberDay) }, LETTER_SAMPLE),
    lastPublishedAnswerAt(db, now),
  ]);
  const [links, availability, annualReportLate] = await Promise.all([
    brokenLinkFacts(db),
    availabilityFacts(db, day),
    lateAnnualReport(db, day),
  ]);
  return {
    day,
    availability,
    homeNewestDay: chinaDate(home),
    columns: columns.map((c) => ({
      id: c.id,
      slug: c.slug,
      name: c.name,
      kind: columnKind(c),
      updateEveryDays: c.updateEveryDays,
      lastUpdateDay: chinaDate(c.lastUpdateAt),
      publishedCount: c.publishedCount,
    })),
    oldLetters: letters.oldest.map((l) => ({
      trackingNo: l.trackingNo,
      departmentName: l.departmentName,
      receivedDay: chinaDate(l.receivedAt)!,
    })),
    overLimitLetters: letters.overLimit,
    overAmberLetters: letters.overAmber,
    oldestOpenDay: chinaDate(letters.oldestReceivedAt),
    lastAnswerPublishedDay: chinaDate(lastAnswer),
    annualReportLate,
    links:
      links.checked === 0
        ? null
        : {
            home: links.home,
            other: links.other,
            failingOnce: links.failingOnce,
            lastCheckedDay: chinaDate(links.lastAt)!,
            sample: links.sample,
          },
  };
}
