import { ScheduleAlreadyRunning, type Client, type ScheduleOptions } from '@temporalio/client';

/**
 * Creates a Schedule, or brings an existing one up to its spec, action and policies (idempotent: every
 * worker boot calls it, and with several workers Temporal keeps one Schedule per id).
 */
export async function upsertSchedule(client: Client, options: ScheduleOptions & { policies: NonNullable<ScheduleOptions['policies']> }) {
  const { spec, action, policies } = options;
  try {
    await client.schedule.create(options);
  } catch (err) {
    if (!(err instanceof ScheduleAlreadyRunning)) throw err;
    await client.schedule
      .getHandle(options.scheduleId)
      .update((previous) => ({ ...previous, spec, action, policies: { ...previous.policies, ...policies } }));
  }
}
