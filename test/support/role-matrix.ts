// The authorization matrix: every staff (non-public) /api endpoint × every role, with the exact status
// each must get. test/integration/role-matrix.test.ts iterates this table, and FAILS when the app has a
// non-public /api route with no row here, or a public /api route not listed in PUBLIC_ROUTES — so an
// issue that adds an endpoint must add its row(s) here.
//
// How to add an endpoint:
//   1. Add a row to MATRIX: method, the route pattern exactly as registered (e.g. '/api/cases/:trackingNo'),
//      a `url` when the pattern has parameters, a `body` factory when the endpoint takes a body, and
//      `expect`, built with allow({ role: status, … }): roles not named get 403.
//   2. Use a body that passes validation for the allowed roles, so the row shows what they really get
//      (authorization runs before validation, so denied callers get 401/403 whatever the body).
//   3. If a row needs data, add it to MatrixFixtures and prepareMatrix() below.
//   4. A state-changing call that succeeds must write exactly one audit row (see `auditRows`).
//   5. Every row is also called with no session, an expired session, a revoked session and a session
//      of a disabled account: all must answer 401 (see UNAUTHENTICATED).
//
// Conventions used below:
//   - Mailbox case actions (POST /api/cases/:trackingNo/<action>) use a tracking number that does not
//     exist (UNKNOWN_CASE). Roles allowed to act get 404; everyone else 403 — both decided before any
//     Temporal call. (On an existing case an allowed role would reach Temporal, which the harness leaves
//     unreachable, and get 503; the workflow tests cover real actions.)
//   - State-changing admin endpoints act on fixtures made for the matrix (a throw-away account and
//     department), never on the demo accounts the other tests log in with.
//   - POST /api/auth/password is called with a wrong current password: 400 shows the caller got past
//     authorization without changing the demo accounts' passwords.
import { eq } from 'drizzle-orm';
import { ROLES, type Role } from '../../src/auth/roles.js';
import { staff } from '../../src/auth/tables.js';
import { createSession } from '../../src/auth/sessions.js';
import { schedule as schedule2026 } from '../../src/calendar/data/2026.js';
import { departments } from '../../src/departments/tables.js';
import { convenienceItems } from '../../src/mailbox/tables.js';
import { siteColumns } from '../../src/publishing/tables.js';
import { hashPassword } from '../../src/auth/password.js';
import { sampleLetter, type Harness } from './harness.js';

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** The demo account that acts in each role column (handler and leader of 登记注册局, department 5). */
export const ROLE_ACCOUNTS: Record<Role, string> = {
  handler: 'h-registration',
  dept_leader: 'l-registration',
  office: 'office',
  service_center: 'center',
  publicity: 'publicity',
  bureau_leader: 'leader',
  admin: 'admin',
};

/** Callers without a usable session. Their accounts hold every role, so only the session can be why they fail. */
export const UNAUTHENTICATED = ['no session', 'expired session', 'revoked session', 'disabled account'] as const;
export type Unauthenticated = (typeof UNAUTHENTICATED)[number];

/** A tracking number in the right format that no letter has. */
export const UNKNOWN_CASE = '261127-AAAAA';

/** An item and review-form id no row has. */
export const UNKNOWN_ITEM = 999_999;
/** 通知公告, the 4th column the embedded default seeds (src/publishing/seed.ts). */
const TZGG_COLUMN = 4;
const everyoneApi = (status: number) => allow(each(ROLES, status));

/** A publication id no row has. */
export const UNKNOWN_PUBLICATION = 999_999;

/** Data the rows refer to, made once per test file by prepareMatrix(). */
export interface MatrixFixtures {
  /** A letter addressed to 登记注册局 (the handler/dept_leader columns' department). */
  caseInRegistration: string;
  /** An account the admin rows may change (rename, reset password, revoke sessions). */
  targetStaffId: number;
  /** A department the admin rows may rename. */
  targetDepartmentId: number;
  /** A convenience-list item the admin rows may rename. */
  targetConvenienceItemId: number;
  /** A site column the admin rows may change. */
  targetColumnId: number;
  /** A fresh number on every call, for unique usernames and codes. */
  seq: () => number;
}

export interface MatrixRow {
  method: Method;
  /** The route pattern exactly as registered, e.g. '/api/cases/:trackingNo'. */
  route: string;
  /** The URL to call; defaults to `route` (which then must have no parameters). */
  url?: (f: MatrixFixtures) => string;
  /** A fresh body for each call. */
  body?: (f: MatrixFixtures) => unknown;
  /** Use these accounts instead of ROLE_ACCOUNTS for some roles (e.g. a handler of another department). */
  as?: Partial<Record<Role, string>>;
  expect: Record<Role, number>;
  /**
   * Audit rows one successful (2xx) call writes, checked by request id: 1 by default for POST, PUT,
   * PATCH and DELETE, 0 for GET. A refused call (4xx) must write none.
   */
  auditRows?: number;
  /** Why the expectations are what they are, when not obvious. */
  note?: string;
}

/** Audit rows a 2xx call of this row must write. */
export const expectedAuditRows = (row: MatrixRow) => row.auditRows ?? (row.method === 'GET' ? 0 : 1);

/** Expected statuses: the named roles get the given status, every other role 403. */
export const allow = (statuses: Partial<Record<Role, number>>, others = 403): Record<Role, number> =>
  Object.fromEntries(ROLES.map((r) => [r, statuses[r] ?? others])) as Record<Role, number>;

/** Roles that see cases (src/mailbox/routes.ts STAFF). */
const CASE_VIEWERS = ['handler', 'dept_leader', 'office', 'service_center', 'bureau_leader', 'admin'] as const;
/** Department staff, who handle cases; the general office coordinates (arbitrates, confirms rejections, reclassifies). */
const DEPARTMENT_STAFF = ['handler', 'dept_leader'] as const;
const DEPARTMENT_STAFF_AND_OFFICE = ['handler', 'dept_leader', 'office'] as const;
const each = (roles: readonly Role[], status: number) => Object.fromEntries(roles.map((r) => [r, status])) as Partial<Record<Role, number>>;

const caseAction = (action: string, actors: readonly Role[], body: () => unknown): MatrixRow => ({
  method: 'POST',
  route: `/api/cases/:trackingNo/${action}`,
  url: () => `/api/cases/${UNKNOWN_CASE}/${action}`,
  body,
  expect: allow(each(actors, 404)),
  note: 'unknown case: 404 for roles that may ever take the action, 403 for the rest, all before Temporal',
});

/** Routes anyone may call. A public /api route not listed here fails the matrix test (nothing public by accident). */
export const PUBLIC_ROUTES: readonly string[] = [
  'POST /api/auth/login',
  'POST /api/auth/logout',
  'GET /api/departments',
  'GET /api/convenience-items',
  'GET /api/mailbox/reason-codes',
  'GET /api/mailbox/statistics',
  'POST /api/letters',
  'GET /api/letters/:trackingNo',
  'POST /api/letters/:trackingNo/withdraw-consent',
  'POST /api/letters/:trackingNo/rating',
  'GET /api/published-letters',
  'GET /api/published-letters/:id',
  'GET /api/calendar/days/:date',
  'GET /api/calendar/deadline',
  'GET /api/calendar/deadline/explain',
  'GET /api/calendar/working-days',
  'GET /api/calendar/years',
  'GET /api/site/columns',
  // Not staff: the provincial collector's bearer token, checked by the service (disclosure-supervision.test.ts).
  'GET /api/disclosure/supervision/v1/entries',
  'GET /api/site/columns/:id/items',
  'GET /api/site/items/:id/public',
  'GET /api/xxgk/catalogue',
  // Disclosure requests (issue 17): the applicant files online, looks up and withdraws with the access code.
  'POST /api/disclosure-requests',
  'GET /api/disclosure-requests/lookup',
  'POST /api/disclosure-requests/:number/withdraw',
];

