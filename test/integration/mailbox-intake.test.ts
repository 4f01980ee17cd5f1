import { randomBytes } from 'node:crypto';
import { asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog } from '../../src/audit/tables.js';
import { receiveLetter } from '../../src/mailbox/service/intake.js';
import { letterBody } from '../../src/mailbox/schemas.js';
import { ATTACHMENT_CHUNK_BYTES } from '../../src/mailbox/attachments.js';
import { letterAttachmentChunks, letterAttachments, letterEvents, letters } from '../../src/mailbox/tables.js';
import { bearer, sampleLetter, startHarness, type Harness } from '../support/harness.js';

// The public intake API against a real PostgreSQL database. Temporal is unreachable here on purpose:
// intake never calls it (see temporal-down.test.ts for the outbox).

let h: Harness;
let admin: string;
let convenienceItemId: number;
let ipSeq = 0;

beforeAll(async () => {
  h = await startHarness();
  admin = await h.login('admin');
  const item = await h.app.inject({
    method: 'POST',
    url: '/api/admin/convenience-items',
    headers: bearer(admin),
    payload: { name: '企业名称自主申报', departmentId: 5 },
  });
  expect(item.statusCode).toBe(201);
  convenienceItemId = item.json().id;
});
afterAll(async () => h?.close());

/** Each call comes from its own address, so the per-address rate limit does not interfere. */
const freshIp = () => `10.1.${Math.floor(++ipSeq / 250)}.${(ipSeq % 250) + 1}`;

function post(payload: unknown, headers: Record<string, string> = {}) {
  return h.app.inject({
    method: 'POST',
    url: '/api/letters',
    payload: payload as object,
    headers: { 'x-forwarded-for': freshIp(), ...headers },
  });
}

function lookUp(trackingNo: string, accessCode?: string) {
  return h.app.inject({
    method: 'GET',
    url: `/api/letters/${encodeURIComponent(trackingNo)}`,
    headers: { 'x-forwarded-for': freshIp(), ...(accessCode === undefined ? {} : { 'x-access-code': accessCode }) },
  });
}

async function rowOf(trackingNo: string) {
  const [row] = await h.db.select().from(letters).where(eq(letters.trackingNo, trackingNo));
  return row;
}

const count = async () => (await h.db.select({ id: letters.id }).from(letters)).length;

const JPEG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.from('JFIF fake jpeg body')]);
const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from('png body')]);
const PDF = Buffer.from('%PDF-1.7\n1 0 obj <<>> endobj\n%%EOF');
const b64 = (b: Buffer) => b.toString('base64');

async function storedContent(attachmentId: number) {
  const pieces = await h.db
    .select()
    .from(letterAttachmentChunks)
    .where(eq(letterAttachmentChunks.attachmentId, attachmentId))
    .orderBy(asc(letterAttachmentChunks.seq));
  return Buffer.concat(pieces.map((p) => p.data));
}

/** A valid resident ID number (ISO 7064 MOD 11-2). */
const VALID_ID = '11010519491231002X';

