import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { letters } from '../../src/mailbox/schema.js';
import { bearer, sampleLetter, startHarness, type Harness } from '../support/harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ temporal: true });
});
afterAll(async () => h?.close());

async function rowOf(trackingNo: string) {
  const [row] = await h.db.select().from(letters).where(eq(letters.trackingNo, trackingNo));
  return row!;
}

async function waitFor<T>(fn: () => Promise<T | undefined | false>, what: string, ms = 20_000): Promise<T> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    const v = await fn();
    if (v) return v;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('letter workflow on the time-skipping server', () => {
  it('starts from the outbox; its first activity writes to PostgreSQL', async () => {
    const res = await h.app.inject({ method: 'POST', url: '/api/letters', payload: sampleLetter() });
    expect(res.statusCode).toBe(201);
    const { trackingNo } = res.json();
    expect((await rowOf(trackingNo)).workflowStartedAt).toBeNull();
    expect(await h.startPending()).toBe(1);
    const started = await waitFor(async () => (await rowOf(trackingNo)).workflowStartedAt, 'workflowStartedAt');
    expect(started).toBeInstanceOf(Date);
  });

  it('fires due-soon and overdue at the China-time deadline, and an answer after it is still recorded as late', async () => {
    const res = await h.app.inject({ method: 'POST', url: '/api/letters', payload: sampleLetter({ type: 'inquiry' }) });
    const { trackingNo, dueAt } = res.json();
    await h.startPending();
    await waitFor(async () => (await rowOf(trackingNo)).workflowStartedAt, 'workflow start');
    const due = Date.parse(dueAt);
    // One minute before the deadline: due soon, not overdue.
    await h.testEnv!.sleep(due - 60_000 - (await h.testEnv!.currentTimeMs()));
    await waitFor(async () => (await rowOf(trackingNo)).dueSoon, 'dueSoon');
    expect((await rowOf(trackingNo)).overdue).toBe(false);
    // Two minutes later: overdue.
    await h.testEnv!.sleep(120_000);
    const row = await waitFor(async () => { const r = await rowOf(trackingNo); return r.overdue && r; }, 'overdue');
    expect(row.status).toBe('processing');

    const token = await h.login('h-registration');
    const answered = await h.app.inject({ method: 'POST', url: `/api/cases/${trackingNo}/answer`, headers: bearer(token), payload: { content: '已答复：请按规定办理。' } });
    expect(answered.statusCode).toBe(200);
    expect(answered.json()).toMatchObject({ status: 'answered', closedLate: true, overdue: true });
  });
});
