import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import proto from '@temporalio/proto';
import { Worker } from '@temporalio/worker';
import { describe, expect, it } from 'vitest';
import { workflowsPath } from '../../src/temporal/worker.js';

// Letter workflows run for weeks, so a worker with new workflow code replays histories the old code
// wrote. These are real histories recorded with earlier versions of workflows/letter.ts; replaying
// them with today's code must not raise a nondeterminism error.
const fixture = (name: string) =>
  proto.temporal.api.history.v1.History.decode(
    fs.readFileSync(path.join(path.dirname(fileURLToPath(import.meta.url)), '../fixtures', name)),
  );

describe('letter workflow histories from earlier versions replay with the current code', () => {
  it('before the first step became a local activity (commit 165d797): started, due soon, answered', async () => {
    const history = fixture('letter-history-before-local-start.bin');
    // The fixture is what it claims: markWorkflowStarted ran as an ordinary activity task.
    const scheduled = history.events.flatMap((e) => e.activityTaskScheduledEventAttributes?.activityType?.name ?? []);
    expect(scheduled).toEqual(['markWorkflowStarted', 'markDueSoon', 'applyCaseAction', 'deliverNotifications']);
    await expect(Worker.runReplayHistory({ workflowsPath }, history, 'letter-261127-V1HST')).resolves.toBeUndefined();
  });

  const scheduledOf = (history: ReturnType<typeof fixture>) =>
    history.events.flatMap((e) => e.activityTaskScheduledEventAttributes?.activityType?.name ?? []);
  /** The patch ids the history recorded (core_patch markers carry `{ id, deprecated }` as JSON). */
  const patchesOf = (history: ReturnType<typeof fixture>) =>
    history.events.flatMap((e) => {
      const data = e.markerRecordedEventAttributes?.details?.['patch-data']?.payloads?.[0]?.data;
      return data ? [(JSON.parse(Buffer.from(data).toString('utf8')) as { id: string }).id] : [];
    });

  it('before deliver-after-recompute: a calendar signal recomputed the deadline and sent no mail until the answer', async () => {
    const history = fixture('letter-history-calendar-signal-before-delivery.bin');
    expect(history.events.some((e) => e.workflowExecutionSignaledEventAttributes?.signalName === 'calendarChanged')).toBe(true);
    expect(scheduledOf(history)).toEqual(['recomputeDeadline', 'applyCaseAction', 'deliverNotifications']);
    expect(patchesOf(history)).toEqual(['mark-started-locally']);
    await expect(Worker.runReplayHistory({ workflowsPath }, history, 'letter-261203-AMJHS')).resolves.toBeUndefined();
  });

  it('with deliver-after-recompute (the current code): the recompute is followed by a delivery', async () => {
    const history = fixture('letter-history-calendar-signal-with-delivery.bin');
    expect(scheduledOf(history)).toEqual(['recomputeDeadline', 'deliverNotifications', 'applyCaseAction', 'deliverNotifications']);
    expect(patchesOf(history)).toEqual(['mark-started-locally', 'deliver-after-recompute']);
    await expect(Worker.runReplayHistory({ workflowsPath }, history, 'letter-261203-GBTDF')).resolves.toBeUndefined();
  });
});
