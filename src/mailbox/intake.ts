import { and, eq, sql } from 'drizzle-orm';
import { recordAudit } from '../audit/record.js';
import { formatChinaDateTime } from '../calendar/china-time.js';
import type { Database } from '../db/client.js';
import { departments } from '../departments/schema.js';
import { AppError, badRequest } from '../server/errors.js';
import type { CaseDeps } from './cases.js';
import { checkAttachments } from './attachments.js';
import { hashSecret, newAccessCode, newTrackingNo, sealAccessCode, unsealAccessCode } from './codes.js';
import { limitDays } from './policy.js';
import type { LetterBody } from './schemas.js';
import { convenienceItems, letterAttachments, letterEvents, letters } from './schema.js';

export interface CreatedLetter {
  trackingNo: string;
  accessCode: string;
  type: LetterBody['type'];
  departmentId: number;
  status: string;
  receivedAt: string;
  dueDate: string;
  dueAt: string;
}

const view = (row: typeof letters.$inferSelect, accessCode: string): CreatedLetter => ({
  trackingNo: row.trackingNo,
  accessCode,
  type: row.type,
  departmentId: row.firstDepartmentId,
  status: row.status,
  receivedAt: formatChinaDateTime(row.receivedAt),
  dueDate: row.dueDate,
  dueAt: formatChinaDateTime(row.dueAt),
});

/**
 * Stores a letter, its attachments and its first timeline event in one transaction, then wakes the
 * workflow starter with NOTIFY. Temporal is not called here: the letter is safe the moment this
 * commits, whether or not Temporal is up (see docs/architecture.md).
 */
export async function receiveLetter(
  deps: CaseDeps & { db: Database; newTrackingNo?: (now: Date) => string },
  body: LetterBody,
  meta: { ip: string; requestId: string; idempotencyKey?: string },
): Promise<{ letter: CreatedLetter; replayed: boolean }> {
  const { db, calendar, env } = deps;
  const keyHash = meta.idempotencyKey ? hashSecret(meta.idempotencyKey) : null;
  // The parsed body has a fixed key order (the schema's), so equal letters hash equal.
  const fingerprint = keyHash ? hashSecret(JSON.stringify(body)) : null;
  if (keyHash) {
    const replay = await replayOf(db, keyHash, meta.idempotencyKey!, fingerprint!);
    if (replay) return { letter: replay, replayed: true };
  }

  const problems: Record<string, string> = {};
  const [dept] = await db.select().from(departments).where(eq(departments.id, body.departmentId));
  if (!dept || !dept.active) problems['body.departmentId'] = '所选处室不存在或已停用，请重新选择';
  if (body.convenienceItemId !== undefined) {
    const [item] = await db.select().from(convenienceItems).where(and(eq(convenienceItems.id, body.convenienceItemId), eq(convenienceItems.active, true)));
    if (!item) problems['body.convenienceItemId'] = '所选便民服务事项不存在';
  }
  const attachments = checkAttachments(body.attachments);
  Object.assign(problems, attachments.problems);
  if (Object.keys(problems).length > 0) throw badRequest('提交的内容有误，请检查标注的字段', problems);

  const receivedAt = new Date();
  const days = limitDays(env, body.type, body.convenienceItemId ?? null);
  const due = calendar.deadline(receivedAt, days);
  const accessCode = newAccessCode();

  for (let attempt = 0; ; attempt++) {
    const trackingNo = (deps.newTrackingNo ?? newTrackingNo)(receivedAt);
    try {
      const row = await db.transaction(async (tx) => {
        const [created] = await tx
          .insert(letters)
          .values({
            trackingNo,
            accessCodeHash: hashSecret(accessCode),
            idempotencyKey: keyHash,
            idempotencyFingerprint: fingerprint,
            accessCodeSealed: meta.idempotencyKey ? sealAccessCode(accessCode, meta.idempotencyKey) : null,
            type: body.type,
            convenienceItemId: body.convenienceItemId ?? null,
            firstDepartmentId: body.departmentId,
            departmentId: body.departmentId,
            visitedDepartmentIds: [body.departmentId],
            writerName: body.writer.name,
            writerPhone: body.writer.phone,
            writerEmail: body.writer.email ?? null,
            writerIdNumber: body.writer.idNumber ?? null,
            subject: body.subject,
            content: body.content,
            allowPublication: body.allowPublication,
            receivedAt,
            limitDays: days,
            dueDate: due.dueDate,
            dueAt: due.dueAt,
            dueProvisional: due.provisional,
            submitIp: meta.ip,
          })
          .returning();
        const letter = created!;
        if (attachments.ok.length > 0) {
          await tx.insert(letterAttachments).values(attachments.ok.map((a) => ({ ...a, letterId: letter.id })));
        }
        await tx.insert(letterEvents).values({ letterId: letter.id, eventKey: `letter-${letter.id}:received`, kind: 'received', isPublic: true, departmentId: body.departmentId, at: receivedAt });
        await recordAudit(tx, { staffId: null, username: 'public', role: 'public', ip: meta.ip, requestId: meta.requestId }, {
          action: 'letter.receive', recordType: 'letter', recordId: trackingNo, after: { type: body.type, departmentId: body.departmentId, dueDate: due.dueDate },
        });
        await tx.execute(sql`select pg_notify('letter_received', ${String(letter.id)})`);
        return letter;
      });
      return { letter: view(row, accessCode), replayed: false };
    } catch (err) {
      const constraint = (err as { cause?: { constraint_name?: string } }).cause?.constraint_name ?? (err as { constraint_name?: string }).constraint_name;
      if (constraint?.includes('idempotency') && keyHash) {
        const replay = await replayOf(db, keyHash, meta.idempotencyKey!, fingerprint!);
        if (replay) return { letter: replay, replayed: true };
      }
      // A random tracking number already taken today (the constraint name is drizzle's camelCase one).
      if (constraint === 'letters_trackingNo_unique' && attempt < 5) continue;
      throw err;
    }
  }
}

async function replayOf(db: Database, keyHash: string, idempotencyKey: string, fingerprint: string): Promise<CreatedLetter | undefined> {
  const [row] = await db.select().from(letters).where(eq(letters.idempotencyKey, keyHash));
  if (!row?.accessCodeSealed) return undefined;
  if (row.idempotencyFingerprint !== fingerprint) {
    throw new AppError(422, 'idempotency_key_reused', '该 Idempotency-Key 已用于内容不同的另一封来信，请换用新的 Idempotency-Key');
  }
  const code = unsealAccessCode(row.accessCodeSealed, idempotencyKey);
  return code ? view(row, code) : undefined;
}
