import { describe, expect, it } from 'vitest';
import {
  COLUMN_KEYS,
  ROW_KEYS,
  applyOverrides,
  cellKey,
  computeRemedies,
  computeTable,
  normativeFigures,
  printedRows,
  runChecks,
  type RequestFact,
} from '../../src/annual-report/rules.js';
import type { ApplicantType, RequestOutcome } from '../../src/requests/outcomes.js';
import { EXPECTED } from '../support/annual-year.js';

// Issue 18 point 1 / 条例 Art. 50(二) and the national format 国办公开办函〔2021〕30号 table 三
// (national-rules.md §2.4): every outcome leaf, every applicant type, carry-overs in and out, the year
// boundary at China time. The expected counts are written out below, cell by cell.

const NP: ApplicantType = 'natural_person';
const CE: ApplicantType = 'commercial_enterprise';
const RI: ApplicantType = 'research_institution';
const PW: ApplicantType = 'public_welfare_organisation';
const LS: ApplicantType = 'legal_service_institution';
const OT: ApplicantType = 'other_organisation';

const f = (
  number: string,
  applicantType: ApplicantType,
  receivedAt: string,
  concludedOn: string | null,
  outcome: RequestOutcome | null,
  withdrawn = false,
): RequestFact => ({
  number,
  applicantType,
  receivedAt: new Date(receivedAt.includes('T') ? receivedAt : `${receivedAt}T10:00:00+08:00`),
  concludedOn,
  outcome,
  withdrawn,
});

const FACTS: RequestFact[] = [
  f('N01', NP, '2026-02-03', '2026-02-20', 'disclosed'),
  f('N02', NP, '2026-03-02', '2026-03-20', 'partly_disclosed'),
  f('N03', CE, '2026-03-05', '2026-03-25', 'withheld_state_secret'),
  f('N04', CE, '2026-03-06', '2026-03-26', 'withheld_law_forbids'),
  f('N05', RI, '2026-04-01', '2026-04-20', 'withheld_security_stability'),
  f('N06', RI, '2026-04-02', '2026-04-21', 'withheld_third_party'),
  f('N07', PW, '2026-05-06', '2026-05-20', 'withheld_internal_affairs'),
  f('N08', PW, '2026-05-07', '2026-05-21', 'withheld_process_information'),
  f('N09', LS, '2026-06-01', '2026-06-15', 'withheld_enforcement_file'),
  f('N10', LS, '2026-06-02', '2026-06-16', 'withheld_query_matter'),
  f('N11', OT, '2026-07-01', '2026-07-15', 'cannot_not_held'),
  f('N12', OT, '2026-07-02', '2026-07-16', 'cannot_needs_creation'),
  f('N13', NP, '2026-08-03', '2026-08-20', 'cannot_unclear_after_correction'),
  f('N14', CE, '2026-08-04', '2026-08-21', 'not_processed_petition'),
  f('N15', RI, '2026-09-01', '2026-09-15', 'not_processed_repeated'),
  f('N16', PW, '2026-09-02', '2026-09-16', 'not_processed_publication'),
  f('N17', LS, '2026-09-03', '2026-09-17', 'not_processed_excessive'),
  f('N18', OT, '2026-09-04', '2026-09-18', 'not_processed_confirmation'),
  f('N19', NP, '2026-10-09', '2026-11-20', 'other_no_correction'),
  f('N20', CE, '2026-10-12', '2026-11-30', 'other_fee_unpaid'),
  // Concluded on the last day of the year: a 2026 result.
  f('N21', RI, '2026-12-01', '2026-12-31', 'other'),
  // Withdrawn by the applicant: （六）3.其他.
  f('N22', NP, '2026-11-02', '2026-11-10', null, true),
  // Received 2025, still open on 1 January 2026, concluded in 2026: 上年结转 and a 2026 result.
  f('C01', NP, '2025-12-20', '2026-01-15', 'disclosed'),
  // Received and concluded in 2025: not in the 2026 table at all.
  f('C02', CE, '2025-11-10', '2025-12-30', 'disclosed'),
  // Received 2025, open all through 2026: 上年结转 and 结转下年度.
  f('C03', LS, '2025-12-28', '2027-01-10', 'disclosed'),
  // Received in 2026, concluded in 2027: 结转下年度.
  f('O01', PW, '2026-12-20', '2027-01-08', 'disclosed'),
  // 2026-12-31 23:30 China time is 15:30 UTC: received in 2026, still open.
  f('O02', OT, '2026-12-31T15:30:00Z', null, null),
  // 2027-01-01 00:10 China time (2026-12-31 16:10 UTC): a 2027 request, not in 2026.
  f('X01', NP, '2026-12-31T16:10:00Z', null, null),
];

