import { createHash, timingSafeEqual } from 'node:crypto';
import { and, asc, gt, gte, lte, ne } from 'drizzle-orm';
import { chinaDayOf, dayToIso, formatChinaDateTime, parseIsoDate } from '../../calendar/china-time.js';
import type { CalendarService } from '../../calendar/service.js';
import type { Env } from '../../config/env.js';
import type { Executor } from '../../db/client.js';
import { AppError, badRequest, unauthorized } from '../../server/errors.js';
import { DOCUMENT_CATEGORY_FACTS } from '../rules.js';
import { catalogueEntries } from '../tables.js';
import { departmentMap } from './views.js';

// The export for the province's 政务公开电子监察系统 (measures Arts. 31 and 33): catalogue rounds and their
// timeliness, versioned JSON its collector pulls with a bearer token. The format is docs/supervision-export.md;
// a change that is not backward compatible is a new version path (v2), never a silent change of v1.

export const SUPERVISION_FORMAT = 'fj-amr-disclosure-supervision' as const;
export const SUPERVISION_VERSION = 1 as const;
export const SUPERVISION_PAGE_MAX = 1000;

const digest = (s: string) => createHash('sha256').update(s).digest();

/** The collector's token, compared in constant time; 503 while the export is not configured. */
function demandCollector(env: Pick<Env, 'SUPERVISION_EXPORT_TOKEN'>, authorization: string | undefined) {
  if (!env.SUPERVISION_EXPORT_TOKEN) throw new AppError(503, 'not_configured', '电子监察数据接口未配置');
  const token = /^Bearer (.+)$/.exec(authorization ?? '')?.[1] ?? '';
  if (!timingSafeEqual(digest(token), digest(env.SUPERVISION_EXPORT_TOKEN))) throw unauthorized('电子监察数据接口的令牌无效');
}

/**
 * The rounds whose clock started (the document formed or changed) in [from, to], China dates, in id order
 * from `after`: for each, when formed, when due, when published, how many working days late (an open
 * round past its due date counts to `now`'s China date), and whether it was on time. Rounds a later change
 * cancelled are left out (the next round is listed), as docs/supervision-export.md says.
 */
export async function supervisionEntries(
  deps: { db: Executor; calendar: CalendarService; env: Pick<Env, 'SUPERVISION_EXPORT_TOKEN'> },
  authorization: string | undefined,
  q: { from: string; to: string; after?: number | undefined; limit?: number | undefined },
  now = new Date(),
) {
  demandCollector(deps.env, authorization);
  if (q.from > q.to) throw badRequest('提交的内容有误，请检查标注的字段', { 'querystring.to': '结束日期不能早于开始日期' });
  const limit = Math.min(q.limit ?? SUPERVISION_PAGE_MAX, SUPERVISION_PAGE_MAX);
  const rows = await deps.db
    .select()
    .from(catalogueEntries)
    .where(
      and(
        gte(catalogueEntries.startsOn, q.from),
        lte(catalogueEntries.startsOn, q.to),
        gt(catalogueEntries.id, q.after ?? 0),
        // Superseded by a later change: the next round is listed instead.
        ne(catalogueEntries.status, 'cancelled'),
      ),
    )
    .orderBy(asc(catalogueEntries.id))
    .limit(limit + 1);
  const page = rows.slice(0, limit);
  const names = await departmentMap(deps.db);
  const cal = deps.calendar.current;
  const today = chinaDayOf(now);
  const entries = page.map((e) => {
    const publishedOn = e.publishedAt ? chinaDayOf(e.publishedAt) : null;
    const due = parseIsoDate(e.dueOn)!;
    const until = publishedOn ?? today;
    const overdueWorkingDays = until > due ? cal.countWorkingDays(due, until) : 0;
    return {
      id: e.id,
      indexNo: e.indexNo,
      name: e.name,
      docNumber: e.docNumber,
      category: e.category,
      categoryLabel: DOCUMENT_CATEGORY_FACTS[e.category].label,
      issuingDepartment: names.get(e.departmentId) ?? '',
      round: e.round,
      formedOrChangedOn: e.startsOn,
      dueOn: e.dueOn,
      dueProvisional: e.dueProvisional,
      status: e.status === 'published' ? ('published' as const) : ('open' as const),
      publishedAt: e.publishedAt ? formatChinaDateTime(e.publishedAt) : null,
      overdueWorkingDays,
      onTime: publishedOn === null ? null : publishedOn <= due,
    };
  });
  return {
    format: SUPERVISION_FORMAT,
    version: SUPERVISION_VERSION,
    generatedAt: formatChinaDateTime(now),
    period: { from: q.from, to: q.to },
    asOf: dayToIso(today),
    entries,
    nextAfter: rows.length > limit ? page.at(-1)!.id : null,
  };
}