export const MATRIX: readonly MatrixRow[] = [
  // ── auth ────────────────────────────────────────────────────────────────────────────────────────
  { method: 'GET', route: '/api/auth/me', expect: allow(each(ROLES, 200)) },
  {
    method: 'POST',
    route: '/api/auth/password',
    body: () => ({ currentPassword: 'Not-The-Passw0rd!', newPassword: 'Another-Passw0rd!' }),
    expect: allow(each(ROLES, 400)),
    note: 'wrong current password: 400 = authorized, and the demo passwords stay as they are',
  },
  { method: 'GET', route: '/api/admin/staff', expect: allow({ admin: 200 }) },
  {
    method: 'POST',
    route: '/api/admin/staff',
    body: (f) => ({ username: `matrix-new-${f.seq()}`, displayName: '矩阵测试', password: 'Matrix-Passw0rd!', roles: ['bureau_leader'] }),
    expect: allow({ admin: 201 }),
  },
  {
    method: 'PATCH',
    route: '/api/admin/staff/:id',
    url: (f) => `/api/admin/staff/${f.targetStaffId}`,
    body: (f) => ({ displayName: `矩阵目标 ${f.seq()}` }),
    expect: allow({ admin: 200 }),
  },
  {
    method: 'POST',
    route: '/api/admin/staff/:id/password',
    url: (f) => `/api/admin/staff/${f.targetStaffId}/password`,
    body: () => ({ password: 'Reset-Passw0rd!' }),
    expect: allow({ admin: 200 }),
  },
  {
    method: 'POST',
    route: '/api/admin/staff/:id/revoke-sessions',
    url: (f) => `/api/admin/staff/${f.targetStaffId}/revoke-sessions`,
    expect: allow({ admin: 200 }),
  },

  // ── departments ─────────────────────────────────────────────────────────────────────────────────
  { method: 'GET', route: '/api/admin/departments', expect: allow({ office: 200, admin: 200 }) },
  {
    method: 'POST',
    route: '/api/admin/departments',
    body: (f) => ({ code: `matrix-${f.seq()}`, name: '矩阵测试处' }),
    expect: allow({ admin: 201 }),
  },
  {
    method: 'PATCH',
    route: '/api/admin/departments/:id',
    url: (f) => `/api/admin/departments/${f.targetDepartmentId}`,
    body: (f) => ({ name: `矩阵测试处 ${f.seq()}` }),
    expect: allow({ admin: 200 }),
  },

  // ── audit ───────────────────────────────────────────────────────────────────────────────────────
  { method: 'GET', route: '/api/audit', expect: allow({ office: 200, admin: 200 }) },

  // ── calendar ────────────────────────────────────────────────────────────────────────────────────
  {
    method: 'PUT',
    route: '/api/calendar/years/:year',
    url: () => '/api/calendar/years/2026',
    body: () => {
      const { year: _year, ...body } = schedule2026;
      return body;
    },
    expect: allow({ admin: 200 }),
    note: 're-loads the bundled 2026 notice unchanged',
  },

  // ── mailbox: cases ──────────────────────────────────────────────────────────────────────────────
  { method: 'GET', route: '/api/cases', expect: allow(each(CASE_VIEWERS, 200)) },
  {
    method: 'GET',
    route: '/api/cases/:trackingNo',
    url: (f) => `/api/cases/${f.caseInRegistration}`,
    expect: allow(each(CASE_VIEWERS, 200)),
    note: "a case with the handler/dept_leader columns' own department",
  },
  {
    method: 'GET',
    route: '/api/cases/:trackingNo',
    url: (f) => `/api/cases/${f.caseInRegistration}`,
    as: { handler: 'h-credit', dept_leader: 'l-credit' },
    expect: allow({ ...each(CASE_VIEWERS, 200), handler: 404, dept_leader: 404 }),
    note: "another department's case: 404, so its existence does not leak",
  },
  {
    method: 'GET',
    route: '/api/cases/:trackingNo',
    url: () => `/api/cases/${UNKNOWN_CASE}`,
    expect: allow(each(CASE_VIEWERS, 404)),
  },
  {
    method: 'GET',
    route: '/api/cases/:trackingNo/attachments/:id',
    url: () => `/api/cases/${UNKNOWN_CASE}/attachments/1`,
    expect: allow(each(CASE_VIEWERS, 404)),
    note: 'content of an attachment is tested in mailbox-cases.test.ts',
  },
  caseAction('answer', DEPARTMENT_STAFF, () => ({ content: '答复内容' })),
  caseAction('transfer', DEPARTMENT_STAFF, () => ({ toDepartmentId: 6, reasonCode: 'not_in_remit', reason: '不属于本处室职责' })),
  caseAction('dispute', DEPARTMENT_STAFF, () => ({ reason: '不应由本处室办理' })),
  caseAction('escalate', DEPARTMENT_STAFF, () => ({ reason: '涉及多个处室', departmentIds: [6] })),
  caseAction('arbitrate', ['office'], () => ({ leadDepartmentId: 5, assistingDepartmentIds: [6], note: '由登记注册局牵头' })),
  caseAction('opinions', DEPARTMENT_STAFF, () => ({ content: '协办意见' })),
  caseAction('reclassify', DEPARTMENT_STAFF_AND_OFFICE, () => ({ type: 'inquiry', reason: '实为咨询' })),
  caseAction('reject', DEPARTMENT_STAFF_AND_OFFICE, () => ({ reasonCode: 'duplicate', reason: '重复来信' })),

  // ── mailbox: convenience-service list ───────────────────────────────────────────────────────────
  { method: 'GET', route: '/api/admin/convenience-items', expect: allow({ office: 200, admin: 200 }) },
  {
    method: 'POST',
    route: '/api/admin/convenience-items',
    body: (f) => ({ name: `矩阵测试事项 ${f.seq()}`, departmentId: 5 }),
    expect: allow({ admin: 201 }),
  },
  {
    method: 'PATCH',
    route: '/api/admin/convenience-items/:id',
    url: (f) => `/api/admin/convenience-items/${f.targetConvenienceItemId}`,
    body: (f) => ({ name: `矩阵目标事项 ${f.seq()}` }),
    expect: allow({ admin: 200 }),
  },

  // ── publication of selected answers (issue 14): the office alone; a publication id no row has ──────
  { method: 'GET', route: '/api/publications/candidates', expect: allow({ office: 200 }) },
  {
    method: 'POST',
    route: '/api/publications',
    body: () => ({ trackingNo: UNKNOWN_CASE }),
    expect: allow({ office: 404 }),
  },
  { method: 'GET', route: '/api/publications/:id', url: () => `/api/publications/${UNKNOWN_PUBLICATION}`, expect: allow({ office: 404 }) },
  {
    method: 'PATCH',
    route: '/api/publications/:id',
    url: () => `/api/publications/${UNKNOWN_PUBLICATION}`,
    body: () => ({ subject: '矩阵' }),
    expect: allow({ office: 404 }),
  },
  ...(['confirm-unsure', 'approve'] as const).map((action) => ({
    method: 'POST' as const,
    route: `/api/publications/:id/${action}`,
    url: () => `/api/publications/${UNKNOWN_PUBLICATION}/${action}`,
    expect: allow({ office: 404 }),
  })),
  {
    method: 'POST',
    route: '/api/publications/:id/take-down',
    url: () => `/api/publications/${UNKNOWN_PUBLICATION}/take-down`,
    body: () => ({ reason: '矩阵' }),
    expect: allow({ office: 404 }),
  },
  {
    method: 'POST',
    route: '/api/cases/:trackingNo/reports-person',
    url: () => `/api/cases/${UNKNOWN_CASE}/reports-person`,
    body: () => ({ reportsPerson: true }),
    expect: allow({ handler: 404, dept_leader: 404, office: 404 }),
  },

  // ── satisfaction and reopening (issue 14 point 6): the office alone decides a 不满意 ─────────────────
  { method: 'GET', route: '/api/dissatisfied-letters', expect: allow({ office: 200 }) },
  {
    method: 'POST',
    route: '/api/cases/:trackingNo/reopen',
    url: () => `/api/cases/${UNKNOWN_CASE}/reopen`,
    body: () => ({ departmentId: 5, reason: '答复未说明处理结果' }),
    expect: allow({ office: 404 }),
  },
  {
    method: 'POST',
    route: '/api/cases/:trackingNo/close-dissatisfied',
    url: () => `/api/cases/${UNKNOWN_CASE}/close-dissatisfied`,
    body: () => ({ explanation: '经核查，答复已说明处理结果' }),
    expect: allow({ office: 404 }),
  },

  // ── daily digests ────────────────────────────────────────────────────────────────────────────────
  {
    method: 'GET',
    route: '/api/digests/:date',
    url: () => '/api/digests/2026-11-27',
    expect: allow({ handler: 200, dept_leader: 200, office: 200, service_center: 200, bureau_leader: 200, admin: 200 }),
  },
  {
    method: 'POST',
    route: '/api/digests/:date/run',
    url: () => '/api/digests/2026-11-27/run',
    // Allowed callers reach Temporal, which the harness leaves unreachable: 503 (the digest test runs it for real).
    expect: allow({ service_center: 503, admin: 503 }),
  },
  // ── the daily self-inspection (src/inspection) ──────────────────────────────────────────────────
  { method: 'GET', route: '/api/inspection/latest', expect: allow({ office: 200, service_center: 200 }) },
  {
    method: 'GET',
    route: '/api/inspection/history',
    url: () => '/api/inspection/history?from=2026-11-01&to=2026-11-30',
    expect: allow({ office: 200, service_center: 200 }),
  },
  {
    method: 'GET',
    route: '/api/inspection/history.csv',
    url: () => '/api/inspection/history.csv?from=2026-11-01&to=2026-11-30',
    expect: allow({ office: 200, service_center: 200 }),
  },
  // Inspection findings made tasks (measures Art. 27(三); src/inspection, issue 21 point 6).
  {
    method: 'GET',
    route: '/api/inspection/findings',
    expect: allow({ office: 200, service_center: 200, handler: 200, dept_leader: 200 }),
  },
  {
    method: 'POST',
    route: '/api/inspection/findings',
    body: () => ({ kind: 'format', departmentId: 5, place: '通知公告栏目', finding: '附件名称未写全称' }),
    expect: allow({ service_center: 201, office: 403 }),
    note: 'a format problem: only the service centre raises it (technical guidance)',
  },
  {
    method: 'POST',
    route: '/api/inspection/findings',
    body: () => ({ kind: 'content', departmentId: 5, place: '工作动态栏目', finding: '含有未经审核的内容' }),
    expect: allow({ office: 201, service_center: 403 }),
    note: 'a content problem: only the office raises it (takedown notice)',
  },
  {
    method: 'GET',
    route: '/api/inspection/findings/:id',
    url: () => `/api/inspection/findings/${UNKNOWN_ITEM}`,
    expect: allow({ office: 404, service_center: 404, handler: 404, dept_leader: 404 }),
  },
  {
    method: 'POST',
    route: '/api/inspection/findings/:id/report',
    url: () => `/api/inspection/findings/${UNKNOWN_ITEM}/report`,
    body: () => ({ note: '已修改' }),
    expect: allow({ handler: 404, dept_leader: 404 }),
  },
  {
    method: 'POST',
    route: '/api/inspection/findings/:id/review',
    url: () => `/api/inspection/findings/${UNKNOWN_ITEM}/review`,
    body: () => ({ decision: 'accept' }),
    expect: allow({ office: 404, service_center: 404 }),
  },
  // ── publishing: the 审核单 review chain (src/publishing/routes.ts) ─────────────────────────────────
  {
    method: 'POST',
    route: '/api/site/items',
    body: () => ({ columnId: TZGG_COLUMN, contentType: 'notice', title: '关于开展专项检查的通知', body: '正文' }),
    expect: allow({ handler: 201, dept_leader: 201 }),
    note: 'drafters of a department that may supply 通知公告 (every department may)',
  },
  { method: 'GET', route: '/api/site/items/:id', url: () => `/api/site/items/${UNKNOWN_ITEM}`, expect: everyoneApi(404) },
  {
    method: 'PUT',
    route: '/api/site/items/:id',
    url: () => `/api/site/items/${UNKNOWN_ITEM}`,
    body: () => ({ title: '标题', body: '正文' }),
    expect: allow({ handler: 404, dept_leader: 404 }),
  },
  {
    method: 'POST',
    route: '/api/site/items/:id/submit',
    url: () => `/api/site/items/${UNKNOWN_ITEM}/submit`,
    body: () => ({ art19: { lawful: true, accurate: true, fitToDisclose: true, fitToPublishNow: true }, secrecy: 'no_secret' }),
    expect: allow({ handler: 404, dept_leader: 404 }),
  },
  {
    method: 'POST',
    route: '/api/site/items/:id/take-down',
    url: () => `/api/site/items/${UNKNOWN_ITEM}/take-down`,
    body: () => ({ reason: '内容已过时' }),
    expect: allow({ office: 404 }),
  },
  { method: 'GET', route: '/api/review-forms', expect: everyoneApi(200) },
  { method: 'GET', route: '/api/review-forms/:id', url: () => `/api/review-forms/${UNKNOWN_ITEM}`, expect: everyoneApi(404) },
  {
    method: 'POST',
    route: '/api/review-forms/:id/decision',
    url: () => `/api/review-forms/${UNKNOWN_ITEM}/decision`,
    body: () => ({ decision: 'approved', secrecy: 'no_secret' }),
    expect: allow({ dept_leader: 404, publicity: 404, bureau_leader: 404 }),
    note: 'who decides which step of which form is the chain rule (publishing-review.test.ts)',
  },
  {
    method: 'POST',
    route: '/api/review-forms/:id/publish',
    url: () => `/api/review-forms/${UNKNOWN_ITEM}/publish`,
    body: () => ({}),
    expect: allow({ handler: 404, dept_leader: 404, service_center: 404 }),
  },
  {
    method: 'POST',
    route: '/api/review-forms/:id/withdraw',
    url: () => `/api/review-forms/${UNKNOWN_ITEM}/withdraw`,
    expect: allow({ handler: 404, dept_leader: 404 }),
  },
  // Disclosure requests (issue 17): the service centre and the office enter and confirm; the office records the clock events.
  {
    method: 'POST',
    route: '/api/disclosure-requests/staff-entry',
    body: () => ({
      channel: 'in_person',
      applicant: {
        type: 'natural_person',
        name: '张三',
        idDocumentType: 'resident_id',
        idDocumentNumber: '350102199001011234',
        phone: '13800000000',
      },
      information: { title: '2026年食品安全抽检计划' },
      form: 'paper',
      receiveWay: 'pick_up',
    }),
    expect: allow({ service_center: 201, office: 201 }),
  },
  {
    method: 'GET',
    route: '/api/disclosure-requests',
    expect: allow(each(['service_center', 'office', 'bureau_leader', 'admin'], 200)),
  },
  {
    method: 'GET',
    route: '/api/disclosure-requests/:id',
    url: () => `/api/disclosure-requests/${UNKNOWN_ITEM}`,
    expect: allow(each(['service_center', 'office', 'bureau_leader', 'admin', 'handler', 'dept_leader'], 404)),
    note: 'department staff: only requests routed to their department',
  },
  {
    method: 'POST',
    route: '/api/disclosure-requests/:id/route',
    url: () => `/api/disclosure-requests/${UNKNOWN_ITEM}/route`,
    body: () => ({ departmentId: 5 }),
    expect: allow({ office: 404 }),
  },
  {
    method: 'POST',
    route: '/api/disclosure-requests/:id/draft',
    url: () => `/api/disclosure-requests/${UNKNOWN_ITEM}/draft`,
    body: () => ({ draft: '拟予以公开' }),
    expect: allow({ handler: 404, dept_leader: 404 }),
  },
  {
    method: 'POST',
    route: '/api/disclosure-requests/:id/sign',
    url: () => `/api/disclosure-requests/${UNKNOWN_ITEM}/sign`,
    expect: allow({ office: 404 }),
  },
  {
    method: 'POST',
    route: '/api/disclosure-requests/:id/confirm',
    url: () => `/api/disclosure-requests/${UNKNOWN_ITEM}/confirm`,
    body: () => ({}),
    expect: allow({ service_center: 404, office: 404 }),
  },
  {
    method: 'POST',
    route: '/api/disclosure-requests/:id/events',
    url: () => `/api/disclosure-requests/${UNKNOWN_ITEM}/events`,
    body: () => ({ kind: 'supplement_received' }),
    expect: allow({ service_center: 404, office: 404 }),
  },
  // Disclosure register (issue 16): departments enter their own documents, the office decides, the service centre catalogues.
  {
    method: 'POST',
    route: '/api/disclosure/documents',
    body: () => ({ title: '登记业务办理指南', departmentId: 5, category: 'licensing', formedOn: '2026-12-01' }),
    expect: allow({ handler: 201, dept_leader: 201, office: 201 }),
    note: '登记注册局 staff for their own department, the office for any',
  },
  {
    method: 'GET',
    route: '/api/disclosure/documents',
    expect: allow(each(['handler', 'dept_leader', 'office', 'service_center', 'bureau_leader', 'admin'], 200)),
  },
  {
    method: 'GET',
    route: '/api/disclosure/documents/:id',
    url: () => `/api/disclosure/documents/${UNKNOWN_ITEM}`,
    expect: allow(each(['handler', 'dept_leader', 'office', 'service_center', 'bureau_leader', 'admin'], 404)),
  },
  {
    method: 'POST',
    route: '/api/disclosure/documents/:id/changes',
    url: () => `/api/disclosure/documents/${UNKNOWN_ITEM}/changes`,
    body: () => ({ changedOn: '2026-12-01', validity: 'repealed' }),
    expect: allow({ handler: 404, dept_leader: 404, office: 404 }),
  },
  {
    method: 'POST',
    route: '/api/disclosure/documents/:id/decision',
    url: () => `/api/disclosure/documents/${UNKNOWN_ITEM}/decision`,
    body: () => ({ decision: 'proactive' }),
    expect: allow({ office: 404 }),
  },
  { method: 'GET', route: '/api/disclosure/catalogue-tasks', expect: allow({ service_center: 200, office: 200 }) },
  {
    method: 'POST',
    route: '/api/disclosure/catalogue-entries/:id/publish',
    url: () => `/api/disclosure/catalogue-entries/${UNKNOWN_ITEM}/publish`,
    body: () => ({ name: '名称', summary: '概述', publisher: '福建省市场监督管理局' }),
    expect: allow({ service_center: 404 }),
  },
  {
    method: 'GET',
    route: '/api/disclosure/archive-package',
    url: () => '/api/disclosure/archive-package?from=2026-01-01&to=2026-01-31',
    expect: allow({ office: 200 }),
  },
  { method: 'GET', route: '/api/disclosure/archive-deliveries', expect: allow({ office: 200 }) },
  {
    method: 'POST',
    route: '/api/disclosure/archive-deliveries',
    body: () => ({ archive: 'library', from: '2026-01-01', to: '2026-01-31', paper: true, electronic: false, deliveredOn: '2026-02-03' }),
    expect: allow({ office: 201 }),
  },
  {
    method: 'GET',
    route: '/api/disclosure/timeliness',
    url: () => '/api/disclosure/timeliness?year=2026',
    expect: allow(each(['office', 'service_center', 'bureau_leader', 'admin'], 200)),
  },
  // Quarterly hand-in of review forms (measures Art. 20(四); src/handin): the office's matrix, a department's, its leader's confirmation.
  {
    method: 'GET',
    route: '/api/handin/:quarter',
    url: () => '/api/handin/2026-Q4',
    expect: allow(each(['office', 'bureau_leader', 'admin'], 200)),
  },
  {
    method: 'GET',
    route: '/api/handin/:quarter/departments/:departmentId',
    url: () => '/api/handin/2026-Q4/departments/5',
    expect: allow(each(['handler', 'dept_leader', 'office', 'bureau_leader', 'admin'], 200)),
    note: '登记注册局 staff their own department, the office and bureau-wide readers every one',
  },
  {
    method: 'POST',
    route: '/api/handin/:quarter/departments/:departmentId/confirm',
    url: () => '/api/handin/2030-Q1/departments/5/confirm',
    expect: allow({ dept_leader: 409 }),
    note: 'a quarter not yet ended: 409 shows the leader got past authorization (handin.test.ts confirms for real)',
  },
  {
    method: 'POST',
    route: '/api/disclosure/documents/:id/text',
    url: () => `/api/disclosure/documents/${UNKNOWN_ITEM}/text`,
    expect: allow({ handler: 404, dept_leader: 404, office: 404 }),
    note: 'unknown document: refused before the upload is read (xxgk-pages.test.ts uploads for real)',
  },
  // ── publishing: attachments and site administration (attachment-routes.ts, admin-routes.ts) ────────
  {
    method: 'POST',
    route: '/api/site/items/:id/attachments',
    url: () => `/api/site/items/${UNKNOWN_ITEM}/attachments`,
    expect: allow({ handler: 404, dept_leader: 404 }),
    note: 'unknown item: refused before the upload is read (site-attachments.test.ts uploads for real)',
  },
  {
    method: 'DELETE',
    route: '/api/site/items/:id/attachments/:attachmentId',
    url: () => `/api/site/items/${UNKNOWN_ITEM}/attachments/1`,
    expect: allow({ handler: 404, dept_leader: 404 }),
  },
  {
    method: 'GET',
    route: '/api/site/items/:id/attachments/:attachmentId',
    url: () => `/api/site/items/${UNKNOWN_ITEM}/attachments/1`,
    expect: everyoneApi(404),
  },
  {
    method: 'POST',
    route: '/api/site/columns',
    body: (f) => ({ slug: `matrix-col-${f.seq()}`, name: '矩阵栏目', section: 'disclosure', parentId: 1 }),
    expect: allow({ admin: 201 }),
  },
  {
    method: 'PUT',
    route: '/api/site/columns/:id',
    url: (f) => `/api/site/columns/${f.targetColumnId}`,
    body: (f) => ({ slug: 'matrix-target-col', name: `矩阵目标栏目 ${f.seq()}`, section: 'disclosure', parentId: 1 }),
    expect: allow({ admin: 200 }),
  },
  { method: 'GET', route: '/api/site/leaders', expect: allow({ admin: 200 }) },
  {
    method: 'PUT',
    route: '/api/site/leaders/:departmentId',
    url: (f) => `/api/site/leaders/${f.targetDepartmentId}`,
    body: (f) => ({ leaderId: f.targetStaffId }),
    expect: allow({ admin: 200 }),
    note: "the matrix's own department and bureau-leader account",
  },
  // External links (measures Arts. 24, 27(二); src/links): the 外部链接审核表, its decisions, the watcher's results.
  {
    method: 'POST',
    route: '/api/links/applications',
    body: () => ({
      placement: '首页',
      targetUrl: 'https://www.fujian.gov.cn/',
      siteName: '福建省人民政府',
      siteOwner: '福建省人民政府办公厅',
      purpose: '首页链接',
    }),
    expect: allow({ handler: 201, dept_leader: 201 }),
  },
  {
    method: 'GET',
    route: '/api/links/applications',
    expect: allow(each(['handler', 'dept_leader', 'office', 'service_center', 'bureau_leader', 'admin'], 200)),
  },
  {
    method: 'GET',
    route: '/api/links/applications/:id',
    url: () => `/api/links/applications/${UNKNOWN_ITEM}`,
    expect: allow(each(['handler', 'dept_leader', 'office', 'service_center', 'bureau_leader', 'admin'], 404)),
  },
  {
    method: 'POST',
    route: '/api/links/applications/:id/decision',
    url: () => `/api/links/applications/${UNKNOWN_ITEM}/decision`,
    body: () => ({ decision: 'approve' }),
    expect: allow({ handler: 404, dept_leader: 404, office: 404, bureau_leader: 404 }),
    note: 'an unknown application: 404 = authorized (link-applications.test.ts decides for real)',
  },
  {
    method: 'GET',
    route: '/api/links/checks',
    expect: allow(each(['handler', 'dept_leader', 'office', 'service_center', 'bureau_leader', 'admin'], 200)),
  },
  // Disclosure requests: the answer letter and its delivery (issue 17 points 10, 11).
  {
    method: 'GET',
    route: '/api/disclosure-requests/:id/answer-letter',
    url: () => `/api/disclosure-requests/${UNKNOWN_ITEM}/answer-letter`,
    expect: allow(each(['service_center', 'office', 'bureau_leader', 'admin', 'handler', 'dept_leader'], 404)),
    note: 'department staff: only requests routed to their department (disclosure-request-letter.test.ts)',
  },
  {
    method: 'POST',
    route: '/api/disclosure-requests/:id/delivery',
    url: () => `/api/disclosure-requests/${UNKNOWN_ITEM}/delivery`,
    body: () => ({ method: 'post', postedOn: '2026-11-23' }),
    expect: allow({ service_center: 404, office: 404 }),
  },
  // Annual disclosure report (issue 18; src/annual-report): the office edits and approves, the leaders and admins read.
  {
    method: 'GET',
    route: '/api/annual-reports/:year',
    url: () => '/api/annual-reports/2025',
    expect: allow(each(['office', 'bureau_leader', 'admin'], 200)),
  },
  {
    method: 'GET',
    route: '/api/annual-reports/:year/cells/:cell',
    url: () => '/api/annual-reports/2025/cells/new:natural_person',
    expect: allow(each(['office', 'bureau_leader', 'admin'], 200)),
  },
  {
    method: 'GET',
    route: '/api/annual-reports/:year/website-figures',
    url: () => '/api/annual-reports/2025/website-figures',
    expect: allow(each(['office', 'bureau_leader', 'admin'], 200)),
  },
  {
    method: 'PUT',
    route: '/api/annual-reports/:year/figures',
    url: () => '/api/annual-reports/2025/figures',
    body: () => ({ key: 'fees_amount', value: 1.5, sourceNote: '财务处 2026 年 1 月报表' }),
    expect: allow({ office: 200 }),
  },
  {
    method: 'PUT',
    route: '/api/annual-reports/:year/texts',
    url: () => '/api/annual-reports/2025/texts',
    body: () => ({ overview: '2025年，本局认真贯彻落实《中华人民共和国政府信息公开条例》。' }),
    expect: allow({ office: 200 }),
  },
  {
    method: 'POST',
    route: '/api/annual-reports/remedies',
    body: () => ({ requestNumber: '251201-AAAAA', kind: 'reconsideration', filedOn: '2025-12-01' }),
    expect: allow({ office: 400 }),
    note: 'no such request: 400 shows the office got past authorization (annual-report.test.ts records them for real)',
  },
  {
    method: 'POST',
    route: '/api/annual-reports/:year/approve',
    url: () => '/api/annual-reports/2025/approve',
    expect: allow({ office: 409 }),
    note: 'hand figures missing: the checks refuse approval, 409 = authorized (annual-report.test.ts approves for real)',
  },
  {
    method: 'POST',
    route: '/api/annual-reports/:year/publish',
    url: () => '/api/annual-reports/2025/publish',
    expect: allow({ office: 409 }),
    note: 'not approved: publishing a draft is refused, 409 = authorized (annual-report-publish.test.ts publishes for real)',
  },
];

