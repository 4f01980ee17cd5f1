import { and, desc, eq, sql } from 'drizzle-orm';
import type { Actor } from '../../audit/record.js';
import { recordAudit } from '../../audit/record.js';
import { actorFor, demand, viewerHolds, type Viewer } from '../../auth/viewer.js';
import { formatChinaDateTime } from '../../calendar/china-time.js';
import type { Database, Executor } from '../../db/client.js';
import { departmentNames } from '../../departments/service.js';
import { AppError, conflict, notFound } from '../../server/errors.js';
import { can } from '../rules.js';
import { PUBLICATION_EDITORS, selectionRefusal } from '../publication-rules.js';
import { letterEvents, letterPublications, letters } from '../tables.js';
import { maskedCopy, unsureCount, unsureOpen, writerDetailsLeft, type WriterDetails } from './publication-copy.js';

type Deps = { db: Database };
type LetterRow = typeof letters.$inferSelect;
type PublicationRow = typeof letterPublications.$inferSelect;

const writerOf = (l: LetterRow): WriterDetails => ({
  writerName: l.writerName,
  writerPhone: l.writerPhone,
  writerEmail: l.writerEmail,
  writerIdNumber: l.writerIdNumber,
});

const demandEditor = (viewer: Viewer) => demand(viewer, viewerHolds(viewer, PUBLICATION_EDITORS));
const editor = (viewer: Viewer) => actorFor(viewer, PUBLICATION_EDITORS);

/** Answered, consented letters that are not reports and have no publication yet, newest answers first. */
export async function listSelectableLetters({ db }: Deps, viewer: Viewer, limit = 50) {
  demandEditor(viewer);
  const rows = await db
    .select({
      trackingNo: letters.trackingNo,
      subject: letters.subject,
      type: letters.type,
      answeredAt: letters.answeredAt,
      departmentId: letters.departmentId,
    })
    .from(letters)
    .leftJoin(letterPublications, eq(letterPublications.letterId, letters.id))
    .where(
      and(
        eq(letters.status, 'answered'),
        eq(letters.allowPublication, true),
        eq(letters.reportsPerson, false),
        sql`${letters.type} <> 'report'`,
        sql`${letterPublications.id} is null`,
      ),
    )
    .orderBy(desc(letters.answeredAt))
    .limit(limit);
  const depts = new Map((await departmentNames(db)).map((d) => [d.id, d.name]));
  return rows.map((r) => ({ ...r, department: depts.get(r.departmentId) ?? '', answeredAt: formatChinaDateTime(r.answeredAt!) }));
}

async function letterByTrackingNo(db: Executor, trackingNo: string, lock = false) {
  const q = db.select().from(letters).where(eq(letters.trackingNo, trackingNo.trim().toUpperCase()));
  const [row] = lock ? await q.for('update') : await q;
  return row;
}

async function publicationForUpdate(tx: Executor, id: number) {
  const [pub] = await tx.select().from(letterPublications).where(eq(letterPublications.id, id)).for('update');
  if (!pub) throw notFound('未找到该公开稿');
  const [letter] = await tx.select().from(letters).where(eq(letters.id, pub.letterId)).for('update');
  return { pub, letter: letter! };
}

/** Selects an answered letter for publication and makes its masked copy (a draft). */
export async function selectForPublication({ db }: Deps, viewer: Viewer, trackingNo: string) {
  demandEditor(viewer);
  const actor = editor(viewer);
  const id = await db.transaction(async (tx) => {
    const letter = await letterByTrackingNo(tx, trackingNo, true);
    if (!letter) throw notFound('未找到该信件');
    const refused = selectionRefusal(letter);
    if (refused) throw new AppError(refused.status, 'not_selectable', refused.message);
    const [existing] = await tx
      .select({ id: letterPublications.id })
      .from(letterPublications)
      .where(eq(letterPublications.letterId, letter.id));
    if (existing) throw conflict('该信件已选入公开');
    const masking = maskedCopy({ subject: letter.subject, content: letter.content, answer: letter.answer ?? '' }, writerOf(letter));
    const [pub] = await tx
      .insert(letterPublications)
      .values({
        letterId: letter.id,
        subject: masking.subject.masked,
        content: masking.content.masked,
        answer: masking.answer.masked,
        masking,
        type: letter.type,
        departmentId: letter.departmentId,
        receivedAt: letter.receivedAt,
        answeredAt: letter.answeredAt!,
        selectedBy: actor.staffId!,
      })
      .returning();
    await recordAudit(tx, actor, {
      action: 'publication.select',
      recordType: 'letter_publication',
      recordId: pub!.id,
      after: { letterId: letter.id, unsure: unsureCount(masking) },
    });
    return pub!.id;
  });
  return getPublicationForStaff({ db }, viewer, id);
}

