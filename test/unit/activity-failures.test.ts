import { ApplicationFailure } from '@temporalio/common';
import { describe, expect, it } from 'vitest';
import { applicationFailureOf, failFastOnInvalidData, INVALID_DATA } from '../../src/temporal/activity-failures.js';

/** As drizzle reports a postgres.js error: the SQLSTATE is on the cause's `code`. */
const pgError = (code: string) =>
  new Error('Failed query: insert …', { cause: Object.assign(new Error('invalid byte sequence'), { code }) });

const failingWith = (err: unknown) =>
  failFastOnInvalidData({
    act: async (_n: number) => {
      throw err;
    },
  });

describe('failFastOnInvalidData (the activity boundary)', () => {
  it.each(['22021', '22003', '22008', '22P05', '23502', '23503', '23514'])(
    'SQLSTATE %s becomes a non-retryable InvalidData failure',
    async (code) => {
      const err = await failingWith(pgError(code))
        .act(1)
        .catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ApplicationFailure);
      expect((err as ApplicationFailure).type).toBe(INVALID_DATA);
      expect((err as ApplicationFailure).nonRetryable).toBe(true);
      expect((err as ApplicationFailure).message).toContain(code);
    },
  );

  it.each(['23505', '23P01', '40001', '57014', '08006'])(
    'SQLSTATE %s (a race, a timeout, a lost connection) stays retryable',
    async (code) => {
      const original = pgError(code);
      await expect(failingWith(original).act(1)).rejects.toBe(original);
    },
  );

  it('passes results and other errors through unchanged', async () => {
    const acts = failFastOnInvalidData({ double: async (n: number) => n * 2 });
    expect(await acts.double(21)).toBe(42);
    const notAllowed = ApplicationFailure.create({ type: 'NotAllowed', message: 'no', nonRetryable: true });
    await expect(failingWith(notAllowed).act(1)).rejects.toBe(notAllowed);
  });

  it("applicationFailureOf finds the type anywhere in a failed update's cause chain", () => {
    const inner = ApplicationFailure.create({ type: INVALID_DATA, message: 'x', nonRetryable: true });
    const chain = new Error('update failed', { cause: new Error('activity failed', { cause: inner }) });
    expect(applicationFailureOf(chain, INVALID_DATA)).toBe(inner);
    expect(applicationFailureOf(chain, 'NotAllowed')).toBeUndefined();
  });
});
