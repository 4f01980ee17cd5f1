import { WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { letters } from '../../src/mailbox/tables.js';
import { caseActionUpdate, workflowIdOf } from '../../workflows/messages.js';
import type { ActingStaff, CaseAction } from '../../src/mailbox/case-rules.js';
import { bearer, sampleLetter, startHarness, type Harness } from '../support/harness.js';
import { waitFor } from '../support/wait.js';

// Issue #19 point 3: an action PostgreSQL can never store (a NUL) used to make applyCaseAction retry
// forever while holding the workflow's lock, blocking every later action and the timers of the case.

let h: Harness;
let ip = 0;
const tokens: Record<string, string> = {};
const token = async (u: string) => (tokens[u] ??= await h.login(u));

beforeAll(async () => {
  h = await startHarness({ temporal: true });
});
afterAll(async () => h?.close());

const rowOf = async (trackingNo: string) => (await h.db.select().from(letters).where(eq(letters.trackingNo, trackingNo)))[0]!;

async function submitStarted(over: Record<string, unknown> = {}) {
  const res = await h.app.inject({
    method: 'POST',
    url: '/api/letters',
    payload: sampleLetter(over),
    headers: { 'x-forwarded-for': `10.8.0.${++ip}` },
  });
  expect(res.statusCode, res.body).toBe(201);
  const letter = res.json() as { trackingNo: string; dueAt: string };
  await h.startPending();
  await waitFor(async () => (await rowOf(letter.trackingNo)).workflowStartedAt, 'workflow start');
  return letter;
}

async function office(): Promise<ActingStaff> {
  const me = await h.app.inject({ method: 'GET', url: '/api/auth/me', headers: bearer(await token('office')) });
  return {
    staffId: me.json().id,
    username: 'office',
    roles: ['office'],
    departmentId: me.json().departmentId,
    ip: '10.8.9.9',
    requestId: 'poison',
  };
}

const poison: CaseAction = { kind: 'reclassify', type: 'inquiry', convenienceItemId: null, reason: 'a\u0000b' };

/** Sends the poisoned action straight to the workflow, as a client of an older API version might. */
async function sendPoison(trackingNo: string): Promise<unknown> {
  const update = h.temporal.client.workflow
    .getHandle(workflowIdOf(trackingNo))
    .executeUpdate(caseActionUpdate, { args: [poison, await office()] });
  const timeout = new Promise((resolve) => setTimeout(() => resolve(new Error('update still running after 15 s')), 15_000));
  return Promise.race([
    update.then(
      () => new Error('update succeeded'),
      (err: unknown) => err,
    ),
    timeout,
  ]);
}

function causeTypes(err: unknown): string[] {
  const out: string[] = [];
  for (let e: unknown = err; e instanceof Error; e = e.cause) if (e instanceof ApplicationFailure && e.type) out.push(e.type);
  return out;
}

async function activityAttempts(trackingNo: string) {
  const events = (await h.temporal.client.workflow.getHandle(workflowIdOf(trackingNo)).fetchHistory()).events!;
  return events.filter((e) => e.activityTaskStartedEventAttributes).map((e) => e.activityTaskStartedEventAttributes!.attempt);
}

describe('an action that can never be stored', () => {
  it('is refused by the API with 400 before it reaches the workflow', async () => {
    const { trackingNo } = await submitStarted();
    const res = await h.app.inject({
      method: 'POST',
      url: `/api/cases/${trackingNo}/reclassify`,
      headers: bearer(await token('office')),
      payload: { type: 'complaint', reason: 'a\u0000b' },
    });
    expect(res.statusCode, res.body).toBe(400);
    expect(res.json().error.fields['body.reason']).toContain('空字符');
    const events = (await h.temporal.client.workflow.getHandle(workflowIdOf(trackingNo)).fetchHistory()).events!;
    expect(events.filter((e) => e.workflowExecutionUpdateAcceptedEventAttributes)).toEqual([]);
  });

  it('sent to the workflow anyway, fails at once (non-retryable) and the case still takes actions', async () => {
    const { trackingNo } = await submitStarted();
    const started = Date.now();
    const err = await sendPoison(trackingNo);
    expect(err).toBeInstanceOf(WorkflowUpdateFailedError);
    expect(causeTypes(err)).toContain('InvalidData');
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(await activityAttempts(trackingNo)).toEqual([1]);
    expect((await rowOf(trackingNo)).type).toBe('complaint');

    // The lock was released: the handling department answers through the API.
    const res = await h.app.inject({
      method: 'POST',
      url: `/api/cases/${trackingNo}/answer`,
      headers: bearer(await token('h-registration')),
      payload: { content: '已答复：请按规定办理。' },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().status).toBe('answered');
  });

  it("does not hold up the case's due-soon and overdue timers", async () => {
    const { trackingNo, dueAt } = await submitStarted({ type: 'inquiry' });
    expect(causeTypes(await sendPoison(trackingNo))).toContain('InvalidData');
    const due = Date.parse(dueAt);
    await h.testEnv!.sleep(due - 60_000 - (await h.testEnv!.currentTimeMs()));
    await waitFor(async () => (await rowOf(trackingNo)).dueSoon, 'dueSoon');
    await h.testEnv!.sleep(120_000);
    await waitFor(async () => (await rowOf(trackingNo)).overdue, 'overdue');
    expect((await rowOf(trackingNo)).status).toBe('processing');
  });
});