/** The office's side-by-side view: original and masked texts with spans and unsure flags. */
export async function getPublicationForStaff({ db }: Deps, viewer: Viewer, id: number) {
  demandEditor(viewer);
  const [pub] = await db.select().from(letterPublications).where(eq(letterPublications.id, id));
  if (!pub) throw notFound('未找到该公开稿');
  const [letter] = await db.select({ trackingNo: letters.trackingNo }).from(letters).where(eq(letters.id, pub.letterId));
  return staffView(pub, letter!.trackingNo);
}

const staffView = (pub: PublicationRow, trackingNo: string) => ({
  id: pub.id,
  trackingNo,
  status: pub.status,
  subject: pub.subject,
  content: pub.content,
  answer: pub.answer,
  masking: pub.masking,
  unsureCount: unsureCount(pub.masking),
  edited: pub.editedAt !== null,
  unsureConfirmed: pub.unsureConfirmedBy !== null,
  publishedAt: pub.publishedAt ? formatChinaDateTime(pub.publishedAt) : null,
  takeDownReason: pub.takeDownReason,
});

/** Hand edits of the masked texts; only a draft can be edited. */
export async function editPublication(
  { db }: Deps,
  viewer: Viewer,
  id: number,
  edits: { subject?: string | undefined; content?: string | undefined; answer?: string | undefined },
) {
  demandEditor(viewer);
  const actor = editor(viewer);
  await db.transaction(async (tx) => {
    const { pub } = await publicationForUpdate(tx, id);
    if (pub.status !== 'draft') throw conflict('只能修改未发布的公开稿');
    const after = { subject: edits.subject ?? pub.subject, content: edits.content ?? pub.content, answer: edits.answer ?? pub.answer };
    await tx
      .update(letterPublications)
      .set({ ...after, editedAt: new Date() })
      .where(eq(letterPublications.id, id));
    const before = { subject: pub.subject, content: pub.content, answer: pub.answer };
    await recordAudit(tx, actor, { action: 'publication.edit', recordType: 'letter_publication', recordId: id, before, after });
  });
  return getPublicationForStaff({ db }, viewer, id);
}

/** The office looked at the unsure places and keeps the copy as it is. */
export async function confirmUnsure({ db }: Deps, viewer: Viewer, id: number) {
  demandEditor(viewer);
  const actor = editor(viewer);
  await db.transaction(async (tx) => {
    const { pub } = await publicationForUpdate(tx, id);
    if (pub.status !== 'draft') throw conflict('只能确认未发布的公开稿');
    await tx.update(letterPublications).set({ unsureConfirmedBy: actor.staffId }).where(eq(letterPublications.id, id));
    await recordAudit(tx, actor, {
      action: 'publication.confirm_unsure',
      recordType: 'letter_publication',
      recordId: id,
      after: { unsure: unsureCount(pub.masking) },
    });
  });
  return getPublicationForStaff({ db }, viewer, id);
}

/**
 * Approval by the office publishes the copy; the system stamps the time. Refused while the letter is no
 * longer selectable (consent withdrawn, marked as a report), while unsure places are open (neither their
 * field edited by hand nor the whole copy confirmed: unsureOpen), and while the writer's own details still
 * appear in the texts.
 */
export async function approvePublication({ db }: Deps, viewer: Viewer, id: number) {
  demandEditor(viewer);
  const actor = editor(viewer);
  await db.transaction(async (tx) => {
    const { pub, letter } = await publicationForUpdate(tx, id);
    if (pub.status !== 'draft') throw conflict('该公开稿已发布或已撤下');
    const refused = selectionRefusal(letter);
    if (refused) throw new AppError(refused.status, 'not_selectable', refused.message);
    if (unsureOpen(pub.masking, pub) > 0 && !pub.unsureConfirmedBy) throw conflict('公开稿有待人工核对的内容，请修改或确认后再批准');
    const left = writerDetailsLeft([pub.subject, pub.content, pub.answer], writerOf(letter));
    if (left.length > 0) throw conflict(`公开稿仍含写信人的${left.join('、')}，请修改后再批准`);
    const now = new Date();
    await tx
      .update(letterPublications)
      .set({ status: 'published', approvedBy: actor.staffId, publishedAt: now })
      .where(eq(letterPublications.id, id));
    await writeEvent(tx, letter, 'published', actor, now, null);
    await recordAudit(tx, actor, {
      action: 'publication.approve',
      recordType: 'letter_publication',
      recordId: id,
      before: { status: pub.status },
      after: { status: 'published', publishedAt: now.toISOString() },
    });
  });
  return getPublicationForStaff({ db }, viewer, id);
}

