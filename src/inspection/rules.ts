// The national website inspection indicators (国办秘函〔2019〕19号; shared/domain/national-rules.md §3.3-3.4)
// as data, and the pure computation of a day's results from facts the service gathers. No I/O.
import { addDays, daysBetween, monthsBefore } from './calendar-days.js';
import type { Role } from '../auth/roles.js';
import type { DrillLink, LinkFacts } from './link-facts.js';
import {
  availabilityCause,
  availabilityStatus,
  availabilityValue,
  measureAvailability,
  probeWindow,
  type AvailabilityFacts,
  type ProbeDay,
} from './probe-rules.js';

/** Who reads the inspection: the general office and the service centre inspect the site daily (Art. 27(三)(四)). */
export const INSPECTION_READERS = ['office', 'service_center'] as const satisfies readonly Role[];

export const INDICATOR_STATUSES = ['green', 'amber', 'red', 'not_measured'] as const;
export type IndicatorStatus = (typeof INDICATOR_STATUSES)[number];
export const STATUS_LABELS: Record<IndicatorStatus, string> = { green: '正常', amber: '接近阈值', red: '不达标', not_measured: '未监测' };

/**
 * Each indicator: what it is (a 单项否决 veto or a 扣分 deduction), its threshold in words and numbers,
 * and how close to the threshold is amber. Periods are calendar days or calendar months (the national
 * text says 2 weeks, 6 months, 3 months, 2 months), counted on China dates.
 */
export const INDICATORS = {
  availability: {
    label: '站点无法访问',
    effect: '单项否决',
    threshold: '监测 1 周、每日不少于 20 次，首页 15 秒内打不开的比例达到 5%',
    amber: '—',
  },
  homeUpdate: {
    label: '首页不更新',
    effect: '单项否决',
    threshold: '首页连续 2 周（14 天）无新信息',
    limitDays: 14,
    amberDays: 10,
    amber: '距上次首页新信息已满 10 天',
  },
  columnStale: {
    label: '栏目不更新（动态要闻 2 周、通知公告政策文件 6 个月）',
    effect: '单项否决',
    threshold: '动态、要闻类栏目 2 周未更新与通知公告、政策文件类栏目 6 个月未更新合计达到 5 个',
    newsDays: 14,
    noticeMonths: 6,
    limitCount: 5,
    amberCount: 3,
    amber: '合计 3-4 个',
  },
  columnLongStale: {
    label: '栏目长期未更新',
    effect: '单项否决',
    threshold: '应更新而长期未更新（超过栏目规定的更新周期）的栏目达到 10 个',
    limitCount: 10,
    amberCount: 7,
    amber: '7-9 个',
  },
  emptyColumns: {
    label: '空白栏目',
    effect: '单项否决',
    threshold: '空白栏目（没有已发布信息）达到 5 个',
    limitCount: 5,
    amberCount: 3,
    amber: '3-4 个',
  },
  unansweredLetters: {
    label: '互动回应差（留言超过 3 个月未答复）',
    effect: '单项否决',
    threshold: '有效留言超过 3 个月未答复',
    limitMonths: 3,
    amberMonths: 2,
    amber: '有在办信件已超过 2 个月未答复',
  },
  answerPublication: {
    label: '留言答复未及时公开',
    effect: '扣 3 分',
    threshold: '监测时间点前 2 个月内没有新公开的留言答复',
    limitMonths: 2,
    amberDays: 14,
    amber: '距 2 个月期满不足 14 天',
  },
  brokenLinks: {
    label: '链接不可用',
    effect: '扣分（首页每个 1 分，其他页面每个 0.1 分）',
    threshold: '首页及其他页面不能正常访问的链接',
    amber: '—',
  },
} as const;
export type IndicatorKey = keyof typeof INDICATORS;
export const INDICATOR_KEYS = Object.keys(INDICATORS) as IndicatorKey[];
export const isVeto = (k: IndicatorKey) => INDICATORS[k].effect === '单项否决';

