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
});
