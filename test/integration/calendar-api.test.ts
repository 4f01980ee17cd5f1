import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog } from '../../src/audit/tables.js';
import { CalendarService } from '../../src/calendar/service.js';
import { parseIsoDate } from '../../src/calendar/china-time.js';
import { createDatabase } from '../../src/db/client.js';
import { bearer, startHarness, type Harness } from '../support/harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => h?.close());

const get = (url: string) => h.app.inject({ method: 'GET', url });
const put = (url: string, payload: unknown, token?: string) =>
  h.app.inject({ method: 'PUT', url, payload: payload as object, headers: token ? bearer(token) : {} });

/** A 400 whose `fields` name exactly the given keys, each with a Chinese message. */
function expectFields(res: { statusCode: number; json: () => { error: { fields: Record<string, string> } } }, ...keys: string[]) {
  expect(res.statusCode).toBe(400);
  const { error } = res.json();
  expect(Object.keys(error.fields ?? {}).sort()).toEqual([...keys].sort());
  for (const k of keys) expect(error.fields[k]).toMatch(/[\u4e00-\u9fff]/);
  return error as { code: string; message: string; fields: Record<string, string> };
}

// A plausible 2027 notice (2027-01-01 is a Friday; 春节 2027 is 6 February).
const notice2027 = () => ({
  notice: { title: '国务院办公厅关于2027年部分节假日安排的通知', number: '国办发明电〔2026〕99号', date: '2026-11-20' },
  holidays: [
    { name: '元旦', dates: ['2027-01-01', '2027-01-02', '2027-01-03'] },
    {
      name: '春节',
      dates: ['2027-02-05', '2027-02-06', '2027-02-07', '2027-02-08', '2027-02-09', '2027-02-10', '2027-02-11', '2027-02-12', '2027-02-13'],
    },
  ],
  adjustedWorkdays: [{ name: '春节', dates: ['2027-02-20'] }],
});

describe('read-only endpoints (public)', () => {
  it('GET /days/{date}', async () => {
    const res = await get('/api/calendar/days/2024-10-01');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ date: '2024-10-01', workingDay: false, kind: 'holiday', holiday: '国庆节', provisional: false });
    expect((await get('/api/calendar/days/2024-09-29')).json()).toMatchObject({ workingDay: true, kind: 'adjusted_workday' });
    // No 2027 notice yet: weekday rule, provisional.
    expect((await get('/api/calendar/days/2027-01-01')).json()).toEqual({
      date: '2027-01-01',
      workingDay: true,
      kind: 'workday',
      provisional: true,
    });
  });

  it('GET /deadline', async () => {
    // Received on the make-up Sunday 2024-09-29: 1 = 09-30, 2..5 = 10-08..11, 6 = 10-12 (Sat), 7..10 = 10-14..17.
    const res = await get('/api/calendar/deadline?from=2024-09-29T10:00:00%2B08:00&workingDays=10');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      from: '2024-09-29T10:00:00+08:00',
      workingDays: 10,
      countFrom: '2024-09-29',
      dueDate: '2024-10-17',
      dueAt: '2024-10-17T23:59:59.999+08:00',
      provisional: false,
    });
    // 16:00Z is 00:00 China on 09-30 → one day later.
    expect((await get('/api/calendar/deadline?from=2024-09-29T16:00:00Z&workingDays=10')).json()).toMatchObject({
      countFrom: '2024-09-30',
      dueDate: '2024-10-18',
    });
    // Into 2027, which has no notice: provisional.
    expect((await get('/api/calendar/deadline?from=2026-12-28&workingDays=5')).json()).toMatchObject({
      dueDate: '2027-01-04',
      provisional: true,
    });
  });

  it('GET /deadline/explain', async () => {
    const res = await get('/api/calendar/deadline/explain?from=2024-09-29&workingDays=10');
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ dueDate: '2024-10-17', provisional: false });
    expect(body.days).toHaveLength(19); // 09-29 .. 10-17
    expect(body.days[0]).toMatchObject({ date: '2024-09-29', counted: false, reason: '收到当日不计入' });
    expect(body.days[2]).toMatchObject({ date: '2024-10-01', counted: false, reason: '法定节假日（国庆节）' });
    expect(body.days.filter((d: { counted: boolean }) => d.counted)).toHaveLength(10);
  });

  it('GET /working-days', async () => {
    expect((await get('/api/calendar/working-days?from=2024-09-29&to=2024-10-17')).json()).toEqual({
      from: '2024-09-29',
      to: '2024-10-17',
      workingDays: 10,
      provisional: false,
    });
    // `to` before `from` is allowed and counts negatively.
    const back = await get('/api/calendar/working-days?from=2024-10-17&to=2024-09-29');
    expect(back.statusCode).toBe(200);
    expect(back.json()).toMatchObject({ workingDays: -10, provisional: false });
    expect((await get('/api/calendar/working-days?from=2026-12-20&to=2027-01-10')).json()).toMatchObject({ provisional: true });
  });

  it('GET /years', async () => {
    const res = await get('/api/calendar/years');
    expect(res.statusCode).toBe(200);
    const years = res.json() as { year: number; status: string; source: string | null; notice: { number: string } | null }[];
    expect(years[0]!.year).toBe(2020);
    expect(years.find((y) => y.year === 2024)).toMatchObject({
      status: 'official',
      source: 'bundled',
      notice: { number: '国办发明电〔2023〕7号' },
    });
    expect(years.find((y) => y.year === 2027)).toMatchObject({ status: 'provisional', source: null, notice: null, amendments: [] });
  });
});

