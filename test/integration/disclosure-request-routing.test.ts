import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DepartmentDigest, OfficeDigest } from '../../src/digest/rules.js';
import { buildDigests, listDigests } from '../../src/digest/service.js';
import { enterByStaff } from '../../src/requests/service/intake.js';
import { draftAnswer, routeRequest, signAnswer } from '../../src/requests/service/routing.js';
import { bearer, startHarness, type Harness } from '../support/harness.js';
import { staffViewers } from '../support/viewers.js';

// Issue 17 point 9 (measures Art. 32): the office routes (批办, 2 working days), the holding department
// drafts (10), the office head signs (3); each open step is in the daily digest and, once past, in the
// office's overdue tasks. Received in person Wednesday 2026-09-30: routing due 10/9 (10/8, 10/9 after 国庆);
// routed Monday 2026-10-12: drafting due 10/26 (13–16, 19–23, 26).

let h: Harness;
const as = staffViewers(() => h, 'request-routing-test');
const deps = () => ({ db: h.db, calendar: h.calendar, env: h.env, temporal: h.temporal });
const at = (s: string) => new Date(s);
const REGISTRATION = 5;
let id = 0;

const tasksFor = async (day: string, requestId: number) => {
  await buildDigests(deps(), day);
  const rows = await listDigests({ db: h.db }, await as('office'), day);
  const pick = (c: DepartmentDigest | OfficeDigest) =>
    (c.kind === 'office' ? c.overdueTasks : c.tasks)?.filter((t) => t.kind === 'request' && t.ref === requestId) ?? [];
  return rows.flatMap((r) =>
    pick(r.content as DepartmentDigest | OfficeDigest).map((t) => ({ ...t, digest: r.kind, dept: r.departmentId })),
  );
};

beforeAll(async () => {
  h = await startHarness();
  const r = await enterByStaff(
    deps(),
    await as('center'),
    {
      channel: 'in_person',
      submittedAt: '2026-09-30T10:00:00+08:00',
      applicant: {
        type: 'natural_person',
        name: '王五',
        idDocumentType: 'resident_id',
        idDocumentNumber: '350102199001011234',
        phone: '13800000000',
        email: '',
        address: '',
      },
      information: { title: '企业登记档案查询规则', docNumber: '', description: '' },
      form: 'paper',
      receiveWay: 'pick_up',
    },
    at('2026-09-30T10:00:00+08:00'),
  );
  id = r.id;
});
afterAll(async () => {
  await h?.close();
});

describe('批办 → 拟办 → 签发 with step limits in the digest', () => {
  it('routing: in the office department digest due 2026-10-09; overdue on 10-12 in the office digest', async () => {
    const due = await tasksFor('2026-10-09', id);
    expect(due).toHaveLength(1);
    expect(due[0]).toMatchObject({ digest: 'department', stepLabel: '办公室批办', dueDate: '2026-10-09', title: expect.any(String) });
    const late = await tasksFor('2026-10-12', id);
    // Saturday 10/10 was worked: 10/10 and 10/12 are two working days past the due date.
    expect(late.find((t) => t.digest === 'office')).toMatchObject({ stepLabel: '办公室批办', workingDaysOverdue: 2 });
  });

  it('routed on 2026-10-12 to 登记注册局: drafting due 2026-10-26 in its digest; another department cannot draft', async () => {
    const v = await routeRequest(deps(), await as('office'), id, REGISTRATION, at('2026-10-12T10:00:00+08:00'));
    expect(v.handling).toMatchObject({ step: 'drafting', since: '2026-10-12', dueOn: '2026-10-26', holdingDepartmentId: REGISTRATION });
    const due = await tasksFor('2026-10-26', id);
    expect(due.filter((t) => t.digest === 'department')).toEqual([
      expect.objectContaining({ dept: REGISTRATION, stepLabel: '承办处室拟办答复', dueDate: '2026-10-26' }),
    ]);
    await expect(draftAnswer(deps(), await as('h-credit'), id, '拟予以公开', at('2026-10-20T10:00:00+08:00'))).rejects.toMatchObject({
      statusCode: 404,
    });
    // Signing before the draft is out of order.
    await expect(signAnswer(deps(), await as('office'), id, at('2026-10-20T10:00:00+08:00'))).rejects.toMatchObject({ statusCode: 409 });
  });

  it('the department drafts on 2026-10-20, the office signs on 2026-10-21; the steps leave the digest', async () => {
    const d = await draftAnswer(deps(), await as('h-registration'), id, '拟予以公开，提供电子文本', at('2026-10-20T10:00:00+08:00'));
    // Signing due 3 working days after 10/20: 21, 22, 23.
    expect(d.handling).toMatchObject({ step: 'signing', since: '2026-10-20', dueOn: '2026-10-23', draft: '拟予以公开，提供电子文本' });
    const s = await signAnswer(deps(), await as('office'), id, at('2026-10-21T10:00:00+08:00'));
    expect(s.handling).toMatchObject({ step: 'signed', dueOn: null });
    expect(await tasksFor('2026-10-26', id)).toEqual([]);
  });

  it('through the API: department staff read only the requests routed to them', async () => {
    const mine = await h.app.inject({
      method: 'GET',
      url: `/api/disclosure-requests/${id}`,
      headers: bearer(await h.login('h-registration')),
    });
    expect(mine.statusCode, mine.body).toBe(200);
    const other = await h.app.inject({ method: 'GET', url: `/api/disclosure-requests/${id}`, headers: bearer(await h.login('h-credit')) });
    expect(other.statusCode).toBe(404);
  });
});
