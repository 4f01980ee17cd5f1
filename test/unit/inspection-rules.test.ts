import { describe, expect, it } from 'vitest';
import { monthsBefore } from '../../src/inspection/calendar-days.js';
import { columnKind, computeInspection, type ColumnFact, type InspectionFacts } from '../../src/inspection/rules.js';
import { historyCsv } from '../../src/inspection/history-csv.js';

// 国办秘函〔2019〕19号 indicators as pure rules (national-rules.md §3.3-3.4): each threshold just under and
// just over, on dates written out. The check day is Thursday 2026-12-03.

const DAY = '2026-12-03';
const col = (id: number, over: Partial<ColumnFact>): ColumnFact => ({
  id,
  slug: `c${id}`,
  name: `栏目${id}`,
  kind: 'other',
  updateEveryDays: null,
  lastUpdateDay: DAY,
  publishedCount: 1,
  ...over,
});
const facts = (over: Partial<InspectionFacts> = {}): InspectionFacts => ({
  day: DAY,
  homeNewestDay: DAY,
  columns: [],
  oldLetters: [],
  overLimitLetters: 0,
  overAmberLetters: 0,
  oldestOpenDay: null,
  lastAnswerPublishedDay: DAY,
  ...over,
});
const status = (f: InspectionFacts, key: string) => computeInspection(f).results.find((r) => r.key === key)!.status;

describe('calendar months on China dates', () => {
  it('counts back whole months, clamping to the end of a shorter month', () => {
    expect(monthsBefore('2026-12-03', 3)).toBe('2026-09-03');
    expect(monthsBefore('2026-12-03', 6)).toBe('2026-06-03');
    expect(monthsBefore('2026-05-31', 3)).toBe('2026-02-28');
    expect(monthsBefore('2026-02-15', 3)).toBe('2025-11-15');
  });
});

describe('19号 veto 3: 首页不更新 (2 weeks)', () => {
  it('14 days since the newest home item is amber, 15 days is red, 9 days green', () => {
    expect(status(facts({ homeNewestDay: '2026-11-24' }), 'homeUpdate')).toBe('green');
    expect(status(facts({ homeNewestDay: '2026-11-19' }), 'homeUpdate')).toBe('amber');
    expect(status(facts({ homeNewestDay: '2026-11-18' }), 'homeUpdate')).toBe('red');
    expect(computeInspection(facts({ homeNewestDay: '2026-11-18' })).vetoed).toBe(true);
    expect(status(facts({ homeNewestDay: null }), 'homeUpdate')).toBe('red');
  });
});

describe('19号 veto 4.1: news 2 weeks + 通知公告/政策文件 6 months, 5 in total', () => {
  const news = (n: number, last: string) => Array.from({ length: n }, (_, i) => col(100 + i, { kind: 'news', lastUpdateDay: last }));
  const notice = (n: number, last: string) =>
    Array.from({ length: n }, (_, i) => col(200 + i, { kind: 'notice_policy', lastUpdateDay: last }));
  it('a news column 14 days old is not stale, 15 days is; a notice column from 2026-06-03 is not, from 2026-06-02 is', () => {
    expect(computeInspection(facts({ columns: news(1, '2026-11-19') })).results[2]!.value).toBe('0 个');
    expect(computeInspection(facts({ columns: news(1, '2026-11-18') })).results[2]!.value).toBe('1 个');
    expect(computeInspection(facts({ columns: notice(1, '2026-06-03') })).results[2]!.value).toBe('0 个');
    expect(computeInspection(facts({ columns: notice(1, '2026-06-02') })).results[2]!.value).toBe('1 个');
  });
  it('4 stale columns (2 news, 2 notices) are amber; 5 are red and veto', () => {
    const four = [...news(2, '2026-11-18'), ...notice(2, '2026-06-02')];
    expect(status(facts({ columns: four }), 'columnStale')).toBe('amber');
    const five = [...four, ...notice(1, '2026-01-01').map((c) => ({ ...c, id: 300 }))];
    const rep = computeInspection(facts({ columns: five }));
    expect(rep.results.find((r) => r.key === 'columnStale')).toMatchObject({ status: 'red', value: '5 个' });
    expect(rep.results.find((r) => r.key === 'columnStale')!.columns!.map((c) => c.id)).toEqual([100, 101, 200, 201, 300]);
    expect(rep.vetoed).toBe(true);
  });
  it('columns of other kinds never count, however old', () => {
    const old = Array.from({ length: 6 }, (_, i) => col(i, { lastUpdateDay: '2020-01-01' }));
    expect(status(facts({ columns: old }), 'columnStale')).toBe('green');
  });
});

