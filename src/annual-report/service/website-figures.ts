// The second page of issue 18 (point 6): other yearly figures from the same record — the mailbox's
// 留言办理 (received, answered, on time, average working days, published answers) through the mailbox's
// statistics service, and the 信息发布 and 解读回应 counts of the site and the catalogue, as the 政府网站工作年度报表
// asks for them (国办函〔2018〕12号; national-rules.md §3.2).
// Figures the system does not hold are named as such, never filled in.
import { demand, viewerHolds, type Viewer } from '../../auth/viewer.js';
import type { CalendarService } from '../../calendar/service.js';
import { chinaDayOf, dayToIso } from '../../calendar/china-time.js';
import type { Database } from '../../db/client.js';
import { catalogueEntriesPublishedIn } from '../../disclosure/service/annual-feed.js';
import { mailboxStatistics } from '../../mailbox/service/statistics.js';
import { itemsFirstPublishedIn } from '../../publishing/service/annual-feed.js';
import { notFound } from '../../server/errors.js';
import { REPORT_READERS, reportableYear } from '../rules.js';

export interface WebsiteFiguresDeps {
  db: Database;
  calendar: CalendarService;
}

/** The 国办函〔2018〕12号 groups the system holds no record for (filled in by the office elsewhere). */
export const NOT_HELD = [
  '征集调查（期数、收到意见数量、公布调查结果期数）',
  '在线访谈（期数、网民留言数量、答复网民提问数量）',
  '安全防护（检测评估次数、发现问题、整改数量等）',
  '信息发布 · 概况类的更新量（本站没有概况类栏目）',
  '解读回应 · 回应关切的数量（本系统只记录政策解读）',
] as const;

export async function websiteFigures(deps: WebsiteFiguresDeps, viewer: Viewer, year: number, now = new Date()) {
  demand(viewer, viewerHolds(viewer, REPORT_READERS));
  if (!reportableYear(year, dayToIso(chinaDayOf(now)))) throw notFound(`${year} 年度尚未结束，没有该年度的数据`);
  const [stats, items, catalogue] = await Promise.all([
    mailboxStatistics(deps, viewer, { year }, now),
    itemsFirstPublishedIn(deps.db, year),
    catalogueEntriesPublishedIn(deps.db, viewer, year),
  ]);
  const t = stats.total;
  return {
    year,
    period: stats.period.label,
    mailbox: {
      received: t.received,
      answered: t.answered,
      answeredWithinLimit: t.answeredWithinLimit,
      answeredWithinLimitRate: t.answeredWithinLimitRate,
      averageWorkingDaysToAnswer: t.averageWorkingDaysToAnswer,
      published: t.published,
    },
    // 信息发布: the site's items first published in the year, the news columns' (政务动态), the catalogue's entries.
    publishing: { total: items.total, news: items.news, catalogue },
    // 解读回应: the 政策解读 column's items.
    interpretations: items.interpretations,
    notHeld: [...NOT_HELD],
  };
}
