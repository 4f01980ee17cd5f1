// Art. 22: a reminder every working day. A digest missed because the system was down is started when
// the worker process is back the same China day (src/digest/catch-up.ts), never for a day already
// over; and from 1 November the office's digest says while next year's holiday notice is missing.
import { eq, like } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { catchUpMissedDigest } from '../../src/digest/catch-up.js';
import type { DepartmentDigest, OfficeDigest } from '../../src/digest/rules.js';
import { buildDigests } from '../../src/digest/service.js';
import { digestRuns, digests } from '../../src/digest/tables.js';
import { notifications } from '../../src/notifications/tables.js';
import { DAILY_DIGEST_WORKFLOW, type DailyDigestWorkflow } from '../../workflows/messages.js';
import { bearer, startHarness, type Harness } from '../support/harness.js';
import { storeLetter } from '../support/letters.js';

let h: Harness;
const REGISTRATION = 5;

beforeAll(async () => {
  h = await startHarness({ temporal: true });
});
afterAll(async () => {
  await h?.close();
});

const deps = () => ({ db: h.db, calendar: h.calendar, env: h.env, temporal: h.temporal });
const china = (t: string) => new Date(`${t}+08:00`);

const letterAt = (trackingNo: string, receivedChina: string) =>
  storeLetter(h, {
    type: 'complaint',
    receivedAt: china(receivedChina),
    departmentId: REGISTRATION,
    trackingNo,
    subject: `${trackingNo} 的来信`,
    over: { workflowStartedAt: new Date() },
    receivedEvent: false,
  });

const rowsOf = (day: string) => h.db.select().from(digests).where(eq(digests.day, day));
const mailsOf = (day: string) =>
  h.db
    .select()
    .from(notifications)
    .where(like(notifications.dedupeKey, `digest:${day}:%`));
const result = (workflowId: string) => h.testEnv!.client.workflow.getHandle<DailyDigestWorkflow>(workflowId).result();

describe('Art. 22: a digest missed while the system was down (DIGEST_TIME 08:30)', () => {
  it('runs once when the system is back later the same China day, whichever processes start', async () => {
    await letterAt('261008-CTCH1', '2026-10-08T10:00:00');
    // Fri Oct 9, 14:00: two worker processes come back at once.
    const now = china('2026-10-09T14:00:00');
    const both = await Promise.all([catchUpMissedDigest(deps(), now), catchUpMissedDigest(deps(), now)]);
    const started = both.filter((r) => r.outcome === 'started');
    expect(started).toHaveLength(1);
    expect(['already_started', 'already_ran']).toContain(both.find((r) => r !== started[0])!.outcome);
    expect(started[0]).toMatchObject({ day: '2026-10-09', workflowId: 'daily-digest-catch-up-2026-10-09' });
    expect(await result(started[0]!.workflowId!)).toMatchObject({ day: '2026-10-09', skipped: false });

    const rows = await rowsOf('2026-10-09');
    expect(rows.map((r) => `${r.kind}:${r.departmentId}`).sort()).toEqual(['department:5', 'office:1']);
    expect(await mailsOf('2026-10-09')).toHaveLength(1); // the department's; the office's lists nothing
    const [run] = await h.db.select().from(digestRuns).where(eq(digestRuns.day, '2026-10-09'));
    expect(run?.takenAt).toEqual(china('2026-10-09T08:30:00'));

    // A third start-up that evening: today's digest has run, nothing starts.
    expect(await catchUpMissedDigest(deps(), china('2026-10-09T19:00:00'))).toEqual({ day: '2026-10-09', outcome: 'already_ran' });
    // Even without the record of the run, the day's workflow id is not used twice once it completed.
    await h.db.delete(digestRuns).where(eq(digestRuns.day, '2026-10-09'));
    expect(await catchUpMissedDigest(deps(), china('2026-10-09T20:00:00'))).toMatchObject({ outcome: 'already_started' });
    expect(await mailsOf('2026-10-09')).toHaveLength(1);
    // Put the run back as the workflow wrote it (the next digest counts "new" from it).
    await h.db.insert(digestRuns).values(run!);
  });

  it('back only the next day: no digest for the missed day; the next digest shows its letters as new', async () => {
    await letterAt('261009-CTCH2', '2026-10-09T10:00:00'); // after Friday's digest
    await letterAt('261010-CTCH3', '2026-10-10T10:00:00'); // Saturday Oct 10, a make-up working day the system missed
    // Down from Friday evening; back on Sunday (rest day), then Monday before 08:30.
    expect(await catchUpMissedDigest(deps(), china('2026-10-11T10:00:00'))).toEqual({ day: '2026-10-11', outcome: 'rest_day' });
    expect(await catchUpMissedDigest(deps(), china('2026-10-12T07:00:00'))).toEqual({ day: '2026-10-12', outcome: 'before_digest_time' });
    expect(await rowsOf('2026-10-10')).toEqual([]); // Saturday's digest never ran, and is not run late

    // Monday's digest (here started by the catch-up, at 09:00): "new" counts from Friday's digest, the last one that ran.
    const monday = await catchUpMissedDigest(deps(), china('2026-10-12T09:00:00'));
    expect(monday.outcome).toBe('started');
    await result(monday.workflowId!);
    const dept = (await rowsOf('2026-10-12')).find((r) => r.kind === 'department')?.content as DepartmentDigest;
    expect(dept.newLetters.map((l) => l.trackingNo)).toEqual(['261009-CTCH2', '261010-CTCH3']);
    expect(dept.others.map((l) => l.trackingNo)).toEqual(['261008-CTCH1']);
    expect(await rowsOf('2026-10-10')).toEqual([]);
  });
});

