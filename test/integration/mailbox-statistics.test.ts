// Issue #14 point 8: the mailbox's public handling statistics (国办秘函〔2019〕19号 checks that they are
// public), counted from the record per month and per department. Working days from the 2026 calendar:
// 中秋 holiday 25–27 September, 国庆 1–7 October, make-up working days Sunday 20 September and
// Saturday 10 October. Ratings and publications are the 'rated' and 'published' timeline events their
// features write; here they are written into letter_events directly, as those features do.
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { letterEvents, letters } from '../../src/mailbox/tables.js';
import { bearer, startHarness, type Harness } from '../support/harness.js';
import { storeLetter } from '../support/letters.js';

let h: Harness;
/** A China wall-clock time as an instant. */
const china = (local: string) => new Date(`${local}+08:00`);
let seq = 0;

async function letter(o: { receivedAt: string; departmentId?: number }) {
  return storeLetter(h, { type: 'complaint', receivedAt: china(o.receivedAt), departmentId: o.departmentId ?? 5 });
}

async function event(letterId: number, kind: string, at: string, extra: Partial<typeof letterEvents.$inferInsert> = {}) {
  await h.db
    .insert(letterEvents)
    .values({ letterId, eventKey: `stats-test:${++seq}`, kind, isPublic: true, at: china(at), departmentId: 5, ...extra });
}

/** An answer as apply-case-action writes it: the round's clock start and lateness in the event's data. */
async function answer(row: { id: number; clockStartedAt: Date }, at: string, late: boolean, departmentId = 5) {
  await event(row.id, 'answered', at, { departmentId, data: { clockStartedAt: row.clockStartedAt.toISOString(), late } });
  await h.db
    .update(letters)
    .set({ status: 'answered', answeredAt: china(at), closedLate: late })
    .where(eq(letters.id, row.id));
}

const stats = async (query: string) => {
  const res = await h.app.inject({ method: 'GET', url: `/api/mailbox/statistics?${query}`, remoteAddress: `192.0.2.${(seq++ % 200) + 1}` });
  return res;
};
type Figures = Record<string, unknown> & { received: number };
const dept = (body: { departments: (Figures & { departmentId: number })[] }, id: number) =>
  body.departments.find((d) => d.departmentId === id)!;

beforeAll(async () => {
  h = await startHarness();
  // 登记注册局 (5): six letters in September, rates shown.
  const a = await letter({ receivedAt: '2026-09-21T10:00:00' });
  const b = await letter({ receivedAt: '2026-09-21T11:00:00' });
  const c = await letter({ receivedAt: '2026-09-24T09:00:00' });
  await letter({ receivedAt: '2026-09-28T09:00:00' });
  await letter({ receivedAt: '2026-09-29T09:00:00' });
  // 23:30 on 30 September, China time (15:30 UTC): a September letter.
  const lastMinute = await letter({ receivedAt: '2026-09-30T23:30:00' });
  // 00:10 on 1 October, China time (16:10 UTC on 30 September): an October letter.
  await letter({ receivedAt: '2026-10-01T00:10:00' });
  // a: received Mon 21 Sep, answered Tue 22 Sep: 1 working day, within the limit.
  await answer(a, '2026-09-22T15:00:00', false);
  // b: received Mon 21 Sep, answered Wed 30 Sep: 22, 23, 24, 28, 29, 30 = 6 working days (25–27 中秋); late.
  await answer(b, '2026-09-30T16:00:00', true);
  // c: received Thu 24 Sep, answered Fri 9 Oct: 28, 29, 30 Sep and 8, 9 Oct = 5 working days (国庆 1–7): October.
  await answer(c, '2026-10-09T10:00:00', false);
  // a reopened in October and answered again: still counted once, by its first (September) answer.
  await event(a.id, 'reopened', '2026-10-12T09:00:00', { toDepartmentId: 5 });
  await event(a.id, 'answered', '2026-10-13T09:00:00', {
    data: { clockStartedAt: china('2026-10-12T09:00:00').toISOString(), late: false },
  });
  await event(lastMinute.id, 'transferred', '2026-09-30T23:40:00', { toDepartmentId: 7 });
  for (const rating of ['satisfied', 'satisfied', 'dissatisfied'])
    await event(a.id, 'rated', '2026-09-23T10:00:00', { data: { rating, round: 1 } });
  await event(b.id, 'published', '2026-09-30T17:00:00');
  // 执法稽查局 (7): two letters in September, counts only; the office decided one dispute for it.
  const d = await letter({ receivedAt: '2026-09-22T10:00:00', departmentId: 7 });
  await letter({ receivedAt: '2026-09-23T10:00:00', departmentId: 7 });
  await event(d.id, 'arbitrated', '2026-09-24T10:00:00', { departmentId: 1, toDepartmentId: 7 });
});
afterAll(async () => h?.close());

