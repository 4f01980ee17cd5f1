import { ApplicationFailure } from '@temporalio/common';

/** The failure type of an activity error that no retry can cure (bad data, a violated constraint). */
export const INVALID_DATA = 'InvalidData';

// SQLSTATE class 22 (data exception: NUL byte, value out of range…) and 23 (integrity constraint
// violation). A unique or exclusion violation is left retryable: with idempotent writes it comes from
// a concurrent writer, and the retry sees that writer's row.
const RETRYABLE_IN_CLASS_23 = new Set(['23505', '23P01']);

/** The SQLSTATE of a PostgreSQL error (postgres.js puts it on `code`), also when drizzle wrapped it. */
export function sqlStateOf(err: unknown): string | undefined {
  for (let e: unknown = err, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) return code;
  }
  return undefined;
}

export function cannotSucceedByRetrying(err: unknown): boolean {
  const state = sqlStateOf(err);
  return state !== undefined && /^2[23]/.test(state) && !RETRYABLE_IN_CLASS_23.has(state);
}

/** The first ApplicationFailure of `type` in an error's cause chain (a failed update, a failed activity…). */
export function applicationFailureOf(err: unknown, type: string): ApplicationFailure | undefined {
  for (let e: unknown = err, depth = 0; e instanceof Error && depth < 6; e = e.cause, depth++) {
    if (e instanceof ApplicationFailure && e.type === type) return e;
  }
  return undefined;
}

type Activities = Record<string, (...args: never[]) => Promise<unknown>>;

/**
 * The activity boundary: an error no retry can cure becomes a non-retryable InvalidData failure, so
 * the workflow sees it at once (an update fails and releases the letter's lock) instead of the
 * activity being retried forever. Everything else is rethrown as is and retried by Temporal.
 */
export function failFastOnInvalidData<T extends Activities>(activities: T): T {
  const wrapped: Record<string, unknown> = {};
  for (const [name, fn] of Object.entries(activities)) {
    wrapped[name] = async (...args: never[]) => {
      try {
        return await fn(...args);
      } catch (err) {
        if (!cannotSucceedByRetrying(err)) throw err;
        const cause = err instanceof Error ? err : undefined;
        throw ApplicationFailure.create({ type: INVALID_DATA, nonRetryable: true, message: `${name}: SQLSTATE ${sqlStateOf(err)}`, cause });
      }
    };
  }
  return wrapped as T;
}
