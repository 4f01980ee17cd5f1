import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { and, eq } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog } from '../../src/audit/tables.js';
import { parseChinaInstant } from '../../src/calendar/china-time.js';
import { letterEvents, letters } from '../../src/mailbox/tables.js';
import { signalChangedDeadlines } from '../../src/mailbox/calendar-follow.js';
import { startPendingWorkflows } from '../../src/mailbox/workflow-starter.js';
import { buildApp } from '../../src/app.js';
import { fromClient, type TemporalGateway } from '../../src/temporal/gateway.js';
import { createActivities, workflowsPath } from '../../src/temporal/worker.js';
import { bearer, sampleLetter, startHarness, type Harness } from '../support/harness.js';
import { waitFor } from '../support/wait.js';
import { startTimeSkippingServer } from '../support/temporal.js';

// Letters arrive while Temporal is down (the harness points at 127.0.0.1:1): intake still answers 201
// and PostgreSQL keeps them in the outbox. Then Temporal "comes back": a time-skipping test server and
// a worker over the SAME database, and the outbox starts the workflows with the original deadlines.

const TASK_QUEUE = 'amr-temporal-down';

let h: Harness;
let ipSeq = 0;

/** Temporal coming back: test server, a worker with the real activities over h.db, and an API process using it. */
interface Back {
  testEnv: TestWorkflowEnvironment;
  worker: Worker;
  workerRun: Promise<void>;
  gateway: TemporalGateway;
  app: FastifyInstance;
}
let back: Back | undefined;

async function temporalBack(): Promise<Back> {
  const testEnv = await startTimeSkippingServer();
  const worker = await Worker.create({
    connection: testEnv.nativeConnection,
    taskQueue: TASK_QUEUE,
    workflowsPath,
    activities: createActivities({ db: h.db, calendar: h.calendar, env: h.env }),
  });
  const workerRun = worker.run();
  const gateway = fromClient(testEnv.client, TASK_QUEUE);
  const app = await buildApp({ env: h.env, db: h.db, sql: h.sql, temporal: gateway, calendar: h.calendar }, { logger: false });
  await app.ready();
  return { testEnv, worker, workerRun, gateway, app };
}

beforeAll(async () => {
  // Reports get 30 working days here, so one received today has a deadline in (provisional) 2027.
  h = await startHarness({ env: { LIMIT_REPORT_DAYS: '30' } });
});
afterAll(async () => {
  if (back) {
    await back.app.close();
    back.worker.shutdown();
    await back.workerRun;
    await back.testEnv.teardown();
  }
  await h?.close();
});

async function rowOf(trackingNo: string) {
  const [row] = await h.db.select().from(letters).where(eq(letters.trackingNo, trackingNo));
  return row!;
}

const NOTICE_2027 = {
  notice: { title: '国务院办公厅关于2027年部分节假日安排的通知（测试）', number: '国办发明电〔2026〕99号', date: '2026-12-20' },
  holidays: [{ name: '元旦', dates: ['2026-12-31', '2027-01-01', '2027-01-02', '2027-01-03'] }],
  adjustedWorkdays: [{ name: '元旦', dates: ['2027-01-10'] }],
};

