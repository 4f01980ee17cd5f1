import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  addRemedyCase,
  approveReport,
  cellRequests,
  getReport,
  getReportPdf,
  saveTexts,
  setFigure,
} from '../../src/annual-report/service/report.js';
import { COLUMN_KEYS, HAND_FIGURES, ROW_KEYS, cellKey } from '../../src/annual-report/rules.js';
import { allDepartments } from '../../src/departments/service.js';
import { changeDocument, registerDocument } from '../../src/disclosure/service/documents.js';
import type { ApplicantType, RequestOutcome } from '../../src/requests/outcomes.js';
import { recordEvent } from '../../src/requests/service/events.js';
import { enterByStaff } from '../../src/requests/service/intake.js';
import { withdrawRequest } from '../../src/requests/service/reads.js';
import { disclosureRequests } from '../../src/requests/tables.js';
import { buildDigests, listDigests } from '../../src/digest/service.js';
import type { DepartmentDigest, OfficeDigest } from '../../src/digest/rules.js';
import { latestInspection } from '../../src/inspection/service/index.js';
import { bearer, sampleLetter, startHarness, type Harness } from '../support/harness.js';
import { websiteFigures } from '../../src/annual-report/service/website-figures.js';
import { pdfRowLabel } from '../../src/annual-report/pdf.js';
import { itemThroughChain } from '../support/link-items.js';
import { loadNotice2027 } from '../support/time-skipping.js';
import { staffViewers } from '../support/viewers.js';
import { EXPECTED } from '../support/annual-year.js';

// Issue 18 "what shows it is done": a year (2026) of disclosure requests entered and concluded through the
// requests service, with every outcome leaf and every applicant type, two carried over from 2025 and three
// into 2027; the report generated from the record (条例 Art. 50; 国办公开办函〔2021〕30号 table 三,
// national-rules.md §2.4); every cell asserted against the counts written out below, every check of point 2,
// and one check failing on purpose by a hand-edited figure; approval freezes the figures.

let h: Harness;
const as = staffViewers(() => h, 'annual-report-test');
const deps = () => ({ db: h.db, calendar: h.calendar, env: h.env });
/** Real now is December 2026: the report on 2026 is made "in January 2027". */
const JAN_2027 = new Date('2027-01-05T10:00:00+08:00');

const NP: ApplicantType = 'natural_person';
const CE: ApplicantType = 'commercial_enterprise';
const RI: ApplicantType = 'research_institution';
const PW: ApplicantType = 'public_welfare_organisation';
const LS: ApplicantType = 'legal_service_institution';
const OT: ApplicantType = 'other_organisation';

/** [label, applicant type, received (China time), concluded on, outcome ('withdrawn' for a withdrawal)] */
const PLAN: [string, ApplicantType, string, string | null, RequestOutcome | 'withdrawn' | null][] = [
  ['N01', NP, '2026-02-03T10:00:00+08:00', '2026-02-20', 'disclosed'],
  ['N02', NP, '2026-03-02T10:00:00+08:00', '2026-03-20', 'partly_disclosed'],
  ['N03', CE, '2026-03-05T10:00:00+08:00', '2026-03-25', 'withheld_state_secret'],
  ['N04', CE, '2026-03-06T10:00:00+08:00', '2026-03-26', 'withheld_law_forbids'],
  ['N05', RI, '2026-04-01T10:00:00+08:00', '2026-04-20', 'withheld_security_stability'],
  ['N06', RI, '2026-04-02T10:00:00+08:00', '2026-04-21', 'withheld_third_party'],
  ['N07', PW, '2026-05-06T10:00:00+08:00', '2026-05-20', 'withheld_internal_affairs'],
  ['N08', PW, '2026-05-07T10:00:00+08:00', '2026-05-21', 'withheld_process_information'],
  ['N09', LS, '2026-06-01T10:00:00+08:00', '2026-06-15', 'withheld_enforcement_file'],
  ['N10', LS, '2026-06-02T10:00:00+08:00', '2026-06-16', 'withheld_query_matter'],
  ['N11', OT, '2026-07-01T10:00:00+08:00', '2026-07-15', 'cannot_not_held'],
  ['N12', OT, '2026-07-02T10:00:00+08:00', '2026-07-16', 'cannot_needs_creation'],
  ['N13', NP, '2026-08-03T10:00:00+08:00', '2026-08-20', 'cannot_unclear_after_correction'],
  ['N14', CE, '2026-08-04T10:00:00+08:00', '2026-08-21', 'not_processed_petition'],
  ['N15', RI, '2026-09-01T10:00:00+08:00', '2026-09-15', 'not_processed_repeated'],
  ['N16', PW, '2026-09-02T10:00:00+08:00', '2026-09-16', 'not_processed_publication'],
  ['N17', LS, '2026-09-03T10:00:00+08:00', '2026-09-17', 'not_processed_excessive'],
  ['N18', OT, '2026-09-04T10:00:00+08:00', '2026-09-18', 'not_processed_confirmation'],
  ['N19', NP, '2026-10-09T10:00:00+08:00', '2026-11-20', 'other_no_correction'],
  ['N20', CE, '2026-10-12T10:00:00+08:00', '2026-11-30', 'other_fee_unpaid'],
  ['N21', RI, '2026-11-02T10:00:00+08:00', '2026-11-25', 'other'],
  // Withdrawn by the applicant on 2026-11-10: （六）3.其他.
  ['N22', NP, '2026-11-02T11:00:00+08:00', '2026-11-10', 'withdrawn'],
  // Received in 2025 and still open on 1 January 2026: 上年结转; C01 concluded in 2026, C03 still open.
  ['C01', NP, '2025-12-19T10:00:00+08:00', '2026-01-15', 'disclosed'],
  ['C03', LS, '2025-12-26T10:00:00+08:00', null, null],
  // Received and concluded in 2025: not in 2026's table.
  ['C02', CE, '2025-11-10T10:00:00+08:00', '2025-12-01', 'disclosed'],
  // Received late in 2026 and open at the year end: 结转下年度继续办理. O02 at 23:30 China time on 31 December (15:30 UTC).
  ['O01', PW, '2026-12-20T10:00:00+08:00', null, null],
  ['O02', OT, '2026-12-31T23:30:00+08:00', null, null],
];