describe('table 三 from the request record (national-rules.md §2.4, 2021 format)', () => {
  const { table, behind } = computeTable(2026, FACTS);
  it('has 25 rows × 7 columns, every cell as written out', () => {
    expect(ROW_KEYS).toHaveLength(25);
    expect(COLUMN_KEYS).toHaveLength(7);
    expect(Object.keys(table)).toHaveLength(175);
    for (const r of ROW_KEYS) for (const c of COLUMN_KEYS) expect(table[cellKey(r, c)], cellKey(r, c)).toBe(EXPECTED[cellKey(r, c)] ?? 0);
  });
  it('names the requests behind each cell (issue 18 point 3)', () => {
    expect(behind['new:natural_person']).toEqual(['N01', 'N02', 'N13', 'N19', 'N22']);
    expect(behind['carried_in:total']).toEqual(['C01', 'C03']);
    expect(behind['carried_out:total']).toEqual(['C03', 'O01', 'O02']);
    expect(behind['other:total']).toEqual(['N21', 'N22']);
    expect(behind['new:other_organisation']).toContain('O02');
    expect(Object.values(behind).flat()).not.toContain('X01');
    expect(Object.values(behind).flat()).not.toContain('C02');
  });
  it('puts 2026-12-31 23:30 China time (15:30 UTC) in 2026 and 2027-01-01 00:10 China time in 2027', () => {
    const y2027 = computeTable(2027, FACTS);
    expect(y2027.behind['new:natural_person']).toEqual(['X01']);
    // 2027's 上年结转 is 2026's 结转下年度: C03, O01, O02.
    expect(y2027.behind['carried_in:total']).toEqual(['C03', 'O01', 'O02']);
    expect(y2027.table['disclosed:total']).toBe(2); // C03 and O01, concluded January 2027
    expect(y2027.table['carried_out:total']).toBe(2); // O02 and X01 still open
  });
  it('passes every check of issue 18 point 2 on the computed table, with last year carried over', () => {
    const lastYear = computeTable(2025, FACTS).table;
    // 2025's 四: C01 (natural person) and C03 (legal services).
    expect(lastYear['carried_out:natural_person']).toBe(1);
    expect(lastYear['carried_out:legal_service_institution']).toBe(1);
    expect(lastYear['carried_out:total']).toBe(2);
    const lastYearCarriedOut = Object.fromEntries(COLUMN_KEYS.map((c) => [c, lastYear[cellKey('carried_out', c)]])) as Record<
      (typeof COLUMN_KEYS)[number],
      number
    >;
    const checks = runChecks({ table, lastYearCarriedOut, handFigures: [] });
    // 7 balance + 7 leaf sums + 25 row totals + 7 carry-overs.
    expect(checks).toHaveLength(46);
    expect(checks.filter((c) => !c.passed)).toEqual([]);
    const balance = checks.find((c) => c.id === 'balance:total')!;
    expect(balance).toMatchObject({ left: 26, right: 26, cells: ['new:total', 'carried_in:total', 'total:total', 'carried_out:total'] });
  });
  it('fails exactly the checks a hand-edited figure breaks, naming the cells', () => {
    // The office types 6 for 一 × 自然人 (the record says 5) and forgets the source note.
    const edited = applyOverrides(table, [{ cell: 'new:natural_person', value: 6, sourceNote: '' }]);
    const checks = runChecks({
      table: edited,
      lastYearCarriedOut: null,
      handFigures: [{ key: 'new:natural_person', label: '一 × 自然人', value: 6, sourceNote: '' }],
    });
    expect(checks.filter((c) => !c.passed).map((c) => c.id)).toEqual([
      'balance:natural_person',
      'columns:new',
      'source:new:natural_person',
    ]);
    expect(checks.find((c) => c.id === 'balance:natural_person')).toMatchObject({ left: 7, right: 6 });
    expect(checks.find((c) => c.id === 'columns:new')).toMatchObject({ left: 24, right: 25 });
  });
  it('fails the carry-over check when last year’s 四 differs', () => {
    const lastYearCarriedOut = Object.fromEntries(COLUMN_KEYS.map((c) => [c, 0])) as Record<(typeof COLUMN_KEYS)[number], number>;
    const failed = runChecks({ table, lastYearCarriedOut, handFigures: [] }).filter((c) => !c.passed);
    expect(failed.map((c) => c.id)).toEqual(['carry:natural_person', 'carry:legal_service_institution', 'carry:total']);
  });
  it('fails a hand figure not yet entered', () => {
    const checks = runChecks({ table, handFigures: [{ key: 'licensing_decisions', label: '行政许可', value: null, sourceNote: '' }] });
    expect(checks.at(-1)).toMatchObject({ id: 'source:licensing_decisions', passed: false, label: '行政许可：尚未填报' });
  });
});