describe('Temporal unreachable, then back', () => {
  let inquiry: { trackingNo: string; accessCode: string; dueDate: string; dueAt: string; receivedAt: string };
  let report: { trackingNo: string; accessCode: string; dueDate: string };
  let originalInquiry: typeof letters.$inferSelect;

  it('intake answers 201 and stores the letter; the workflow waits in the outbox', async () => {
    const res = await h.app.inject({
      method: 'POST',
      url: '/api/letters',
      payload: sampleLetter({ type: 'inquiry' }),
      headers: { 'x-forwarded-for': `10.4.0.${++ipSeq}` },
    });
    expect(res.statusCode).toBe(201);
    inquiry = res.json();
    const rep = await h.app.inject({
      method: 'POST',
      url: '/api/letters',
      payload: sampleLetter({ type: 'report', departmentId: 8 }),
      headers: { 'x-forwarded-for': `10.4.0.${++ipSeq}` },
    });
    expect(rep.statusCode).toBe(201);
    report = rep.json();

    originalInquiry = await rowOf(inquiry.trackingNo);
    expect(originalInquiry).toMatchObject({ status: 'processing', limitDays: 2, dueDate: inquiry.dueDate, workflowStartedAt: null });
    expect(originalInquiry.dueDate).toBe(h.calendar.deadline(originalInquiry.receivedAt, 2).dueDate);
    const events = await h.db.select().from(letterEvents).where(eq(letterEvents.letterId, originalInquiry.id));
    expect(events.map((e) => e.kind)).toEqual(['received']);

    const rep0 = await rowOf(report.trackingNo);
    expect(rep0).toMatchObject({ limitDays: 30, dueProvisional: true, workflowStartedAt: null });
    expect(rep0.dueDate > '2026-12-31').toBe(true);

    // The writer can look it up, and staff see it, without Temporal.
    const look = await h.app.inject({
      method: 'GET',
      url: `/api/letters/${inquiry.trackingNo}`,
      headers: { 'x-access-code': inquiry.accessCode },
    });
    expect(look.statusCode).toBe(200);
    const office = await h.login('office');
    const list = await h.app.inject({ method: 'GET', url: '/api/cases', headers: bearer(office) });
    expect(
      list
        .json()
        .items.map((c: { trackingNo: string }) => c.trackingNo)
        .sort(),
    ).toEqual([inquiry.trackingNo, report.trackingNo].sort());
  });

  it('the outbox pass fails (and is retried later); staff actions are a 503 and change nothing', async () => {
    await expect(h.startPending()).rejects.toThrow();
    const token = await h.login('h-registration');
    const res = await h.app.inject({
      method: 'POST',
      url: `/api/cases/${inquiry.trackingNo}/answer`,
      headers: bearer(token),
      payload: { content: '答复' },
    });
    expect(res.statusCode).toBe(503);
    expect(res.json().error.code).toBe('workflow_unavailable');
    expect((await rowOf(inquiry.trackingNo)).status).toBe('processing');
  });

  it('a calendar year loaded meanwhile reaches no workflow, without failing', async () => {
    const put = await h.app.inject({
      method: 'PUT',
      url: '/api/calendar/years/2027',
      headers: bearer(await h.login('admin')),
      payload: NOTICE_2027,
    });
    expect(put.statusCode).toBe(200);
    // No workflow can be signalled while Temporal is down: the pass gives up at the first failure
    // rather than waiting on each letter, and never rejects (src/main.ts does not await it).
    expect(await signalChangedDeadlines(h.db, h.temporal, h.calendar)).toBe(0);
    expect(await rowOf(report.trackingNo)).toMatchObject({ dueDate: report.dueDate, dueProvisional: true });
  });

  it('when Temporal is back the outbox starts the workflows; deadlines run from the original receipt', async () => {
    back = await temporalBack();
    // The outage lasted into Monday: the inquiry's due-soon point (start of the working day before its
    // due date) has passed on the clock by the time its workflow starts.
    const dueSoonAt = h.calendar.current.workingDayBefore(Date.parse(inquiry.dueDate) / 86_400_000, 1)!;
    const dueSoonIso = new Date(dueSoonAt * 86_400_000).toISOString().slice(0, 10);
    const resume = parseChinaInstant(`${dueSoonIso}T12:00`)!.getTime();
    await back.testEnv.sleep(resume - (await back.testEnv.currentTimeMs()));

    // Signalling now finds no workflow for the letters still in the outbox (and carries on past them).
    expect(await signalChangedDeadlines(h.db, back.gateway, h.calendar)).toBe(0);
    expect(await startPendingWorkflows(h.db, back.gateway)).toBe(2);
    const started = await waitFor(async () => {
      const r = await rowOf(inquiry.trackingNo);
      return r.workflowStartedAt && r;
    }, 'inquiry workflow start');
    // The deadline is the one computed at receipt, not from the start of the workflow.
    expect(started.receivedAt.getTime()).toBe(originalInquiry.receivedAt.getTime());
    expect(started.dueDate).toBe(originalInquiry.dueDate);
    expect(started.dueAt.getTime()).toBe(originalInquiry.dueAt.getTime());
    // So due soon fires at once, and overdue has not.
    const soon = await waitFor(async () => {
      const r = await rowOf(inquiry.trackingNo);
      return r.dueSoon && r;
    }, 'inquiry due soon');
    expect(soon.overdue).toBe(false);
    expect(soon.dueDate).toBe(originalInquiry.dueDate);

    // The report's provisional deadline meets the 2027 notice loaded during the outage, counted from its receipt.
    const rep = await waitFor(async () => {
      const r = await rowOf(report.trackingNo);
      return r.workflowStartedAt && r;
    }, 'report workflow start');
    expect(rep.dueProvisional).toBe(false);
    expect(rep.dueDate).toBe(h.calendar.deadline(rep.receivedAt, 30).dueDate);
    expect(rep.dueDate).not.toBe(report.dueDate);
    const audits = await h.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.recordId, report.trackingNo), eq(auditLog.action, 'letter.deadline_recomputed')));
    expect(audits).toHaveLength(1);
    expect(audits[0]!.before).toEqual({ dueDate: report.dueDate, provisional: true });

    // Nothing left in the outbox.
    expect(await startPendingWorkflows(h.db, back.gateway)).toBe(0);
  });

  it('staff act again through the API once Temporal is back, and overdue fires at the original deadline', async () => {
    const app = back!.app;
    const token = (
      await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'h-food-safety', password: 'Test-Passw0rd!' } })
    ).json().token;
    const transfer = await app.inject({
      method: 'POST',
      url: `/api/cases/${report.trackingNo}/transfer`,
      headers: bearer(token),
      payload: { toDepartmentId: 7, reasonCode: 'other_department_lead', reason: '应由执法稽查局牵头' },
    });
    expect(transfer.statusCode, transfer.body).toBe(200);
    expect(transfer.json()).toMatchObject({ departmentId: 7, dueProvisional: false });

    const env = back!.testEnv;
    await env.sleep(Date.parse(inquiry.dueAt) + 60_000 - (await env.currentTimeMs()));
    const row = await waitFor(async () => {
      const r = await rowOf(inquiry.trackingNo);
      return r.overdue && r;
    }, 'inquiry overdue');
    expect(row.dueAt.getTime()).toBe(originalInquiry.dueAt.getTime());
    const handler = (
      await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'h-registration', password: 'Test-Passw0rd!' } })
    ).json().token;
    const answered = await app.inject({
      method: 'POST',
      url: `/api/cases/${inquiry.trackingNo}/answer`,
      headers: bearer(handler),
      payload: { content: '已答复' },
    });
    expect(answered.statusCode).toBe(200);
    expect(answered.json()).toMatchObject({ status: 'answered', closedLate: true });
    const kinds = (await h.db.select().from(letterEvents).where(eq(letterEvents.letterId, originalInquiry.id))).map((e) => e.kind);
    expect(kinds).toEqual(['received', 'due_soon', 'overdue', 'answered']);
  });

  it('the periodic reconcile re-signals a running letter whose provisional deadline the calendar has since made official', async () => {
    // The report's workflow is running. Stand its row back to what it was before 2027 arrived, as if
    // the load's signal had been lost while Temporal was unreachable.
    const before = await rowOf(report.trackingNo);
    await h.db.update(letters).set({ dueProvisional: true, dueDate: report.dueDate }).where(eq(letters.id, before.id));
    // Only the letters whose deadline the calendar would change are signalled.
    expect(await signalChangedDeadlines(h.db, back!.gateway, h.calendar, new Date(await back!.testEnv.currentTimeMs()))).toBe(1);
    const fixed = await waitFor(async () => {
      const r = await rowOf(report.trackingNo);
      return !r.dueProvisional && r;
    }, 'report recomputed');
    expect(fixed.dueDate).toBe(before.dueDate);
    expect(await signalChangedDeadlines(h.db, back!.gateway, h.calendar, new Date(await back!.testEnv.currentTimeMs()))).toBe(0);
  });
});
