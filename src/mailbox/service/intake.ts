import { eq, sql } from 'drizzle-orm';
import { formatChinaDateTime } from '../../calendar/china-time.js';
import type { Viewer } from '../../auth/viewer.js';
import type { Database, Executor } from '../../db/client.js';
import { AppError, badRequest } from '../../server/errors.js';
import type { CaseDeps } from './case-records.js';
import { checkAttachments, stageBase64, type CheckedAttachment, type StagedAttachment } from '../attachments.js';
import { hashSecret, newAccessCode, newTrackingNo, sealAccessCode, unsealAccessCode } from '../codes.js';
import { limitDays } from '../rules.js';
import type { LetterBody } from '../schemas.js';
import { letterAttachmentChunks, letters } from '../tables.js';

export interface CreatedLetter {
  trackingNo: string;
  accessCode: string;
  type: LetterBody['type'];
  departmentId: number;
  status: string;
  receivedAt: string;
  dueDate: string;
  dueAt: string;
  /** The due date counts days whose holiday notice is not yet loaded (shown as 暂定). */
  dueProvisional: boolean;
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
  dueProvisional: row.dueProvisional,
});

/**
 * Stores a letter, its attachments, its first timeline event and its audit row, and wakes the
 * workflow starter with NOTIFY, all in one SQL statement: one round trip, atomic without a
 * transaction block, and about a tenth of the CPU of separate statements (docs/performance.md §1).
 * The department and convenience-item checks are folded in; nothing is written when either fails.
 * Temporal is not called here: the letter is safe the moment this commits, whether or not Temporal
 * is up (see docs/architecture.md).
 */
