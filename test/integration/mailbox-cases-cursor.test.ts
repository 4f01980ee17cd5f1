import { eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { letters } from '../../src/mailbox/tables.js';
import { bearer, sampleLetter, startHarness, type Harness } from '../support/harness.js';

// Keyset (cursor) pagination of GET /api/cases against a real PostgreSQL: every page is a seek in
// (due_at, id) order, so walking the pages must give each visible letter exactly once and in order,
// also when many letters share a due time or differ in it by microseconds, with every filter and the
// department scope applied on every page. Temporal is unreachable here; lists never need it.

let h: Harness;
const tokens: Record<string, string> = {};
let ipSeq = 0;
/** tracking number → id, department, for the letters made below */
const made: { trackingNo: string; id: number; departmentId: number }[] = [];

const REGISTRATION = 5;
const CREDIT = 6;
const ENFORCEMENT = 7;
const SAME_DUE = '2027-03-01T15:59:59.999Z';
const BAD_CURSOR = '翻页游标无效，请从第一页重新开始';

async function token(username: string) {
  tokens[username] ??= await h.login(username);
  return tokens[username];
}

async function get(username: string, url: string) {
  return h.app.inject({ method: 'GET', url, headers: bearer(await token(username)) });
}

type Page = { items: { trackingNo: string; departmentId: number }[]; nextCursor: string | null };

async function page(username: string, query: Record<string, string>) {
  const res = await get(username, `/api/cases?${new URLSearchParams(query)}`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as Page;
}

/** Follows nextCursor from the first page to the last; every page but the last is full. */
async function walk(username: string, query: Record<string, string>, limit: number) {
  const seen: string[] = [];
  let after: string | null = null;
  for (let pages = 1; ; pages++) {
    const p: Page = await page(username, { ...query, limit: String(limit), ...(after ? { after } : {}) });
    seen.push(...p.items.map((r) => r.trackingNo));
    if (p.nextCursor === null) {
      expect(p.items.length).toBeLessThanOrEqual(limit);
      return seen;
    }
    expect(p.items, `page ${pages} is not the last, so it is full`).toHaveLength(limit);
    after = p.nextCursor;
    if (pages > 200) throw new Error('the cursor never reached the last page');
  }
}

/** The whole filtered list in one page (the comparison for the walks). */
async function all(username: string, query: Record<string, string> = {}) {
  const p = await page(username, { ...query, limit: '200' });
  expect(p.nextCursor).toBeNull();
  return p.items.map((r) => r.trackingNo);
}

/** Every letter in list order, straight from the table: due_at to the microsecond, then id. */
async function tableOrder() {
  const rows = (await h.sql`select tracking_no from letters order by due_at, id`) as unknown as { tracking_no: string }[];
  return rows.map((r) => r.tracking_no);
}

const cursorOf = (dueAtMicros: bigint | string, id: number) => Buffer.from(`${dueAtMicros}.${id}`).toString('base64url');

beforeAll(async () => {
  h = await startHarness();
  const plan = [
    ...Array.from({ length: 24 }, (_, i) => ({ departmentId: REGISTRATION, i })),
    ...Array.from({ length: 9 }, (_, i) => ({ departmentId: CREDIT, i })),
    ...Array.from({ length: 7 }, (_, i) => ({ departmentId: ENFORCEMENT, i })),
  ];
  for (const { departmentId, i } of plan) {
    const res = await h.app.inject({
      method: 'POST',
      url: '/api/letters',
      headers: { 'x-forwarded-for': `10.3.0.${++ipSeq}` },
      payload: sampleLetter({
        departmentId,
        type: i % 4 === 1 ? 'inquiry' : 'complaint',
        subject: i % 3 === 0 ? `游标翻页 ${departmentId}-${i}` : `来信 ${departmentId}-${i}`,
      }),
    });
    expect(res.statusCode, res.body).toBe(201);
    made.push({ trackingNo: res.json().trackingNo, id: 0, departmentId });
  }
  const ids = new Map(
    (
      await h.db
        .select({ id: letters.id, trackingNo: letters.trackingNo })
        .from(letters)
        .where(
          inArray(
            letters.trackingNo,
            made.map((m) => m.trackingNo),
          ),
        )
    ).map((r) => [r.trackingNo, r.id]),
  );
  for (const m of made) m.id = ids.get(m.trackingNo)!;
  const byDept = (d: number) => made.filter((m) => m.departmentId === d).map((m) => m.id);
  const [reg, credit, enf] = [byDept(REGISTRATION), byDept(CREDIT), byDept(ENFORCEMENT)];
  // Intake already gives every letter of one type received today the same due_at (the end of the due
  // day). On top of that: 14 letters of all three departments on one due time, and three due within
  // the same millisecond, their microseconds ordered against their ids, where a millisecond cursor
  // would repeat one and skip another.
  await h.sql`update letters set due_at = ${SAME_DUE}::timestamptz where id in ${h.sql([...reg.slice(0, 6), ...credit.slice(0, 4), ...enf.slice(0, 4)])}`;
  await h.sql`update letters set due_at = '2027-03-02T15:59:59.999900Z' where id = ${reg[6]!}`;
  await h.sql`update letters set due_at = '2027-03-02T15:59:59.999500Z' where id = ${credit[4]!}`;
  await h.sql`update letters set due_at = '2027-03-02T15:59:59.999001Z' where id = ${reg[7]!}`;
  await h.sql`update letters set due_at = '2027-03-02T15:59:59.999002Z' where id = ${reg[8]!}`;
  // Statuses, overdue flags and movements between departments.
  await h.sql`update letters set status = 'answered', answer = '已答复', answered_at = now(), closed_late = false where id in ${h.sql([reg[9]!, reg[10]!, credit[5]!, enf[4]!])}`;
  await h.sql`update letters set overdue = true where id in ${h.sql([reg[0]!, reg[11]!, reg[12]!, credit[0]!, enf[5]!])}`;
  // Transferred on from registration: it sees them read-only.
  await h.db
    .update(letters)
    .set({ departmentId: ENFORCEMENT, visitedDepartmentIds: [REGISTRATION, ENFORCEMENT] })
    .where(inArray(letters.id, [reg[1]!, reg[13]!]));
  // Credit's letter with registration assisting.
  await h.db
    .update(letters)
    .set({ assistingDepartmentIds: [REGISTRATION], visitedDepartmentIds: [CREDIT, REGISTRATION] })
    .where(eq(letters.id, credit[1]!));
});
afterAll(async () => h?.close());

describe('GET /api/cases with a cursor', () => {
  it('walking the pages returns every letter exactly once, in (due time, id) order, ties and microseconds included', async () => {
    const expected = await tableOrder();
    expect(expected).toHaveLength(made.length);
    const sameDue = (await h.sql`select count(*)::int as n from letters where due_at = ${SAME_DUE}::timestamptz`) as unknown as [
      { n: number },
    ];
    expect(sameDue[0].n).toBe(14);
    for (const limit of [1, 2, 3, 7, 20, made.length, 200]) {
      const seen = await walk('office', {}, limit);
      expect(seen, `limit ${limit}`).toEqual(expected);
    }
    // The first page is the API's first page without a cursor.
    expect((await page('office', { limit: '7' })).items.map((r) => r.trackingNo)).toEqual(expected.slice(0, 7));
  });

  it('the cursor keeps due_at to the microsecond', async () => {
    const [row] = (await h.sql`
      select id, (extract(epoch from due_at) * 1000000)::bigint::text as micros from letters
      where due_at = '2027-03-02T15:59:59.999001Z'`) as unknown as { id: number; micros: string }[];
    expect(row!.micros.endsWith('999001')).toBe(true);
    // Page by page with one letter a page, the cursor after that letter names its exact position.
    const target = made.find((m) => Number(m.id) === Number(row!.id))!;
    let after: string | null = null;
    for (;;) {
      const p: Page = await page('office', { limit: '1', ...(after ? { after } : {}) });
      if (p.items[0]?.trackingNo === target.trackingNo) {
        expect(p.nextCursor).toBe(cursorOf(row!.micros, Number(row!.id)));
        break;
      }
      expect(p.nextCursor).not.toBeNull();
      after = p.nextCursor;
    }
  });

  it('filters and the department scope apply on every page', async () => {
    const queries: Record<string, string>[] = [
      {},
      { status: 'processing' },
      { status: 'answered' },
      { overdue: 'true' },
      { overdue: 'false' },
      { q: '游标翻页' },
      { type: 'inquiry' },
      { departmentId: String(ENFORCEMENT) },
      { status: 'processing', q: '游标翻页' },
      { overdue: 'true', status: 'processing' },
    ];
    for (const username of ['office', 'h-registration', 'h-credit', 'h-enforcement', 'l-registration']) {
      for (const query of queries) {
        const whole = await all(username, query);
        expect(await walk(username, query, 3), `${username} ${JSON.stringify(query)}`).toEqual(whole);
      }
    }
    // The scopes themselves: registration sees its own, the two it passed on (read-only) and the one it assists on.
    const reg = new Set(await all('h-registration'));
    const expectedReg = (await h.sql`
      select tracking_no from letters
      where department_id = ${REGISTRATION} or ${REGISTRATION} = any(assisting_department_ids) or visited_department_ids @> array[${REGISTRATION}]::int[]`) as unknown as {
      tracking_no: string;
    }[];
    expect([...reg].sort()).toEqual(expectedReg.map((r) => r.tracking_no).sort());
    expect(reg.size).toBe(24 + 1);
  });

  it("a crafted cursor never shows another department's letters", async () => {
    const order = await tableOrder();
    const visible = await all('h-registration');
    const foreign = made.filter((m) => !visible.includes(m.trackingNo));
    expect(foreign.length).toBeGreaterThan(10);
    const positions = (await h.sql`
      select tracking_no, id, (extract(epoch from due_at) * 1000000)::bigint::text as micros from letters`) as unknown as {
      tracking_no: string;
      id: number;
      micros: string;
    }[];
    const at = new Map(positions.map((p) => [p.tracking_no, cursorOf(p.micros, Number(p.id))]));
    for (const f of foreign) {
      // A cursor made from a letter the handler may not see: the page after that position, their letters only.
      const after = order.slice(order.indexOf(f.trackingNo) + 1);
      const expected = visible.filter((no) => after.includes(no));
      const seen = await walk('h-registration', { after: at.get(f.trackingNo)! }, 5);
      expect(seen, f.trackingNo).toEqual(expected);
      expect(seen.every((no) => visible.includes(no))).toBe(true);
    }
    // The office's cursors, handed to a handler, are just positions.
    const officePage = await page('office', { limit: '10' });
    const rest = await walk('h-credit', { after: officePage.nextCursor! }, 3);
    const credit = await all('h-credit');
    expect(rest).toEqual(credit.filter((no) => order.indexOf(no) >= 10));
    // Before everything and after everything.
    expect(await walk('h-registration', { after: cursorOf(0n, 1) }, 4)).toEqual(visible);
    expect(await page('h-registration', { after: cursorOf(253_402_300_799_999_999n, Number.MAX_SAFE_INTEGER) })).toEqual({
      items: [],
      nextCursor: null,
    });
  });

  it('a malformed cursor is a 400 naming the field, never a 500', async () => {
    const b64 = (s: string) => Buffer.from(s).toString('base64url');
    const bad = [
      'x',
      'abc',
      '%E6%B8%B8%E6%A0%87',
      'MTc5NTQ0MzE5OTk5OTAwMC40Mg=',
      'MTc5NTQ0MzE5OTk5OTAwMC40Mh',
      'a'.repeat(65),
      b64('1795443199999000'),
      b64('1795443199999000.'),
      b64('.42'),
      b64('1795443199999000.0'),
      b64('-1.42'),
      b64('01.42'),
      b64('1795443199999000.42.1'),
      b64('1795443199.999000.42'),
      b64('2026-11-27T15:59:59.999Z.42'),
      b64('253402300800000000.1'),
      b64('1.9007199254740993'),
      b64(' 1.42'),
      b64('1,42'),
    ];
    for (const after of bad) {
      const res = await get('office', `/api/cases?after=${after.startsWith('%') ? after : encodeURIComponent(after)}`);
      expect(res.statusCode, `${after}: ${res.body}`).toBe(400);
      expect(res.json()).toEqual({
        error: { code: 'validation_failed', message: '提交的内容有误，请检查标注的字段', fields: { 'querystring.after': BAD_CURSOR } },
      });
    }
    const empty = await get('office', '/api/cases?after=');
    expect(empty.statusCode).toBe(400);
    expect(empty.json().error.fields['querystring.after']).toBe(BAD_CURSOR);
    const twice = await get('office', `/api/cases?after=${cursorOf(0n, 1)}&after=${cursorOf(0n, 2)}`);
    expect(twice.statusCode).toBe(400);
    expect(twice.json().error.fields['querystring.after']).toMatch(/[\u4e00-\u9fff]/);
  });

  it('offset still works (deprecated), hands over to the cursor, and the two together are a 400', async () => {
    const expected = await tableOrder();
    const third = await page('office', { limit: '5', offset: '10' });
    expect(third.items.map((r) => r.trackingNo)).toEqual(expected.slice(10, 15));
    const fourth = await page('office', { limit: '5', after: third.nextCursor! });
    expect(fourth.items.map((r) => r.trackingNo)).toEqual(expected.slice(15, 20));
    expect((await page('office', { limit: '5', offset: String(made.length - 5) })).nextCursor).toBeNull();
    expect((await page('office', { limit: '5', offset: '0', after: third.nextCursor! })).items).toEqual(fourth.items);
    const both = await get('office', `/api/cases?limit=5&offset=5&after=${third.nextCursor}`);
    expect(both.statusCode).toBe(400);
    expect(both.json().error.fields).toEqual({ 'querystring.offset': '翻页游标 after 与 offset 不能同时使用' });
  });

  it('the OpenAPI document shows the cursor parameter and the page shape', async () => {
    const doc = (await h.app.inject({ method: 'GET', url: '/docs/json' })).json();
    const op = doc.paths['/api/cases'].get;
    const after = op.parameters.find((p: { name: string; in: string }) => p.name === 'after' && p.in === 'query');
    expect(after?.schema?.type ?? after?.type).toBe('string');
    expect(JSON.stringify(after)).toContain('nextCursor');
    const body = JSON.stringify(op.responses['200']);
    const pageSchema = body.includes('CasePage') ? doc.components.schemas.CasePage : op.responses['200'].content['application/json'].schema;
    expect(Object.keys(pageSchema.properties).sort()).toEqual(['items', 'nextCursor']);
    expect(pageSchema.required).toEqual(expect.arrayContaining(['items', 'nextCursor']));
  });
});