const numbers: Record<string, string> = {};
const ids: Record<string, number> = {};
const dayAfter = (d: string) => new Date(`${d}T18:00:00+08:00`);

beforeAll(async () => {
  h = await startHarness();
  await loadNotice2027(h);
  const center = await as('center');
  const office = await as('office');
  for (const [label, type, receivedAt, concludedOn, outcome] of PLAN) {
    const r = await enterByStaff(
      deps(),
      center,
      {
        channel: 'in_person',
        submittedAt: receivedAt,
        applicant: {
          type,
          name: `申请人${label}`,
          idDocumentType: type === NP ? 'resident_id' : 'unified_credit_code',
          idDocumentNumber: '350102199001011234',
          phone: '13800000000',
          email: '',
          address: '',
        },
        information: { title: `信息${label}`, docNumber: '', description: '' },
        form: 'paper',
        receiveWay: 'pick_up',
      },
      new Date(receivedAt),
    );
    numbers[label] = r.number;
    ids[label] = r.id;
    if (outcome === 'withdrawn') await withdrawRequest(deps(), office, r.number, r.accessCode, dayAfter(concludedOn!));
    else if (outcome)
      await recordEvent(deps(), office, r.id, { kind: 'concluded', on: concludedOn!, outcome } as never, dayAfter(concludedOn!));
  }
  // The register: two 行政规范性文件 formed in 2026, one formed in 2024 and repealed in 2026.
  const departmentId = (await allDepartments(h.db))[0]!.id;
  const doc = (title: string, formedOn: string, n: number) =>
    registerDocument(
      deps(),
      office,
      {
        title,
        docNumber: `闽市监规〔${formedOn.slice(0, 4)}〕${n}号`,
        departmentId,
        category: 'regulation',
        subject: '',
        summary: '',
        formedOn,
      },
      JAN_2027,
    );
  await doc('食品经营许可审查细则', '2026-03-01', 1);
  await doc('计量监督管理办法', '2026-04-01', 2);
  const old = await doc('旧办法', '2024-05-01', 3);
  await changeDocument(deps(), office, old.id, { changedOn: '2026-06-01', validity: 'repealed', changedByDocumentId: null }, JAN_2027);
});
afterAll(async () => {
  await h?.close();
});

