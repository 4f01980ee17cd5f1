// Government information disclosure, part 1 (issue 16): the document register, the general office's
// disclosure decision (measures Art. 30) and the 主动公开 catalogue within 20 working days (政府信息公开
// 条例 Art. 26). Pure facts and rules, no I/O: the pgEnums, the zod enums and the types come from here.
import type { Role } from '../auth/roles.js';

/** 条例 Art. 20's items that concern the bureau, and other. `needsDocNumber`: a 文号 is required. */
export const DOCUMENT_CATEGORY_FACTS = {
  regulation: { label: '规章和行政规范性文件', code: '01', needsDocNumber: true },
  organisation: { label: '机构职能', code: '02', needsDocNumber: false },
  plan: { label: '规划计划', code: '03', needsDocNumber: false },
  statistics: { label: '统计信息', code: '04', needsDocNumber: false },
  licensing: { label: '行政许可', code: '05', needsDocNumber: false },
  penalty: { label: '行政处罚和行政强制', code: '06', needsDocNumber: true },
  fees: { label: '行政事业性收费', code: '07', needsDocNumber: false },
  procurement: { label: '政府集中采购', code: '08', needsDocNumber: false },
  emergency: { label: '应急管理', code: '09', needsDocNumber: false },
  inspection: { label: '监督检查（食品药品、产品质量等）', code: '10', needsDocNumber: false },
  recruitment: { label: '人事招录', code: '11', needsDocNumber: false },
  other: { label: '其他', code: '99', needsDocNumber: false },
} as const;
export type DocumentCategory = keyof typeof DOCUMENT_CATEGORY_FACTS;
export const DOCUMENT_CATEGORIES = Object.keys(DOCUMENT_CATEGORY_FACTS) as [DocumentCategory, ...DocumentCategory[]];

/** A document's validity; a changed or repealed one's public page says so (政府网站发展指引). */
export const VALIDITY_LABELS = { valid: '有效', amended: '已修改', repealed: '已废止', expired: '已失效' } as const;
export type Validity = keyof typeof VALIDITY_LABELS;
export const VALIDITIES = Object.keys(VALIDITY_LABELS) as [Validity, ...Validity[]];

/** The office's decision per document (measures Art. 30; 条例 Art. 13). */
export const DECISION_LABELS = { proactive: '主动公开', on_request: '依申请公开', withheld: '不予公开' } as const;
export type DisclosureDecision = keyof typeof DECISION_LABELS;
export const DISCLOSURE_DECISIONS = Object.keys(DECISION_LABELS) as [DisclosureDecision, ...DisclosureDecision[]];

/** The legal basis of a decision other than 主动公开: 条例 Arts. 14–16, a fixed list. */
export const LEGAL_BASIS_LABELS = {
  art14_state_secret: '条例第十四条：依法确定为国家秘密',
  art14_law_forbids: '条例第十四条：法律、行政法规禁止公开',
  art14_security_stability: '条例第十四条：公开后可能危及国家安全、公共安全、经济安全、社会稳定',
  art15_third_party: '条例第十五条：涉及商业秘密、个人隐私，公开会对第三方合法权益造成损害',
  art16_internal_affairs: '条例第十六条第一款：内部事务信息（人事管理、后勤管理、内部工作流程）',
  art16_process_information: '条例第十六条第二款：过程性信息（讨论记录、过程稿、磋商信函、请示报告）',
  art16_enforcement_file: '条例第十六条第二款：行政执法案卷信息',
} as const;
export type LegalBasis = keyof typeof LEGAL_BASIS_LABELS;
export const LEGAL_BASES = Object.keys(LEGAL_BASIS_LABELS) as [LegalBasis, ...LegalBasis[]];

/** A catalogue task: opened by a 主动公开 decision or a change of the document, done when the entry is published. */
export const TASK_STATUSES = ['open', 'published', 'cancelled'] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];
export const TASK_STATUS_LABELS: Record<TaskStatus, string> = { open: '待编目发布', published: '已发布', cancelled: '已取消' };

/** 条例 Art. 26: within 20 working days of the day the information was formed or changed. */
export const CATALOGUE_WORKING_DAYS = 20;

// Role groups of this module, each named by who they are.
/** Who enters documents in the register: department staff their own department's, the office any. */
export const REGISTRARS = ['handler', 'dept_leader', 'office'] as const satisfies readonly Role[];
/** The general office decides on disclosure (measures Art. 30). */
export const DECIDERS = ['office'] as const satisfies readonly Role[];
/** The service centre enters and publishes the catalogue (measures Art. 31). */
export const CATALOGUERS = ['service_center'] as const satisfies readonly Role[];
/** Who reads the register: everyone who enters, decides or catalogues, and the bureau leaders. */
export const REGISTER_READERS = [
  'handler',
  'dept_leader',
  'office',
  'service_center',
  'bureau_leader',
  'admin',
] as const satisfies readonly Role[];
/** The general office and the service centre see every department's documents. */
export const BUREAU_WIDE_READERS = ['office', 'service_center', 'bureau_leader', 'admin'] as const satisfies readonly Role[];

/**
 * Why a decision cannot be stored as given (null: it can). Art. 30: the last two need a basis; 条例
 * Art. 18: a withheld one a re-review date.
 */
export function decisionRefusal(
  d: { decision: DisclosureDecision; legalBasis?: LegalBasis | null; reReviewOn?: string | null },
  today: string,
) {
  if (d.decision === 'proactive') {
    if (d.legalBasis) return { field: 'legalBasis', message: '主动公开无需选择不公开的法律依据' };
    return null;
  }
  if (!d.legalBasis) return { field: 'legalBasis', message: '依申请公开或不予公开须选择法律依据' };
  if (d.decision === 'withheld' && !d.reReviewOn) return { field: 'reReviewOn', message: '不予公开须定复核日期（条例第十八条）' };
  if (d.reReviewOn && d.reReviewOn <= today) return { field: 'reReviewOn', message: '复核日期须晚于今天' };
  return null;
}

/** The 索引号 from the pattern: {category} the category's code, {year} the formed year, {seq} the sequence (5 digits). */
export function indexNumberOf(pattern: string, facts: { category: DocumentCategory; year: number; seq: number }): string {
  return pattern
    .replaceAll('{category}', DOCUMENT_CATEGORY_FACTS[facts.category].code)
    .replaceAll('{year}', String(facts.year))
    .replaceAll('{seq}', String(facts.seq).padStart(5, '0'));
}

/** Published on or before the due date (the end of the 20th working day, China time). */
export const publishedOnTime = (publishedOn: string, dueOn: string) => publishedOn <= dueOn;

/** The two reading rooms (两馆) that receive the proactive information (条例 Art. 25; measures Art. 28). */
export const ARCHIVE_LABELS = { library: '福建省图书馆政府信息公开查阅点', archive: '福建省档案馆政府信息公开查阅点' } as const;
export type ArchiveKind = keyof typeof ARCHIVE_LABELS;
export const ARCHIVE_KINDS = Object.keys(ARCHIVE_LABELS) as [ArchiveKind, ...ArchiveKind[]];
/** The general office sends the copies to the two reading rooms. */
export const ARCHIVE_SENDERS = ['office'] as const satisfies readonly Role[];
