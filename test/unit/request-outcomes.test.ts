import { describe, expect, it } from 'vitest';
import {
  APPLICANT_TYPES,
  OUTCOME_FACTS,
  OUTCOME_GROUP_LABELS,
  REQUEST_OUTCOMES,
  isAppealFirst,
  outcomesOf,
  type OutcomeGroup,
} from '../../src/requests/outcomes.js';

// national-rules.md §2.4: table 三 of the annual report (2021 format) spans 22 rows, rows 3–24: 21 leaf
// results under six groups, then （七）总计 (issue 17 says "22 leaf outcomes", counting 总计). Six
// applicant columns come before 总计.
describe('the outcomes of a disclosure request match the annual report table 三 (2021 format)', () => {
  it('21 leaves: (一) 1, (二) 1, (三) 8, (四) 3, (五) 5, (六) 3, in the report order', () => {
    expect(REQUEST_OUTCOMES).toHaveLength(21);
    const sizes = (Object.keys(OUTCOME_GROUP_LABELS) as OutcomeGroup[]).map((g) => outcomesOf(g).length);
    expect(sizes).toEqual([1, 1, 8, 3, 5, 3]);
    // Grouped leaves are contiguous: the declaration order is the report's row order.
    const groups = REQUEST_OUTCOMES.map((o) => OUTCOME_FACTS[o].group);
    expect(groups.filter((g, i) => i === 0 || g !== groups[i - 1])).toEqual(Object.keys(OUTCOME_GROUP_LABELS));
  });

  it('the numbered leaves of a group count 1, 2, 3 … as printed', () => {
    for (const group of ['withheld', 'cannot_provide', 'not_processed', 'other'] as const) {
      expect(outcomesOf(group).map((o) => OUTCOME_FACTS[o].label.split('.')[0])).toEqual(outcomesOf(group).map((_, i) => String(i + 1)));
    }
  });

  it('行政复议法 2023 Art. 23(四): reconsideration first for 不予公开 (and the withheld part of 部分公开), not for the others', () => {
    expect(REQUEST_OUTCOMES.filter(isAppealFirst)).toEqual(['partly_disclosed', ...outcomesOf('withheld')]);
  });

  it('six applicant columns: 自然人 and the five kinds of organisation', () => {
    expect(APPLICANT_TYPES).toEqual([
      'natural_person',
      'commercial_enterprise',
      'research_institution',
      'public_welfare_organisation',
      'legal_service_institution',
      'other_organisation',
    ]);
  });
});
