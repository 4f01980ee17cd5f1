import { expect } from 'vitest';
import { parseChinaInstant } from '../../src/calendar/china-time.js';
import type { Harness } from './harness.js';

/**
 * A 2027 notice for tests (real now is December 2026, so timed scenarios run in early 2027): 春节
 * Thursday 4 – Wednesday 10 February, Saturday 20 February worked.
 */
export const NOTICE_2027 = {
  notice: { title: '国务院办公厅关于2027年部分节假日安排的通知（测试）', number: '国办发明电〔2026〕93号', date: '2026-11-10' },
  holidays: [{ name: '春节', dates: ['2027-02-04', '2027-02-05', '2027-02-06', '2027-02-07', '2027-02-08', '2027-02-09', '2027-02-10'] }],
  adjustedWorkdays: [{ name: '春节', dates: ['2027-02-20'] }],
};

/** The time-skipping server's clock for a harness: its now, and a skip forward to a China time. */
export function skippingClock(h: () => Harness) {
  return {
    workflowNow: async () => new Date(await h().testEnv!.currentTimeMs()),
    skipTo: async (chinaTime: string) => {
      const target = parseChinaInstant(chinaTime)!.getTime();
      const current = await h().testEnv!.currentTimeMs();
      expect(target, `skipTo ${chinaTime}`).toBeGreaterThan(current);
      await h().testEnv!.sleep(target - current);
    },
  };
}

/** Loads NOTICE_2027 as the administrator does (PUT /api/calendar/years/2027). */
export async function loadNotice2027(h: Harness) {
  const token = await h.login('admin');
  const put = await h.app.inject({
    method: 'PUT',
    url: '/api/calendar/years/2027',
    headers: { authorization: `Bearer ${token}` },
    payload: NOTICE_2027,
  });
  expect(put.statusCode, put.body).toBe(200);
}