describe('19号 veto 4.2 and 4.3: ≥ 10 long-stale columns, ≥ 5 empty columns', () => {
  const weekly = (n: number, last: string | null) =>
    Array.from({ length: n }, (_, i) => col(i, { updateEveryDays: 7, lastUpdateDay: last, publishedCount: last ? 3 : 0 }));
  it('a column due every 7 days last updated on 2026-11-26 (7 days) is fine, on 2026-11-25 (8 days) is overdue', () => {
    expect(status(facts({ columns: weekly(10, '2026-11-26') }), 'columnLongStale')).toBe('green');
    expect(status(facts({ columns: weekly(9, '2026-11-25') }), 'columnLongStale')).toBe('amber');
    expect(status(facts({ columns: weekly(10, '2026-11-25') }), 'columnLongStale')).toBe('red');
  });
  it('4 empty columns are amber, 5 red, 2 green', () => {
    const empty = (n: number) => Array.from({ length: n }, (_, i) => col(i, { publishedCount: 0, lastUpdateDay: null }));
    expect(status(facts({ columns: empty(2) }), 'emptyColumns')).toBe('green');
    expect(status(facts({ columns: empty(4) }), 'emptyColumns')).toBe('amber');
    expect(status(facts({ columns: empty(5) }), 'emptyColumns')).toBe('red');
  });
});

describe('19号 veto 5.2 and the 2-month reply deduction', () => {
  it('letters older than 2 months are amber, older than 3 months red', () => {
    expect(status(facts(), 'unansweredLetters')).toBe('green');
    expect(status(facts({ overAmberLetters: 1, oldestOpenDay: '2026-10-02' }), 'unansweredLetters')).toBe('amber');
    const red = computeInspection(facts({ overAmberLetters: 2, overLimitLetters: 1, oldestOpenDay: '2026-09-02' }));
    expect(red.results.find((r) => r.key === 'unansweredLetters')!.status).toBe('red');
    expect(red.vetoed).toBe(true);
  });
  it('the newest published answer on 2026-10-17 is green, 2026-10-16 and 2026-10-03 amber, 2026-10-02 red (a deduction, not a veto)', () => {
    expect(status(facts({ lastAnswerPublishedDay: '2026-10-17' }), 'answerPublication')).toBe('green');
    expect(status(facts({ lastAnswerPublishedDay: '2026-10-16' }), 'answerPublication')).toBe('amber');
    expect(status(facts({ lastAnswerPublishedDay: '2026-10-03' }), 'answerPublication')).toBe('amber');
    const red = computeInspection(facts({ lastAnswerPublishedDay: '2026-10-02' }));
    expect(red.results.find((r) => r.key === 'answerPublication')!.status).toBe('red');
    expect(red.vetoed).toBe(false);
  });
  it('availability and broken links are not measured, never given a value', () => {
    const rep = computeInspection(facts());
    expect(rep.results.filter((r) => r.status === 'not_measured').map((r) => [r.key, r.value])).toEqual([
      ['availability', '未监测'],
      ['brokenLinks', '未监测'],
    ]);
  });
});

describe('column kinds and the CSV', () => {
  it('news, 政务公开 notices and policies, and the rest', () => {
    expect(columnKind({ isNews: true, contentTypes: ['article'], section: 'disclosure' })).toBe('news');
    expect(columnKind({ isNews: false, contentTypes: ['policy'], section: 'disclosure' })).toBe('notice_policy');
    expect(columnKind({ isNews: false, contentTypes: ['notice'], section: 'interaction' })).toBe('other');
  });
  it('one line per day and indicator, quoted where needed, with a BOM', () => {
    const csv = historyCsv([computeInspection(facts({ homeNewestDay: '2026-11-18' }))]);
    const lines = csv.replace('\uFEFF', '').trimEnd().split('\r\n');
    expect(csv.startsWith('\uFEFF日期,指标')).toBe(true);
    expect(lines).toHaveLength(9);
    expect(lines[2]).toBe(
      '2026-12-03,首页不更新,单项否决,不达标,15 天,首页连续 2 周（14 天）无新信息,首页最新信息发布于 2026-11-18，距今 15 天（超过 14 天为不达标）,是',
    );
    expect(lines[3]!.startsWith('2026-12-03,栏目不更新（动态要闻 2 周、通知公告政策文件 6 个月）,')).toBe(true);
  });
});