describe('issue 18 point 1: table 三 generated from the request record (2021 format)', () => {
  it('records the receipt of O02 (23:30 China time on 31 December) as 2026-12-31', async () => {
    const [row] = await h.db.select().from(disclosureRequests).where(eq(disclosureRequests.id, ids.O02!));
    expect(row!.receivedAt!.toISOString()).toBe('2026-12-31T15:30:00.000Z');
    expect(row!.receivedOn).toBe('2026-12-31');
  });
  it('has every one of the 175 cells as written out', async () => {
    const r = await getReport(deps(), await as('office'), 2026, JAN_2027);
    for (const row of ROW_KEYS)
      for (const col of COLUMN_KEYS) expect(r.table[cellKey(row, col)], cellKey(row, col)).toBe(EXPECTED[cellKey(row, col)] ?? 0);
    expect(r.status).toBe('draft');
    expect(r.deadlines).toEqual({ internal: '2027-01-20', statutory: '2027-01-31' });
  });
  it('computes 行政规范性文件 from the register and offers sentences from the record', async () => {
    const r = await getReport(deps(), await as('leader'), 2026, JAN_2027);
    expect(r.active).toMatchObject({ normative_issued: 2, normative_repealed: 1, normative_valid: 2, licensing_decisions: null });
    expect(r.suggestions[0]).toBe(
      '2026年，本局共收到政府信息公开申请24件，上年结转2件；本年度办结23件，其中予以公开2件、部分公开1件；结转下年度继续办理3件。',
    );
    expect(r.suggestions[1]).toBe('本年制发行政规范性文件2件，废止1件，截至年底现行有效2件。');
    expect(r.mayEdit).toBe(false);
  });
});

describe('issue 18 point 3: every cell opens the requests behind it', () => {
  it('lists the requests of 一 × 自然人 and of 四 × 总计', async () => {
    const v = await cellRequests(deps(), await as('office'), 2026, 'new:natural_person', JAN_2027);
    expect(v.value).toBe(5);
    expect(v.requests.map((r) => r.number).sort()).toEqual(['N01', 'N02', 'N13', 'N19', 'N22'].map((l) => numbers[l]).sort());
    const withdrawn = v.requests.find((r) => r.number === numbers.N22)!;
    expect(withdrawn).toMatchObject({ outcomeLabel: '申请人撤回', statusLabel: '已撤回', concludedOn: '2026-11-10' });
    const out = await cellRequests(deps(), await as('office'), 2026, 'carried_out:total', JAN_2027);
    expect(out.requests.map((r) => r.number).sort()).toEqual(['C03', 'O01', 'O02'].map((l) => numbers[l]).sort());
  });

  it('lists a cell 200 requests a page: 一 × 总计 (24) is one page, page 2 is a 404', async () => {
    const v = await cellRequests(deps(), await as('office'), 2026, 'new:total', JAN_2027);
    expect(v).toMatchObject({ total: 24, page: 1, pageSize: 200 });
    expect(v.requests).toHaveLength(24);
    await expect(cellRequests(deps(), await as('office'), 2026, 'new:total', JAN_2027, 2)).rejects.toMatchObject({ statusCode: 404 });
  });
});

describe('issue 18 point 2: the checks, and one failing on purpose', () => {
  it('fails only the hand-figure checks until the office enters them with their sources', async () => {
    const r = await getReport(deps(), await as('office'), 2026, JAN_2027);
    expect(r.checks.filter((c) => !c.passed).map((c) => c.id)).toEqual(HAND_FIGURES.map((k) => `source:${k}`));
    // No 2025 report in the system: no carry-over check yet.
    expect(r.checks.some((c) => c.id.startsWith('carry:'))).toBe(false);
    expect(r.checks.filter((c) => c.passed)).toHaveLength(7 + 7 + 25);
  });
  it('passes every check once the hand figures have sources', async () => {
    const office = await as('office');
    const figures: [string, number][] = [
      ['rules_issued', 0],
      ['rules_repealed', 0],
      ['rules_valid', 0],
      ['licensing_decisions', 15234],
      ['penalty_decisions', 3120],
      ['coercion_decisions', 211],
      ['fees_amount', 12.5],
    ];
    for (const [key, value] of figures)
      await setFigure(deps(), office, 2026, { key, value, sourceNote: `省市场监管一体化平台 2027-01-04 导出` }, JAN_2027);
    const r = await getReport(deps(), office, 2026, JAN_2027);
    expect(r.checks.filter((c) => !c.passed)).toEqual([]);
    expect(r.active).toMatchObject({ licensing_decisions: 15234, fees_amount: 12.5 });
    expect(r.handFigures.find((f) => f.key === 'fees_amount')).toMatchObject({ value: 12.5, enteredBy: expect.any(String) });
  });
  it('a hand-edited cell of table 三 without a source breaks the column balance, the row total and the source check; approval is refused', async () => {
    const office = await as('office');
    await setFigure(deps(), office, 2026, { key: 'new:research_institution', value: 5, sourceNote: '' }, JAN_2027);
    const r = await getReport(deps(), office, 2026, JAN_2027);
    expect(r.table['new:research_institution']).toBe(5);
    expect(r.computed['new:research_institution']).toBe(4);
    const failed = r.checks.filter((c) => !c.passed);
    expect(failed.map((c) => c.id)).toEqual(['balance:research_institution', 'columns:new', 'source:new:research_institution']);
    expect(failed[0]).toMatchObject({
      left: 5,
      right: 4,
      cells: [
        'new:research_institution',
        'carried_in:research_institution',
        'total:research_institution',
        'carried_out:research_institution',
      ],
    });
    await saveTexts(deps(), office, 2026, { overview: '2026年，本局认真贯彻落实《中华人民共和国政府信息公开条例》。' }, JAN_2027);
    await expect(approveReport(deps(), office, 2026, JAN_2027)).rejects.toMatchObject({ statusCode: 409 });
    // The office removes the correction: every check passes again.
    await setFigure(deps(), office, 2026, { key: 'new:research_institution', value: null, sourceNote: '' }, JAN_2027);
    expect((await getReport(deps(), office, 2026, JAN_2027)).checks.every((c) => c.passed)).toBe(true);
  });
  it('refuses a leader editing or approving (only the office)', async () => {
    const leader = await as('leader');
    await expect(setFigure(deps(), leader, 2026, { key: 'fees_amount', value: 1, sourceNote: 'x' }, JAN_2027)).rejects.toMatchObject({
      statusCode: 403,
    });
    await expect(approveReport(deps(), leader, 2026, JAN_2027)).rejects.toMatchObject({ statusCode: 403 });
  });
});