export async function receiveLetter(
  deps: CaseDeps & { db: Database; newTrackingNo?: (now: Date) => string },
  body: LetterBody,
  meta: { ip: string; requestId: string; idempotencyKey?: string },
  /** Files received another way (the form spools them to disk); they replace `body.attachments`. */
  staged?: StagedAttachment[],
): Promise<{ letter: CreatedLetter; replayed: boolean }> {
  const { db, calendar, env } = deps;
  const files = staged ?? body.attachments.map((a) => stageBase64(a.filename, a.contentBase64));
  const keyHash = meta.idempotencyKey ? hashSecret(meta.idempotencyKey) : null;
  const fingerprint = keyHash ? fingerprintOf(body, files) : null;
  if (keyHash) {
    const replay = await replayOf(db, keyHash, meta.idempotencyKey!, fingerprint!);
    if (replay) return { letter: replay, replayed: true };
  }

  const attachments = checkAttachments(files);
  const receivedAt = new Date();
  const days = limitDays(env, body.type, body.convenienceItemId ?? null);
  const due = calendar.deadline(receivedAt, days);
  const accessCode = newAccessCode();
  const sealed = meta.idempotencyKey ? sealAccessCode(accessCode, meta.idempotencyKey) : null;

  for (let attempt = 0; ; attempt++) {
    const trackingNo = (deps.newTrackingNo ?? newTrackingNo)(receivedAt);
    try {
      const input: InsertLetterInput = {
        trackingNo,
        accessCodeHash: hashSecret(accessCode),
        keyHash,
        fingerprint,
        sealed,
        body,
        receivedAt,
        days,
        due,
        meta,
        attachments: attachments.ok,
        attachmentsOk: Object.keys(attachments.problems).length === 0,
      };
      // Without files the letter is one statement; with files, that statement and the files' pieces in
      // one transaction, a piece at a time.
      const result =
        input.attachmentsOk && attachments.ok.length > 0
          ? await db.transaction(async (tx) => {
              const [row] = await insertLetter(tx, input);
              if (row!.status !== null) await storeChunks(tx, row!.attachment_ids ?? [], attachments.ok);
              return row!;
            })
          : (await insertLetter(db, input))[0]!;
      const problems: Record<string, string> = {};
      if (!result.department_ok) problems['body.departmentId'] = '所选处室不存在或已停用，请重新选择';
      if (!result.item_ok) problems['body.convenienceItemId'] = '所选便民服务事项不存在或已停用，请重新选择';
      Object.assign(problems, attachments.problems);
      if (Object.keys(problems).length > 0) throw badRequest('提交的内容有误，请检查标注的字段', problems);
      if (result.status === null) throw new Error('letter insert returned no row');
      return {
        letter: {
          trackingNo,
          accessCode,
          type: body.type,
          departmentId: body.departmentId,
          status: result.status,
          receivedAt: formatChinaDateTime(receivedAt),
          dueDate: due.dueDate,
          dueAt: formatChinaDateTime(due.dueAt),
          dueProvisional: due.provisional,
        },
        replayed: false,
      };
    } catch (err) {
      const constraint =
        (err as { cause?: { constraint_name?: string } }).cause?.constraint_name ?? (err as { constraint_name?: string }).constraint_name;
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

/**
 * A letter from the public form or the API, as the viewer sends it: their address and request id go
 * into the audit row. 200 (`replayed`) for a retry with the same Idempotency-Key, else 201.
 */
export function submitLetter(
  deps: Parameters<typeof receiveLetter>[0],
  viewer: Viewer,
  body: LetterBody,
  opts: { idempotencyKey?: string; staged?: StagedAttachment[] } = {},
) {
  return receiveLetter(deps, body, { ip: viewer.ip, requestId: viewer.requestId, idempotencyKey: opts.idempotencyKey }, opts.staged);
}

/**
 * What an Idempotency-Key stands for: the parsed body (a fixed key order, the schema's) with each file
 * as its name and digest, so equal letters hash equal without one string of every file's base64.
 */
export function fingerprintOf(body: LetterBody, files: Pick<StagedAttachment, 'filename' | 'sha256'>[]): string {
  return hashSecret(JSON.stringify({ ...body, attachments: files.map((f) => ({ filename: f.filename, sha256: f.sha256 })) }));
}

/** Writes each file's pieces in order, one statement (and at most one piece in memory) at a time. */
async function storeChunks(tx: Executor, ids: number[], files: CheckedAttachment[]) {
  for (const [i, file] of files.entries()) {
    let seq = 0;
    for await (const piece of file.chunks()) {
      await tx.insert(letterAttachmentChunks).values({ attachmentId: ids[i]!, seq: seq++, data: piece });
    }
  }
}

interface InsertLetterInput {
  trackingNo: string;
  accessCodeHash: string;
  keyHash: string | null;
  fingerprint: string | null;
  sealed: string | null;
  body: LetterBody;
  receivedAt: Date;
  days: number;
  due: { dueDate: string; dueAt: Date; provisional: boolean };
  meta: { ip: string; requestId: string };
  attachments: CheckedAttachment[];
  /** False when an attachment failed its checks: the statement then only reports the other fields. */
  attachmentsOk: boolean;
}

/**
 * The intake statement. It always returns one row: whether the department and the convenience item
 * are valid, and the new letter's status (null when nothing was inserted). The `n` CTE is a plain
 * SELECT, which PostgreSQL runs only because the final SELECT reads it.
 */
function insertLetter(db: Executor, v: InsertLetterInput) {
  const { body, meta } = v;
  const received = v.receivedAt.toISOString();
  const item = body.convenienceItemId ?? null;
  const files = JSON.stringify(v.attachments.map((a) => ({ filename: a.filename, mime_type: a.mimeType, size: a.size, sha256: a.sha256 })));
  const audit = JSON.stringify({ type: body.type, departmentId: body.departmentId, dueDate: v.due.dueDate });
  return db.execute<{
    department_ok: boolean;
    item_ok: boolean;
    status: string | null;
    notified: number;
    attachment_ids: number[] | null;
  }>(sql`
    with d as (select id from departments where id = ${body.departmentId}::int and active),
    c as (select ${item}::int is null or exists (select 1 from convenience_items where id = ${item}::int and active) as ok,
      (select name from convenience_items where id = ${item}::int) as name),
    l as (
      insert into letters (tracking_no, access_code_hash, idempotency_key, idempotency_fingerprint, access_code_sealed, type,
        convenience_item_id, convenience_item_name, first_department_id, department_id, visited_department_ids, writer_name,
        writer_phone, writer_email, writer_id_number, subject, content, allow_publication, received_at, clock_started_at, limit_days,
        due_date, due_at, due_provisional, submit_ip)
      select ${v.trackingNo}, ${v.accessCodeHash}, ${v.keyHash}, ${v.fingerprint}, ${v.sealed}, ${body.type}::letter_type,
        ${item}::int, c.name, d.id, d.id, array[d.id], ${body.writer.name}, ${body.writer.phone}, ${body.writer.email ?? null},
        ${body.writer.idNumber ?? null}, ${body.subject}, ${body.content}, ${body.allowPublication}, ${received}::timestamptz,
        ${received}::timestamptz,
        ${v.days}::int, ${v.due.dueDate}::date, ${v.due.dueAt.toISOString()}::timestamptz, ${v.due.provisional}, ${meta.ip}
      from d, c where c.ok and ${v.attachmentsOk}
      returning id, tracking_no, status),
    f as (
      -- In the order of the files, so that their serial ids ascend in that order (storeChunks relies on it).
      insert into letter_attachments (letter_id, filename, mime_type, size, sha256)
      select l.id, x.f->>'filename', x.f->>'mime_type', (x.f->>'size')::int, x.f->>'sha256'
      from l, jsonb_array_elements(${files}::jsonb) with ordinality as x(f, n)
      order by x.n
      returning id),
    e as (
      insert into letter_events (letter_id, event_key, kind, is_public, department_id, at)
      select id, 'letter-' || id || ':received', 'received', true, ${body.departmentId}::int, ${received}::timestamptz from l),
    a as (
      insert into audit_log (actor_id, actor_username, actor_role, action, record_type, record_id, after, ip, request_id)
      select null, 'public', 'public', 'letter.receive', 'letter', tracking_no, ${audit}::jsonb, ${meta.ip}, ${meta.requestId} from l),
    n as (select pg_notify('letter_received', id::text) from l)
    select exists (select 1 from d) as department_ok, (select ok from c) as item_ok,
      (select status from l) as status, (select count(*)::int from n) as notified,
      (select array_agg(id order by id) from f) as attachment_ids`);
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
