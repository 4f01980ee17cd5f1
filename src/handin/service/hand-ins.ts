// The quarterly hand-in of 审核单 (measures Art. 20(四)): a department's forms of a quarter, one PDF of them
// with a cover sheet, the leader's confirmation (who, when, which forms, the PDF's SHA-256) and the
// office's view of who has handed in. Forms come from the publishing service only.
import { createHash } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { recordAudit } from '../../audit/record.js';
import { actorFor, staffOf, type Viewer } from '../../auth/viewer.js';
import { formatChinaDateTime } from '../../calendar/china-time.js';
import type { CalendarService } from '../../calendar/service.js';
import type { Env } from '../../config/env.js';
import type { Database, Executor } from '../../db/client.js';
import { departmentNames } from '../../departments/service.js';
import { departmentFormsSubmittedIn } from '../../publishing/service/department-forms.js';
import type { FormView } from '../../publishing/service/records.js';
import { AppError, conflict, forbidden, notFound } from '../../server/errors.js';
import { handInPdf } from '../pdf.js';
import {
  can,
  handInDueAt,
  handInDueDate,
  HANDIN_CONFIRMERS,
  previousQuarter,
  quarterEnded,
  quarterKey,
  quarterLabel,
  quarterOf,
  quarterPeriod,
  seesAll,
  type HandInState,
  type Quarter,
} from '../rules.js';
import { handinConfirmations } from '../tables.js';

export interface HandInDeps {
  db: Database;
  calendar: CalendarService;
  env: Pick<Env, 'HANDIN_REST_DAY_RULE'>;
}

type ConfirmationRow = typeof handinConfirmations.$inferSelect;

const viewerFacts = (viewer: Viewer) => {
  const s = staffOf(viewer);
  return { roles: s.roles, departmentId: s.departmentId };
};

export const dueDateOf = (deps: HandInDeps, x: Quarter) => handInDueDate(x, deps.env.HANDIN_REST_DAY_RULE, deps.calendar.current);

async function departmentNamed(db: Executor, departmentId: number) {
  const d = (await departmentNames(db)).find((x) => x.id === departmentId);
  if (!d) throw notFound('未找到该处室');
  return d;
}

async function confirmationOf(db: Executor, departmentId: number, x: Quarter) {
  const [row] = await db
    .select()
    .from(handinConfirmations)
    .where(
      and(eq(handinConfirmations.departmentId, departmentId), eq(handinConfirmations.year, x.year), eq(handinConfirmations.quarter, x.q)),
    );
  return row;
}

const confirmationView = (c: ConfirmationRow) => ({
  confirmedBy: c.confirmedByName,
  confirmedAt: formatChinaDateTime(c.confirmedAt),
  formIds: c.formIds,
  pdfSha256: c.pdfSha256,
  late: c.confirmedAt.getTime() >= handInDueAt(c.dueDate).getTime(),
});

const formLine = (f: FormView) => ({ id: f.id, title: f.title, column: f.column, status: f.status, submittedAt: f.submittedAt });

/** A department's hand-in of a quarter: its forms (every status), due date and confirmation. 404 outside the viewer's scope. */
export async function getHandIn(deps: HandInDeps, viewer: Viewer, departmentId: number, x: Quarter, now = new Date()) {
  const v = viewerFacts(viewer);
  if (!can(v, 'view', departmentId)) throw notFound('未找到该处室的审核单报送');
  const dept = await departmentNamed(deps.db, departmentId);
  const forms = await departmentFormsSubmittedIn(deps, viewer, departmentId, quarterPeriod(x));
  const confirmation = await confirmationOf(deps.db, departmentId, x);
  const ended = quarterEnded(x, now);
  return {
    departmentId,
    department: dept.name,
    quarter: quarterKey(x),
    quarterLabel: quarterLabel(x),
    dueDate: dueDateOf(deps, x),
    ended,
    forms: forms.map(formLine),
    confirmation: confirmation ? confirmationView(confirmation) : null,
    mayConfirm: can(v, 'confirm', departmentId) && ended && !confirmation,
  };
}
export type HandInView = Awaited<ReturnType<typeof getHandIn>>;

async function buildPdf(deps: HandInDeps, viewer: Viewer, departmentId: number, x: Quarter) {
  const dept = await departmentNamed(deps.db, departmentId);
  const forms = await departmentFormsSubmittedIn(deps, viewer, departmentId, quarterPeriod(x));
  const pdf = await handInPdf({ department: dept.name, quarter: quarterLabel(x), forms });
  if (!pdf.ok) throw new AppError(503, 'font_missing', '服务器未安装中文字体，暂时无法生成 PDF');
  return { forms, pdf: pdf.pdf };
}