/** The data the rows use, and a session for each caller that has no usable one. */
export async function prepareMatrix(
  h: Harness,
): Promise<{ fixtures: MatrixFixtures; unauthenticated: Record<Unauthenticated, Record<string, string>> }> {
  let n = 0;
  const seq = () => ++n;

  const letter = await h.app.inject({
    method: 'POST',
    url: '/api/letters',
    payload: sampleLetter({ departmentId: 5 }),
    headers: { 'x-forwarded-for': '10.99.0.1' },
  });
  if (letter.statusCode !== 201) throw new Error(`matrix letter: ${letter.statusCode} ${letter.body}`);

  const passwordHash = await hashPassword('Fixture-Passw0rd!');
  const account = async (username: string, roles: Role[]) => {
    const [row] = await h.db.insert(staff).values({ username, displayName: username, passwordHash, roles, departmentId: 5 }).returning();
    return row!.id;
  };
  const targetStaffId = await account('matrix-target', ['bureau_leader']);
  const [dept] = await h.db.insert(departments).values({ code: 'matrix-target', name: '矩阵目标处' }).returning();
  const [item] = await h.db.insert(convenienceItems).values({ name: '矩阵目标事项', departmentId: 5 }).returning();
  const [column] = await h.db
    .insert(siteColumns)
    .values({ slug: 'matrix-target-col', name: '矩阵目标栏目', section: 'disclosure', parentId: 1 })
    .returning();

  // Accounts holding every role, each with a session that no longer works for one reason.
  const bearerOf = (token: string) => ({ authorization: `Bearer ${token}` });
  const expiredId = await account('matrix-expired', [...ROLES]);
  const expired = await createSession(h.db, expiredId, 1, '127.0.0.1');
  await h.sql`update sessions set expires_at = now() - interval '1 minute' where staff_id = ${expiredId}`;
  const revokedId = await account('matrix-revoked', [...ROLES]);
  const revoked = await createSession(h.db, revokedId, 1, '127.0.0.1');
  await h.sql`update sessions set revoked_at = now() where staff_id = ${revokedId}`;
  const disabledId = await account('matrix-disabled', [...ROLES]);
  const disabled = await createSession(h.db, disabledId, 1, '127.0.0.1');
  await h.db.update(staff).set({ disabled: true }).where(eq(staff.id, disabledId));

  return {
    fixtures: {
      caseInRegistration: letter.json().trackingNo as string,
      targetStaffId,
      targetDepartmentId: dept!.id,
      targetConvenienceItemId: item!.id,
      targetColumnId: column!.id,
      seq,
    },
    unauthenticated: {
      'no session': {},
      'expired session': bearerOf(expired.token),
      'revoked session': bearerOf(revoked.token),
      'disabled account': bearerOf(disabled.token),
    },
  };
}