describe('the printed layout (row and column spans as in the national form)', () => {
  const rows = printedRows();
  it('has one printed row per data row, 三 spanning the 22 result rows and each group its leaves', () => {
    expect(rows.map((r) => r.row)).toEqual([...ROW_KEYS]);
    expect(rows[0]!.labels).toEqual([{ text: '一、本年新收政府信息公开申请数量', rowspan: 1, colspan: 3 }]);
    expect(rows[2]!.labels[0]).toEqual({ text: '三、本年度办理结果', rowspan: 22, colspan: 1 });
    expect(rows[2]!.labels[1]).toEqual({ text: '（一）予以公开', rowspan: 1, colspan: 2 });
    const spans = rows.flatMap((r) => r.labels).filter((l) => l.rowspan > 1 && l.text !== '三、本年度办理结果');
    expect(spans.map((l) => [l.text, l.rowspan])).toEqual([
      ['（三）不予公开', 8],
      ['（四）无法提供', 3],
      ['（五）不予处理', 5],
      ['（六）其他处理', 3],
    ]);
    expect(rows[23]!.labels).toEqual([{ text: '（七）总计', rowspan: 1, colspan: 2 }]);
    expect(rows[24]!.labels).toEqual([{ text: '四、结转下年度继续办理', rowspan: 1, colspan: 3 }]);
    // Every row fills the three label columns (counting the spans from the rows above).
    let open: number[] = [0, 0, 0];
    for (const r of rows) {
      const width = r.labels.reduce((s, l) => s + l.colspan, 0) + open.filter((n) => n > 0).length;
      expect(width, r.row).toBe(3);
      open = open.map((n) => Math.max(0, n - 1));
      let col = open.findIndex((n) => n === 0);
      for (const l of r.labels) {
        if (l.rowspan > 1) open[col] = l.rowspan - 1;
        col += l.colspan;
      }
    }
  });
});

describe('table 二: 行政规范性文件 from the register (条例 Art. 20(一))', () => {
  it('counts issued, repealed and in force at 31 December', () => {
    const fig = normativeFigures(2026, [
      { formedOn: '2026-03-01', validity: 'valid', validityChangedOn: null }, // issued, in force
      { formedOn: '2026-05-01', validity: 'repealed', validityChangedOn: '2026-11-01' }, // issued and repealed
      { formedOn: '2024-05-01', validity: 'amended', validityChangedOn: '2026-06-01' }, // in force as amended
      { formedOn: '2023-05-01', validity: 'expired', validityChangedOn: '2026-02-01' }, // ended in 2026
      { formedOn: '2022-05-01', validity: 'repealed', validityChangedOn: '2027-01-05' }, // in force on 31 December
      { formedOn: '2021-05-01', validity: 'repealed', validityChangedOn: '2025-01-05' }, // ended before
      { formedOn: '2027-01-03', validity: 'valid', validityChangedOn: null }, // next year
    ]);
    expect(fig).toEqual({ normative_issued: 2, normative_repealed: 2, normative_valid: 3 });
  });
});

describe('table 四: 行政复议 and 行政诉讼 (national-rules.md §2.5), 15 numbers', () => {
  it('counts the cases brought in the year by kind and result as of 31 December', () => {
    const t = computeRemedies(2026, [
      { kind: 'reconsideration', filedOn: '2026-03-01', result: 'upheld', decidedOn: '2026-05-01' },
      { kind: 'reconsideration', filedOn: '2026-04-01', result: 'corrected', decidedOn: '2026-06-01' },
      { kind: 'reconsideration', filedOn: '2026-11-01', result: 'upheld', decidedOn: '2027-01-10' }, // pending at year end
      { kind: 'direct_suit', filedOn: '2026-05-01', result: 'other', decidedOn: '2026-09-01' },
      { kind: 'suit_after_reconsideration', filedOn: '2026-07-01', result: null, decidedOn: null },
      { kind: 'suit_after_reconsideration', filedOn: '2025-07-01', result: 'upheld', decidedOn: '2026-01-10' }, // brought in 2025
    ]);
    expect(Object.values(t)).toEqual([1, 1, 0, 1, 3, 0, 0, 1, 0, 1, 0, 0, 0, 1, 1]);
  });
});
