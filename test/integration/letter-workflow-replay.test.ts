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

/** The patch ids the history's markers recorded (core's `core_patch` markers carry them as JSON). */
const patchIds = (history: ReturnType<typeof fixture>) =>
  history.events.flatMap((e) => {
    const marker = e.markerRecordedEventAttributes;
    if (marker?.markerName !== 'core_patch') return [];
    const data = marker.details?.['patch-data']?.payloads?.[0]?.data;
    return data ? [(JSON.parse(Buffer.from(data).toString()) as { id: string }).id] : [];
  });

describe('letter workflow histories from earlier versions replay with the current code', () => {
  it('before the first step became a local activity (commit 165d797): started, due soon, answered', async () => {
    const history = fixture('letter-history-before-local-start.bin');
    // The fixture is what it claims: markWorkflowStarted ran as an ordinary activity task.
    const scheduled = history.events.flatMap((e) => e.activityTaskScheduledEventAttributes?.activityType?.name ?? []);
    expect(scheduled).toEqual(['markWorkflowStarted', 'markDueSoon', 'applyCaseAction', 'deliverNotifications']);
    await expect(Worker.runReplayHistory({ workflowsPath }, history, 'letter-261127-V1HST')).resolves.toBeUndefined();
  });

  it('before the Art. 22 limits (recorded at 8cf8037): an onward transfer, arbitration, a transfer away from it, answer', async () => {
    const history = fixture('letter-history-onward-transfers.bin');
    // The fixture is what it claims: every action was persisted (six applyCaseAction tasks), and no patch
    // marker for the limits was recorded; replayed without the `transfer-limits-art22` guard, the handler
    // would refuse the onward transfer and the arbitrated lead's transfer, and the replay fails with a
    // nondeterminism error (checked by removing the guard).
    const scheduled = history.events.flatMap((e) => e.activityTaskScheduledEventAttributes?.activityType?.name ?? []);
    expect(scheduled.filter((n) => n === 'applyCaseAction')).toHaveLength(6);
    expect(patchIds(history)).toEqual(['mark-started-locally']);
    await expect(Worker.runReplayHistory({ workflowsPath }, history, 'letter-261203-7HPNC')).resolves.toBeUndefined();
  });

  it('with the Art. 22 limits (patch transfer-limits-art22): transfer, dispute, arbitration, escalation again, answer', async () => {
    const history = fixture('letter-history-transfer-limits.bin');
    expect(patchIds(history)).toEqual(['mark-started-locally', 'transfer-limits-art22']);
    const scheduled = history.events.flatMap((e) => e.activityTaskScheduledEventAttributes?.activityType?.name ?? []);
    expect(scheduled.filter((n) => n === 'applyCaseAction')).toHaveLength(6);
    await expect(Worker.runReplayHistory({ workflowsPath }, history, 'letter-261203-CFYV7')).resolves.toBeUndefined();
  });

  const scheduledOf = (history: ReturnType<typeof fixture>) =>
    history.events.flatMap((e) => e.activityTaskScheduledEventAttributes?.activityType?.name ?? []);

  it('before deliver-after-recompute: a calendar signal recomputed the deadline and sent no mail until the answer', async () => {
    const history = fixture('letter-history-calendar-signal-before-delivery.bin');
    expect(history.events.some((e) => e.workflowExecutionSignaledEventAttributes?.signalName === 'calendarChanged')).toBe(true);
    expect(scheduledOf(history)).toEqual(['recomputeDeadline', 'applyCaseAction', 'deliverNotifications']);
    expect(patchIds(history)).toEqual(['mark-started-locally']);
    await expect(Worker.runReplayHistory({ workflowsPath }, history, 'letter-261203-AMJHS')).resolves.toBeUndefined();
  });

  it('with deliver-after-recompute: the recompute is followed by a delivery', async () => {
    const history = fixture('letter-history-calendar-signal-with-delivery.bin');
    expect(scheduledOf(history)).toEqual(['recomputeDeadline', 'deliverNotifications', 'applyCaseAction', 'deliverNotifications']);
    expect(patchIds(history)).toEqual(['mark-started-locally', 'deliver-after-recompute']);
    await expect(Worker.runReplayHistory({ workflowsPath }, history, 'letter-261203-GBTDF')).resolves.toBeUndefined();
  });
});