/**
 * The department leader confirms the hand-in once the quarter has ended: the PDF of its forms as they
 * are now is stored with its SHA-256, and audited. Once per department and quarter (409 after).
 */
export async function confirmHandIn(deps: HandInDeps, viewer: Viewer, departmentId: number, x: Quarter, now = new Date()) {
  const v = viewerFacts(viewer);
  if (!can(v, 'view', departmentId)) throw notFound('未找到该处室的审核单报送');
  if (!can(v, 'confirm', departmentId)) throw forbidden('只有本处室负责人可以确认报送');
  if (!quarterEnded(x, now)) throw conflict(`${quarterLabel(x)}尚未结束，季度结束后再确认报送`);
  if (await confirmationOf(deps.db, departmentId, x)) throw conflict(`${quarterLabel(x)}的审核单已确认报送`);
  const { forms, pdf } = await buildPdf(deps, viewer, departmentId, x);
  const pdfSha256 = createHash('sha256').update(pdf).digest('hex');
  const s = staffOf(viewer);
  const row = await deps.db.transaction(async (tx) => {
    const [inserted] = await tx
      .insert(handinConfirmations)
      .values({
        departmentId,
        year: x.year,
        quarter: x.q,
        confirmedBy: s.id,
        confirmedByName: s.displayName,
        confirmedAt: now,
        dueDate: dueDateOf(deps, x),
        formIds: forms.map((f) => f.id),
        pdfSha256,
        pdf,
      })
      .onConflictDoNothing()
      .returning();
    if (!inserted) throw conflict(`${quarterLabel(x)}的审核单已确认报送`);
    await recordAudit(tx, actorFor(viewer, HANDIN_CONFIRMERS), {
      action: 'handin.confirm',
      recordType: 'handin',
      recordId: `${departmentId}:${quarterKey(x)}`,
      after: { formIds: inserted.formIds, pdfSha256 },
    });
    return inserted;
  });
  return confirmationView(row);
}

/** The hand-in PDF: the confirmed one as stored, else one built from the forms as they are now. */
export async function getHandInPdf(deps: HandInDeps, viewer: Viewer, departmentId: number, x: Quarter) {
  if (!can(viewerFacts(viewer), 'view', departmentId)) throw notFound('未找到该处室的审核单报送');
  const confirmed = await confirmationOf(deps.db, departmentId, x);
  if (confirmed) return { pdf: confirmed.pdf, confirmed: true };
  return { pdf: (await buildPdf(deps, viewer, departmentId, x)).pdf, confirmed: false };
}

/**
 * The office's matrix for a quarter: every active department with its count of forms and its state
 * (handed_in, late = handed in after the due date, missing = due date passed, pending = not yet due,
 * no_forms = nothing to hand in).
 */
export async function handInMatrix(deps: HandInDeps, viewer: Viewer, x: Quarter, now = new Date()) {
  if (!seesAll(viewerFacts(viewer))) throw forbidden();
  const dueDate = dueDateOf(deps, x);
  const overdue = now.getTime() >= handInDueAt(dueDate).getTime();
  const rows = [];
  for (const d of (await departmentNames(deps.db)).filter((d) => d.active)) {
    const forms = await departmentFormsSubmittedIn(deps, viewer, d.id, quarterPeriod(x));
    const c = await confirmationOf(deps.db, d.id, x);
    const view = c ? confirmationView(c) : null;
    const state: HandInState = view
      ? view.late
        ? 'late'
        : 'handed_in'
      : forms.length === 0
        ? 'no_forms'
        : overdue
          ? 'missing'
          : 'pending';
    rows.push({ departmentId: d.id, department: d.name, forms: forms.length, state, confirmation: view });
  }
  return { quarter: quarterKey(x), quarterLabel: quarterLabel(x), dueDate, departments: rows };
}
export type HandInMatrix = Awaited<ReturnType<typeof handInMatrix>>;

/** The quarters a page offers: the four before the current one, the one to hand in now first. */
export function recentQuarters(now = new Date(), n = 4): Quarter[] {
  const out: Quarter[] = [];
  let x = quarterOf(now);
  for (let i = 0; i < n; i++) out.push((x = previousQuarter(x)));
  return out;
}