describe('POST /api/letters', () => {
  it('stores a letter and answers 201 with tracking number, access code and deadline', async () => {
    const res = await post(
      sampleLetter({ writer: { name: '张三', phone: '13800138000', email: 'zhangsan@example.com', idNumber: VALID_ID.toLowerCase() } }),
    );
    expect(res.statusCode).toBe(201);
    const body = res.json();
    expect(Object.keys(body).sort()).toEqual([
      'accessCode',
      'departmentId',
      'dueAt',
      'dueDate',
      'dueProvisional',
      'receivedAt',
      'status',
      'trackingNo',
      'type',
    ]);
    expect(typeof body.dueProvisional).toBe('boolean');
    expect(body.trackingNo).toMatch(/^\d{6}-[2-9A-HJKMNP-Z]{5}$/);
    expect(body.accessCode).toMatch(/^[2-9A-HJKMNP-Z]{10}$/);
    expect(body).toMatchObject({ type: 'complaint', departmentId: 5, status: 'processing' });
    expect(body.receivedAt).toMatch(/\+08:00$/);
    expect(body.dueAt).toBe(`${body.dueDate}T23:59:59.999+08:00`);

    const row = (await rowOf(body.trackingNo))!;
    expect(row).toMatchObject({
      type: 'complaint',
      status: 'processing',
      departmentId: 5,
      firstDepartmentId: 5,
      visitedDepartmentIds: [5],
      limitDays: 10,
      writerIdNumber: VALID_ID,
      workflowStartedAt: null,
    });
    // The access code is stored only as a hash.
    expect(row.accessCodeHash).not.toContain(body.accessCode);
    expect(JSON.stringify(row)).not.toContain(body.accessCode);
    const d = h.calendar.deadline(row.receivedAt, 10);
    expect(row.dueDate).toBe(d.dueDate);
    expect(body.dueDate).toBe(d.dueDate);
    const events = await h.db.select().from(letterEvents).where(eq(letterEvents.letterId, row.id));
    expect(events.map((e) => e.kind)).toEqual(['received']);
    const audits = await h.db.select().from(auditLog).where(eq(auditLog.recordId, body.trackingNo));
    expect(audits.map((a) => a.action)).toEqual(['letter.receive']);
  });

  it('sets the working-day limit by type: complaint 10, convenience complaint 3, inquiry 2, suggestion 10, report 10', async () => {
    const cases: [Record<string, unknown>, number][] = [
      [{ type: 'complaint' }, 10],
      [{ type: 'complaint', convenienceItemId }, 3],
      [{ type: 'inquiry' }, 2],
      [{ type: 'suggestion' }, 10],
      [{ type: 'report' }, 10],
    ];
    for (const [over, days] of cases) {
      const res = await post(sampleLetter(over));
      expect(res.statusCode, JSON.stringify(over)).toBe(201);
      const row = (await rowOf(res.json().trackingNo))!;
      expect(row.limitDays, JSON.stringify(over)).toBe(days);
      expect(res.json().dueDate).toBe(h.calendar.deadline(row.receivedAt, days).dueDate);
    }
  });

  it('stores JPEG, PNG and PDF attachments with the type read from their content', async () => {
    const res = await post(
      sampleLetter({
        attachments: [
          { filename: 'photo.jpg', contentBase64: b64(JPEG) },
          { filename: 'screen.png', contentBase64: b64(PNG) },
          // A PDF with a misleading name is still a PDF: the content decides.
          { filename: 'receipt.jpg', contentBase64: b64(PDF) },
        ],
      }),
    );
    expect(res.statusCode).toBe(201);
    const row = (await rowOf(res.json().trackingNo))!;
    const files = await h.db
      .select()
      .from(letterAttachments)
      .where(eq(letterAttachments.letterId, row.id))
      .orderBy(asc(letterAttachments.id));
    expect(files.map((f) => [f.filename, f.mimeType, f.size])).toEqual([
      ['photo.jpg', 'image/jpeg', JPEG.length],
      ['screen.png', 'image/png', PNG.length],
      ['receipt.jpg', 'application/pdf', PDF.length],
    ]);
    expect((await storedContent(files[0]!.id)).equals(JPEG)).toBe(true);
  });

  it('issue #19 point 1: a 10 MB attachment is stored in 64 KiB pieces and downloads byte for byte', async () => {
    const big = Buffer.concat([PDF, randomBytes(10 * 1024 * 1024 - PDF.length)]);
    const res = await post(sampleLetter({ attachments: [{ filename: '合同.pdf', contentBase64: b64(big) }] }));
    expect(res.statusCode, res.body).toBe(201);
    const row = (await rowOf(res.json().trackingNo))!;
    const [file] = await h.db
      .select()
      .from(letterAttachments)
      .where(eq(letterAttachments.letterId, row.id))
      .orderBy(asc(letterAttachments.id));
    const pieces = await h.db
      .select()
      .from(letterAttachmentChunks)
      .where(eq(letterAttachmentChunks.attachmentId, file!.id))
      .orderBy(asc(letterAttachmentChunks.seq));
    expect(pieces.map((p) => p.data.length)).toEqual(
      Array.from({ length: big.length / ATTACHMENT_CHUNK_BYTES }, () => ATTACHMENT_CHUNK_BYTES),
    );
    const office = await h.login('office');
    const download = await h.app.inject({
      method: 'GET',
      url: `/api/cases/${row.trackingNo}/attachments/${file!.id}`,
      headers: bearer(office),
    });
    expect(download.statusCode).toBe(200);
    expect(download.headers['content-type']).toBe('application/pdf');
    expect(download.headers['content-length']).toBe(String(big.length));
    expect(download.rawPayload.equals(big)).toBe(true);
  });

  it('issue #19 point 1: attachments over 10 MB together are a 400 on the list; a body over the JSON limit is a 413', async () => {
    const five = Buffer.concat([PDF, Buffer.alloc(5 * 1024 * 1024 - PDF.length)]);
    const two = [
      { filename: 'a.pdf', contentBase64: b64(five) },
      { filename: 'b.pdf', contentBase64: b64(five) },
    ];
    expect((await post(sampleLetter({ attachments: two }))).statusCode).toBe(201);
    const before = await count();
    const together = await post(sampleLetter({ attachments: [...two, { filename: 'c.png', contentBase64: b64(PNG) }] }));
    expect(together.statusCode).toBe(400);
    expect(together.json().error.fields).toEqual({ 'body.attachments': '附件合计不能超过 10 MB' });
    const over = await post(sampleLetter({ attachments: [...two, { filename: 'c.pdf', contentBase64: b64(Buffer.alloc(1024 * 1024)) }] }));
    expect(over.statusCode).toBe(413);
    expect(over.json().error).toMatchObject({ code: 'payload_too_large', message: '提交的内容过大' });
    expect(await count()).toBe(before);
  });
});