describe('table 四 from the office’s remedy records (national-rules.md §2.5)', () => {
  it('counts a reconsideration upheld and a suit pending', async () => {
    const office = await as('office');
    await addRemedyCase(
      deps(),
      office,
      { requestNumber: numbers.N03!, kind: 'reconsideration', filedOn: '2026-04-10', result: 'upheld', decidedOn: '2026-06-10', note: '' },
      JAN_2027,
    );
    await addRemedyCase(
      deps(),
      office,
      {
        requestNumber: numbers.N06!,
        kind: 'suit_after_reconsideration',
        filedOn: '2026-09-10',
        result: 'pending',
        decidedOn: null,
        note: '',
      },
      JAN_2027,
    );
    const r = await getReport(deps(), office, 2026, JAN_2027);
    expect(Object.values(r.remedies)).toEqual([1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1]);
    await expect(
      addRemedyCase(
        deps(),
        office,
        { requestNumber: '260101-ZZZZZ', kind: 'reconsideration', filedOn: '2026-04-10', result: 'pending', decidedOn: null, note: '' },
        JAN_2027,
      ),
    ).rejects.toMatchObject({ statusCode: 400, fields: { 'body.requestNumber': expect.any(String) } });
  });
});

describe('approval freezes the year (issue 18: once published, the figures are frozen)', () => {
  it('approves, refuses later edits, and shows a later change of a request as a correction note', async () => {
    const office = await as('office');
    const approved = await approveReport(deps(), office, 2026, JAN_2027);
    expect(approved).toMatchObject({ status: 'approved', frozen: true, corrections: [] });
    await expect(setFigure(deps(), office, 2026, { key: 'fees_amount', value: 13, sourceNote: 'x' }, JAN_2027)).rejects.toMatchObject({
      statusCode: 409,
    });
    // O01, carried into 2027, is concluded on 2027-01-06: 2026's figures are unchanged.
    await recordEvent(
      deps(),
      office,
      ids.O01!,
      { kind: 'concluded', on: '2027-01-06', outcome: 'disclosed' } as never,
      dayAfter('2027-01-06'),
    );
    const after = await getReport(deps(), office, 2026, dayAfter('2027-01-06'));
    expect(after.table['carried_out:total']).toBe(3);
    expect(after.corrections).toEqual([]);
    // A late 补录 of a 2026 request changes the record of 2026: the frozen figures stay, a note says so.
    await enterByStaff(
      deps(),
      await as('center'),
      {
        channel: 'in_person',
        submittedAt: '2026-12-30T10:00:00+08:00',
        applicant: {
          type: 'natural_person',
          name: '补录',
          idDocumentType: 'resident_id',
          idDocumentNumber: '350102199001011234',
          phone: '13800000000',
          email: '',
          address: '',
        },
        information: { title: '补录', docNumber: '', description: '' },
        form: 'paper',
        receiveWay: 'pick_up',
      },
      dayAfter('2027-01-06'),
    );
    const noted = await getReport(deps(), office, 2026, dayAfter('2027-01-06'));
    expect(noted.table['new:natural_person']).toBe(5);
    expect(noted.corrections).toEqual([
      '表三 一、本年新收政府信息公开申请数量 × 自然人：审定时为 5，按现有记录为 6',
      '表三 一、本年新收政府信息公开申请数量 × 总计：审定时为 24，按现有记录为 25',
      '表三 四、结转下年度继续办理 × 自然人：审定时为 0，按现有记录为 1',
      '表三 四、结转下年度继续办理 × 总计：审定时为 3，按现有记录为 4',
    ]);
    // The drill-down of the frozen year lists the requests counted at approval.
    const cell = await cellRequests(deps(), office, 2026, 'new:natural_person', dayAfter('2027-01-06'));
    expect(cell.requests).toHaveLength(5);
  });
});

