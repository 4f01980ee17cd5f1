import { eq, sql } from 'drizzle-orm';
import type { z } from 'zod';
import { recordAudit, type Actor } from '../../audit/record.js';
import { actorFor, demand, viewerHolds, type Viewer } from '../../auth/viewer.js';
import type { Executor } from '../../db/client.js';
import { AppError, badRequest, conflict, notFound } from '../../server/errors.js';
import { hashSecret, newAccessCode, newTrackingNo, sealAccessCode, unsealAccessCode } from '../../mailbox/codes.js';
import { receiptOf, type Channel, type ReceiptFacts } from '../clock-rules.js';
import { REQUEST_INTAKE } from '../rules.js';
import type { confirmBody, requestBody, staffEntryBody } from '../schemas.js';
import { disclosureRequests } from '../tables.js';
import { chinaToday, clockOfRow, type RequestRow } from './clock.js';
import type { RequestDeps } from './deps.js';
import { syncRequestWorkflow } from './sync.js';

const BAD = '提交的内容有误，请检查标注的字段';

/** The applicant's side as the audit trail names them (not staff). */
export const applicantActor = (viewer: Viewer): Actor => ({
  staffId: null,
  username: 'applicant',
  role: 'public',
  ip: viewer.ip,
  requestId: viewer.requestId,
});

type Fields = z.infer<typeof requestBody>;

const columnsOf = (b: Fields) => ({
  applicantType: b.applicant.type,
  applicantName: b.applicant.name,
  idDocumentType: b.applicant.idDocumentType,
  idDocumentNumber: b.applicant.idDocumentNumber,
  phone: b.applicant.phone,
  email: b.applicant.email,
  address: b.applicant.address,
  legalRepresentative: b.applicant.legalRepresentative ?? '',
  contactPerson: b.applicant.contactPerson ?? '',
  infoTitle: b.information.title,
  infoDocNumber: b.information.docNumber,
  infoDescription: b.information.description,
  form: b.form,
  receiveWay: b.receiveWay,
});

/** The receipt columns for a request whose channel fact is known; the status follows (in progress or awaiting confirmation). */
function receiptColumns(deps: RequestDeps, channel: Channel, facts: ReceiptFacts) {
  const r = receiptOf(deps.calendar.current, deps.calendar.policy, channel, facts);
  if (!r) return { status: 'awaiting_confirmation' as const };
  return {
    status: 'in_progress' as const,
    receivedAt: r.receivedAt,
    receivedOn: r.receivedOn,
    startOn: r.startOn,
    receiptBasis: r.basis,
    // The office's routing step begins with the receipt (routing-rules.ts).
    handlingStep: 'routing' as const,
    stepSince: r.receivedOn,
  };
}

/** Caches the clock on the row (lists, digest) and bumps the outbox sequence; in the caller's transaction. */
export async function refreshClock(deps: RequestDeps, tx: Executor, row: RequestRow, events: Parameters<typeof clockOfRow>[2], now: Date) {
  const clock = clockOfRow(deps.calendar.current, row, events, chinaToday(now));
  await tx
    .update(disclosureRequests)
    .set({ clockState: clock?.state ?? null, deadline: clock?.deadline ?? null, changeSeq: sql`${disclosureRequests.changeSeq} + 1` })
    .where(eq(disclosureRequests.id, row.id));
  return clock;
}

async function insertRequest(
  deps: RequestDeps,
  actor: Actor,
  values: Omit<typeof disclosureRequests.$inferInsert, 'number' | 'accessCodeHash'>,
  now: Date,
  accessCode = newAccessCode(),
) {
  const created = await deps.db.transaction(async (tx) => {
    const [row] = await tx
      .insert(disclosureRequests)
      .values({ ...values, number: newTrackingNo(now), accessCodeHash: hashSecret(accessCode) })
      .returning();
    await refreshClock(deps, tx, row!, [], now);
    await recordAudit(tx, actor, {
      action: 'request.received',
      recordType: 'disclosure_request',
      recordId: row!.id,
      after: { number: row!.number, channel: row!.channel, status: row!.status, receivedOn: row!.receivedOn },
    });
    return row!;
  });
  await syncRequestWorkflow(deps, created.id);
  return { id: created.id, number: created.number, accessCode, status: created.status };
}

type Created = Awaited<ReturnType<typeof insertRequest>>;

/**
 * A retry with the same Idempotency-Key (as POST /api/letters, src/mailbox/service/intake.ts): the first
 * answer again, its access code unsealed with the key (codes.ts); the key reused for a different body → 422.
 */
async function replayOf(deps: RequestDeps, keyHash: string, key: string, fingerprint: string): Promise<Created | undefined> {
  const [row] = await deps.db.select().from(disclosureRequests).where(eq(disclosureRequests.idempotencyKey, keyHash));
  if (!row?.accessCodeSealed) return undefined;
  if (row.idempotencyFingerprint !== fingerprint)
    throw new AppError(422, 'idempotency_key_reused', '该 Idempotency-Key 已用于内容不同的另一份申请，请换用新的 Idempotency-Key');
  const code = unsealAccessCode(row.accessCodeSealed, key);
  return code ? { id: row.id, number: row.number, accessCode: code, status: row.status } : undefined;
}