describe('POST /api/letters: every bad input is a 400 with Chinese field messages and nothing stored', () => {
  async function expect400(payload: unknown, fields: Record<string, string | RegExp>, headers: Record<string, string> = {}) {
    const before = await count();
    const res = await post(payload, headers);
    expect(res.statusCode, res.body).toBe(400);
    const body = res.json();
    expect(body.error.message).toMatch(/[\u4e00-\u9fff]/);
    for (const [key, msg] of Object.entries(fields)) {
      expect(body.error.fields?.[key], `${key} in ${res.body}`).toBeDefined();
      if (typeof msg === 'string') expect(body.error.fields[key]).toBe(msg);
      else expect(body.error.fields[key]).toMatch(msg);
    }
    for (const m of Object.values(body.error.fields ?? {})) expect(m).toMatch(/[\u4e00-\u9fff]/);
    expect(await count()).toBe(before);
    return body;
  }

  it('an empty body names every required field', async () => {
    await expect400(
      {},
      {
        'body.writer': '请填写来信人信息',
        'body.type': '请选择来信类型（投诉、咨询、建言献策或情况反映）',
        'body.departmentId': '请选择处室',
        'body.subject': '请填写标题',
        'body.content': '请填写内容',
        'body.allowPublication': '请选择是否同意公开',
      },
    );
  });

  it('missing writer name and phone, blank subject and content', async () => {
    await expect400(sampleLetter({ writer: {}, subject: '  ', content: '' }), {
      'body.writer.name': '请填写姓名',
      'body.writer.phone': '请填写联系电话',
      'body.subject': '请填写标题',
      'body.content': '请填写内容',
    });
  });

  it('content of 5001 characters, subject of 101', async () => {
    await expect400(sampleLetter({ content: '字'.repeat(5001), subject: '题'.repeat(101) }), {
      'body.content': '内容不能超过 5000 个字',
      'body.subject': '标题不能超过 100 个字',
    });
    // 5000 characters exactly is accepted.
    expect((await post(sampleLetter({ content: '字'.repeat(5000), subject: '题'.repeat(100) }))).statusCode).toBe(201);
  });

  it('an unknown type', async () => {
    await expect400(sampleLetter({ type: 'praise' }), { 'body.type': '请选择来信类型（投诉、咨询、建言献策或情况反映）' });
  });

  it('bad phone numbers', async () => {
    for (const phone of ['12345', '1380013800', '23800138000', '138-0013-8000', '0591876']) {
      await expect400(sampleLetter({ writer: { name: '张三', phone } }), {
        'body.writer.phone': '请填写正确的手机号码或固定电话（如 0591-87612345）',
      });
    }
    for (const phone of ['13800138000', '0591-87612345', '059187612345', '010-12345678-123']) {
      expect((await post(sampleLetter({ writer: { name: '张三', phone } }))).statusCode, phone).toBe(201);
    }
  });

  it('an ID number with a wrong check digit, or malformed', async () => {
    await expect400(sampleLetter({ writer: { name: '张三', phone: '13800138000', idNumber: '110105194912310021' } }), {
      'body.writer.idNumber': '身份证号码不正确',
    });
    await expect400(sampleLetter({ writer: { name: '张三', phone: '13800138000', idNumber: '11010519491231' } }), {
      'body.writer.idNumber': '身份证号码不正确',
    });
  });

  it('a bad email', async () => {
    await expect400(sampleLetter({ writer: { name: '张三', phone: '13800138000', email: 'not-an-email' } }), {
      'body.writer.email': '邮箱格式不正确',
    });
  });

  it('an unknown department', async () => {
    await expect400(sampleLetter({ departmentId: 9999 }), { 'body.departmentId': '所选处室不存在或已停用，请重新选择' });
    await expect400(sampleLetter({ departmentId: 0 }), { 'body.departmentId': '请选择处室' });
    await expect400(sampleLetter({ departmentId: '5' }), { 'body.departmentId': '请选择处室' });
  });

  it('an inactive department', async () => {
    const created = await h.app.inject({
      method: 'POST',
      url: '/api/admin/departments',
      headers: bearer(admin),
      payload: { code: 'closed-unit', name: '已撤销处室' },
    });
    expect(created.statusCode).toBe(201);
    const id = created.json().id as number;
    expect((await post(sampleLetter({ departmentId: id }))).statusCode).toBe(201);
    const off = await h.app.inject({
      method: 'PATCH',
      url: `/api/admin/departments/${id}`,
      headers: bearer(admin),
      payload: { active: false },
    });
    expect(off.statusCode).toBe(200);
    await expect400(sampleLetter({ departmentId: id }), { 'body.departmentId': '所选处室不存在或已停用，请重新选择' });
  });

  it('a convenience-list item on an inquiry, or an unknown item', async () => {
    await expect400(sampleLetter({ type: 'inquiry', convenienceItemId }), { 'body.convenienceItemId': '只有投诉可以选择便民服务事项' });
    await expect400(sampleLetter({ type: 'complaint', convenienceItemId: 424242 }), {
      'body.convenienceItemId': '所选便民服务事项不存在或已停用，请重新选择',
    });
  });

  it('a forged attachment: a .jpg name with text content', async () => {
    await expect400(
      sampleLetter({ attachments: [{ filename: 'photo.jpg', contentBase64: b64(Buffer.from('just some text pretending to be a JPEG')) }] }),
      {
        'body.attachments.0': '附件只能是 JPG、PNG 图片或 PDF 文件',
      },
    );
    // The second of two is the bad one: the field key says which.
    await expect400(
      sampleLetter({
        attachments: [
          { filename: 'a.png', contentBase64: b64(PNG) },
          { filename: 'b.pdf', contentBase64: b64(Buffer.from('<html>')) },
        ],
      }),
      {
        'body.attachments.1': '附件只能是 JPG、PNG 图片或 PDF 文件',
      },
    );
  });

  it('more than five attachments, one over 10 MB, an empty one, bad base64', async () => {
    const six = Array.from({ length: 6 }, (_, i) => ({ filename: `${i}.png`, contentBase64: b64(PNG) }));
    await expect400(sampleLetter({ attachments: six }), { 'body.attachments': '附件最多 5 个' });
    const big = Buffer.concat([JPEG, Buffer.alloc(10 * 1024 * 1024)]);
    await expect400(sampleLetter({ attachments: [{ filename: 'big.jpg', contentBase64: b64(big) }] }), {
      'body.attachments.0': '单个附件不能超过 10 MB',
    });
    await expect400(sampleLetter({ attachments: [{ filename: 'empty.jpg', contentBase64: '' }] }), {
      'body.attachments.0': '附件为空或编码不正确',
    });
    await expect400(sampleLetter({ attachments: [{ filename: 'x.jpg', contentBase64: '***not base64***' }] }), {
      'body.attachments.0.contentBase64': '附件编码不正确',
    });
    // Exactly 10 MB, and five files, are fine.
    const max = Buffer.concat([JPEG, Buffer.alloc(10 * 1024 * 1024 - JPEG.length)]);
    expect((await post(sampleLetter({ attachments: [{ filename: 'max.jpg', contentBase64: b64(max) }] }))).statusCode).toBe(201);
    expect((await post(sampleLetter({ attachments: six.slice(0, 5) }))).statusCode).toBe(201);
  });

  it('every database-checked and content-checked problem at once: all fields named, nothing written anywhere', async () => {
    const tables = async () => [
      await count(),
      (await h.db.select({ id: letterEvents.id }).from(letterEvents)).length,
      (await h.db.select({ id: letterAttachments.id }).from(letterAttachments)).length,
      (await h.db.select({ id: auditLog.id }).from(auditLog)).length,
    ];
    const before = await tables();
    await expect400(
      sampleLetter({
        departmentId: 9999,
        convenienceItemId: 424242,
        attachments: [
          { filename: 'a.png', contentBase64: b64(PNG) },
          { filename: 'b.jpg', contentBase64: b64(Buffer.from('text')) },
        ],
      }),
      {
        'body.departmentId': '所选处室不存在或已停用，请重新选择',
        'body.convenienceItemId': '所选便民服务事项不存在或已停用，请重新选择',
        'body.attachments.1': '附件只能是 JPG、PNG 图片或 PDF 文件',
      },
    );
    // A valid department but a bad attachment: the good attachment is not stored on its own either.
    await expect400(
      sampleLetter({
        attachments: [
          { filename: 'a.png', contentBase64: b64(PNG) },
          { filename: 'b.jpg', contentBase64: b64(Buffer.from('text')) },
        ],
      }),
      {
        'body.attachments.1': '附件只能是 JPG、PNG 图片或 PDF 文件',
      },
    );
    expect(await tables()).toEqual(before);
  });

  it('the honeypot field filled in (a bot)', async () => {
    await expect400(sampleLetter({ website: 'http://spam.example' }), { 'body.website': '提交失败' });
    expect((await post(sampleLetter({ website: '' }))).statusCode).toBe(201);
  });

  it('an Idempotency-Key that is too short', async () => {
    await expect400(sampleLetter(), { 'headers.idempotency-key': 'Idempotency-Key 至少 8 个字符' }, { 'idempotency-key': 'short' });
  });

  it('malformed JSON', async () => {
    const res = await h.app.inject({
      method: 'POST',
      url: '/api/letters',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': freshIp() },
      payload: '{"writer":',
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.message).toMatch(/[\u4e00-\u9fff]/);
  });
});

describe('Idempotency-Key', () => {
  it('a replay returns the first result (same tracking number and access code) with 200, and stores nothing new', async () => {
    const key = 'client-retry-key-0001';
    const first = await post(sampleLetter({ subject: '重复提交测试' }), { 'idempotency-key': key });
    expect(first.statusCode).toBe(201);
    const before = await count();
    // A retry of the same letter gets the first answer back.
    const again = await post(sampleLetter({ subject: '重复提交测试' }), { 'idempotency-key': key });
    expect(again.statusCode).toBe(200);
    expect(again.json()).toEqual(first.json());
    expect(again.json().accessCode).toBe(first.json().accessCode);
    expect(await count()).toBe(before);
    // The replayed access code works.
    expect((await lookUp(first.json().trackingNo, again.json().accessCode)).statusCode).toBe(200);
    // Another key is another letter.
    const other = await post(sampleLetter(), { 'idempotency-key': 'client-retry-key-0002' });
    expect(other.statusCode).toBe(201);
    expect(other.json().trackingNo).not.toBe(first.json().trackingNo);
  });

  it('the same key with a different letter is refused with 422, and neither letter is lost or overwritten', async () => {
    const key = 'client-retry-key-0003';
    const first = await post(sampleLetter({ subject: '第一封' }), { 'idempotency-key': key });
    expect(first.statusCode).toBe(201);
    const before = await count();
    const reused = await post(sampleLetter({ subject: '另一封' }), { 'idempotency-key': key });
    expect(reused.statusCode).toBe(422);
    expect(reused.json().error.code).toBe('idempotency_key_reused');
    expect(reused.json()).not.toHaveProperty('accessCode');
    expect(await count()).toBe(before);
    expect((await lookUp(first.json().trackingNo, first.json().accessCode)).json().subject).toBe('第一封');
  });

  it('concurrent submissions with one key store one letter', async () => {
    const key = 'concurrent-key-xyz-123';
    const before = await count();
    const results = await Promise.all(
      Array.from({ length: 5 }, () => post(sampleLetter({ subject: '并发提交' }), { 'idempotency-key': key })),
    );
    expect(results.map((r) => r.statusCode).sort()).toEqual([200, 200, 200, 200, 201]);
    expect(new Set(results.map((r) => r.json().trackingNo)).size).toBe(1);
    expect(new Set(results.map((r) => r.json().accessCode)).size).toBe(1);
    expect(await count()).toBe(before + 1);
  });
});

describe('GET /api/letters/{trackingNo}', () => {
  let created: { trackingNo: string; accessCode: string; dueDate: string };
  beforeAll(async () => {
    created = (await post(sampleLetter({ subject: '查询测试' }))).json();
  });

  it("with the access code shows the writer's view", async () => {
    const res = await lookUp(created.trackingNo, created.accessCode);
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({
      trackingNo: created.trackingNo,
      type: 'complaint',
      subject: '查询测试',
      status: 'processing',
      statusLabel: '办理中',
      department: { id: 5, name: '登记注册局' },
      dueDate: created.dueDate,
      answer: null,
    });
    expect(body.timeline).toEqual([{ at: body.receivedAt, kind: 'received', title: '来信已收到', text: null }]);
    // No personal data in the writer's view.
    expect(JSON.stringify(body)).not.toContain('13800138000');
  });

  it('accepts the code and number in lower case with spaces', async () => {
    expect((await lookUp(created.trackingNo.toLowerCase(), ` ${created.accessCode.toLowerCase()} `)).statusCode).toBe(200);
  });

  it('a wrong access code and an unknown number answer the same 404', async () => {
    const wrong = await lookUp(created.trackingNo, 'WRONGCODE2');
    const unknown = await lookUp('991231-ABCDE', created.accessCode);
    const garbage = await lookUp('not-a-number', 'ABC');
    expect(wrong.statusCode).toBe(404);
    expect(unknown.statusCode).toBe(404);
    expect(garbage.statusCode).toBe(404);
    expect(wrong.body).toBe(unknown.body);
    expect(garbage.body).toBe(unknown.body);
    expect(wrong.json()).toEqual({ error: { code: 'not_found', message: '未找到该信件，请核对受理编号和查询码' } });
  });

  it('without the access code: 400', async () => {
    const res = await lookUp(created.trackingNo);
    expect(res.statusCode).toBe(400);
    expect(res.json().error.fields['headers.x-access-code']).toBe('请提供查询码');
  });
});

describe('rate limits', () => {
  it('one address may submit RATE_LETTERS_PER_MINUTE (default 20) letters a minute; the next is a 429', async () => {
    expect(h.env.RATE_LETTERS_PER_MINUTE).toBe(20); // the README's documented default
    const ip = '192.0.2.77';
    const codes: number[] = [];
    for (let i = 0; i < 21; i++) {
      codes.push(
        (await h.app.inject({ method: 'POST', url: '/api/letters', payload: sampleLetter(), headers: { 'x-forwarded-for': ip } }))
          .statusCode,
      );
    }
    expect(codes.slice(0, 20).every((c) => c === 201)).toBe(true);
    expect(codes[20]).toBe(429);
    const res = await h.app.inject({ method: 'POST', url: '/api/letters', payload: sampleLetter(), headers: { 'x-forwarded-for': ip } });
    expect(res.json().error.code).toBe('rate_limited');
    // Another address is unaffected.
    expect((await post(sampleLetter())).statusCode).toBe(201);
  });

  it('look-ups are limited too (guessing access codes)', async () => {
    const ip = '192.0.2.78';
    let last = 0;
    for (let i = 0; i < 31; i++) {
      // A different number each time, so this is the per-address limit, not the per-number one (lookup-guessing.test.ts).
      const no = `9912${String(10 + i).padStart(2, '0')}-ABCDE`;
      const headers = { 'x-forwarded-for': ip, 'x-access-code': `GUESS${i}` };
      last = (await h.app.inject({ method: 'GET', url: `/api/letters/${no}`, headers })).statusCode;
    }
    expect(last).toBe(429);
  });
});

describe('the convenience list and reason codes are public', () => {
  it('lists active convenience items and reason codes', async () => {
    const items = await h.app.inject({ method: 'GET', url: '/api/convenience-items' });
    expect(items.statusCode).toBe(200);
    expect(items.json()).toEqual([{ id: convenienceItemId, name: '企业名称自主申报', departmentId: 5, active: true }]);
    const codes = await h.app.inject({ method: 'GET', url: '/api/mailbox/reason-codes' });
    expect(codes.statusCode).toBe(200);
    expect(Object.keys(codes.json().transfer)).toContain('not_in_remit');
    expect(Object.keys(codes.json().reject)).toContain('duplicate');
  });

  it('only an administrator adds items; an unknown department is a 400', async () => {
    const office = await h.login('office');
    expect(
      (
        await h.app.inject({
          method: 'POST',
          url: '/api/admin/convenience-items',
          headers: bearer(office),
          payload: { name: 'x', departmentId: 5 },
        })
      ).statusCode,
    ).toBe(403);
    const bad = await h.app.inject({
      method: 'POST',
      url: '/api/admin/convenience-items',
      headers: bearer(admin),
      payload: { name: 'x', departmentId: 9999 },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.fields['body.departmentId']).toBe('处室不存在或已停用');
  });
});

describe('suggestion and report limits are settings', () => {
  let h2: Harness;
  beforeAll(async () => {
    h2 = await startHarness({ env: { LIMIT_SUGGESTION_DAYS: '5', LIMIT_REPORT_DAYS: '15' } });
  });
  afterAll(async () => h2?.close());

  it('LIMIT_SUGGESTION_DAYS and LIMIT_REPORT_DAYS set the deadline', async () => {
    for (const [type, days] of [
      ['suggestion', 5],
      ['report', 15],
      ['complaint', 10],
      ['inquiry', 2],
    ] as const) {
      const res = await h2.app.inject({
        method: 'POST',
        url: '/api/letters',
        payload: sampleLetter({ type }),
        headers: { 'x-forwarded-for': freshIp() },
      });
      expect(res.statusCode).toBe(201);
      const [row] = await h2.db.select().from(letters).where(eq(letters.trackingNo, res.json().trackingNo));
      expect(row!.limitDays, type).toBe(days);
      expect(res.json().dueDate).toBe(h2.calendar.deadline(row!.receivedAt, days).dueDate);
    }
  });
});

describe('tracking numbers', () => {
  it('a number already taken is drawn again, not answered with a 500', async () => {
    const taken = (await post(sampleLetter({ subject: '先到的信' }))).json().trackingNo as string;
    const draws = [taken, taken, '261127-ZZZZZ'];
    const { letter } = await receiveLetter(
      { db: h.db, calendar: h.calendar, env: h.env, newTrackingNo: () => draws.shift()! },
      letterBody.parse(sampleLetter({ subject: '后到的信' })),
      { ip: '127.0.0.1', requestId: 'test' },
    );
    expect(letter.trackingNo).toBe('261127-ZZZZZ');
    expect(draws).toHaveLength(0);
  });
});