/** A live session for a demo account, made directly (no login, so no login rate limit). */
export async function sessionFor(h: Harness, username: string): Promise<string> {
  const [row] = await h.db.select({ id: staff.id }).from(staff).where(eq(staff.username, username));
  if (!row) throw new Error(`no account ${username}`);
  return (await createSession(h.db, row.id, 1, '127.0.0.1')).token;
}

// ── the web pages ───────────────────────────────────────────────────────────────────────────────────
// Every page route (GET and POST, staff and public) × every role, as a browser calls it: the session in
// the cookie, a POST with the form's CSRF token. test/integration/role-matrix.test.ts FAILS when the app
// has a route outside /api with no row here (other than SYSTEM_PUBLIC_ROUTES). A staff page sends a caller
// without a usable session to the login page (303); a role without access gets the 403 page.

export interface PageRow {
  method: 'GET' | 'POST';
  /** The route pattern exactly as registered, e.g. '/staff/cases/:trackingNo'. */
  route: string;
  url?: (f: MatrixFixtures) => string;
  /** Form fields of a POST (urlencoded; the CSRF token is added), or a multipart body. */
  form?: Record<string, string>;
  multipart?: Record<string, string>;
  expect: Record<Role, number>;
  /** What the callers without a usable session get: 303 to the login page for a staff page. */
  anonymous: number;
  /** The call ends the session it is made with: made with a fresh one each time. */
  freshSession?: boolean;
  note?: string;
}

