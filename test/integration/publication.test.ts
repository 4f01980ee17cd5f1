import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog } from '../../src/audit/tables.js';
import { letterEvents, letters } from '../../src/mailbox/tables.js';
import { bearer, startHarness, type Harness } from '../support/harness.js';
import { storeLetter } from '../support/letters.js';

// Issue 14 points 1–3 and 5: selecting answered letters (Art. 15(二) of the measures), the masked copy,
// approval by the office, the public list and page, take-down, consent withdrawal and reports (举报).

let h: Harness;
let office: string;

const WRITER = { writerName: '陈明华', writerPhone: '13805912345', writerEmail: 'chenmh@qq.com', writerIdNumber: '350102198001011234' };
const CONTENT = '我叫陈明华，电话13805912345，邮箱chenmh@qq.com，身份证350102198001011234。我在网店买的电饭锅坏了，商家拒绝退货。';
const ANSWER = '陈明华您好：经调查，商家已同意退货。';

async function answeredLetter(over: Partial<typeof letters.$inferInsert> = {}) {
  return storeLetter(h, {
    type: 'complaint',
    receivedAt: new Date('2026-11-02T02:00:00Z'),
    subject: '陈明华反映网店拒绝退货',
    over: {
      ...WRITER,
      content: CONTENT,
      status: 'answered',
      answer: ANSWER,
      answeredAt: new Date('2026-11-05T08:00:00Z'),
      allowPublication: true,
      ...over,
    },
  });
}

const post = (url: string, token: string | null, payload?: object) =>
  h.app.inject({ method: 'POST', url, headers: token ? bearer(token) : {}, ...(payload ? { payload } : {}) });

async function publish(trackingNo: string) {
  const selected = await post('/api/publications', office, { trackingNo });
  expect(selected.statusCode, selected.body).toBe(201);
  const id = selected.json().id as number;
  if (selected.json().unsureCount > 0) expect((await post(`/api/publications/${id}/confirm-unsure`, office)).statusCode).toBe(200);
  const approved = await post(`/api/publications/${id}/approve`, office);
  expect(approved.statusCode, approved.body).toBe(200);
  return id;
}

const leaks = (body: string, trackingNo: string) =>
  [WRITER.writerName, WRITER.writerPhone, WRITER.writerEmail, WRITER.writerIdNumber, trackingNo].filter((s) => body.includes(s));

beforeAll(async () => {
  h = await startHarness();
  office = await h.login('office');
});
afterAll(() => h.close());

