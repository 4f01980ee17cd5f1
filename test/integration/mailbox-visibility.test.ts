import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROLES, type Role } from '../../src/auth/roles.js';
import type { StaffIdentity } from '../../src/auth/sessions.js';
import type { Viewer } from '../../src/auth/viewer.js';
import { hashSecret, newAccessCode, newTrackingNo } from '../../src/mailbox/codes.js';
import { can, type LetterScope } from '../../src/mailbox/rules.js';
import { findCase, listCases } from '../../src/mailbox/service/case-reads.js';
import { letters } from '../../src/mailbox/tables.js';
import { startHarness, type Harness } from '../support/harness.js';

// The lists filter in SQL (scopeFilter), a single case is checked in JS (can 'view'): both must give
// the same answer for every viewer and every letter, whatever the letter's history.

let h: Harness;
const [A, B, C] = [5, 6, 7];

/** Letters in several departments and states: plain, transferred on, assisted, arbitrated, bounced back. */
const CASES: Record<string, LetterScope> = {
  'with A': { departmentId: A, assistingDepartmentIds: [], visitedDepartmentIds: [A] },
  'with B': { departmentId: B, assistingDepartmentIds: [], visitedDepartmentIds: [B] },
  'transferred A → B': { departmentId: B, assistingDepartmentIds: [], visitedDepartmentIds: [A, B] },
  'transferred A → B → C': { departmentId: C, assistingDepartmentIds: [], visitedDepartmentIds: [A, B, C] },
  'arbitrated: lead B, A assists': { departmentId: B, assistingDepartmentIds: [A], visitedDepartmentIds: [C, B, A] },
  'arbitrated: lead C, A and B assist': { departmentId: C, assistingDepartmentIds: [A, B], visitedDepartmentIds: [B, C, A] },
  'bounced back to A': { departmentId: A, assistingDepartmentIds: [], visitedDepartmentIds: [A, B] },
};

const trackingNos = new Map<string, string>();

beforeAll(async () => {
  h = await startHarness();
  const receivedAt = new Date();
  const due = h.calendar.deadline(receivedAt, 10);
  for (const [name, scope] of Object.entries(CASES)) {
    const [row] = await h.db
      .insert(letters)
      .values({
        trackingNo: newTrackingNo(receivedAt),
        accessCodeHash: hashSecret(newAccessCode()),
        type: 'complaint',
        firstDepartmentId: scope.visitedDepartmentIds[0]!,
        ...scope,
        writerName: '李四',
        writerPhone: '13900139000',
        subject: name,
        content: '测试内容',
        allowPublication: false,
        receivedAt,
        clockStartedAt: receivedAt,
        limitDays: 10,
        dueDate: due.dueDate,
        dueAt: due.dueAt,
        dueProvisional: due.provisional,
      })
      .returning();
    trackingNos.set(name, row!.trackingNo);
  }
});
afterAll(async () => h?.close());

/** Every role, alone and in each department (and without one), plus office staff who also handle. */
const VIEWERS: StaffIdentity[] = [
  ...ROLES.flatMap((role: Role) => [A, B, null].map((departmentId) => ({ role, departmentId }))).map(({ role, departmentId }, i) => ({
    id: 1000 + i,
    username: `${role}-${departmentId}`,
    displayName: role,
    roles: [role],
    departmentId,
  })),
  { id: 2000, username: 'office-handler-A', displayName: 'x', roles: ['office', 'handler'], departmentId: A },
  { id: 2001, username: 'publicity-handler-B', displayName: 'x', roles: ['publicity', 'handler'], departmentId: B },
];

describe('case visibility: the SQL filter of the lists and the JS check agree', () => {
  it.each(VIEWERS.map((s) => [s.username, s] as const))('%s', async (_name, staff) => {
    const viewer: Viewer = { staff, ip: '127.0.0.1', requestId: 'visibility-test' };
    const listed = new Set((await listCases(h, viewer, { limit: 200 })).items.map((c) => c.subject));
    const shown = new Set<string>();
    for (const [name, trackingNo] of trackingNos) if (await findCase(h, viewer, trackingNo)) shown.add(name);
    const allowed = new Set(
      Object.entries(CASES)
        .filter(([, scope]) => can(viewer, 'view', scope))
        .map(([name]) => name),
    );
    expect([...listed].sort()).toEqual([...allowed].sort());
    expect([...shown].sort()).toEqual([...allowed].sort());
  });

  it('a department sees what it has, assists on or had; the bureau-wide roles see everything', () => {
    const handlerA: Viewer = { staff: VIEWERS.find((v) => v.username === 'handler-5')!, ip: '', requestId: '' };
    const seen = Object.entries(CASES)
      .filter(([, s]) => can(handlerA, 'view', s))
      .map(([n]) => n);
    expect(seen).toEqual([
      'with A',
      'transferred A → B',
      'transferred A → B → C',
      'arbitrated: lead B, A assists',
      'arbitrated: lead C, A and B assist',
      'bounced back to A',
    ]);
    const office: Viewer = { staff: VIEWERS.find((v) => v.username === 'office-null')!, ip: '', requestId: '' };
    expect(Object.values(CASES).every((s) => can(office, 'view', s))).toBe(true);
  });
});
