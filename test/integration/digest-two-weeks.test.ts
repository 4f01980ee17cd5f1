// Art. 22 of the measures: the service centre reminds the departments every working day of the
// letters they hold. Two weeks of 2026 (src/calendar/data/2026.ts: National Day Oct 1-7 off, Saturday
// Oct 10 a make-up working day), a digest run through the real workflow on every calendar day.
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEPARTMENT_GROUPS, type DepartmentDigest, type DigestLetter, type OfficeDigest } from '../../src/digest/rules.js';
import { digests } from '../../src/digest/tables.js';
import { letterEvents, letters } from '../../src/mailbox/tables.js';
import { notifications } from '../../src/notifications/tables.js';
import { DAILY_DIGEST_WORKFLOW, type DailyDigestWorkflow } from '../../workflows/messages.js';
import { startHarness, type Harness } from '../support/harness.js';
import { storeLetter } from '../support/letters.js';

let h: Harness;
const REGISTRATION = 5;
const CREDIT = 6;
const ENFORCEMENT = 7; // lead department named by arbitration
const FOOD_SAFETY = 8; // assisting department

beforeAll(async () => {
  h = await startHarness({ temporal: true });
});
afterAll(async () => {
  await h?.close();
});

const NO = {
  A: '260918-TWOA1', // complaint, registration's own
  B: '260929-TWOB1', // inquiry (2 working days), credit's
  C: '260915-TWOC1', // arbitrated: enforcement leads, food safety assists
  D: '260928-TWOD1', // registration's, before the general office since Sep 28
  E: '260921-TWOE1', // transferred from credit to registration
  F: '260922-TWOF1', // answered: never listed
  G: '261003-TWOG1', // received on a holiday
  H: '261008-TWOH1', // inquiry due on the make-up Saturday
} as const;
const alias = new Map<string, string>(Object.entries(NO).map(([k, v]) => [v, k]));

type Over = Partial<typeof letters.$inferInsert>;
/** A letter as intake would store it, received at a chosen China time; its workflow counts as started. */
const letterAt = (trackingNo: string, receivedChina: string, type: 'complaint' | 'inquiry', departmentId: number, over: Over = {}) =>
  storeLetter(h, {
    type,
    receivedAt: new Date(`${receivedChina}+08:00`),
    departmentId,
    trackingNo,
    subject: `${trackingNo} 的来信`,
    over: { workflowStartedAt: new Date(), ...over },
    receivedEvent: false,
  });

const event = (letterId: number, kind: string, departmentId: number, atChina: string) =>
  h.db
    .insert(letterEvents)
    .values({ letterId, eventKey: `test:${letterId}:${kind}`, kind, isPublic: false, departmentId, at: new Date(`${atChina}+08:00`) });

const runDay = (day: string) =>
  h.testEnv!.client.workflow.execute<DailyDigestWorkflow>(DAILY_DIGEST_WORKFLOW, {
    taskQueue: h.temporal.taskQueue,
    workflowId: `digest-two-weeks-${day}`,
    args: [{ day }],
  });

/**
 * A department digest as `group: ['A', …]`, with the working days overdue (`A+1`) or left (`A-3`),
 * so an expected day reads as a line.
 */
function groups(d: DepartmentDigest | undefined) {
  if (!d) return undefined;
  const show = (l: DigestLetter) =>
    `${alias.get(l.trackingNo)}${l.workingDaysOverdue !== undefined ? `+${l.workingDaysOverdue}` : ''}${l.workingDaysLeft !== undefined ? `-${l.workingDaysLeft}` : ''}`;
  return Object.fromEntries(DEPARTMENT_GROUPS.map((g) => [g.key, d[g.key].map(show)]));
}
const g = (over: Partial<Record<(typeof DEPARTMENT_GROUPS)[number]['key'], string[]>>) => ({
  overdue: [],
  dueToday: [],
  dueNextWorkingDay: [],
  newLetters: [],
  others: [],
  ...over,
});