describe('bad input → 400 with Chinese field messages', () => {
  it('GET /days/{date}', async () => {
    for (const d of ['2024-1-1', '2023-02-30', '2024-13-01', 'today']) {
      expectFields(await get(`/api/calendar/days/${d}`), 'params.date');
    }
    expectFields(await get('/api/calendar/days/1999-12-31'), 'params.date'); // outside 2000–2100
  });

  for (const path of ['/api/calendar/deadline', '/api/calendar/deadline/explain']) {
    it(`GET ${path}`, async () => {
      const f = (q: string) => get(`${path}?${q}`);
      expect(expectFields(await f('from=2024-09-29&workingDays=0'), 'querystring.workingDays').fields['querystring.workingDays']).toBe(
        '至少为 1',
      );
      expect(expectFields(await f('from=2024-09-29&workingDays=366'), 'querystring.workingDays').fields['querystring.workingDays']).toBe(
        '至多为 365',
      );
      expect(expectFields(await f('from=2024-09-29&workingDays=abc'), 'querystring.workingDays').fields['querystring.workingDays']).toBe(
        '应为 1 到 365 之间的整数',
      );
      expectFields(await f('from=2024-09-29&workingDays=1.5'), 'querystring.workingDays');
      expectFields(await f('from=2024-09-29'), 'querystring.workingDays');
      expect(expectFields(await f('workingDays=10'), 'querystring.from').fields['querystring.from']).toBe('请填写日期或时间');
      expectFields(await f(''), 'querystring.from', 'querystring.workingDays');
      expectFields(await f('from=2023-02-30&workingDays=10'), 'querystring.from');
      expectFields(await f('from=2024-09-30T24:00&workingDays=10'), 'querystring.from');
      expectFields(await f('from=30/09/2024&workingDays=10'), 'querystring.from');
      expectFields(await f('from=2100-12-31&workingDays=10'), 'querystring.from'); // the due date would be after 2100
      expectFields(await f('from=1999-12-31&workingDays=10'), 'querystring.from');
    });
  }

  it('GET /working-days', async () => {
    const f = (q: string) => get(`/api/calendar/working-days?${q}`);
    expectFields(await f('from=2024-02-30&to=2024-03-01'), 'querystring.from');
    expectFields(await f('from=2024-03-01&to=2024-3-1'), 'querystring.to');
    expect(expectFields(await f('from=2024-03-01'), 'querystring.to').fields['querystring.to']).toBe('请填写日期');
    expectFields(await f(''), 'querystring.from', 'querystring.to');
    expectFields(await f('from=1999-12-31&to=2024-01-01'), 'querystring.from');
    expectFields(await f('from=2024-01-01&to=2101-01-01'), 'querystring.to');
  });

  it('PUT /years/{year}: bad year', async () => {
    const admin = await h.login('admin');
    expect(expectFields(await put('/api/calendar/years/abc', notice2027(), admin), 'params.year').fields['params.year']).toBe(
      '年份应为整数',
    );
    expectFields(await put('/api/calendar/years/1999', notice2027(), admin), 'params.year');
    expectFields(await put('/api/calendar/years/2027.5', notice2027(), admin), 'params.year');
  });
});