describe('from 1 November, the office is told while next year’s holiday notice is missing (2027 is not bundled)', () => {
  const office = async (day: string) => (await rowsOf(day)).find((r) => r.kind === 'office')?.content as OfficeDigest;
  const LINE = '2027年节假日安排尚未录入，2026年12月25日（含当日）起的日期暂按周末规则计算，办理期限落在这些日期的信件期限为暂定。';

  it('absent on 31 October, present from 1 November, absent once 2027 is loaded', async () => {
    // Oct 31 and Nov 1 2026 are a weekend (no digest is scheduled): built directly to show the boundary.
    await buildDigests(h, '2026-10-31');
    expect((await office('2026-10-31')).missingNotice).toBeNull();
    await buildDigests(h, '2026-11-01');
    expect((await office('2026-11-01')).missingNotice).toEqual({ year: 2027, provisionalFrom: '2026-12-25' });

    // Monday Nov 2, through the digest workflow: stored, e-mailed to the office and on the page.
    await h.testEnv!.client.workflow.execute<DailyDigestWorkflow>(DAILY_DIGEST_WORKFLOW, {
      taskQueue: h.temporal.taskQueue,
      workflowId: 'digest-notice-2026-11-02',
      args: [{ day: '2026-11-02' }],
    });
    expect((await office('2026-11-02')).missingNotice).toEqual({ year: 2027, provisionalFrom: '2026-12-25' });
    const [mail] = await h.db.select().from(notifications).where(eq(notifications.dedupeKey, 'digest:2026-11-02:office:1'));
    expect(mail?.text).toContain(LINE);
    const page = () => h.app.inject({ url: '/staff/digest?date=2026-11-02', cookies: { amr_session: token } });
    const token = await h.login('office');
    expect((await page()).body).toContain(LINE);

    // The administrator loads the 2027 notice: the line goes.
    const notice = {
      notice: { title: '国务院办公厅关于2027年部分节假日安排的通知', number: '国办发明电〔2026〕99号', date: '2026-11-20' },
      holidays: [{ name: '元旦', dates: ['2027-01-01', '2027-01-02', '2027-01-03'] }],
    };
    const put = await h.app.inject({
      method: 'PUT',
      url: '/api/calendar/years/2027',
      payload: notice,
      headers: bearer(await h.login('admin')),
    });
    expect(put.statusCode).toBe(200);
    await buildDigests(h, '2026-11-02');
    expect((await office('2026-11-02')).missingNotice).toBeNull();
    expect((await page()).body).not.toContain('节假日安排尚未录入');
  });
});