describe('public mailbox statistics (issue #14 point 8)', () => {
  it('September 2026 per department: counts, rates, working days over 中秋, the China-time month boundary', async () => {
    const res = await stats('year=2026&month=9');
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body.period).toMatchObject({ year: 2026, month: 9, from: '2026-09-01', to: '2026-09-30', label: '2026年9月' });
    expect(dept(body, 5)).toMatchObject({
      received: 6,
      answered: 2,
      answeredWithinLimit: 1,
      answeredWithinLimitRate: 0.5,
      // (1 + 6) / 2
      averageWorkingDaysToAnswer: 3.5,
      transferred: 1,
      arbitrated: 0,
      satisfaction: { rated: 3, satisfied: 2, basicallySatisfied: 0, dissatisfied: 1 },
      satisfactionShares: { satisfied: 0.6667, basicallySatisfied: 0, dissatisfied: 0.3333 },
      published: 1,
      ratesShown: true,
    });
    // Fewer than 5 letters: counts, no rates.
    expect(dept(body, 7)).toMatchObject({
      received: 2,
      arbitrated: 1,
      ratesShown: false,
      answeredWithinLimitRate: null,
      averageWorkingDaysToAnswer: null,
    });
    expect(body.total).toMatchObject({ received: 8, answered: 2, transferred: 1, arbitrated: 1, ratesShown: true });
  });

  it('October 2026: the letter of 00:10 on 1 October, the answer after 国庆 (5 working days), a reopening, no second count', async () => {
    const body = (await stats('year=2026&month=10')).json();
    // One letter received (00:10 on 1 October): fewer than 5, so no rates even for the bureau.
    expect(dept(body, 5)).toMatchObject({
      received: 1,
      answered: 1,
      answeredWithinLimit: 1,
      reopened: 1,
      ratesShown: false,
      averageWorkingDaysToAnswer: null,
    });
    expect(body.total.received).toBe(1);
  });

  it('the year to date adds the months up', async () => {
    const body = (await stats('year=2026')).json();
    expect(body.period.month).toBeNull();
    expect(dept(body, 5)).toMatchObject({
      received: 7,
      answered: 3,
      answeredWithinLimit: 2,
      // (1 + 6 + 5) / 3
      averageWorkingDaysToAnswer: 4,
      reopened: 1,
    });
  });

  it('received matches the staff list of each department exactly (the office sees every letter)', async () => {
    const token = await h.login('office');
    const year = (await stats('year=2026')).json();
    for (const d of year.departments as { departmentId: number; received: number }[]) {
      let listed = 0;
      let after: string | null = null;
      do {
        const url = `/api/cases?departmentId=${d.departmentId}&limit=200${after ? `&after=${after}` : ''}`;
        const page = (await h.app.inject({ method: 'GET', url, headers: bearer(token) })).json() as {
          items: { receivedAt: string }[];
          nextCursor: string | null;
        };
        listed += page.items.filter((i) => i.receivedAt.startsWith('2026-')).length;
        after = page.nextCursor;
      } while (after);
      expect(d.received, `department ${d.departmentId}`).toBe(listed);
    }
  });

  it('the public page shows the same figures, and "—" for a department with fewer than 5 letters', async () => {
    const res = await h.app.inject({ method: 'GET', url: '/mailbox/statistics?year=2026&month=9' });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('2026年9月');
    const rowOf = (name: string) => res.body.slice(res.body.indexOf(`<th scope="row">${name}</th>`)).split('</tr>')[0]!;
    // 登记注册局: 6 received, 2 answered, 1 on time, 50.0%, 3.50 working days.
    expect(rowOf('登记注册局')).toMatch(/<td>6<\/td><td>2<\/td><td>1<\/td>\s*<td>50\.0%<\/td><td>3\.50<\/td>/);
    expect(rowOf('执法稽查局')).toMatch(/<td>2<\/td><td>0<\/td><td>0<\/td>\s*<td>—<\/td><td>—<\/td>/);
  });

  it('bad queries are a 400 with the field named, in Chinese; a month not yet begun too', async () => {
    for (const [query, field] of [
      ['year=2026&month=13', 'querystring.month'],
      ['year=abc', 'querystring.year'],
      ['year=2999', 'querystring.year'],
    ] as const) {
      const res = await stats(query);
      expect(res.statusCode, query).toBe(400);
      expect(JSON.stringify(res.json()), query).toContain(field);
      expect(res.body).toMatch(/[\u4e00-\u9fff]/);
    }
  });
});