/** The column kinds the veto counts tell apart. */
export type ColumnKind = 'news' | 'notice_policy' | 'other';
export const COLUMN_KIND_LABELS: Record<ColumnKind, string> = { news: '动态要闻类', notice_policy: '通知公告、政策文件类', other: '其他' };

/** One column as the inspection sees it (from the publishing service). */
export interface ColumnFact {
  id: number;
  slug: string;
  name: string;
  kind: ColumnKind;
  updateEveryDays: number | null;
  /** China date of the newest publication or update of a published item; null: none. */
  lastUpdateDay: string | null;
  publishedCount: number;
}

export interface LetterFact {
  trackingNo: string;
  departmentName: string;
  receivedDay: string;
}

export interface InspectionFacts {
  /** The China date of the check. */
  day: string;
  /** China date of the newest new item on the home page; null: none ever. */
  homeNewestDay: string | null;
  columns: ColumnFact[];
  /** Open (valid, unanswered) letters received before the amber cut-off, oldest first (at most a sample). */
  oldLetters: LetterFact[];
  /** How many open letters were received before the 3-month cut-off and before the amber one. */
  overLimitLetters: number;
  overAmberLetters: number;
  oldestOpenDay: string | null;
  /** China date of the newest published mailbox answer; null: none. */
  lastAnswerPublishedDay: string | null;
  /** The link watcher's results (src/links); null or absent: no link has been checked yet. */
  links?: LinkFacts | null;
  /** The home-page probes of the week before `day`; absent: not gathered (not measured). */
  availability?: AvailabilityFacts | null;
}

export interface DrillColumn {
  id: number;
  name: string;
  slug: string;
  kind: string;
  lastUpdateDay: string | null;
  daysSince: number | null;
  rule: string;
}

export interface IndicatorResult {
  key: IndicatorKey;
  label: string;
  effect: string;
  threshold: string;
  status: IndicatorStatus;
  /** The measured value in words (absent when not measured). */
  value: string;
  /** Why this status. */
  cause: string;
  columns?: DrillColumn[];
  letters?: (LetterFact & { daysOpen: number })[];
  links?: DrillLink[];
  /** The home-page probes per day of the week measured. */
  probeDays?: ProbeDay[];
}

export interface InspectionReport {
  day: string;
  /** A veto item is red: the site fails the national check whatever else. */
  vetoed: boolean;
  red: number;
  amber: number;
  results: IndicatorResult[];
}

/** Cut-offs the letter facts are gathered with: letters received before these China dates count. */
export function letterCutoffs(day: string) {
  const r = INDICATORS.unansweredLetters;
  return { limitDay: monthsBefore(day, r.limitMonths), amberDay: monthsBefore(day, r.amberMonths) };
}

const countStatus = (n: number, rule: { limitCount: number; amberCount: number }): IndicatorStatus =>
  n >= rule.limitCount ? 'red' : n >= rule.amberCount ? 'amber' : 'green';

// ---- the computation ----

/** Whether a column is stale for the 4.1 count: news 14 days, 通知公告/政策文件 6 months; others never. */
function staleFor41(c: ColumnFact, day: string): boolean {
  const r = INDICATORS.columnStale;
  if (c.kind === 'news') return c.lastUpdateDay === null || daysBetween(c.lastUpdateDay, day) > r.newsDays;
  if (c.kind === 'notice_policy') return c.lastUpdateDay === null || c.lastUpdateDay < monthsBefore(day, r.noticeMonths);
  return false;
}

/** Whether a column with an update frequency has gone longer than it without a publication. */
const overdueColumn = (c: ColumnFact, day: string) =>
  c.updateEveryDays !== null && (c.lastUpdateDay === null || daysBetween(c.lastUpdateDay, day) > c.updateEveryDays);

