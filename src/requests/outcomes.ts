// The outcomes of a disclosure request (依申请公开) and the applicant types: declared once here, because
// the request record, its answer letter (告知书) and the annual report's table 三 (national-rules.md §2.4,
// 2021 format) must agree cell for cell. Pure facts, no I/O.

/** The annual report's seven applicant columns without 总计 (national-rules.md §2.4). */
export const APPLICANT_TYPE_LABELS = {
  natural_person: '自然人',
  commercial_enterprise: '商业企业',
  research_institution: '科研机构',
  public_welfare_organisation: '社会公益组织',
  legal_service_institution: '法律服务机构',
  other_organisation: '其他',
} as const;
export type ApplicantType = keyof typeof APPLICANT_TYPE_LABELS;
export const APPLICANT_TYPES = Object.keys(APPLICANT_TYPE_LABELS) as [ApplicantType, ...ApplicantType[]];

/** The first-level result groups of table 三, in the report's order. */
export const OUTCOME_GROUP_LABELS = {
  disclosed: '（一）予以公开',
  partly_disclosed: '（二）部分公开（区分处理的，只计这一情形，不计其他情形）',
  withheld: '（三）不予公开',
  cannot_provide: '（四）无法提供',
  not_processed: '（五）不予处理',
  other: '（六）其他处理',
} as const;
export type OutcomeGroup = keyof typeof OUTCOME_GROUP_LABELS;

/**
 * The 21 leaf outcomes, in the report's row order (table 三 spans 22 rows with （七）总计). `label` is the row label as printed; `basis` the
 * article the answer letter cites.
 */
export const OUTCOME_FACTS = {
  disclosed: { group: 'disclosed', label: '予以公开', basis: '《中华人民共和国政府信息公开条例》第三十六条第（一）项、第（二）项' },
  partly_disclosed: { group: 'partly_disclosed', label: '部分公开', basis: '《中华人民共和国政府信息公开条例》第三十七条' },
  withheld_state_secret: { group: 'withheld', label: '1.属于国家秘密', basis: '《中华人民共和国政府信息公开条例》第十四条' },
  withheld_law_forbids: { group: 'withheld', label: '2.其他法律行政法规禁止公开', basis: '《中华人民共和国政府信息公开条例》第十四条' },
  withheld_security_stability: { group: 'withheld', label: '3.危及“三安全一稳定”', basis: '《中华人民共和国政府信息公开条例》第十四条' },
  withheld_third_party: {
    group: 'withheld',
    label: '4.保护第三方合法权益',
    basis: '《中华人民共和国政府信息公开条例》第十五条、第三十二条',
  },
  withheld_internal_affairs: {
    group: 'withheld',
    label: '5.属于三类内部事务信息',
    basis: '《中华人民共和国政府信息公开条例》第十六条第一款',
  },
  withheld_process_information: {
    group: 'withheld',
    label: '6.属于四类过程性信息',
    basis: '《中华人民共和国政府信息公开条例》第十六条第二款',
  },
  withheld_enforcement_file: { group: 'withheld', label: '7.属于行政执法案卷', basis: '《中华人民共和国政府信息公开条例》第十六条第二款' },
  withheld_query_matter: {
    group: 'withheld',
    label: '8.属于行政查询事项',
    basis: '《中华人民共和国政府信息公开条例》第三十六条第（七）项',
  },
  cannot_not_held: {
    group: 'cannot_provide',
    label: '1.本机关不掌握相关政府信息',
    basis: '《中华人民共和国政府信息公开条例》第三十六条第（四）项、第（五）项',
  },
  cannot_needs_creation: {
    group: 'cannot_provide',
    label: '2.没有现成信息需要另行制作',
    basis: '《中华人民共和国政府信息公开条例》第三十八条',
  },
  cannot_unclear_after_correction: {
    group: 'cannot_provide',
    label: '3.补正后申请内容仍不明确',
    basis: '《中华人民共和国政府信息公开条例》第三十条',
  },
  not_processed_petition: {
    group: 'not_processed',
    label: '1.信访举报投诉类申请',
    basis: '《中华人民共和国政府信息公开条例》第三十九条第一款',
  },
  not_processed_repeated: { group: 'not_processed', label: '2.重复申请', basis: '《中华人民共和国政府信息公开条例》第三十六条第（六）项' },
  not_processed_publication: {
    group: 'not_processed',
    label: '3.要求提供公开出版物',
    basis: '《中华人民共和国政府信息公开条例》第三十九条第二款',
  },
  not_processed_excessive: {
    group: 'not_processed',
    label: '4.无正当理由大量反复申请',
    basis: '《中华人民共和国政府信息公开条例》第三十五条',
  },
  not_processed_confirmation: {
    group: 'not_processed',
    label: '5.要求行政机关确认或重新出具已获取信息',
    basis: '《中华人民共和国政府信息公开条例》第三十九条',
  },
  other_no_correction: {
    group: 'other',
    label: '1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请',
    basis: '《中华人民共和国政府信息公开条例》第三十条',
  },
  other_fee_unpaid: {
    group: 'other',
    label: '2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请',
    basis: '《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）',
  },
  other: { group: 'other', label: '3.其他', basis: '《中华人民共和国政府信息公开条例》' },
} as const satisfies Record<string, { group: OutcomeGroup; label: string; basis: string }>;
export type RequestOutcome = keyof typeof OUTCOME_FACTS;
export const REQUEST_OUTCOMES = Object.keys(OUTCOME_FACTS) as [RequestOutcome, ...RequestOutcome[]];

/** The outcomes of a group, in the report's row order. */
export const outcomesOf = (group: OutcomeGroup): RequestOutcome[] => REQUEST_OUTCOMES.filter((o) => OUTCOME_FACTS[o].group === group);

/**
 * 不予公开 decisions go to reconsideration first (行政复议法 2023 Art. 23(四)); so does the withheld part
 * of a 部分公开 (条例 Art. 37), whose letter gives the reasons for that part.
 */
export const isAppealFirst = (outcome: RequestOutcome) => ['withheld', 'partly_disclosed'].includes(OUTCOME_FACTS[outcome].group);