/** The statistics contract: 'published' / 'unpublished' rows for the department that answered. */
async function writeEvent(
  tx: Executor,
  letter: LetterRow,
  kind: 'published' | 'unpublished',
  actor: Actor,
  at: Date,
  reason: string | null,
) {
  await tx.insert(letterEvents).values({
    letterId: letter.id,
    eventKey: `letter-${letter.id}:${kind}:${at.getTime()}`,
    kind,
    isPublic: false,
    departmentId: letter.departmentId,
    actorId: actor.staffId,
    text: reason,
    at,
  });
}

/** Takes a published letter down (or drops a draft) within the caller's transaction; null when nothing was public. */
async function takeDownIn(tx: Executor, pub: PublicationRow, letter: LetterRow, actor: Actor, reason: string, action: string) {
  if (pub.status === 'taken_down') return;
  const now = new Date();
  await tx
    .update(letterPublications)
    .set({ status: 'taken_down', takenDownAt: now, takeDownReason: reason })
    .where(eq(letterPublications.id, pub.id));
  if (pub.status === 'published') await writeEvent(tx, letter, 'unpublished', actor, now, reason);
  await recordAudit(tx, actor, {
    action,
    recordType: 'letter_publication',
    recordId: pub.id,
    before: { status: pub.status },
    after: { status: 'taken_down', reason },
  });
}

/** The office takes a letter down with a reason (kept on the row and in the audit log). */
export async function takeDownPublication({ db }: Deps, viewer: Viewer, id: number, reason: string) {
  demandEditor(viewer);
  const actor = editor(viewer);
  await db.transaction(async (tx) => {
    const { pub, letter } = await publicationForUpdate(tx, id);
    if (pub.status === 'taken_down') throw conflict('该公开稿已撤下');
    await takeDownIn(tx, pub, letter, actor, reason, 'publication.take_down');
  });
  return getPublicationForStaff({ db }, viewer, id);
}

async function takeDownLetterIn(tx: Executor, letter: LetterRow, actor: Actor, reason: string, action: string) {
  const [pub] = await tx.select().from(letterPublications).where(eq(letterPublications.letterId, letter.id)).for('update');
  if (pub) await takeDownIn(tx, pub, letter, actor, reason, action);
}

/**
 * Marks a letter as reporting a person or business (or clears the mark): the department that has it or
 * the office. A marked letter is never selectable and a published one is taken down at once (Art. 33).
 */
export async function markReportsPerson({ db }: Deps, viewer: Viewer, trackingNo: string, reportsPerson: boolean) {
  await db.transaction(async (tx) => {
    const letter = await letterByTrackingNo(tx, trackingNo, true);
    if (!letter || !can(viewer, 'view', letter)) throw notFound('未找到该信件');
    demand(viewer, can(viewer, 'act', letter));
    const actor = actorFor(viewer, ['office', 'dept_leader', 'handler']);
    await tx.update(letters).set({ reportsPerson, updatedAt: new Date() }).where(eq(letters.id, letter.id));
    await recordAudit(tx, actor, {
      action: 'letter.reports_person',
      recordType: 'letter',
      recordId: letter.id,
      before: { reportsPerson: letter.reportsPerson },
      after: { reportsPerson },
    });
    if (reportsPerson) await takeDownLetterIn(tx, letter, actor, '信件标记为举报', 'publication.take_down');
  });
  return { trackingNo: trackingNo.trim().toUpperCase(), reportsPerson };
}

/**
 * The writer withdraws consent (after the lookup checked the access code): allowPublication becomes
 * false and a published copy is taken down in the same transaction.
 */
export async function withdrawConsentIn(db: Database, trackingNo: string, ip: string) {
  const actor: Actor = { staffId: null, username: `writer:${trackingNo}`, role: 'writer', ip };
  await db.transaction(async (tx) => {
    const letter = (await letterByTrackingNo(tx, trackingNo, true))!;
    if (letter.allowPublication) {
      await tx.update(letters).set({ allowPublication: false, updatedAt: new Date() }).where(eq(letters.id, letter.id));
      await recordAudit(tx, actor, {
        action: 'letter.withdraw_consent',
        recordType: 'letter',
        recordId: letter.id,
        before: { allowPublication: true },
        after: { allowPublication: false },
      });
    }
    await takeDownLetterIn(tx, letter, actor, '写信人撤回公开同意', 'publication.take_down');
  });
}