const drill = (c: ColumnFact, day: string, rule: string): DrillColumn => ({
  id: c.id,
  name: c.name,
  slug: c.slug,
  kind: COLUMN_KIND_LABELS[c.kind],
  lastUpdateDay: c.lastUpdateDay,
  daysSince: c.lastUpdateDay === null ? null : daysBetween(c.lastUpdateDay, day),
  rule,
});

const base = (key: IndicatorKey) => ({
  key,
  label: INDICATORS[key].label,
  effect: INDICATORS[key].effect,
  threshold: INDICATORS[key].threshold,
});

const notMeasured = (key: IndicatorKey, why: string): IndicatorResult => ({
  ...base(key),
  status: 'not_measured',
  value: '未监测',
  cause: why,
});

function homeUpdate(f: InspectionFacts): IndicatorResult {
  const r = INDICATORS.homeUpdate;
  if (f.homeNewestDay === null) return { ...base('homeUpdate'), status: 'red', value: '首页没有任何信息', cause: '首页从未发布信息' };
  const days = daysBetween(f.homeNewestDay, f.day);
  const status: IndicatorStatus = days > r.limitDays ? 'red' : days >= r.amberDays ? 'amber' : 'green';
  return {
    ...base('homeUpdate'),
    status,
    value: `${days} 天`,
    cause: `首页最新信息发布于 ${f.homeNewestDay}，距今 ${days} 天（超过 ${r.limitDays} 天为不达标）`,
  };
}

function columnStale(f: InspectionFacts): IndicatorResult {
  const r = INDICATORS.columnStale;
  const stale = f.columns.filter((c) => staleFor41(c, f.day));
  const news = stale.filter((c) => c.kind === 'news').length;
  const rule = (c: ColumnFact) => (c.kind === 'news' ? `${r.newsDays} 天内应有更新` : `${r.noticeMonths} 个月内应有更新`);
  return {
    ...base('columnStale'),
    status: countStatus(stale.length, r),
    value: `${stale.length} 个`,
    cause: `动态要闻类 ${news} 个超过 2 周未更新，通知公告、政策文件类 ${stale.length - news} 个超过 6 个月未更新（合计达到 ${r.limitCount} 个为不达标）`,
    columns: stale.map((c) => drill(c, f.day, rule(c))),
  };
}

function columnLongStale(f: InspectionFacts): IndicatorResult {
  const r = INDICATORS.columnLongStale;
  const overdue = f.columns.filter((c) => overdueColumn(c, f.day));
  return {
    ...base('columnLongStale'),
    status: countStatus(overdue.length, r),
    value: `${overdue.length} 个`,
    cause: `${overdue.length} 个栏目超过规定的更新周期未更新（达到 ${r.limitCount} 个为不达标）`,
    columns: overdue.map((c) => drill(c, f.day, `每 ${c.updateEveryDays} 天应有更新`)),
  };
}

function emptyColumns(f: InspectionFacts): IndicatorResult {
  const r = INDICATORS.emptyColumns;
  const empty = f.columns.filter((c) => c.publishedCount === 0);
  return {
    ...base('emptyColumns'),
    status: countStatus(empty.length, r),
    value: `${empty.length} 个`,
    cause: `${empty.length} 个栏目没有已发布信息（达到 ${r.limitCount} 个为不达标）`,
    columns: empty.map((c) => drill(c, f.day, '不应为空白栏目')),
  };
}

function unansweredLetters(f: InspectionFacts): IndicatorResult {
  const { limitDay, amberDay } = letterCutoffs(f.day);
  const status: IndicatorStatus = f.overLimitLetters > 0 ? 'red' : f.overAmberLetters > 0 ? 'amber' : 'green';
  const oldest = f.oldestOpenDay ? `最早的在办信件收于 ${f.oldestOpenDay}，已 ${daysBetween(f.oldestOpenDay, f.day)} 天` : '没有在办信件';
  return {
    ...base('unansweredLetters'),
    status,
    value: `${f.overLimitLetters} 件`,
    cause: `${oldest}；${limitDay} 之前收到仍未答复的 ${f.overLimitLetters} 件（超过 3 个月），${amberDay} 之前收到的 ${f.overAmberLetters} 件（超过 2 个月）`,
    letters: f.oldLetters.map((l) => ({ ...l, daysOpen: daysBetween(l.receivedDay, f.day) })),
  };
}

