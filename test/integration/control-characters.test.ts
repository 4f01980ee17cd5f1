import { desc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { letterAttachments, letters } from '../../src/mailbox/tables.js';
import { bearer, sampleLetter, startHarness, type Harness } from '../support/harness.js';

// Issue #19 point 5: control characters in writer text are stored as sent but shown neutralised in
// staff pages; invalid UTF-8 becomes U+FFFD (as docs/architecture.md states) wherever it arrives.

let h: Harness;
let ip = 0;
const REPLACEMENT = '\uFFFD';
const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from('png body')]);

beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => h?.close());

const nextIp = () => `10.7.0.${++ip}`;
const latestLetter = async () => (await h.db.select().from(letters).orderBy(desc(letters.id)).limit(1))[0]!;

describe('control characters in writer text', () => {
  it('are stored as sent, returned as sent by the API, and shown as markers on the staff case page', async () => {
    const subject = '发票\u202Efdp.exe';
    const content = '第一行\n\t第二行\u2066隔离\u2069\u0007响铃\u200F';
    const res = await h.app.inject({
      method: 'POST',
      url: '/api/letters',
      headers: { 'x-forwarded-for': nextIp() },
      payload: sampleLetter({
        subject,
        content,
        writer: { name: '张\u202D三', phone: '13800138000' },
        attachments: [{ filename: 'x\u202Egnp.png', contentBase64: PNG.toString('base64') }],
      }),
    });
    expect(res.statusCode, res.body).toBe(201);
    const { trackingNo } = res.json();
    const row = await latestLetter();
    expect([row.subject, row.content, row.writerName]).toEqual([subject, content, '张\u202D三']);

    const token = await h.login('office');
    const api = await h.app.inject({ method: 'GET', url: `/api/cases/${trackingNo}`, headers: bearer(token) });
    expect(api.json()).toMatchObject({ subject, content });

    const page = await h.app.inject({ method: 'GET', url: `/staff/cases/${trackingNo}`, headers: bearer(token) });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<h1 class="case-h1">发票[U+202E]fdp.exe</h1>');
    expect(page.body).toContain('第一行\n\t第二行[U+2066]隔离[U+2069][U+0007]响铃[U+200F]');
    expect(page.body).toContain('张[U+202D]三');
    expect(page.body).toContain('x[U+202E]gnp.png');
    expect(page.body).not.toMatch(/[\u202A-\u202E\u2066-\u2069\u200E\u200F\u0007]/);
  });
});

/** A JSON letter whose subject carries `bytes` as they are, not as valid UTF-8. */
function jsonWithRawBytes(bytes: number[]) {
  const [before, after] = JSON.stringify(sampleLetter({ subject: '标题@@' })).split('@@') as [string, string];
  return Buffer.concat([Buffer.from(before), Buffer.from(bytes), Buffer.from(after)]);
}

function multipart(fields: [string, Buffer | string][], file: { filename: Buffer; content: Buffer }) {
  const boundary = 'x-boundary-7d1f';
  const parts = fields.map(([name, value]) =>
    Buffer.concat([
      Buffer.from(`--${boundary}\r\ncontent-disposition: form-data; name="${name}"\r\n\r\n`),
      Buffer.from(value),
      Buffer.from('\r\n'),
    ]),
  );
  parts.push(
    Buffer.concat([
      Buffer.from(`--${boundary}\r\ncontent-disposition: form-data; name="attachments"; filename="`),
      file.filename,
      Buffer.from('"\r\ncontent-type: image/png\r\n\r\n'),
      file.content,
      Buffer.from('\r\n'),
    ]),
  );
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(parts), contentType: `multipart/form-data; boundary=${boundary}` };
}

describe('invalid UTF-8', () => {
  it('in a JSON body: each invalid byte becomes U+FFFD', async () => {
    const res = await h.app.inject({
      method: 'POST',
      url: '/api/letters',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': nextIp() },
      payload: jsonWithRawBytes([0xff, 0xc3, 0x28]),
    });
    expect(res.statusCode, res.body).toBe(201);
    expect((await latestLetter()).subject).toBe(`标题${REPLACEMENT}${REPLACEMENT}(`);
  });

  it('a lone surrogate escaped in JSON is stored as U+FFFD', async () => {
    const [before, after] = JSON.stringify(sampleLetter({ subject: '标题@@' })).split('@@') as [string, string];
    const res = await h.app.inject({
      method: 'POST',
      url: '/api/letters',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': nextIp() },
      payload: `${before}\\ud800${after}`,
    });
    expect(res.statusCode, res.body).toBe(201);
    expect((await latestLetter()).subject).toBe(`标题${REPLACEMENT}`);
  });

  it('in a multipart form field and a file name: U+FFFD too', async () => {
    const form = multipart(
      [
        ['type', 'inquiry'],
        ['departmentId', '5'],
        ['subject', Buffer.from([0xe6, 0xa0, 0x87, 0xff, 0x41])],
        ['content', '内容'],
        ['writer.name', '张三'],
        ['writer.phone', '13800138000'],
        ['allowPublication', 'no'],
      ],
      { filename: Buffer.from([0x61, 0xff, 0x2e, 0x70, 0x6e, 0x67]), content: PNG },
    );
    const res = await h.app.inject({
      method: 'POST',
      url: '/letter',
      headers: { 'content-type': form.contentType, 'x-forwarded-for': nextIp() },
      payload: form.payload,
    });
    expect(res.statusCode, res.body.slice(0, 500)).toBe(200);
    const row = await latestLetter();
    expect(row.subject).toBe(`标${REPLACEMENT}A`);
    const [file] = await h.db
      .select({ filename: letterAttachments.filename })
      .from(letterAttachments)
      .where(eq(letterAttachments.letterId, row.id));
    expect(file!.filename).toBe(`a${REPLACEMENT}.png`);
  });

  it('percent-encoded in an urlencoded form or a query string: the %XX text is kept as it is', async () => {
    const res = await h.app.inject({
      method: 'POST',
      url: '/lookup',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-for': nextIp() },
      payload: 'trackingNo=%FF%FE&accessCode=ABCDEFGH',
    });
    expect(res.statusCode).toBe(404);
    expect(res.body).toMatch(/name="trackingNo"[^>]*value="%FF%FE"/);
    const token = await h.login('office');
    const page = await h.app.inject({ method: 'GET', url: '/staff/cases?q=a%FFb', headers: bearer(token) });
    expect(page.statusCode).toBe(200);
    expect(page.body).toMatch(/name="q"[^>]*value="a%FFb"/);
  });
});
