import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { parseChinaInstant } from '../../src/calendar/china-time.js';
import { bearer, startHarness, type Harness } from '../support/harness.js';

// Point 9 of issue 13 at the HTML level (app.inject, real PostgreSQL): a provisional deadline is
// shown as 暂定 with one line of explanation to the writer (confirmation and lookup pages), and from
// 1 November, while next year's State Council notice is not loaded, the calendar page says so every
// day. "Today" is chosen by faking the process's Date only (timers and the database stay real).

let h: Harness;
let ipSeq = 0;
const ip = () => ({ 'x-forwarded-for': `10.13.0.${++ipSeq}` });
const PROVISIONAL_LINE =
  '暂定：期限内有日期的节假日安排（国务院办公厅通知）尚未公布，暂按周一至周五为工作日计算；通知公布后将重新计算，请以查询结果为准。';

function today(chinaTime: string) {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(parseChinaInstant(chinaTime)!);
}

function multipart(fields: Record<string, string>) {
  const boundary = `----amrtest${Math.random().toString(16).slice(2)}`;
  const parts = Object.entries(fields).map(([k, v]) => `--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`);
  const empty = `--${boundary}\r\nContent-Disposition: form-data; name="attachments"; filename=""\r\nContent-Type: application/octet-stream\r\n\r\n\r\n`;
  return { payload: Buffer.from(`${parts.join('')}${empty}--${boundary}--\r\n`), contentType: `multipart/form-data; boundary=${boundary}` };
}

/** The public form as a browser without JavaScript posts it; answers the confirmation page. */
async function postLetter(type: 'complaint' | 'inquiry') {
  const form = await h.app.inject({ method: 'GET', url: '/mailbox', headers: ip() });
  const formId = /name="formId" value="([^"]+)"/.exec(form.body)![1]!;
  const { payload, contentType } = multipart({
    formId,
    type,
    convenienceItemId: '',
    departmentId: '5',
    subject: '年底的来信',
    content: '年底提交的来信，答复期限跨年。',
    'writer.name': '张三',
    'writer.phone': '13800138000',
    'writer.email': '',
    allowPublication: 'no',
    website: '',
  });
  const res = await h.app.inject({ method: 'POST', url: '/letter', payload, headers: { 'content-type': contentType, ...ip() } });
  expect(res.statusCode, res.body.slice(0, 2000)).toBe(200);
  return {
    page: res.body,
    trackingNo: /id="tracking-no">([^<]+)</.exec(res.body)![1]!,
    accessCode: /id="access-code">([^<]+)</.exec(res.body)![1]!,
  };
}

const lookupPage = async (trackingNo: string, accessCode: string) =>
  (
    await h.app.inject({
      method: 'POST',
      url: '/lookup',
      payload: new URLSearchParams({ trackingNo, accessCode }).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...ip() },
    })
  ).body;

beforeAll(async () => {
  h = await startHarness();
});
afterEach(() => {
  vi.useRealTimers();
});
afterAll(async () => h?.close());

describe("the writer's pages mark a provisional deadline 暂定", () => {
  it('a complaint sent Monday 28 December 2026 (2027 not loaded): due 11 January 2027, 暂定, with its one line', async () => {
    today('2026-12-28T10:00');
    // 29, 30, 31 December, 1 January, 4–8 January, 11 January by the weekday rule (Art. 22: 10 working days).
    const { page, trackingNo, accessCode } = await postLetter('complaint');
    vi.useRealTimers();
    expect(page).toContain('<dt>答复期限</dt><dd>2027年1月11日前 <strong class="tag tag-provisional">暂定</strong>');
    expect(page).toContain(`<p class="provisional-note" id="due-provisional">${PROVISIONAL_LINE}</p>`);
    const lookup = await lookupPage(trackingNo, accessCode);
    expect(lookup).toContain('<h1>办理进度</h1>');
    expect(lookup).toContain('2027年1月11日前 <strong class="tag tag-provisional">暂定</strong>');
    expect(lookup).toContain(PROVISIONAL_LINE);
  });

  it('late December is provisional too: an inquiry sent 28 December is due Wednesday 30 December 2026, 暂定', async () => {
    today('2026-12-28T10:00');
    const { page } = await postLetter('inquiry');
    expect(page).toContain('2026年12月30日前 <strong class="tag tag-provisional">暂定</strong>');
  });

  it('an official deadline has no 暂定: an inquiry sent Thursday 3 December 2026 is due Monday 7 December', async () => {
    today('2026-12-03T10:00');
    const { page, trackingNo, accessCode } = await postLetter('inquiry');
    vi.useRealTimers();
    expect(page).toContain('<dt>答复期限</dt><dd>2026年12月7日前</dd>');
    expect(page).not.toContain('暂定');
    expect(await lookupPage(trackingNo, accessCode)).not.toContain('暂定');
  });
});

