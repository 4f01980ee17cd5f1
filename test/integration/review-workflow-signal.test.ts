import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReviewClock } from '../../src/publishing/service/review-clock.js';
import { workflowsPath } from '../../src/temporal/worker.js';
import { REVIEW_WORKFLOW, reviewChangedSignal, reviewWorkflowIdOf } from '../../workflows/messages.js';
import { startTimeSkippingServer } from '../support/temporal.js';

// The review workflow's own timing (workflows/review.ts) on the real time-skipping server, with
// activities that record their calls and play the part of the service: issue 15 point 4, a
// publication scheduled right after the final approval must not be lost. The CI run of 2bfe1a1's
// predecessor lost one: the service's signal (the schedule) reached the run while its last delivery
// ran, and the run ended without looking again, so the item never went online.

let env: TestWorkflowEnvironment;
beforeAll(async () => {
  env = await startTimeSkippingServer();
});
afterAll(async () => {
  await env?.teardown();
});

const NOT_CLOCKED: ReviewClock = { clocked: false, nextAt: null, noticeQueued: false };

describe('review workflow: a change signalled during the final delivery (patch resume-after-final-delivery)', () => {
  it('looks again: the scheduled publication is timed and done, then the run ends', async () => {
    const formId = 4242;
    const calls: string[] = [];
    let clockCalls = 0;
    let signalled = false;
    const publishAt = Date.parse('2027-02-16T01:00:00Z');
    const activities = {
      async applyReviewClock(_formId: number, nowMs: number): Promise<ReviewClock> {
        clockCalls++;
        calls.push(`clock:${clockCalls}`);
        // 1: approved, nothing timed. 2: the schedule the signal announced. 3: published at its time.
        if (clockCalls === 2) return { clocked: true, nextAt: publishAt, noticeQueued: false };
        if (clockCalls === 3) calls.push(nowMs >= publishAt ? 'published-on-time' : 'published-early');
        return NOT_CLOCKED;
      },
      async deliverNotifications() {
        calls.push('deliver');
        if (!signalled) {
          signalled = true;
          // The drafter schedules the publication while this delivery is running.
          await env.client.workflow.getHandle(reviewWorkflowIdOf(formId)).signal(reviewChangedSignal);
        }
        return { sent: 0 };
      },
    };
    const worker = await Worker.create({ connection: env.nativeConnection, taskQueue: 'review-signal-test', workflowsPath, activities });
    await worker.runUntil(
      env.client.workflow.execute(REVIEW_WORKFLOW, {
        workflowId: reviewWorkflowIdOf(formId),
        taskQueue: 'review-signal-test',
        args: [{ formId }],
      }),
    );
    expect(calls).toEqual(['clock:1', 'deliver', 'clock:2', 'clock:3', 'published-on-time', 'deliver']);
  });
});
