import { createHash } from 'node:crypto';
import { inArray } from 'drizzle-orm';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseChinaInstant } from '../../src/calendar/china-time.js';
import { buildDigests } from '../../src/digest/service.js';
import { confirmHandIn, getHandIn, getHandInPdf, handInMatrix } from '../../src/handin/service/hand-ins.js';
import { notifications } from '../../src/notifications/tables.js';
import { columnBySlug } from '../../src/publishing/service/columns.js';
import { createDraft } from '../../src/publishing/service/items.js';
import { submitForReview, withdrawForm } from '../../src/publishing/service/review.js';
import { DEMO_PASSWORD, startHarness, type Harness } from '../support/harness.js';
import { staffViewers } from '../support/viewers.js';

// Measures Art. 20(四): each department hands the previous quarter's 审核单 to the general office before
// the 5th of the quarter's first month (due by the end of the 4th, HANDIN_REST_DAY_RULE=calendar). Forms
// are submitted at written-out China times around the Q4 2026 boundaries; the hand-in of Q4 2026 is due
// 2027-01-04 (a Monday). 登记注册局 (5) confirms on 3 January; 信用监督管理处 never does.

let h: Harness;
const as = staffViewers(() => h, 'handin-test');
const at = (t: string) => parseChinaInstant(t)!;
const deps = () => ({ db: h.db, calendar: h.calendar, env: h.env });
const Q4 = { year: 2026, q: 4 } as const;
const ART19 = { lawful: true, accurate: true, fitToDisclose: true, fitToPublishNow: true } as const;
const statusOf = async (p: Promise<unknown>) =>
  p.then(
    () => 200,
    (e: { statusCode?: number }) => e.statusCode ?? 500,
  );
const REG = 5;
let CREDIT = 0;

async function submitted(who: string, title: string, when: string) {
  const column = (await columnBySlug(h.db, 'tzgg'))!;
  const drafter = await as(who);
  const item = await createDraft(deps(), drafter, {
    columnId: column.id,
    contentType: 'notice',
    title,
    summary: '',
    body: '正文',
    qaPairs: [],
    relatedItemIds: [],
  });
  return (await submitForReview(deps(), drafter, item.id, { art19: ART19, secrecy: 'no_secret' }, at(when))).id;
}

const q4Forms: number[] = [];
let creditForm = 0;
beforeAll(async () => {
  h = await startHarness();
  CREDIT = (await h.sql<{ id: number }[]>`select id from departments where code = 'credit'`)[0]!.id;
  await submitted('h-registration', '第三季度最后一刻送审', '2026-09-30 23:59');
  q4Forms.push(await submitted('h-registration', '第四季度第一份通知', '2026-10-01 00:00'));
  q4Forms.push(await submitted('h-registration', '国庆期间送审的通知', '2026-10-05 10:00'));
  q4Forms.push(await submitted('h-registration', '年末送审的通知', '2026-12-31 23:59'));
  await submitted('h-registration', '次年第一份通知', '2027-01-01 00:00');
  // A withdrawn form is still a form of the quarter (every status is handed in).
  await withdrawForm(deps(), await as('h-registration'), q4Forms[1]!);
  creditForm = await submitted('h-credit', '信用处第四季度通知', '2026-11-02 09:00');
}, 120_000);
afterAll(async () => h?.close());