describe('the calendar page says so every day from 1 November while next year is not loaded', () => {
  const BANNER = '2027 年节假日安排尚未录入。</strong>自2026年12月25日起的日期暂按周一至周五为工作日计算';
  const calendarPage = async (username: string) => {
    const res = await h.app.inject({ method: 'GET', url: '/staff/calendar', headers: { ...bearer(await h.login(username)), ...ip() } });
    expect(res.statusCode).toBe(200);
    return res.body;
  };

  it('absent on Saturday 31 October 2026', async () => {
    const token = await h.login('admin');
    today('2026-10-31T23:30');
    const res = await h.app.inject({ method: 'GET', url: '/staff/calendar', headers: { ...bearer(token), ...ip() } });
    expect(res.statusCode).toBe(200);
    expect(res.body).not.toContain('id="missing-notice"');
  });

  it('present on 1 November and on every later day (1 November, 2 December, 31 December), for the administrator and other staff', async () => {
    for (const day of ['2026-11-01T00:10', '2026-12-02T09:00', '2026-12-31T17:00']) {
      today(day); // logged in on that day, so the session has not expired on the faked clock
      const page = await calendarPage('admin');
      expect(page, day).toContain(BANNER);
      expect(page, day).toContain('请及时在下方录入');
      const staffPage = await calendarPage('office');
      expect(staffPage, day).toContain(BANNER);
      expect(staffPage, day).toContain('请联系管理员录入');
      vi.useRealTimers();
    }
  });

  it("the administrator's other pages carry the reminder too (1 November on), other staff's do not; absent on 31 October", async () => {
    const staffPage = async (username: string, url: string) => {
      const res = await h.app.inject({ method: 'GET', url, headers: { ...bearer(await h.login(username)), ...ip() } });
      expect(res.statusCode, url).toBe(200);
      return res.body;
    };
    today('2026-11-01T09:00');
    for (const url of ['/staff/audit', '/staff/convenience-items', '/staff/digest']) {
      const page = await staffPage('admin', url);
      expect(page, url).toContain('2027 年节假日安排尚未录入。</strong>自2026年12月25日起的答复期限均为暂定。');
      expect(page, url).toContain('href="/staff/calendar"');
    }
    expect(await staffPage('office', '/staff/convenience-items')).not.toContain('id="missing-notice"');
    vi.useRealTimers();
    today('2026-10-31T23:30');
    expect(await staffPage('admin', '/staff/audit')).not.toContain('id="missing-notice"');
    vi.useRealTimers();
  });

  it('absent once 2027 is loaded', async () => {
    const put = await h.app.inject({
      method: 'PUT',
      url: '/api/calendar/years/2027',
      headers: bearer(await h.login('admin')),
      payload: {
        notice: { title: '国务院办公厅关于2027年部分节假日安排的通知（测试）', number: '国办发明电〔2026〕99号', date: '2026-11-10' },
        holidays: [{ name: '元旦', dates: ['2027-01-01', '2027-01-02', '2027-01-03'] }],
        adjustedWorkdays: [],
      },
    });
    expect(put.statusCode, put.body).toBe(200);
    today('2026-11-01T09:00');
    expect(await calendarPage('admin')).not.toContain('id="missing-notice"');
  });
});