describe('PUT /years/{year}', () => {
  it('requires an administrator', async () => {
    const anon = await put('/api/calendar/years/2027', notice2027());
    expect(anon.statusCode).toBe(401);
    expect(anon.json().error.code).toBe('unauthorized');
    const office = await put('/api/calendar/years/2027', notice2027(), await h.login('office'));
    expect(office.statusCode).toBe(403);
    expect(office.json().error.code).toBe('forbidden');
    expect((await get('/api/calendar/days/2027-01-01')).json().provisional).toBe(true);
  });

  it('rejects invalid notices field by field, storing nothing', async () => {
    const admin = await h.login('admin');
    const with_ = (patch: (b: ReturnType<typeof notice2027>) => void) => {
      const b = notice2027();
      patch(b);
      return b;
    };
    // The same date twice (across groups too).
    let e = expectFields(
      await put(
        '/api/calendar/years/2027',
        with_((b) => b.holidays[0]!.dates.push('2027-01-03')),
        admin,
      ),
      'body.holidays.0.dates.3',
    );
    expect(e.fields['body.holidays.0.dates.3']).toContain('重复');
    e = expectFields(
      await put(
        '/api/calendar/years/2027',
        with_((b) => b.adjustedWorkdays[0]!.dates.push('2027-02-06')),
        admin,
      ),
      'body.adjustedWorkdays.0.dates.1',
    );
    expect(e.fields['body.adjustedWorkdays.0.dates.1']).toContain('重复');
    // Outside [2026-12-25, 2027-12-31]: the notice's reach starts where late December turns provisional
    // (NEXT_NOTICE_REACH in working-days.ts), so what a notice may list and what waits for it agree.
    e = expectFields(
      await put(
        '/api/calendar/years/2027',
        with_((b) => b.holidays[0]!.dates.unshift('2026-12-24')),
        admin,
      ),
      'body.holidays.0.dates.0',
    );
    expect(e.fields['body.holidays.0.dates.0']).toBe('日期须在 2026-12-25 至 2027-12-31 之间');
    expectFields(
      await put(
        '/api/calendar/years/2027',
        with_((b) => b.holidays[0]!.dates.push('2028-01-01')),
        admin,
      ),
      'body.holidays.0.dates.3',
    );
    // A make-up day on a weekday (2027-02-19 is a Friday).
    e = expectFields(
      await put(
        '/api/calendar/years/2027',
        with_((b) => b.adjustedWorkdays[0]!.dates.unshift('2027-02-19')),
        admin,
      ),
      'body.adjustedWorkdays.0.dates.0',
    );
    expect(e.fields['body.adjustedWorkdays.0.dates.0']).toContain('应为周六或周日');
    // Names, dates and the notice must be present.
    e = expectFields(
      await put(
        '/api/calendar/years/2027',
        with_((b) => {
          b.holidays[1]!.name = '  ';
        }),
        admin,
      ),
      'body.holidays.1.name',
    );
    expect(e.fields['body.holidays.1.name']).toBe('请填写节日名称');
    expectFields(
      await put(
        '/api/calendar/years/2027',
        with_((b) => {
          b.holidays[0]!.dates = [];
        }),
        admin,
      ),
      'body.holidays.0.dates',
    );
    expectFields(
      await put(
        '/api/calendar/years/2027',
        with_((b) => {
          b.holidays[0]!.dates[0] = '2027-02-29';
        }),
        admin,
      ),
      'body.holidays.0.dates.0',
    );
    expectFields(
      await put(
        '/api/calendar/years/2027',
        with_((b) => {
          b.notice.number = '';
        }),
        admin,
      ),
      'body.notice.number',
    );
    expectFields(await put('/api/calendar/years/2027', { ...notice2027(), holidays: [] }, admin), 'body.holidays');

    expect((await get('/api/calendar/days/2027-01-01')).json().provisional).toBe(true);
    const audits = await h.db.select().from(auditLog).where(eq(auditLog.action, 'calendar.load_year'));
    expect(audits).toEqual([]);
  });

  it('an administrator loads 2027: official at once, audited, broadcast to every process', async () => {
    // Another process's calendar: its own connection, its own LISTEN.
    const other = createDatabase(h.env.DATABASE_URL!, { max: 2 });
    const otherCalendar = new CalendarService(other.db, other.sql, { afterHoursNextDay: false, officeHoursEnd: '17:30' });
    await otherCalendar.start();
    try {
      const changed = (svc: CalendarService) =>
        new Promise<void>((resolve, reject) => {
          const timer = setTimeout(() => reject(new Error('no calendar change notification within 10 s')), 10_000);
          const off = svc.onChange(() => {
            clearTimeout(timer);
            off();
            resolve();
          });
        });
      const here = changed(h.calendar);
      const there = changed(otherCalendar);

      const res = await put('/api/calendar/years/2027', notice2027(), await h.login('admin'));
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({
        year: 2027,
        status: 'official',
        source: 'loaded',
        loadedBy: 'admin',
        amendments: [],
        notice: { number: '国办发明电〔2026〕99号', title: '国务院办公厅关于2027年部分节假日安排的通知', date: '2026-11-20' },
      });
      expect(Number.isNaN(Date.parse(res.json().loadedAt))).toBe(false);

      // No restart: the API answers with the new year straight away…
      expect((await get('/api/calendar/years')).json().find((y: { year: number }) => y.year === 2027)).toMatchObject({
        status: 'official',
        source: 'loaded',
        loadedBy: 'admin',
      });
      expect((await get('/api/calendar/days/2027-01-01')).json()).toEqual({
        date: '2027-01-01',
        workingDay: false,
        kind: 'holiday',
        holiday: '元旦',
        provisional: false,
      });
      expect((await get('/api/calendar/days/2027-02-20')).json()).toMatchObject({
        workingDay: true,
        kind: 'adjusted_workday',
        provisional: false,
      });
      // 12-29..12-31 = 1..3, 2027-01-01..03 元旦, 01-04 = 4, 01-05 = 5.
      expect((await get('/api/calendar/deadline?from=2026-12-28&workingDays=5')).json()).toMatchObject({
        dueDate: '2027-01-05',
        provisional: false,
      });

      // …and onChange listeners fire, here and in the other process (LISTEN/NOTIFY).
      await Promise.all([here, there]);
      expect(otherCalendar.current.describe(parseIsoDate('2027-01-01')!)).toMatchObject({ kind: 'holiday', provisional: false });
      expect(otherCalendar.years(2027, 2027)[0]).toMatchObject({ status: 'official', source: 'loaded' });
    } finally {
      await otherCalendar.stop();
      await other.close();
    }

    const rows = await h.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'calendar.load_year'), eq(auditLog.recordId, '2027')));
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      actorUsername: 'admin',
      actorRole: 'admin',
      recordType: 'calendar_year',
      before: { notice: null },
      after: { notice: { number: '国办发明电〔2026〕99号' }, holidays: 2, adjustedWorkdays: 1 },
    });
    const stored = await h.sql`select loaded_by from calendar_years where year = 2027`;
    expect(stored).toEqual([{ loaded_by: 'admin' }]);
  });

  it('loading the same year again replaces it and audits the previous notice', async () => {
    const amended = {
      ...notice2027(),
      amendments: [{ title: '国务院办公厅关于调整2027年春节假期的通知', number: '国办发明电〔2027〕1号', date: '2027-01-20' }],
    };
    const res = await put('/api/calendar/years/2027', amended, await h.login('admin'));
    expect(res.statusCode).toBe(200);
    expect(res.json().amendments).toHaveLength(1);
    const rows = await h.db.select().from(auditLog).where(eq(auditLog.action, 'calendar.load_year'));
    expect(rows).toHaveLength(2);
    expect(rows.find((r) => (r.before as { notice: unknown }).notice !== null)).toMatchObject({
      before: { notice: { number: '国办发明电〔2026〕99号' } },
    });
  });

  it('a year loaded further ahead is listed too', async () => {
    const y2029 = {
      notice: { title: '国务院办公厅关于2029年部分节假日安排的通知', number: '国办发明电〔2028〕1号', date: '2028-11-01' },
      holidays: [{ name: '元旦', dates: ['2029-01-01'] }],
    };
    expect((await put('/api/calendar/years/2029', y2029, await h.login('admin'))).statusCode).toBe(200);
    const years = (await get('/api/calendar/years')).json() as { year: number; status: string }[];
    expect(years.at(-1)).toMatchObject({ year: 2029, status: 'official' });
    expect(years.find((y) => y.year === 2028)).toMatchObject({ status: 'provisional' });
  });
});
