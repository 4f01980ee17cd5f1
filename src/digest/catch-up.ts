// Art. 22: the reminder goes out every working day. A digest the Schedule could not start because the
// system was down (the worker process, or everything) is started when the worker process is back, the
// same China day. The next day it is not: that day's own digest lists the missed day's letters as new
// (service.ts, newSince), and a reminder for a day already over would be stale.
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { WorkflowIdConflictPolicy, WorkflowIdReusePolicy } from '@temporalio/common';
import { chinaDayOf, dayToIso } from '../calendar/china-time.js';
import type { TemporalGateway } from '../temporal/gateway.js';
import { DAILY_DIGEST_WORKFLOW, digestCatchUpWorkflowId, type DailyDigestWorkflow } from '../../workflows/messages.js';
import { digestInstant } from './rules.js';
import { digestHasRun, type DigestDeps } from './service.js';

export type CatchUpOutcome = 'rest_day' | 'before_digest_time' | 'already_ran' | 'started' | 'already_started';

/**
 * At start-up: if today (China time) is a working day, it is past DIGEST_TIME and today's digest has
 * not been built, starts it as workflow `daily-digest-catch-up-<day>`. The id is the day's, so several
 * processes starting at once start one workflow (the others get "already started"), and one that
 * completed is never started again (ALLOW_DUPLICATE_FAILED_ONLY: a failed one may be). A Schedule run
 * still waiting for a worker may build the same day as well: building is idempotent (the day's rows
 * are replaced, each e-mail has its dedupe key), so nothing is sent twice.
 */
export async function catchUpMissedDigest(
  deps: DigestDeps & { temporal: TemporalGateway },
  now: Date = new Date(),
): Promise<{ day: string; outcome: CatchUpOutcome; workflowId?: string }> {
  const today = chinaDayOf(now);
  const day = dayToIso(today);
  if (!deps.calendar.current.isWorkingDay(today)) return { day, outcome: 'rest_day' };
  if (now.getTime() < digestInstant(today, deps.env.DIGEST_TIME).getTime()) return { day, outcome: 'before_digest_time' };
  if (await digestHasRun(deps, day)) return { day, outcome: 'already_ran' };
  const workflowId = digestCatchUpWorkflowId(day);
  try {
    await deps.temporal.client.workflow.start<DailyDigestWorkflow>(DAILY_DIGEST_WORKFLOW, {
      taskQueue: deps.temporal.taskQueue,
      workflowId,
      args: [{ day }],
      workflowIdReusePolicy: WorkflowIdReusePolicy.ALLOW_DUPLICATE_FAILED_ONLY,
      workflowIdConflictPolicy: WorkflowIdConflictPolicy.FAIL,
    });
    return { day, outcome: 'started', workflowId };
  } catch (err) {
    if (err instanceof WorkflowExecutionAlreadyStartedError) return { day, outcome: 'already_started', workflowId };
    throw err;
  }
}