async function digestsOf(day: string) {
  const rows = await h.db.select().from(digests).where(eq(digests.day, day));
  const dept = (id: number) => rows.find((r) => r.kind === 'department' && r.departmentId === id)?.content as DepartmentDigest | undefined;
  const office = rows.find((r) => r.kind === 'office')?.content as OfficeDigest | undefined;
  return { rows, dept, office };
}
const item = (d: DepartmentDigest | undefined, no: string) =>
  DEPARTMENT_GROUPS.flatMap((gr) => d?.[gr.key] ?? []).find((l) => l.trackingNo === no);

describe('Art. 22: every open letter in its departments’ digest on every working day, Sep 28 – Oct 11 2026', () => {
  it('lists each open letter once per department, in the most urgent group that applies, on working days only', async () => {
    const a = await letterAt(NO.A, '2026-09-18T10:00:00', 'complaint', REGISTRATION);
    const b = await letterAt(NO.B, '2026-09-29T09:00:00', 'inquiry', CREDIT);
    const c = await letterAt(NO.C, '2026-09-16T10:00:00', 'complaint', REGISTRATION, {
      departmentId: ENFORCEMENT,
      assistingDepartmentIds: [FOOD_SAFETY],
      visitedDepartmentIds: [REGISTRATION, ENFORCEMENT],
    });
    await event(c.id, 'escalated', REGISTRATION, '2026-09-17T10:00:00');
    await event(c.id, 'arbitrated', 1, '2026-09-18T10:00:00');
    const d = await letterAt(NO.D, '2026-09-28T09:00:00', 'complaint', REGISTRATION, { status: 'in_arbitration' });
    await event(d.id, 'escalated', REGISTRATION, '2026-09-28T15:00:00');
    const e = await letterAt(NO.E, '2026-09-21T10:00:00', 'complaint', REGISTRATION, {
      firstDepartmentId: CREDIT,
      visitedDepartmentIds: [CREDIT, REGISTRATION],
      transferredFromDepartmentId: CREDIT,
    });
    await letterAt(NO.F, '2026-09-22T10:00:00', 'complaint', REGISTRATION, { status: 'answered', answer: '已答复' });
    const gl = await letterAt(NO.G, '2026-10-03T10:00:00', 'complaint', REGISTRATION);
    const hl = await letterAt(NO.H, '2026-10-08T10:00:00', 'inquiry', CREDIT);
    // The deadlines the expectations below are counted from (10 or 2 working days after receipt;
    // Sunday Sep 20 is a make-up working day too).
    expect([a, b, c, d, e, gl, hl].map((l) => l.dueDate)).toEqual([
      '2026-10-09',
      '2026-10-08',
      '2026-09-30',
      '2026-10-16',
      '2026-10-12',
      '2026-10-20',
      '2026-10-10',
    ]);

    // Mon Sep 28 (nothing ran before: "new" is since Thu Sep 24 08:30, Sep 25 being Mid-Autumn).
    expect(await runDay('2026-09-28')).toMatchObject({ skipped: false });
    let day = await digestsOf('2026-09-28');
    expect(groups(day.dept(REGISTRATION))).toEqual(g({ others: ['A-4', 'E-6'] })); // D came at 09:00, after the digest
    expect(groups(day.dept(CREDIT))).toBeUndefined(); // B is not received yet
    expect(groups(day.dept(ENFORCEMENT))).toEqual(g({ others: ['C-2'] })); // lead by arbitration: listed, not only the day before
    expect(groups(day.dept(FOOD_SAFETY))).toEqual(g({ others: ['C-2'] }));
    expect(item(day.dept(FOOD_SAFETY), NO.C)).toMatchObject({ role: 'assisting', opinionOwed: true, departmentName: '执法稽查局' });
    expect(item(day.dept(REGISTRATION), NO.E)).toMatchObject({ role: 'lead', transferred: true });
    expect(day.office?.awaitingArbitration).toEqual([]);

    // Tue Sep 29.
    await runDay('2026-09-29');
    day = await digestsOf('2026-09-29');
    expect(groups(day.dept(REGISTRATION))).toEqual(g({ newLetters: ['D'], others: ['A-3', 'E-5'] }));
    expect(item(day.dept(REGISTRATION), NO.D)).toMatchObject({ inArbitration: true });
    expect(groups(day.dept(CREDIT))).toBeUndefined(); // B came at 09:00
    expect(groups(day.dept(ENFORCEMENT))).toEqual(g({ dueNextWorkingDay: ['C'] }));
    expect(groups(day.dept(FOOD_SAFETY))).toEqual(g({ dueNextWorkingDay: ['C'] }));
    expect(day.office?.awaitingArbitration).toEqual([expect.objectContaining({ trackingNo: NO.D, waitingWorkingDays: 1 })]);

    await event(c.id, 'opinion', FOOD_SAFETY, '2026-09-29T15:00:00');

    // Wed Sep 30: the next working day is Thu Oct 8, after the holiday.
    await runDay('2026-09-30');
    day = await digestsOf('2026-09-30');
    expect(groups(day.dept(REGISTRATION))).toEqual(g({ others: ['A-2', 'E-4', 'D-8'] }));
    expect(groups(day.dept(CREDIT))).toEqual(g({ dueNextWorkingDay: ['B'] })); // new and due Oct 8: the due group wins
    expect(item(day.dept(CREDIT), NO.B)).toMatchObject({ isNew: true });
    expect(groups(day.dept(ENFORCEMENT))).toEqual(g({ dueToday: ['C'] }));
    expect(groups(day.dept(FOOD_SAFETY))).toEqual(g({ dueToday: ['C'] }));
    expect(item(day.dept(FOOD_SAFETY), NO.C)?.opinionOwed).toBeUndefined(); // given on Sep 29
    expect(day.office?.awaitingArbitration).toEqual([expect.objectContaining({ trackingNo: NO.D, waitingWorkingDays: 2 })]);

    // National Day, Oct 1-7 (Oct 3-4 a weekend inside it): no digest.
    for (const rest of ['2026-10-01', '2026-10-02', '2026-10-03', '2026-10-04', '2026-10-05', '2026-10-06', '2026-10-07']) {
      expect(await runDay(rest)).toMatchObject({ skipped: true });
      expect((await digestsOf(rest)).rows).toEqual([]);
    }

    // Thu Oct 8: "new" since Sep 30's digest, so G, received on the holiday, is new.
    await runDay('2026-10-08');
    day = await digestsOf('2026-10-08');
    expect(groups(day.dept(REGISTRATION))).toEqual(g({ dueNextWorkingDay: ['A'], newLetters: ['G'], others: ['E-3', 'D-7'] }));
    expect(groups(day.dept(CREDIT))).toEqual(g({ dueToday: ['B'] }));
    expect(groups(day.dept(ENFORCEMENT))).toEqual(g({ overdue: ['C+1'] }));
    expect(groups(day.dept(FOOD_SAFETY))).toEqual(g({ overdue: ['C+1'] }));
    expect(day.office?.overdue).toEqual([expect.objectContaining({ trackingNo: NO.C, workingDaysOverdue: 1 })]);
    expect(day.office?.awaitingArbitration).toEqual([expect.objectContaining({ trackingNo: NO.D, waitingWorkingDays: 3 })]);

    await h.db
      .update(letters)
      .set({ status: 'answered', answer: '已答复', answeredAt: new Date('2026-10-08T15:00:00+08:00') })
      .where(eq(letters.id, c.id));

    // Fri Oct 9: the next working day is the make-up Saturday.
    await runDay('2026-10-09');
    day = await digestsOf('2026-10-09');
    expect(groups(day.dept(REGISTRATION))).toEqual(g({ dueToday: ['A'], others: ['E-2', 'D-6', 'G-8'] }));
    expect(groups(day.dept(CREDIT))).toEqual(g({ overdue: ['B+1'], dueNextWorkingDay: ['H'] }));
    expect(item(day.dept(CREDIT), NO.H)).toMatchObject({ isNew: true });
    expect(groups(day.dept(ENFORCEMENT))).toBeUndefined(); // C answered
    expect(groups(day.dept(FOOD_SAFETY))).toBeUndefined();
    expect(day.office?.overdue).toEqual([expect.objectContaining({ trackingNo: NO.B, workingDaysOverdue: 1 })]);

    // Sat Oct 10, a make-up working day: it gets a digest.
    expect(await runDay('2026-10-10')).toMatchObject({ skipped: false });
    day = await digestsOf('2026-10-10');
    expect(groups(day.dept(REGISTRATION))).toEqual(g({ overdue: ['A+1'], dueNextWorkingDay: ['E'], others: ['D-5', 'G-7'] }));
    expect(groups(day.dept(CREDIT))).toEqual(g({ overdue: ['B+2'], dueToday: ['H'] }));
    expect(day.office?.overdue).toEqual([
      expect.objectContaining({ trackingNo: NO.B, workingDaysOverdue: 2 }),
      expect.objectContaining({ trackingNo: NO.A, workingDaysOverdue: 1 }),
    ]);
    expect(day.office?.awaitingArbitration).toEqual([expect.objectContaining({ trackingNo: NO.D, waitingWorkingDays: 5 })]);
    expect(day.office?.perDepartment).toEqual([
      { departmentId: REGISTRATION, name: '登记注册局', open: 4, overdue: 1 },
      { departmentId: CREDIT, name: '信用监督管理处', open: 2, overdue: 1 },
    ]);

    // Sun Oct 11: rest day.
    expect(await runDay('2026-10-11')).toMatchObject({ skipped: true });
    expect((await digestsOf('2026-10-11')).rows).toEqual([]);

    // The answered letter F was never listed, in any digest.
    const all = await h.db.select().from(digests);
    expect(all.length).toBeGreaterThan(0);
    expect(JSON.stringify(all.map((r) => r.content))).not.toContain(NO.F);
  });

  it('labels say what is computed: 下一工作日到期, and due dates as X（含当日）前 (page and e-mail)', async () => {
    const mailOf = async (departmentId: number) =>
      (
        await h.db
          .select()
          .from(notifications)
          .where(eq(notifications.dedupeKey, `digest:2026-10-09:department:${departmentId}`))
      )[0]!;
    const credit = await mailOf(CREDIT);
    expect(credit.text).toContain('下一工作日到期（1 件）');
    expect(credit.text).toContain(`- ${NO.H} ［咨询］${NO.H} 的来信（办理期限 2026年10月10日（含当日）前，新收）`);
    expect(credit.text).toContain(`- ${NO.B} ［咨询］${NO.B} 的来信（办理期限 2026年10月8日（含当日）前，已超期 1 个工作日）`);
    expect(credit.html).toContain('<h3>下一工作日到期（1 件）</h3>');
    const registration = await mailOf(REGISTRATION);
    expect(registration.text).toContain(
      `- ${NO.E} ［投诉］${NO.E} 的来信（办理期限 2026年10月12日（含当日）前，剩余 2 个工作日（不含今日），转办来信（答复，或提出异议））`,
    );
    for (const m of [credit, registration]) expect(m.text + m.html).not.toContain('明日');

    const page = await h.app.inject({ url: '/staff/digest?date=2026-10-09', cookies: { amr_session: await h.login('center') } });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<h3>下一工作日到期</h3>');
    expect(page.body).toContain('办理期限 2026年10月10日（含当日）前');
    expect(page.body).toContain('剩余 8 个工作日（不含今日）'); // G, due Oct 20
    expect(page.body).not.toContain('明日');
  });
});
