import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_ATTACHMENT_BYTES, MAX_ATTACHMENTS } from '../../src/mailbox/attachments.js';
import { sampleLetter, startHarness, type Harness } from '../support/harness.js';

// The OpenAPI document at /docs/json against what the app does: security and error statuses of
// every operation, bodiless 204s, and the letter rules a generated client needs.

interface Operation {
  security?: Record<string, string[]>[];
  parameters?: unknown[];
  requestBody?: unknown;
  responses: Record<string, { content?: Record<string, { schema?: unknown }> }>;
}
interface JsonSchema {
  type?: string;
  pattern?: string;
  format?: string;
  maxItems?: number;
  maxLength?: number;
  properties?: Record<string, JsonSchema>;
  items?: JsonSchema;
}

let h: Harness;
let doc: { paths: Record<string, Record<string, Operation>> };
const ERROR_REF = { $ref: '#/components/schemas/Error' };
const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

beforeAll(async () => {
  h = await startHarness();
  doc = (await h.app.inject({ method: 'GET', url: '/docs/json' })).json();
});
afterAll(async () => h?.close());

/** '/api/cases/:trackingNo' → '/api/cases/{trackingNo}' */
const docPath = (url: string) => url.replace(/:(\w+)/g, '{$1}');
const operations = () =>
  Object.entries(doc.paths).flatMap(([path, ops]) =>
    Object.entries(ops).map(([method, op]) => ({ name: `${method.toUpperCase()} ${path}`, op })),
  );
const errorSchemaOf = (op: Operation, status: string) => op.responses[status]?.content?.['application/json']?.schema;
type RequestBody = { content: Record<string, { schema: JsonSchema }> };
const letterSchema = () => (doc.paths['/api/letters']!.post!.requestBody as RequestBody).content['application/json']!.schema;

