import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import proto from '@temporalio/proto';
import { Worker } from '@temporalio/worker';
import { describe, expect, it } from 'vitest';
import { workflowsPath } from '../../src/temporal/worker.js';

// A review form's workflow (workflows/review.ts) can wait weeks for a scheduled publication, so a new
// worker replays histories older code wrote. These were recorded at 2bfe1a1, before the guard
// `resume-after-final-delivery`; replaying them with today's code must raise no nondeterminism error.
const fixture = (name: string) =>
  proto.temporal.api.history.v1.History.decode(
    fs.readFileSync(path.join(path.dirname(fileURLToPath(import.meta.url)), '../fixtures', name)),
  );
const scheduledOf = (history: ReturnType<typeof fixture>) =>
  history.events.flatMap((e) => e.activityTaskScheduledEventAttributes?.activityType?.name ?? []);
const hasPatchMarker = (history: ReturnType<typeof fixture>) =>
  history.events.some((e) => e.markerRecordedEventAttributes?.markerName === 'core_patch');

describe('review workflow histories from before resume-after-final-delivery replay with the current code', () => {
  it('a step overdue across 春节 2027 (the office told), then decided late and signed: the run ends after its last delivery', async () => {
    const history = fixture('review-history-overdue-signed.bin');
    expect(hasPatchMarker(history)).toBe(false);
    const scheduled = scheduledOf(history);
    expect(scheduled[0]).toBe('applyReviewClock');
    expect(scheduled.at(-1)).toBe('deliverNotifications');
    expect(scheduled.filter((n) => n === 'deliverNotifications')).toHaveLength(2); // the overdue notice, the end
    await expect(Worker.runReplayHistory({ workflowsPath }, history, 'review-form-1')).resolves.toBeUndefined();
  });

  it('a publication scheduled for 2027-02-16 09:00: a timer, the publication, the end', async () => {
    const history = fixture('review-history-scheduled.bin');
    expect(hasPatchMarker(history)).toBe(false);
    expect(history.events.some((e) => e.timerStartedEventAttributes)).toBe(true);
    expect(scheduledOf(history)).toEqual(['applyReviewClock', 'applyReviewClock', 'deliverNotifications']);
    await expect(Worker.runReplayHistory({ workflowsPath }, history, 'review-form-2')).resolves.toBeUndefined();
  });
});