/**
 * The public online form: a number and an access code at once; the receipt date comes with the office's
 * confirmation (条例 Art. 31(三)). With an Idempotency-Key a retry gets the same request back (`replayed`).
 */
export async function submitOnline(
  deps: RequestDeps,
  viewer: Viewer,
  body: Fields,
  now = new Date(),
  opts: { idempotencyKey?: string } = {},
): Promise<Created & { replayed: boolean }> {
  const key = opts.idempotencyKey;
  const keyHash = key ? hashSecret(key) : null;
  const fingerprint = key ? hashSecret(JSON.stringify(body)) : null;
  if (key) {
    const replay = await replayOf(deps, keyHash!, key, fingerprint!);
    if (replay) return { ...replay, replayed: true };
  }
  const accessCode = newAccessCode();
  try {
    const created = await insertRequest(
      deps,
      applicantActor(viewer),
      {
        ...columnsOf(body),
        channel: 'online',
        status: 'awaiting_confirmation',
        submittedAt: now,
        idempotencyKey: keyHash,
        idempotencyFingerprint: fingerprint,
        accessCodeSealed: key ? sealAccessCode(accessCode, key) : null,
      },
      now,
      accessCode,
    );
    return { ...created, replayed: false };
  } catch (err) {
    // Two retries at once: the second insert meets the first's key.
    const constraint =
      (err as { cause?: { constraint_name?: string } }).cause?.constraint_name ?? (err as { constraint_name?: string }).constraint_name;
    if (key && constraint?.includes('idempotency')) {
      const replay = await replayOf(deps, keyHash!, key, fingerprint!);
      if (replay) return { ...replay, replayed: true };
    }
    throw err;
  }
}

/**
 * A request that came by post, in person, fax or e-mail, entered by the service centre or the office the day it
 * arrives (measures Art. 32). It cannot be refused at intake (国办公开办函〔2017〕19号): without its receipt fact
 * (an unsigned letter whose applicant is not yet reached, 207号) it waits for confirmation.
 */
export async function enterByStaff(deps: RequestDeps, viewer: Viewer, body: z.infer<typeof staffEntryBody>, now = new Date()) {
  demand(viewer, viewerHolds(viewer, REQUEST_INTAKE));
  const at = (s: string | undefined) => (s ? new Date(s) : undefined);
  const facts: ReceiptFacts = {
    submittedAt: at(body.submittedAt) ?? (body.channel === 'in_person' ? now : undefined),
    signedForAt: at(body.signedForAt),
    confirmedAt: at(body.confirmedAt),
    mailReceivedAt: at(body.mailReceivedAt),
  };
  const future = (Object.entries(facts) as [string, Date | undefined][]).find(([, v]) => v && v.getTime() > now.getTime() + 60_000);
  if (future) throw badRequest(BAD, { [`body.${future[0]}`]: '时间不能晚于现在' });
  if (body.channel === 'email' && !facts.mailReceivedAt) throw badRequest(BAD, { 'body.mailReceivedAt': '请填写邮件系统接收时间' });
  const values = {
    ...columnsOf(body),
    channel: body.channel,
    submittedAt: facts.submittedAt ?? now,
    signedForAt: facts.signedForAt ?? null,
    confirmedAt: facts.confirmedAt ?? null,
    mailReceivedAt: facts.mailReceivedAt ?? null,
    enteredBy: viewer.staff!.id,
  };
  return insertRequest(deps, actorFor(viewer, REQUEST_INTAKE), { ...values, ...receiptColumns(deps, body.channel, facts) }, now);
}

/** The office confirms with the applicant (online, fax, an unsigned letter): that day is the receipt date. */
export async function confirmRequest(deps: RequestDeps, viewer: Viewer, id: number, body: z.infer<typeof confirmBody>, now = new Date()) {
  demand(viewer, viewerHolds(viewer, REQUEST_INTAKE));
  const confirmedAt = body.confirmedAt ? new Date(body.confirmedAt) : now;
  if (confirmedAt.getTime() > now.getTime() + 60_000) throw badRequest(BAD, { 'body.confirmedAt': '确认时间不能晚于现在' });
  await deps.db.transaction(async (tx) => {
    const [row] = await tx.select().from(disclosureRequests).where(eq(disclosureRequests.id, id)).for('update');
    if (!row) throw notFound('未找到该申请');
    if (row.status !== 'awaiting_confirmation') throw conflict('该申请已确认收到');
    if (confirmedAt < row.submittedAt) throw badRequest(BAD, { 'body.confirmedAt': '确认时间不能早于提交时间' });
    const facts: ReceiptFacts = { ...row, confirmedAt };
    const receipt = receiptColumns(deps, row.channel, facts);
    const [updated] = await tx
      .update(disclosureRequests)
      .set({ confirmedAt, ...receipt })
      .where(eq(disclosureRequests.id, id))
      .returning();
    await refreshClock(deps, tx, updated!, [], now);
    await recordAudit(tx, actorFor(viewer, REQUEST_INTAKE), {
      action: 'request.confirmed',
      recordType: 'disclosure_request',
      recordId: id,
      after: { confirmedAt: confirmedAt.toISOString(), receivedOn: updated!.receivedOn },
    });
  });
  await syncRequestWorkflow(deps, id);
}