function answerPublication(f: InspectionFacts): IndicatorResult {
  const r = INDICATORS.answerPublication;
  const cutoff = monthsBefore(f.day, r.limitMonths);
  if (f.lastAnswerPublishedDay === null)
    return { ...base('answerPublication'), status: 'red', value: '从未公开', cause: '还没有公开过留言答复' };
  const last = f.lastAnswerPublishedDay;
  // Red once the newest publication is before the 2-month cut-off; amber in the 14 days before that.
  const status: IndicatorStatus = last < cutoff ? 'red' : last < addDays(cutoff, r.amberDays) ? 'amber' : 'green';
  return {
    ...base('answerPublication'),
    status,
    value: `${daysBetween(last, f.day)} 天`,
    cause: `最近一次公开留言答复在 ${last}（${cutoff} 之后应有新的公开答复）`,
  };
}

function brokenLinks(f: InspectionFacts): IndicatorResult {
  const l = f.links;
  if (!l) return notMeasured('brokenLinks', '链接检测尚未运行');
  // Every broken link costs points (red); a link that failed once is one failure from broken (amber).
  const status: IndicatorStatus = l.home + l.other > 0 ? 'red' : l.failingOnce > 0 ? 'amber' : 'green';
  return {
    ...base('brokenLinks'),
    status,
    value: `首页 ${l.home} 个，其他页面 ${l.other} 个`,
    cause: `${l.lastCheckedDay} 的链接检测：连续两次访问失败的链接首页 ${l.home} 个、其他页面 ${l.other} 个；仅最近一次失败的 ${l.failingOnce} 个`,
    links: l.sample,
  };
}

function availability(f: InspectionFacts): IndicatorResult {
  if (!f.availability) return notMeasured('availability', '首页可用性探测尚未运行');
  const m = measureAvailability(f.availability);
  return {
    ...base('availability'),
    status: availabilityStatus(m),
    value: availabilityValue(m),
    cause: availabilityCause(m, probeWindow(f.day)),
    probeDays: f.availability.days,
  };
}

/** A day's results from its facts; what the system has not measured is "未监测", never a made-up value. */
export function computeInspection(f: InspectionFacts): InspectionReport {
  const results = [
    availability(f),
    homeUpdate(f),
    columnStale(f),
    columnLongStale(f),
    emptyColumns(f),
    unansweredLetters(f),
    answerPublication(f),
    brokenLinks(f),
  ];
  return {
    day: f.day,
    vetoed: results.some((r) => r.status === 'red' && isVeto(r.key)),
    red: results.filter((r) => r.status === 'red').length,
    amber: results.filter((r) => r.status === 'amber').length,
    results,
  };
}

/** The amber and red items the office's digest lists. */
export const alertsOf = (report: InspectionReport) =>
  report.results
    .filter((r) => r.status === 'red' || r.status === 'amber')
    .map((r) => ({ key: r.key, label: r.label, status: r.status, cause: r.cause }));
export type InspectionAlert = ReturnType<typeof alertsOf>[number];

/**
 * A column's kind for the 4.1 count: a news column (isNews: 工作动态, 视频新闻) is 动态要闻类; a 政务公开
 * column for notices or policy documents (通知公告, 政策文件) is 通知公告、政策文件类. 征集调查 also takes
 * notices but sits under 互动交流, so it is neither.
 */
export function columnKind(c: { isNews: boolean; contentTypes: readonly string[]; section: string }): ColumnKind {
  if (c.isNews) return 'news';
  if (c.section === 'disclosure' && c.contentTypes.some((t) => t === 'notice' || t === 'policy')) return 'notice_policy';
  return 'other';
}
