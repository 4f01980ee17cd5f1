// The 2026 table 三 both annual-report tests build (the same requests, in the unit test as facts and in the
// integration test through the requests service): every non-zero cell written out; every other cell of the
// 25 × 7 is 0. The comments name the requests behind each count.
import type { CellKey } from '../../src/annual-report/rules.js';

export const EXPECTED: Partial<Record<CellKey, number>> = {
  'new:natural_person': 5, // N01 N02 N13 N19 N22
  'new:commercial_enterprise': 4, // N03 N04 N14 N20
  'new:research_institution': 4, // N05 N06 N15 N21
  'new:public_welfare_organisation': 4, // N07 N08 N16 O01
  'new:legal_service_institution': 3, // N09 N10 N17
  'new:other_organisation': 4, // N11 N12 N18 O02
  'new:total': 24,
  'carried_in:natural_person': 1, // C01
  'carried_in:legal_service_institution': 1, // C03
  'carried_in:total': 2,
  'disclosed:natural_person': 2, // N01 C01
  'disclosed:total': 2,
  'partly_disclosed:natural_person': 1,
  'partly_disclosed:total': 1,
  'withheld_state_secret:commercial_enterprise': 1,
  'withheld_state_secret:total': 1,
  'withheld_law_forbids:commercial_enterprise': 1,
  'withheld_law_forbids:total': 1,
  'withheld_security_stability:research_institution': 1,
  'withheld_security_stability:total': 1,
  'withheld_third_party:research_institution': 1,
  'withheld_third_party:total': 1,
  'withheld_internal_affairs:public_welfare_organisation': 1,
  'withheld_internal_affairs:total': 1,
  'withheld_process_information:public_welfare_organisation': 1,
  'withheld_process_information:total': 1,
  'withheld_enforcement_file:legal_service_institution': 1,
  'withheld_enforcement_file:total': 1,
  'withheld_query_matter:legal_service_institution': 1,
  'withheld_query_matter:total': 1,
  'cannot_not_held:other_organisation': 1,
  'cannot_not_held:total': 1,
  'cannot_needs_creation:other_organisation': 1,
  'cannot_needs_creation:total': 1,
  'cannot_unclear_after_correction:natural_person': 1,
  'cannot_unclear_after_correction:total': 1,
  'not_processed_petition:commercial_enterprise': 1,
  'not_processed_petition:total': 1,
  'not_processed_repeated:research_institution': 1,
  'not_processed_repeated:total': 1,
  'not_processed_publication:public_welfare_organisation': 1,
  'not_processed_publication:total': 1,
  'not_processed_excessive:legal_service_institution': 1,
  'not_processed_excessive:total': 1,
  'not_processed_confirmation:other_organisation': 1,
  'not_processed_confirmation:total': 1,
  'other_no_correction:natural_person': 1,
  'other_no_correction:total': 1,
  'other_fee_unpaid:commercial_enterprise': 1,
  'other_fee_unpaid:total': 1,
  'other:natural_person': 1, // N22 (withdrawn)
  'other:research_institution': 1, // N21
  'other:total': 2,
  'total:natural_person': 6,
  'total:commercial_enterprise': 4,
  'total:research_institution': 4,
  'total:public_welfare_organisation': 3,
  'total:legal_service_institution': 3,
  'total:other_organisation': 3,
  'total:total': 23,
  'carried_out:public_welfare_organisation': 1, // O01
  'carried_out:legal_service_institution': 1, // C03
  'carried_out:other_organisation': 1, // O02
  'carried_out:total': 3,
};