describe('issue 18 point 4: the staff pages (the printed layout, the drill-down, the PDF), on 2025', () => {
  // 2025 in the same record: C01 and C03 received and still open at its end, C02 received and concluded.
  it('renders table 三 with the format’s spans and every number linking to its requests', async () => {
    const office = bearer(await h.login('office'));
    const res = await h.app.inject({ method: 'GET', url: '/staff/annual-reports/2025', headers: office });
    expect(res.statusCode).toBe(200);
    const page = res.body;
    expect(page).toContain('<th scope="row" rowspan="22">三、本年度办理结果</th>');
    expect(page).toContain('<th scope="row" rowspan="8">（三）不予公开</th>');
    expect(page).toContain('<th scope="row" colspan="3">四、结转下年度继续办理</th>');
    expect(page).toContain('<th colspan="5">法人或其他组织</th>');
    const cell = (k: string) => new RegExp(`data-cell="${k}"><a href="/staff/annual-reports/2025/cells/${k}">(\\d+)</a>`).exec(page)?.[1];
    expect(cell('new:natural_person')).toBe('1');
    expect(cell('new:commercial_enterprise')).toBe('1');
    expect(cell('new:total')).toBe('3');
    expect(cell('disclosed:commercial_enterprise')).toBe('1');
    expect(cell('carried_out:total')).toBe('2');
    expect(cell('other:total')).toBe('0');
    expect((page.match(/data-cell="/g) ?? []).length).toBe(175);
    const drill = await h.app.inject({ method: 'GET', url: '/staff/annual-reports/2025/cells/carried_out:total', headers: office });
    expect(drill.statusCode).toBe(200);
    expect(drill.body).toContain(`data-request="${numbers.C01}"`);
    expect(drill.body).toContain(`data-request="${numbers.C03}"`);
    const pdf = await h.app.inject({ method: 'GET', url: '/staff/annual-reports/2025/pdf', headers: office });
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdf.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
  });
  it('answers a bad figure with field messages in Chinese, and a leader with 403', async () => {
    const office = bearer(await h.login('office'));
    const bad = await h.app.inject({
      method: 'PUT',
      url: '/api/annual-reports/2025/figures',
      headers: office,
      payload: { key: 'licensing_decisions', value: 1.5, sourceNote: '' },
    });
    expect(bad.statusCode, bad.body).toBe(400);
    expect(bad.json().error.fields).toMatchObject({ 'body.value': '件数应为整数' });
    const leader = bearer(await h.login('leader'));
    const denied = await h.app.inject({
      method: 'PUT',
      url: '/api/annual-reports/2025/figures',
      headers: leader,
      payload: { key: 'licensing_decisions', value: 1, sourceNote: 'x' },
    });
    expect(denied.statusCode).toBe(403);
    const notYet = await h.app.inject({ method: 'GET', url: '/api/annual-reports/2026', headers: office });
    expect(notYet.statusCode).toBe(404);
  });
});

describe('issue 18 point 5: the office’s digest from 2 January, the inspection flag after 31 January (条例 Art. 49)', () => {
  const tasks = async (day: string) => {
    await buildDigests(deps(), day);
    const rows = await listDigests({ db: h.db }, await as('office'), day);
    const office = rows.find((r) => r.kind === 'office')!.content as OfficeDigest;
    const general = rows
      .filter((r) => r.kind === 'department')
      .map((r) => r.content as DepartmentDigest)
      .flatMap((c) => (c.tasks ?? []).filter((t) => t.kind === 'annualReport').map((t) => ({ ...t, digest: c.departmentName })));
    return { general, overdue: (office.overdueTasks ?? []).filter((t) => t.kind === 'annualReport') };
  };
  it('reminds the general office on Monday 2027-01-04 of the approved 2026 report, due 2027-01-20', async () => {
    const t = await tasks('2027-01-04');
    expect(t.general).toHaveLength(1);
    expect(t.general[0]).toMatchObject({
      ref: 2026,
      title: '2026年政府信息公开工作年度报告',
      stepLabel: '已审定，待发布（内部时限 2027-01-20，法定时限 2027-01-31，《条例》第四十九条）',
      dueDate: '2027-01-20',
    });
    expect(t.overdue).toEqual([]);
  });
  it('on Monday 2027-02-01 the reminder is overdue in the office’s digest and the dashboard flags the report', async () => {
    const t = await tasks('2027-02-01');
    expect(t.overdue).toEqual([expect.objectContaining({ ref: 2026, dueDate: '2027-01-31' })]);
    const office = await as('office');
    const before = await latestInspection({ db: h.db }, office, new Date('2027-01-31T12:00:00+08:00'));
    expect(before.flags).toBeUndefined();
    const after = await latestInspection({ db: h.db }, office, new Date('2027-02-01T09:00:00+08:00'));
    expect(after.flags).toEqual([
      {
        key: 'annualReportLate',
        label: '政府信息公开工作年度报告逾期未发布',
        cause: '2026年政府信息公开工作年度报告应于2027年1月31日前向社会公布（《中华人民共和国政府信息公开条例》第四十九条），至今尚未发布',
      },
    ]);
  });
});

describe('issue 18 point 6: other yearly figures from the same record (国办函〔2018〕12号 留言办理)', () => {
  it('counts the mailbox letters of 2026 through the mailbox statistics and names what the system does not hold', async () => {
    const sent = await h.app.inject({ method: 'POST', url: '/api/letters', payload: sampleLetter() });
    expect(sent.statusCode, sent.body).toBe(201);
    const v = await websiteFigures(deps(), await as('leader'), 2026, JAN_2027);
    expect(v.mailbox).toEqual({
      received: 1,
      answered: 0,
      answeredWithinLimit: 0,
      answeredWithinLimitRate: null,
      averageWorkingDaysToAnswer: null,
      published: 0,
    });
    expect(v.notHeld).toContain('解读回应 · 回应关切的数量（本系统只记录政策解读）');
    // 信息发布: a 通知公告 item through the Art. 20 chain, published now (2026 in China): one more in all, none in
    // the news columns or 政策解读; no catalogue entry was published in this file.
    await (await itemThroughChain(h, as, '关于年度报表统计的通知', '正文。')).publish();
    const after = await websiteFigures(deps(), await as('leader'), 2026, JAN_2027);
    expect(after.publishing).toEqual({ total: v.publishing.total + 1, news: v.publishing.news, catalogue: 0 });
    expect(after.interpretations).toBe(v.interpretations);
    const page = await h.app.inject({ method: 'GET', url: '/staff/annual-reports/2025/website', headers: bearer(await h.login('leader')) });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<td data-figure="received">0</td>');
  });
});

describe('issue 18 point 4: the PDF read back with pdftotext (Debian poppler-utils)', () => {
  it('carries the row labels of table 三 and each row’s seven figures in column order', async () => {
    const { pdf } = await getReportPdf(deps(), await as('office'), 2026, JAN_2027);
    const dir = mkdtempSync(path.join(tmpdir(), 'amr-annual-pdf-'));
    const file = path.join(dir, 'report.pdf');
    writeFileSync(file, pdf);
    const { stdout } = await promisify(execFile)('pdftotext', ['-layout', file, '-']);
    rmSync(dir, { recursive: true, force: true });
    const lines = stdout.split('\n');
    expect(stdout).toContain('福建省市场监督管理局2026年政府信息公开工作年度报告');
    for (const row of ['new', 'carried_in', 'disclosed', 'withheld_state_secret', 'total', 'carried_out'] as const) {
      const label = pdfRowLabel(row);
      const line = lines.find((l) => l.includes(label.split(' ').at(-1)!));
      expect(line, label).toBeDefined();
      const figures = COLUMN_KEYS.map((c) => String(EXPECTED[cellKey(row, c)] ?? 0));
      expect(line!.trim().split(/\s+/).slice(-7), label).toEqual(figures);
    }
  });
});
