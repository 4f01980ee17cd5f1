import { condition, patched } from '@temporalio/workflow';

/** What a clock activity answers: whether the record still has a clock, its next instant, a notice to deliver. */
export interface ClockReply {
  clocked: boolean;
  /** Epoch ms of the next thing to do; null: only a change can bring one. */
  nextAt: number | null;
  noticeQueued: boolean;
}

/**
 * The loop of a workflow that only keeps a PostgreSQL record's clocks (a review form's step limit, a
 * document's catalogue deadline): ask the activity to do what is due and when to look again, sleep until
 * then or until the record changes (`state.changed`, set by the workflow's signal handler), and end when
 * nothing is timed. Deterministic: the activity decides from the row, the loop only waits.
 */
export async function runClockLoop(state: { changed: boolean }, apply: () => Promise<ClockReply>, deliver: () => Promise<unknown>) {
  for (;;) {
    state.changed = false;
    const clock = await apply();
    // A signal that came in while the activity ran (a schedule right after an approval) is not lost: it
    // is applied before the activity's result in the same activation, so look again rather than end.
    if (!clock.clocked) {
      if (state.changed) continue;
      await deliver();
      // A change signalled while that last delivery ran was accepted by this run: ending now would lose
      // it, so look again. Histories from before the guard ended here whatever came in, and replay the same.
      if (state.changed && patched('resume-after-final-delivery')) continue;
      return;
    }
    const wait = clock.nextAt === null ? undefined : Math.max(0, clock.nextAt - Date.now());
    if (clock.noticeQueued) await deliver();
    await condition(() => state.changed, wait);
  }
}