/** Routes outside /api that are not pages: the API document and the process probes (all public). */
export const SYSTEM_PUBLIC_ROUTES = (url: string) => url === '/docs' || url.startsWith('/docs/') || url === '/health' || url === '/ready';

const CASE_ACTORS = ['handler', 'dept_leader', 'office'] as const;
const everyone = (status: number) => allow(each(ROLES, status));

export const PAGE_MATRIX: readonly PageRow[] = [
  // ── public pages: the same for everyone ─────────────────────────────────────────────────────────
  { method: 'GET', route: '/', expect: everyone(200), anonymous: 200, note: 'the website home (issue 15)' },
  { method: 'GET', route: '/mailbox', expect: everyone(200), anonymous: 200, note: 'the mailbox page with the letter form' },
  { method: 'GET', route: '/columns/:slug', url: () => '/columns/tzgg', expect: everyone(200), anonymous: 200 },
  { method: 'GET', route: '/items/:id', url: () => `/items/${UNKNOWN_ITEM}`, expect: everyone(404), anonymous: 404 },
  { method: 'GET', route: '/items/:id/print', url: () => `/items/${UNKNOWN_ITEM}/print`, expect: everyone(404), anonymous: 404 },
  { method: 'GET', route: '/search', url: () => '/search?q=%E9%A3%9F%E5%93%81', expect: everyone(200), anonymous: 200 },
  // The public 政府信息公开 section (src/disclosure/pages/xxgk.ts, issue 16 point 5)
  { method: 'GET', route: '/xxgk', expect: everyone(200), anonymous: 200 },
  { method: 'GET', route: '/xxgk/guide', expect: everyone(200), anonymous: 200 },
  { method: 'GET', route: '/xxgk/catalogue', expect: everyone(200), anonymous: 200 },
  { method: 'GET', route: '/xxgk/proactive', expect: everyone(200), anonymous: 200 },
  { method: 'GET', route: '/xxgk/reports', expect: everyone(200), anonymous: 200 },
  { method: 'GET', route: '/xxgk/reports/:year', url: () => '/xxgk/reports/2019', expect: everyone(404), anonymous: 404 },
  { method: 'GET', route: '/xxgk/apply', expect: everyone(200), anonymous: 200 },
  { method: 'GET', route: '/xxgk/entries/:id', url: () => `/xxgk/entries/${UNKNOWN_ITEM}`, expect: everyone(404), anonymous: 404 },
  {
    method: 'GET',
    route: '/xxgk/entries/:id/text/:textId',
    url: () => `/xxgk/entries/${UNKNOWN_ITEM}/text/1`,
    expect: everyone(404),
    anonymous: 404,
  },
  {
    method: 'POST',
    route: '/letter',
    multipart: { subject: '' },
    expect: everyone(400),
    anonymous: 400,
    note: 'an incomplete letter: the form again',
  },
  { method: 'POST', route: '/letter/validate', form: { subject: '' }, expect: everyone(200), anonymous: 200 },
  { method: 'GET', route: '/lookup', expect: everyone(200), anonymous: 200 },
  { method: 'GET', route: '/mailbox/statistics', expect: everyone(200), anonymous: 200 },
  { method: 'GET', route: '/published', expect: everyone(200), anonymous: 200 },
  {
    method: 'GET',
    route: '/published/:id',
    url: () => `/published/${UNKNOWN_PUBLICATION}`,
    expect: everyone(404),
    anonymous: 404,
  },
  { method: 'POST', route: '/lookup', form: {}, expect: everyone(400), anonymous: 400, note: 'nothing typed: the form again' },
  {
    method: 'POST',
    route: '/lookup/rating',
    form: { trackingNo: 'not-a-number', formToken: 'not-a-token', rating: 'satisfied' },
    expect: everyone(404),
    anonymous: 404,
    note: 'no letter, no valid form token: the lookup form again, asking to look the letter up anew (the token path is in mailbox-rating-reopen)',
  },
  {
    method: 'POST',
    route: '/lookup/withdraw-consent',
    form: { trackingNo: 'not-a-number', formToken: 'not-a-token', confirm: 'yes' },
    expect: everyone(404),
    anonymous: 404,
    note: 'no letter, no valid form token: the lookup form again (the token path is in publication-pages)',
  },
  { method: 'GET', route: '/assets/:name', url: () => '/assets/app.css', expect: everyone(200), anonymous: 200 },
  { method: 'GET', route: '/staff/login', expect: everyone(303), anonymous: 200, note: 'logged in: on to their first page' },
  { method: 'POST', route: '/staff/login', form: {}, expect: everyone(400), anonymous: 400, note: 'nothing typed: the form again' },
  { method: 'POST', route: '/staff/logout', form: {}, expect: everyone(303), anonymous: 303, freshSession: true },

  // ── staff pages ─────────────────────────────────────────────────────────────────────────────────
  { method: 'GET', route: '/staff', expect: everyone(303), anonymous: 303, note: 'on to their first page' },
  { method: 'GET', route: '/staff/cases', expect: allow(each(CASE_VIEWERS, 200)), anonymous: 303 },
  {
    method: 'GET',
    route: '/staff/cases/:trackingNo',
    url: (f) => `/staff/cases/${f.caseInRegistration}`,
    expect: allow(each(CASE_VIEWERS, 200)),
    anonymous: 303,
  },
  {
    method: 'GET',
    route: '/staff/cases/:trackingNo/attachments/:id',
    url: () => `/staff/cases/${UNKNOWN_CASE}/attachments/1`,
    expect: allow(each(CASE_VIEWERS, 404)),
    anonymous: 303,
  },
  {
    method: 'POST',
    route: '/staff/cases/:trackingNo/:action',
    url: () => `/staff/cases/${UNKNOWN_CASE}/answer`,
    form: { content: '答复内容' },
    expect: allow(each(CASE_ACTORS, 404)),
    anonymous: 303,
    note: 'unknown case: the 404 page for the roles that act on cases (the office may not answer, and is told on the case page)',
  },
  { method: 'GET', route: '/staff/arbitration', expect: allow({ office: 200 }), anonymous: 303 },
  { method: 'GET', route: '/staff/dissatisfied', expect: allow({ office: 200 }), anonymous: 303 },
  {
    method: 'POST',
    route: '/staff/dissatisfied/:trackingNo/:decision',
    url: () => `/staff/dissatisfied/${UNKNOWN_CASE}/close`,
    form: { explanation: '经核查，答复已说明处理结果' },
    expect: allow({ office: 404 }),
    anonymous: 303,
    note: 'unknown case: the 404 page for the office, 403 for every other role',
  },
  {
    method: 'POST',
    route: '/staff/cases/:trackingNo/reports-person',
    url: () => `/staff/cases/${UNKNOWN_CASE}/reports-person`,
    form: { reportsPerson: 'true' },
    expect: allow(each(CASE_ACTORS, 404)),
    anonymous: 303,
    note: 'unknown case: the 404 page for the department staff and the office, who mark 举报',
  },
  // ── publication of selected answers (issue 14): the office alone; a publication id no row has ──────
  { method: 'GET', route: '/staff/publications', expect: allow({ office: 200 }), anonymous: 303 },
  {
    method: 'POST',
    route: '/staff/publications',
    form: { trackingNo: UNKNOWN_CASE },
    expect: allow({ office: 404 }),
    anonymous: 303,
    note: "select an unknown letter: the list again with the service's 404 message",
  },
  {
    method: 'GET',
    route: '/staff/publications/:id',
    url: () => `/staff/publications/${UNKNOWN_PUBLICATION}`,
    expect: allow({ office: 404 }),
    anonymous: 303,
  },
  ...(
    [
      ['edit', { subject: '矩阵', content: '矩阵', answer: '矩阵' }],
      ['confirm-unsure', {}],
      ['approve', {}],
      ['take-down', { reason: '矩阵' }],
    ] as const
  ).map(([action, form]): PageRow => ({
    method: 'POST',
    route: '/staff/publications/:id/:action',
    url: () => `/staff/publications/${UNKNOWN_PUBLICATION}/${action}`,
    form,
    expect: allow({ office: 404 }),
    anonymous: 303,
    note: `${action} of an unknown publication`,
  })),
  {
    method: 'GET',
    route: '/staff/digest',
    url: () => '/staff/digest?date=2026-11-27',
    expect: allow(each(CASE_VIEWERS, 200)),
    anonymous: 303,
  },
  {
    method: 'GET',
    route: '/staff/inspection',
    expect: allow({ office: 200, service_center: 200 }),
    anonymous: 303,
  },
  {
    method: 'GET',
    route: '/staff/inspection/findings',
    expect: allow({ office: 200, service_center: 200, handler: 200, dept_leader: 200 }),
    anonymous: 303,
  },
  {
    method: 'POST',
    route: '/staff/inspection/findings',
    form: { kind: 'format', departmentId: '5', place: '', finding: '附件名称未写全称' },
    expect: allow({ service_center: 400, office: 400 }),
    anonymous: 303,
    note: 'no place given: the form again, 400 = authorized (who may raise which kind: inspection-findings.test.ts)',
  },
  {
    method: 'GET',
    route: '/staff/inspection/findings/:id',
    url: () => `/staff/inspection/findings/${UNKNOWN_ITEM}`,
    expect: allow({ office: 404, service_center: 404, handler: 404, dept_leader: 404 }),
    anonymous: 303,
  },
  {
    method: 'POST',
    route: '/staff/inspection/findings/:id/report',
    url: () => `/staff/inspection/findings/${UNKNOWN_ITEM}/report`,
    form: { note: '已修改' },
    expect: allow({ handler: 404, dept_leader: 404 }),
    anonymous: 303,
  },
  {
    method: 'POST',
    route: '/staff/inspection/findings/:id/review',
    url: () => `/staff/inspection/findings/${UNKNOWN_ITEM}/review`,
    form: { decision: 'accept' },
    expect: allow({ office: 404, service_center: 404 }),
    anonymous: 303,
  },
  {
    method: 'GET',
    route: '/staff/inspection/history',
    url: () => '/staff/inspection/history?from=2026-11-01&to=2026-11-30',
    expect: allow({ office: 200, service_center: 200 }),
    anonymous: 303,
  },
  { method: 'GET', route: '/staff/calendar', expect: everyone(200), anonymous: 303 },
  {
    method: 'POST',
    route: '/staff/calendar',
    form: {},
    expect: allow({ admin: 400 }),
    anonymous: 303,
    note: 'an empty form: 400 = authorized',
  },
  { method: 'GET', route: '/staff/audit', expect: allow({ office: 200, admin: 200 }), anonymous: 303 },
  { method: 'GET', route: '/staff/convenience-items', expect: allow({ office: 200, admin: 200 }), anonymous: 303 },
  {
    method: 'POST',
    route: '/staff/convenience-items',
    form: { name: '', departmentId: '' },
    expect: allow({ admin: 400 }),
    anonymous: 303,
    note: 'an empty form: 400 = authorized',
  },
  {
    method: 'GET',
    route: '/staff/convenience-items/:id',
    url: (f) => `/staff/convenience-items/${f.targetConvenienceItemId}`,
    expect: allow({ office: 200, admin: 200 }),
    anonymous: 303,
  },
  {
    method: 'POST',
    route: '/staff/convenience-items/:id',
    url: (f) => `/staff/convenience-items/${f.targetConvenienceItemId}`,
    form: { name: '', departmentId: '5' },
    expect: allow({ admin: 400 }),
    anonymous: 303,
    note: 'an empty name: 400 = authorized, the item unchanged',
  },
  // ── publishing: the review chain's staff pages (src/publishing/pages/); an item and form id no row has ──
  { method: 'GET', route: '/staff/site/items', expect: everyone(200), anonymous: 303 },
  { method: 'GET', route: '/staff/site/items/new', expect: allow(each(DEPARTMENT_STAFF, 200)), anonymous: 303 },
  {
    method: 'POST',
    route: '/staff/site/items/new',
    form: { placement: '', title: '' },
    expect: allow(each(DEPARTMENT_STAFF, 400)),
    anonymous: 303,
    note: 'an empty draft: the form again, 400 = authorized',
  },
  {
    method: 'GET',
    route: '/staff/site/items/:id',
    url: () => `/staff/site/items/${UNKNOWN_ITEM}`,
    expect: everyone(404),
    anonymous: 303,
  },
  {
    method: 'POST',
    route: '/staff/site/items/:id/save',
    url: () => `/staff/site/items/${UNKNOWN_ITEM}/save`,
    form: { title: '标题', body: '正文' },
    expect: allow(each(DEPARTMENT_STAFF, 404)),
    anonymous: 303,
  },
  {
    method: 'POST',
    route: '/staff/site/items/:id/submit',
    url: () => `/staff/site/items/${UNKNOWN_ITEM}/submit`,
    form: { art19: 'lawful', secrecy: 'no_secret' },
    expect: allow(each(DEPARTMENT_STAFF, 404)),
    anonymous: 303,
    note: 'an unknown item: the 404 page for drafters (the form cannot be shown again), 403 for the rest',
  },
  {
    method: 'POST',
    route: '/staff/site/items/:id/take-down',
    url: () => `/staff/site/items/${UNKNOWN_ITEM}/take-down`,
    form: { reason: '内容已过时' },
    expect: allow({ office: 404 }),
    anonymous: 303,
  },
  { method: 'GET', route: '/staff/review-forms', expect: everyone(200), anonymous: 303 },
  ...(['', '/print', '/pdf'] as const).map((tail): PageRow => ({
    method: 'GET',
    route: `/staff/review-forms/:id${tail}`,
    url: () => `/staff/review-forms/${UNKNOWN_ITEM}${tail}`,
    expect: everyone(404),
    anonymous: 303,
  })),
  {
    method: 'POST',
    route: '/staff/review-forms/:id/decision',
    url: () => `/staff/review-forms/${UNKNOWN_ITEM}/decision`,
    form: { decision: 'returned', opinion: '请补充依据' },
    expect: allow({ dept_leader: 404, publicity: 404, bureau_leader: 404 }),
    anonymous: 303,
    note: 'who decides which step of which form is the chain rule (review-pages.test.ts)',
  },
  {
    method: 'POST',
    route: '/staff/review-forms/:id/publish',
    url: () => `/staff/review-forms/${UNKNOWN_ITEM}/publish`,
    form: {},
    expect: allow({ handler: 404, dept_leader: 404, service_center: 404 }),
    anonymous: 303,
  },
  {
    method: 'POST',
    route: '/staff/review-forms/:id/withdraw',
    url: () => `/staff/review-forms/${UNKNOWN_ITEM}/withdraw`,
    form: {},
    expect: allow(each(DEPARTMENT_STAFF, 404)),
    anonymous: 303,
  },
  // ── publishing: attachments (pages/attachments.ts) and site administration (pages/site-admin.ts) ────
  {
    method: 'GET',
    route: '/staff/site/items/:id/attachments',
    url: () => `/staff/site/items/${UNKNOWN_ITEM}/attachments`,
    expect: everyone(404),
    anonymous: 303,
  },
  {
    method: 'POST',
    route: '/staff/site/items/:id/attachments',
    url: () => `/staff/site/items/${UNKNOWN_ITEM}/attachments`,
    multipart: {},
    expect: allow({ handler: 404, dept_leader: 404 }),
    anonymous: 303,
    note: 'the upload form (multipart, its CSRF token the first part) for an unknown item: the 404 page for drafters',
  },
  {
    method: 'GET',
    route: '/staff/site/items/:id/attachments/:attachmentId',
    url: () => `/staff/site/items/${UNKNOWN_ITEM}/attachments/1`,
    expect: everyone(404),
    anonymous: 303,
  },
  {
    method: 'GET',
    route: '/items/:id/attachments/:attachmentId',
    url: () => `/items/${UNKNOWN_ITEM}/attachments/1`,
    expect: everyone(404),
    anonymous: 404,
  },
  { method: 'GET', route: '/staff/site/columns', expect: allow({ admin: 200 }), anonymous: 303 },
  {
    method: 'POST',
    route: '/staff/site/columns',
    form: {},
    expect: allow({ admin: 400 }),
    anonymous: 303,
    note: 'an empty form: 400 = authorized, nothing stored',
  },
  { method: 'GET', route: '/staff/site/leaders', expect: allow({ admin: 200 }), anonymous: 303 },
  {
    method: 'POST',
    route: '/staff/site/leaders',
    form: { departmentId: '5', leaderId: '' },
    expect: allow({ admin: 400 }),
    anonymous: 303,
    note: 'no leader chosen: 400 = authorized, the assignment unchanged',
  },
  // ── quarterly hand-in of review forms (src/handin/pages/) ──
  {
    method: 'GET',
    route: '/staff/handin',
    expect: allow(each(['handler', 'dept_leader', 'office', 'bureau_leader', 'admin'], 200)),
    anonymous: 303,
  },
  {
    method: 'POST',
    route: '/staff/handin/:quarter/confirm',
    url: () => '/staff/handin/2030-Q1/confirm',
    form: {},
    expect: allow({ dept_leader: 409 }),
    anonymous: 303,
    note: 'a quarter not yet ended: the page again with 409 = authorized',
  },
  {
    method: 'GET',
    route: '/staff/handin/:quarter/:departmentId/pdf',
    url: () => '/staff/handin/2026-Q4/5/pdf',
    expect: allow(each(['handler', 'dept_leader', 'office', 'bureau_leader', 'admin'], 200)),
    anonymous: 303,
  },
  // ── disclosure register (src/disclosure/pages/); a document and entry id no row has ──
  {
    method: 'GET',
    route: '/staff/disclosure/documents',
    expect: allow(each(['handler', 'dept_leader', 'office', 'service_center', 'bureau_leader', 'admin'], 200)),
    anonymous: 303,
  },
  {
    method: 'GET',
    route: '/staff/disclosure/documents/new',
    expect: allow(each(['handler', 'dept_leader', 'office'], 200)),
    anonymous: 303,
  },
  {
    method: 'POST',
    route: '/staff/disclosure/documents/new',
    form: { title: '' },
    expect: allow(each(['handler', 'dept_leader', 'office'], 400)),
    anonymous: 303,
    note: 'an empty document: the form again, 400 = authorized',
  },
  {
    method: 'GET',
    route: '/staff/disclosure/documents/:id',
    url: () => `/staff/disclosure/documents/${UNKNOWN_ITEM}`,
    expect: allow(each(['handler', 'dept_leader', 'office', 'service_center', 'bureau_leader', 'admin'], 404)),
    anonymous: 303,
  },
  {
    method: 'POST',
    route: '/staff/disclosure/documents/:id/decision',
    url: () => `/staff/disclosure/documents/${UNKNOWN_ITEM}/decision`,
    form: { decision: 'proactive' },
    expect: allow({ office: 404 }),
    anonymous: 303,
  },
  {
    method: 'POST',
    route: '/staff/disclosure/documents/:id/changes',
    url: () => `/staff/disclosure/documents/${UNKNOWN_ITEM}/changes`,
    form: { changedOn: '2026-12-01', validity: 'repealed' },
    expect: allow(each(['handler', 'dept_leader', 'office'], 404)),
    anonymous: 303,
  },
  {
    method: 'POST',
    route: '/staff/disclosure/documents/:id/text',
    url: () => `/staff/disclosure/documents/${UNKNOWN_ITEM}/text`,
    multipart: {},
    expect: allow(each(['handler', 'dept_leader', 'office'], 404)),
    anonymous: 303,
    note: 'the text upload form (multipart, CSRF first) for an unknown document',
  },
  {
    method: 'GET',
    route: '/staff/disclosure/documents/:id/texts/:textId',
    url: () => `/staff/disclosure/documents/${UNKNOWN_ITEM}/texts/1`,
    expect: allow(each(['handler', 'dept_leader', 'office', 'service_center', 'bureau_leader', 'admin'], 404)),
    anonymous: 303,
  },
  { method: 'GET', route: '/staff/disclosure/guide', expect: allow({ office: 200 }), anonymous: 303 },
  {
    method: 'POST',
    route: '/staff/disclosure/guide',
    form: { body: '' },
    expect: allow({ office: 400 }),
    anonymous: 303,
    note: 'an empty guide: the form again, 400 = authorized, nothing saved',
  },
  { method: 'GET', route: '/staff/disclosure/catalogue', expect: allow({ service_center: 200, office: 200 }), anonymous: 303 },
  {
    method: 'POST',
    route: '/staff/disclosure/catalogue/:id/publish',
    url: () => `/staff/disclosure/catalogue/${UNKNOWN_ITEM}/publish`,
    form: { name: '名称', summary: '概述', publisher: '福建省市场监督管理局' },
    expect: allow({ service_center: 404 }),
    anonymous: 303,
  },
  // ── external links (src/links/pages/) ──
  {
    method: 'GET',
    route: '/staff/links',
    expect: allow(each(['handler', 'dept_leader', 'office', 'service_center', 'bureau_leader', 'admin'], 200)),
    anonymous: 303,
  },
  {
    method: 'POST',
    route: '/staff/links',
    form: {},
    expect: allow({ handler: 400, dept_leader: 400 }),
    anonymous: 303,
    note: 'an empty form: the page again with 400 = authorized',
  },
  {
    method: 'GET',
    route: '/staff/links/checks',
    expect: allow(each(['handler', 'dept_leader', 'office', 'service_center', 'bureau_leader', 'admin'], 200)),
    anonymous: 303,
  },
  {
    method: 'GET',
    route: '/staff/links/:id',
    url: () => `/staff/links/${UNKNOWN_ITEM}`,
    expect: allow(each(['handler', 'dept_leader', 'office', 'service_center', 'bureau_leader', 'admin'], 404)),
    anonymous: 303,
  },
  {
    method: 'POST',
    route: '/staff/links/:id/decision',
    url: () => `/staff/links/${UNKNOWN_ITEM}/decision`,
    form: { decision: 'approve' },
    expect: allow(each(['handler', 'dept_leader', 'office', 'service_center', 'bureau_leader', 'admin'], 404)),
    anonymous: 303,
    note: 'an unknown application',
  },
  // The answer letter of a disclosure request (src/requests/pages/answer-letter-pages.ts, issue 17 point 11).
  ...(['', '.pdf'] as const).map((tail): PageRow => ({
    method: 'GET',
    route: `/staff/requests/:id/answer-letter${tail}`,
    url: () => `/staff/requests/${UNKNOWN_ITEM}/answer-letter${tail}`,
    expect: allow(each(['service_center', 'office', 'bureau_leader', 'admin', 'handler', 'dept_leader'], 404)),
    anonymous: 303,
    note: 'department staff: only requests routed to their department',
  })),
  ...(['', '.pdf'] as const).map((tail): PageRow => ({
    method: 'POST',
    route: `/xxgk/request/letter${tail}`,
    form: {},
    expect: everyone(400),
    anonymous: 400,
    note: 'no number, no access code: asked for both (the code path is in disclosure-request-letter.test.ts)',
  })),
  // ── disclosure requests (issue 17, src/requests/pages/): the applicant's public pages, then the staff pages ──
  { method: 'GET', route: '/xxgk/request', expect: everyone(200), anonymous: 200, note: 'the online request form' },
  {
    method: 'POST',
    route: '/xxgk/request',
    form: {},
    expect: everyone(400),
    anonymous: 400,
    note: 'nothing filled in: the form again with the field messages, nothing stored',
  },
  { method: 'GET', route: '/xxgk/request/lookup', expect: everyone(200), anonymous: 200 },
  { method: 'POST', route: '/xxgk/request/lookup', form: {}, expect: everyone(400), anonymous: 400, note: 'nothing typed: the form again' },
  { method: 'POST', route: '/xxgk/request/withdraw', form: {}, expect: everyone(400), anonymous: 400, note: 'no number or code' },
  {
    method: 'GET',
    route: '/staff/requests',
    expect: allow(each(['service_center', 'office', 'bureau_leader', 'admin', 'handler', 'dept_leader'], 200)),
    anonymous: 303,
    note: 'department staff: only the requests routed to their department',
  },
  { method: 'GET', route: '/staff/requests/new', expect: allow({ service_center: 200, office: 200 }), anonymous: 303 },
  {
    method: 'POST',
    route: '/staff/requests/new',
    form: {},
    expect: allow({ service_center: 400, office: 400 }),
    anonymous: 303,
    note: 'an empty entry: the form again, 400 = authorized',
  },
  {
    method: 'GET',
    route: '/staff/requests/:id',
    url: () => `/staff/requests/${UNKNOWN_ITEM}`,
    expect: allow(each(['service_center', 'office', 'bureau_leader', 'admin', 'handler', 'dept_leader'], 404)),
    anonymous: 303,
  },
  {
    method: 'POST',
    route: '/staff/requests/:id/:action',
    url: () => `/staff/requests/${UNKNOWN_ITEM}/supplement`,
    form: {},
    expect: allow({ service_center: 404, office: 404 }),
    anonymous: 303,
    note: 'an unknown request: 404 for the roles that record a supplement; department staff pass the route (they draft) and get the 403 page',
  },
  // ── annual disclosure report (src/annual-report/pages/) ──
  {
    method: 'GET',
    route: '/staff/annual-reports',
    expect: allow(each(['office', 'bureau_leader', 'admin'], 200)),
    anonymous: 303,
  },
  {
    method: 'GET',
    route: '/staff/annual-reports/:year',
    url: () => '/staff/annual-reports/2025',
    expect: allow(each(['office', 'bureau_leader', 'admin'], 200)),
    anonymous: 303,
  },
  {
    method: 'GET',
    route: '/staff/annual-reports/:year/cells/:cell',
    url: () => '/staff/annual-reports/2025/cells/carried_out:total',
    expect: allow(each(['office', 'bureau_leader', 'admin'], 200)),
    anonymous: 303,
  },
  {
    method: 'GET',
    route: '/staff/annual-reports/:year/website',
    url: () => '/staff/annual-reports/2025/website',
    expect: allow(each(['office', 'bureau_leader', 'admin'], 200)),
    anonymous: 303,
  },
  {
    method: 'GET',
    route: '/staff/annual-reports/:year/pdf',
    url: () => '/staff/annual-reports/2025/pdf',
    expect: allow(each(['office', 'bureau_leader', 'admin'], 200)),
    anonymous: 303,
  },
  {
    method: 'POST',
    route: '/staff/annual-reports/:year/figures',
    url: () => '/staff/annual-reports/2025/figures',
    form: { key: 'no_such_figure', value: '1' },
    expect: allow({ office: 400 }),
    anonymous: 303,
    note: 'an unknown figure: the page again with 400 = authorized',
  },
  {
    method: 'POST',
    route: '/staff/annual-reports/:year/texts',
    url: () => '/staff/annual-reports/2099/texts',
    form: { overview: '2099年总体情况' },
    expect: allow({ office: 404 }),
    anonymous: 303,
    note: 'a year not ended: 404 = authorized (a 303 success would hide the CSRF check from page-security.test.ts)',
  },
  {
    method: 'POST',
    route: '/staff/annual-reports/remedies',
    form: { year: '2025', requestNumber: '251201-AAAAA', kind: 'reconsideration', filedOn: '2025-12-01' },
    expect: allow({ office: 400 }),
    anonymous: 303,
    note: 'no such request: the page again with 400 = authorized',
  },
  {
    method: 'POST',
    route: '/staff/annual-reports/:year/approve',
    url: () => '/staff/annual-reports/2025/approve',
    form: {},
    expect: allow({ office: 409 }),
    anonymous: 303,
    note: 'hand figures missing: the page again with 409 = authorized',
  },
  {
    method: 'POST',
    route: '/staff/annual-reports/:year/publish',
    url: () => '/staff/annual-reports/2025/publish',
    form: {},
    expect: allow({ office: 409 }),
    anonymous: 303,
    note: 'not approved: the page again with 409 = authorized',
  },
];