describe('GET /docs/json', () => {
  it('every staff operation declares the bearer and cookie schemes and its 401 and 403 (Error)', () => {
    const staffRoutes = h.app.routeAccess.filter((r) => r.url.startsWith('/api/') && r.method !== 'HEAD' && r.access !== 'public');
    expect(staffRoutes.length).toBeGreaterThan(20);
    const problems = staffRoutes.flatMap((r) => {
      const name = `${r.method} ${r.url}`;
      const op = doc.paths[docPath(r.url)]?.[r.method.toLowerCase()];
      if (!op) return [`${name}: not in the document`];
      return [
        ...(same(op.security, [{ bearer: [] }, { cookie: [] }]) ? [] : [`${name}: security ${JSON.stringify(op.security)}`]),
        ...['401', '403'].filter((s) => !same(errorSchemaOf(op, s), ERROR_REF)).map((s) => `${name}: no ${s} Error`),
      ];
    });
    expect(problems).toEqual([]);
  });

  it('public operations declare no security', () => {
    const publicRoutes = h.app.routeAccess.filter((r) => r.url.startsWith('/api/') && r.method !== 'HEAD' && r.access === 'public');
    for (const r of publicRoutes) expect(doc.paths[docPath(r.url)]![r.method.toLowerCase()]!.security, r.url).toBeUndefined();
  });

  it('every error status of every /api operation is the Error schema; validation and body errors are declared where they can occur', () => {
    // (/ready answers its own readiness body with 503.)
    const problems = operations()
      .filter(({ name }) => name.includes(' /api/'))
      .flatMap(({ name, op }) => {
        const statuses = Object.keys(op.responses);
        const wrongShape = statuses.filter((s) => Number(s) >= 400 && !same(errorSchemaOf(op, s), ERROR_REF));
        const needed = [...(op.parameters?.length || op.requestBody ? ['400'] : []), ...(op.requestBody ? ['413', '415'] : [])];
        const undeclared = needed.filter((s) => !statuses.includes(s));
        return [...wrongShape.map((s) => `${name}: ${s} is not Error`), ...undeclared.map((s) => `${name}: ${s} undeclared`)];
      });
    expect(problems).toEqual([]);
  });

  it("a path parameter over the router's limit answers 414 in the Error shape, declared (schemathesis, after issue #19)", async () => {
    const res = await h.app.inject({ method: 'GET', url: `/api/letters/${'A'.repeat(101)}`, headers: { 'x-access-code': 'X' } });
    expect(res.statusCode).toBe(414);
    expect(res.json()).toEqual({ error: { code: 'uri_too_long', message: '请求地址过长' } });
    for (const { name, op } of operations().filter((o) => o.name.includes('{') && o.name.includes(' /api/'))) {
      expect(errorSchemaOf(op, '414'), name).toEqual(ERROR_REF);
    }
  });

  it('rate-limited operations declare 429', () => {
    for (const name of ['POST /api/auth/login', 'POST /api/auth/password', 'POST /api/letters', 'GET /api/letters/{trackingNo}']) {
      const [method, path] = name.split(' ') as [string, string];
      expect(errorSchemaOf(doc.paths[path]![method.toLowerCase()]!, '429'), name).toEqual(ERROR_REF);
    }
  });

  it('204 answers have no body: logout and password change', () => {
    for (const [path, method] of [
      ['/api/auth/logout', 'post'],
      ['/api/auth/password', 'post'],
    ] as const) {
      const op = doc.paths[path]![method]!;
      expect(op.responses['204'], path).toBeDefined();
      expect(op.responses['204']!.content, path).toBeUndefined();
    }
  });

  it('the attachment download declares the file types it serves', () => {
    const ok = doc.paths['/api/cases/{trackingNo}/attachments/{id}']!.get!.responses['200']!;
    expect(Object.keys(ok.content ?? {}).sort()).toEqual(['application/pdf', 'image/jpeg', 'image/png']);
  });

  it('the letter schema carries the phone and ID patterns and the attachment limits', () => {
    const writer = letterSchema().properties!.writer!.properties!;
    expect(writer.phone!.pattern).toBeTypeOf('string');
    expect(writer.idNumber!.pattern).toBeTypeOf('string');
    expect(writer.email!.format).toBe('email');
    const attachments = letterSchema().properties!.attachments!;
    expect(attachments.maxItems).toBe(MAX_ATTACHMENTS);
    expect(attachments.items!.properties!.filename!.maxLength).toBe(200);
    const content = attachments.items!.properties!.contentBase64!;
    expect(content.format).toBe('byte');
    expect(content.maxLength).toBe(Math.ceil(MAX_ATTACHMENT_BYTES / 3) * 4);
  });

  it('the phone pattern says what the API accepts: a letter built to the document is accepted, one against it refused', async () => {
    const phone = new RegExp(letterSchema().properties!.writer!.properties!.phone!.pattern!);
    const idNumber = new RegExp(letterSchema().properties!.writer!.properties!.idNumber!.pattern!);
    let ip = 0;
    const post = (writer: Record<string, string>) =>
      h.app.inject({
        method: 'POST',
        url: '/api/letters',
        headers: { 'x-forwarded-for': `10.9.0.${++ip}` },
        payload: sampleLetter({ writer: { name: '张三', ...writer } }),
      });
    const accepted = ['13800138000', '19912345678', '0591-87612345', '01088888888', '0591-87612345-123'];
    const candidates = [...accepted, '12800138000', '1380013800', '571-8888888', 'abc'];
    for (const candidate of candidates) {
      const res = await post({ phone: candidate });
      const documented = phone.test(candidate);
      expect(res.statusCode, `${candidate}: document says ${documented}, API ${res.body}`).toBe(documented ? 201 : 400);
    }
    expect(idNumber.test('11010519491231002X')).toBe(true);
    expect(idNumber.test('1101051949123100')).toBe(false);
    expect((await post({ phone: '13800138000', idNumber: '11010519491231002X' })).statusCode).toBe(201);
  });
});