describe('Art. 20(四) the Q4 2026 hand-in', () => {
  it('lists exactly the forms submitted in Q4 2026 China time, every status, oldest first', async () => {
    const v = await getHandIn(deps(), await as('l-registration'), REG, Q4, at('2027-01-02 09:00'));
    expect(v.forms.map((f) => f.id)).toEqual(q4Forms);
    expect(v.forms.map((f) => f.status)).toEqual(['at_step', 'withdrawn', 'at_step']);
    expect(v.dueDate).toBe('2027-01-04');
    expect(v.quarterLabel).toBe('2026年第四季度');
    expect(v.mayConfirm).toBe(true);
    expect(v.confirmation).toBeNull();
  });

  it('HANDIN_REST_DAY_RULE=next_working_day: Q3 2026 due 2026-10-04 (国庆) moves to Thursday 2026-10-08', async () => {
    const l = await as('l-registration');
    expect((await getHandIn(deps(), l, REG, { year: 2026, q: 3 })).dueDate).toBe('2026-10-04');
    const moved = { ...deps(), env: { ...h.env, HANDIN_REST_DAY_RULE: 'next_working_day' as const } };
    expect((await getHandIn(moved, l, REG, { year: 2026, q: 3 })).dueDate).toBe('2026-10-08');
  });

  it('the API answers the same hand-in, and a bad quarter with a Chinese field message', async () => {
    const token = await h.login('l-registration');
    const res = await h.app.inject({
      method: 'GET',
      url: `/api/handin/2026-Q4/departments/${REG}`,
      headers: { authorization: `Bearer ${token}` },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().forms.map((f: { id: number }) => f.id)).toEqual(q4Forms);
    const bad = await h.app.inject({
      method: 'GET',
      url: `/api/handin/2026Q4/departments/${REG}`,
      headers: { authorization: `Bearer ${token}` },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('季度格式应为');
  });

  it("a department sees only its own; another department's staff get 404", async () => {
    expect(await statusOf(getHandIn(deps(), await as('h-credit'), REG, Q4))).toBe(404);
    expect(await statusOf(getHandIn(deps(), await as('publicity'), REG, Q4))).toBe(404);
    expect((await getHandIn(deps(), await as('office'), REG, Q4)).forms).toHaveLength(3);
  });

  it('the PDF starts with %PDF, embeds the Chinese font, and has a cover and one sheet per form', async () => {
    const { pdf, confirmed } = await getHandInPdf(deps(), await as('h-registration'), REG, Q4);
    expect(confirmed).toBe(false);
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const raw = pdf.toString('latin1');
    expect(raw).toMatch(/\/BaseFont \/[A-Z]{6}\+WenQuanYiMicroHei/);
    expect(raw).toContain('/FontFile2');
    expect(raw.match(/\/Type \/Page\b/g)?.length).toBeGreaterThanOrEqual(1 + q4Forms.length);
  });

  it('only the department leader confirms, only once the quarter has ended, and only once', async () => {
    expect(await statusOf(confirmHandIn(deps(), await as('h-registration'), REG, Q4, at('2027-01-02 09:00')))).toBe(403);
    expect(await statusOf(confirmHandIn(deps(), await as('l-credit'), REG, Q4, at('2027-01-02 09:00')))).toBe(404);
    expect(await statusOf(confirmHandIn(deps(), await as('l-registration'), REG, Q4, at('2026-12-31 23:59')))).toBe(409);
    const c = await confirmHandIn(deps(), await as('l-registration'), REG, Q4, at('2027-01-03 10:00'));
    expect(c.formIds).toEqual(q4Forms);
    expect(c.confirmedAt).toBe('2027-01-03T10:00:00.000+08:00');
    expect(c.late).toBe(false);
    const { pdf, confirmed } = await getHandInPdf(deps(), await as('office'), REG, Q4);
    expect(confirmed).toBe(true);
    expect(c.pdfSha256).toBe(createHash('sha256').update(pdf).digest('hex'));
    expect(await statusOf(confirmHandIn(deps(), await as('l-registration'), REG, Q4, at('2027-01-03 11:00')))).toBe(409);
    const audit = await h.sql<
      { n: number }[]
    >`select count(*)::int as n from audit_log where action = 'handin.confirm' and record_id = ${`${REG}:2026-Q4`}`;
    expect(audit[0]!.n).toBe(1);
  });

  it("the office's matrix: handed in, pending before the due date, missing after, no forms", async () => {
    const office = await as('office');
    const before = await handInMatrix(deps(), office, Q4, at('2027-01-04 23:59'));
    const state = (m: typeof before, id: number) => m.departments.find((d) => d.departmentId === id)!.state;
    expect(state(before, REG)).toBe('handed_in');
    expect(state(before, CREDIT)).toBe('pending');
    const after = await handInMatrix(deps(), office, Q4, at('2027-01-05 00:00'));
    expect(state(after, REG)).toBe('handed_in');
    expect(state(after, CREDIT)).toBe('missing');
    expect(after.departments.find((d) => d.departmentId === CREDIT)!.forms).toBe(1);
    const enforcement = after.departments.find((d) => d.department === '执法稽查局')!;
    expect(enforcement.state).toBe('no_forms');
    expect(await statusOf(handInMatrix(deps(), await as('l-registration'), Q4))).toBe(403);
  });
});

describe('Art. 20(四) reminders in the digest and the late notice to the office', () => {
  const lateNotices = () =>
    h.db
      .select()
      .from(notifications)
      .where(inArray(notifications.kind, ['handin_late']));

  it('from 1 January the missing department has a hand-in task; the one that confirmed has none; no notice before the due date', async () => {
    await buildDigests(deps(), '2027-01-04');
    const rows = await h.sql<{ department_id: number; content: { tasks?: { kind: string; ref: number; dueDate: string }[] } }[]>`
      select department_id, content from digests where day = '2027-01-04' and kind = 'department'`;
    const tasksOf = (id: number) => (rows.find((r) => r.department_id === id)?.content.tasks ?? []).filter((t) => t.kind === 'handin');
    expect(tasksOf(CREDIT)).toEqual([expect.objectContaining({ ref: 20264, dueDate: '2027-01-04' })]);
    expect(tasksOf(REG)).toEqual([]);
    expect(await lateNotices()).toHaveLength(0);
  });

  it('after the due date the office is told once per department and quarter, however many digests follow', async () => {
    await buildDigests(deps(), '2027-01-05');
    await buildDigests(deps(), '2027-01-06');
    const notices = await lateNotices();
    expect(notices.map((n) => n.dedupeKey)).toEqual([`handin-late:2026-Q4:${CREDIT}`]);
    expect(notices[0]!.subject).toBe('审核单逾期未报送：信用监督管理处 2026年第四季度审核单');
    const office = await h.sql<{ content: { overdueTasks?: { kind: string; ref: number }[] } }[]>`
      select content from digests where day = '2027-01-05' and kind = 'office'`;
    expect(office[0]!.content.overdueTasks?.filter((t) => t.kind === 'handin')).toEqual([expect.objectContaining({ ref: 20264 })]);
    expect(creditForm).toBeGreaterThan(0);
  });
});

// ---- the pages, as a browser calls them ----
class Browser {
  cookies = new Map<string, string>();
  private remember(res: LightMyRequestResponse) {
    for (const c of res.cookies as { name: string; value: string }[]) {
      if (c.value === '') this.cookies.delete(c.name);
      else this.cookies.set(c.name, c.value);
    }
    return res;
  }
  private get headers() {
    return { cookie: [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ') };
  }
  async get(url: string) {
    return this.remember(await h.app.inject({ method: 'GET', url, headers: this.headers }));
  }
  async post(url: string, form: Record<string, string>) {
    return this.remember(
      await h.app.inject({
        method: 'POST',
        url,
        payload: new URLSearchParams(form).toString(),
        headers: { ...this.headers, 'content-type': 'application/x-www-form-urlencoded' },
      }),
    );
  }
  async login(username: string) {
    const page = await this.get('/staff/login');
    const res = await this.post('/staff/login', { _csrf: csrfOf(page.body), username, password: DEMO_PASSWORD });
    expect(res.statusCode).toBe(303);
    return this;
  }
}
const csrfOf = (page: string) => /name="_csrf" value="([^"]+)"/.exec(page)?.[1] ?? '';

describe('Art. 20(四) /staff/handin', () => {
  it('the credit leader confirms the quarter on the page and the office matrix shows it, with the stored PDF', async () => {
    // Real now is December 2026: Q3 2026 is the quarter to hand in. Move the credit form into Q3 so the page can confirm it.
    await h.sql`update review_forms set submitted_at = ${at('2026-08-03 09:00').toISOString()} where id = ${creditForm}`;
    const leader = await new Browser().login('l-credit');
    const page = await leader.get('/staff/handin');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('2026年第三季度');
    expect(page.body).toContain('信用处第四季度通知');
    expect(page.body).toContain('action="/staff/handin/2026-Q3/confirm"');
    const done = await leader.post('/staff/handin/2026-Q3/confirm', { _csrf: csrfOf(page.body) });
    expect(done.statusCode, done.body.slice(0, 500)).toBe(303);
    expect(done.headers.location).toBe('/staff/handin?quarter=2026-Q3&done=confirmed');
    const again = await leader.get('/staff/handin?quarter=2026-Q3&done=confirmed');
    expect(again.body).toContain('已确认报送');
    expect(again.body).not.toContain('action="/staff/handin/2026-Q3/confirm"');

    const office = await new Browser().login('office');
    const matrix = await office.get('/staff/handin?quarter=2026-Q3');
    expect(matrix.statusCode).toBe(200);
    // Confirmed now, after the 2026-10-04 due date of Q3: handed in late.
    expect(matrix.body).toMatch(new RegExp(`data-department="${CREDIT}" data-state="late"`));
    expect(matrix.body).toMatch(new RegExp(`data-department="${REG}" data-state="missing"`));
    const pdf = await office.get(`/staff/handin/2026-Q3/${CREDIT}/pdf`);
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdf.rawPayload.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const stored = await h.sql<
      { sha: string }[]
    >`select pdf_sha256 as sha from handin_confirmations where department_id = ${CREDIT} and year = 2026 and quarter = 3`;
    expect(createHash('sha256').update(pdf.rawPayload).digest('hex')).toBe(stored[0]!.sha);
  });

  it('a handler sees the page without the confirm button; another department cannot download', async () => {
    const handler = await new Browser().login('h-registration');
    const page = await handler.get('/staff/handin');
    expect(page.statusCode).toBe(200);
    expect(page.body).not.toContain('/confirm"');
    expect((await handler.get(`/staff/handin/2026-Q3/${CREDIT}/pdf`)).statusCode).toBe(404);
  });
});
