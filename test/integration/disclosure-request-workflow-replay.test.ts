import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import proto from '@temporalio/proto';
import { Worker } from '@temporalio/worker';
import { describe, expect, it } from 'vitest';
import { workflowsPath } from '../../src/temporal/worker.js';

// A disclosure request's workflow (workflows/disclosure-request.ts) can sleep for weeks (a fee period over
// 春节), so a new worker replays histories older code wrote. This one was recorded from a real run of
// disclosure-request-fee-workflow.test.ts (RECORD_REQUEST_HISTORY=1) at cd3d2a9: a fee notice on 2027-01-28,
// unpaid to 2027-02-11, concluded by the workflow on 2027-02-12 as other_fee_unpaid. Replaying it with today's
// code must raise no nondeterminism error; a change to the loop's commands needs a patch (workflows/clock-loop.ts).
const fixture = (name: string) =>
  proto.temporal.api.history.v1.History.decode(
    fs.readFileSync(path.join(path.dirname(fileURLToPath(import.meta.url)), '../fixtures', name)),
  );

describe('disclosure-request workflow histories replay with the current code', () => {
  it('the fee notice unpaid across 春节 2027: woken by the signal, a timer to 2027-02-12, the conclusion, the notice, the end', async () => {
    const history = fixture('request-history-fee-unpaid.bin');
    const scheduled = history.events.flatMap((e) => e.activityTaskScheduledEventAttributes?.activityType?.name ?? []);
    expect(scheduled[0]).toBe('applyRequestClock');
    expect(scheduled.at(-1)).toBe('deliverNotifications');
    expect(history.events.some((e) => e.timerStartedEventAttributes)).toBe(true);
    expect(history.events.some((e) => e.workflowExecutionSignaledEventAttributes)).toBe(true);
    expect(history.events.at(-1)?.workflowExecutionCompletedEventAttributes).toBeTruthy();
    await expect(Worker.runReplayHistory({ workflowsPath }, history, 'disclosure-request-1')).resolves.toBeUndefined();
  });
});