describe('publishing a selected answer (Art. 15(二))', () => {
  it('select → mask → edit → approve → the public JSON shows masked texts only', async () => {
    const letter = await answeredLetter();
    const selected = await post('/api/publications', office, { trackingNo: letter.trackingNo });
    expect(selected.statusCode, selected.body).toBe(201);
    const draft = selected.json();
    expect(draft.status).toBe('draft');
    expect(draft.masking.content.original).toBe(CONTENT);
    expect(draft.content).toContain('138****2345');
    expect(leaks(draft.content + draft.subject + draft.answer, letter.trackingNo)).toEqual([]);
    expect(draft.masking.content.spans.map((s: { kind: string }) => s.kind)).toEqual(
      expect.arrayContaining(['name', 'phone', 'email', 'id_number']),
    );

    // A hand edit that puts the writer's phone back is refused at approval.
    const bad = await h.app.inject({
      method: 'PATCH',
      url: `/api/publications/${draft.id}`,
      headers: bearer(office),
      payload: { answer: '请致电13805912345' },
    });
    expect(bad.statusCode).toBe(200);
    const refused = await post(`/api/publications/${draft.id}/approve`, office);
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error.message).toContain('电话');

    const edited = await h.app.inject({
      method: 'PATCH',
      url: `/api/publications/${draft.id}`,
      headers: bearer(office),
      payload: { answer: '网友您好：经调查，商家已同意退货。（办公室校对）' },
    });
    expect(edited.json().edited).toBe(true);
    const approved = await post(`/api/publications/${draft.id}/approve`, office);
    expect(approved.statusCode, approved.body).toBe(200);
    expect(approved.json().status).toBe('published');

    const detail = await h.app.inject({ method: 'GET', url: `/api/published-letters/${draft.id}` });
    expect(detail.statusCode).toBe(200);
    expect(detail.json()).toMatchObject({
      answer: '网友您好：经调查，商家已同意退货。（办公室校对）',
      department: expect.any(String),
      receivedDate: '2026-11-02',
      answeredDate: '2026-11-05',
      type: 'complaint',
    });
    expect(leaks(detail.body, letter.trackingNo)).toEqual([]);
    const list = await h.app.inject({ method: 'GET', url: '/api/published-letters?q=电饭锅' });
    expect(list.json().items.map((i: { id: number }) => i.id)).toContain(draft.id);
    expect(leaks(list.body, letter.trackingNo)).toEqual([]);
    const pageRes = await h.app.inject({ method: 'GET', url: `/published/${draft.id}` });
    expect(pageRes.statusCode).toBe(200);
    expect(pageRes.body).toContain('138****2345');
    expect(leaks(pageRes.body, letter.trackingNo)).toEqual([]);
    const listPage = await h.app.inject({ method: 'GET', url: '/published?q=电饭锅' });
    expect(listPage.body).toContain(`/published/${draft.id}`);

    // The statistics contract: one 'published' event for the answering department, not public.
    const events = await h.db
      .select()
      .from(letterEvents)
      .where(and(eq(letterEvents.letterId, letter.id), eq(letterEvents.kind, 'published')));
    expect(events).toMatchObject([{ isPublic: false, departmentId: 5 }]);
    const audits = await h.db
      .select({ action: auditLog.action })
      .from(auditLog)
      .where(eq(auditLog.recordId, String(draft.id)));
    expect(audits.map((a) => a.action)).toEqual(expect.arrayContaining(['publication.select', 'publication.edit', 'publication.approve']));
  });

  it('the writer withdraws consent after publication: taken down at once, 404 and gone from the list', async () => {
    const letter = await answeredLetter();
    const id = await publish(letter.trackingNo);
    const wrong = await h.app.inject({
      method: 'POST',
      url: `/api/letters/${letter.trackingNo}/withdraw-consent`,
      headers: { 'x-access-code': 'WRONG-CODE' },
    });
    expect(wrong.statusCode).toBe(404);
    const res = await h.app.inject({
      method: 'POST',
      url: `/api/letters/${letter.trackingNo}/withdraw-consent`,
      headers: { 'x-access-code': letter.accessCode },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().allowPublication).toBe(false);
    expect((await h.app.inject({ method: 'GET', url: `/api/published-letters/${id}` })).statusCode).toBe(404);
    expect((await h.app.inject({ method: 'GET', url: `/published/${id}` })).statusCode).toBe(404);
    const list = await h.app.inject({ method: 'GET', url: '/api/published-letters?limit=100' });
    expect(list.json().items.map((i: { id: number }) => i.id)).not.toContain(id);
    const kinds = (await h.db.select().from(letterEvents).where(eq(letterEvents.letterId, letter.id))).map((e) => e.kind);
    expect(kinds).toEqual(expect.arrayContaining(['published', 'unpublished']));
    const [row] = await h.db.select().from(letters).where(eq(letters.id, letter.id));
    expect(row!.allowPublication).toBe(false);
    // Not selectable again without consent.
    expect((await post('/api/publications', office, { trackingNo: letter.trackingNo })).statusCode).toBe(409);
  });

  it('the office takes a letter down with a reason, kept and audited', async () => {
    const letter = await answeredLetter();
    const id = await publish(letter.trackingNo);
    const empty = await post(`/api/publications/${id}/take-down`, office, { reason: '  ' });
    expect(empty.statusCode).toBe(400);
    const res = await post(`/api/publications/${id}/take-down`, office, { reason: '答复内容已过时' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ status: 'taken_down', takeDownReason: '答复内容已过时' });
    expect((await h.app.inject({ method: 'GET', url: `/api/published-letters/${id}` })).statusCode).toBe(404);
    const [audit] = await h.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'publication.take_down'), eq(auditLog.recordId, String(id))));
    expect(audit!.after).toMatchObject({ reason: '答复内容已过时' });
    const unpublished = await h.db
      .select()
      .from(letterEvents)
      .where(and(eq(letterEvents.letterId, letter.id), eq(letterEvents.kind, 'unpublished')));
    expect(unpublished).toMatchObject([{ text: '答复内容已过时', departmentId: 5 }]);
  });
});

describe('letters that cannot be selected', () => {
  it("without the writer's consent: 409 写信人未同意公开", async () => {
    const letter = await answeredLetter({ allowPublication: false });
    const res = await post('/api/publications', office, { trackingNo: letter.trackingNo });
    expect(res.statusCode).toBe(409);
    expect(res.json().error.message).toBe('写信人未同意公开');
  });

  it('not answered yet: 409 信件尚未答复', async () => {
    const letter = await answeredLetter({ status: 'processing', answer: null, answeredAt: null });
    const res = await post('/api/publications', office, { trackingNo: letter.trackingNo });
    expect(res.statusCode).toBe(409);
    expect(res.json().error.message).toBe('信件尚未答复');
  });

  it('a report (举报) is never selectable (投诉举报处理暂行办法 Art. 33)', async () => {
    const report = await storeLetter(h, {
      type: 'report',
      receivedAt: new Date('2026-11-02T02:00:00Z'),
      over: { status: 'answered', answer: '已处理', answeredAt: new Date('2026-11-05T08:00:00Z'), allowPublication: true },
    });
    const res = await post('/api/publications', office, { trackingNo: report.trackingNo });
    expect(res.statusCode).toBe(409);
    expect(res.json().error.message).toBe('举报类信件不得公开');
  });

  it('marking a published complaint as reporting a person takes it down and keeps it out', async () => {
    const letter = await answeredLetter();
    const id = await publish(letter.trackingNo);
    const handler = await h.login('h-registration');
    const mark = await post(`/api/cases/${letter.trackingNo}/reports-person`, handler, { reportsPerson: true });
    expect(mark.statusCode, mark.body).toBe(200);
    expect((await h.app.inject({ method: 'GET', url: `/api/published-letters/${id}` })).statusCode).toBe(404);
    const candidates = await h.app.inject({ method: 'GET', url: '/api/publications/candidates', headers: bearer(office) });
    expect(candidates.json().map((c: { trackingNo: string }) => c.trackingNo)).not.toContain(letter.trackingNo);
  });

  it('only the office selects: a handler gets 403', async () => {
    const letter = await answeredLetter();
    const handler = await h.login('h-registration');
    expect((await post('/api/publications', handler, { trackingNo: letter.trackingNo })).statusCode).toBe(403);
  });
});
