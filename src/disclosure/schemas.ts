import { z } from 'zod';
import { id32, idParam, isoDate, queryInt, requiredText, safeString } from '../server/schema-types.js';
import {
  ARCHIVE_KINDS,
  DECISION_LABELS,
  DISCLOSURE_DECISIONS,
  DOCUMENT_CATEGORIES,
  DOCUMENT_CATEGORY_FACTS,
  LEGAL_BASES,
  TASK_STATUSES,
  VALIDITIES,
} from './rules.js';

export const documentParams = z.object({ id: idParam('文件编号应为正整数') });
export const entryParams = z.object({ id: idParam('目录条目编号应为正整数') });

const category = z.enum(DOCUMENT_CATEGORIES, { error: '请选择信息类别' });
const optionalText = (label: string, max: number) => safeString().trim().max(max, `${label}不能超过 ${max} 个字`).default('');

/** A document as its department enters it. The service refuses a future 成文日期 (China time). */
export const documentBody = z
  .object({
    title: requiredText('文件标题', 200),
    docNumber: safeString().trim().max(100, '文号不能超过 100 个字').nullable().default(null),
    departmentId: id32('请选择发文处室'),
    category,
    subject: optionalText('主题分类', 50),
    summary: optionalText('内容概述', 1000),
    formedOn: isoDate,
  })
  .superRefine((d, ctx) => {
    if (DOCUMENT_CATEGORY_FACTS[d.category].needsDocNumber && !d.docNumber) {
      ctx.addIssue({ code: 'custom', path: ['docNumber'], message: `${DOCUMENT_CATEGORY_FACTS[d.category].label}须填写文号` });
    }
  });

/** A change of the document: a new version (changedOn), or a validity change with the date and the document that made it. */
export const changeBody = z.object({
  changedOn: isoDate,
  validity: z.enum(VALIDITIES, { error: '请选择效力状态' }).default('valid'),
  changedByDocumentId: id32('变更依据文件编号应为正整数').nullable().default(null),
  title: requiredText('文件标题', 200).optional(),
  summary: optionalText('内容概述', 1000).optional(),
});

export const decisionBody = z.object({
  decision: z.enum(DISCLOSURE_DECISIONS, { error: `请选择公开属性：${Object.values(DECISION_LABELS).join('、')}` }),
  legalBasis: z.enum(LEGAL_BASES, { error: '请从列表中选择法律依据' }).nullable().default(null),
  reason: optionalText('说明', 1000),
  reReviewOn: isoDate.nullable().default(null),
});

/** The service centre's completion of a catalogue entry (条例 Art. 12's fields; the rest comes from the register). */
export const entryBody = z.object({
  name: requiredText('名称', 200),
  summary: requiredText('内容概述', 1000),
  publisher: requiredText('发布机构', 100),
  subject: optionalText('主题分类', 50),
});

export const documentListQuery = z.object({
  limit: queryInt({ min: 1, max: 200, message: '每页条数应为 1 到 200 的整数' }).default(50),
});
export const timelinessQuery = z.object({ year: queryInt({ min: 2000, max: 2200, message: '年份应为 2000 到 2200 的整数' }) });

const decisionView = z.object({
  decision: z.enum(DISCLOSURE_DECISIONS),
  legalBasis: z.enum(LEGAL_BASES).nullable(),
  reason: z.string(),
  reReviewOn: z.string().nullable(),
  decider: z.string(),
  decidedAt: z.string(),
});
export const entryView = z
  .object({
    id: z.number(),
    documentId: z.number(),
    round: z.number(),
    status: z.enum(TASK_STATUSES),
    startsOn: z.string(),
    dueOn: z.string(),
    dueProvisional: z.boolean(),
    overdue: z.boolean(),
    department: z.string(),
    indexNo: z.string().nullable(),
    name: z.string().nullable(),
    summary: z.string().nullable(),
    generatedOn: z.string().nullable(),
    docNumber: z.string().nullable(),
    publisher: z.string().nullable(),
    category: z.enum(DOCUMENT_CATEGORIES),
    subject: z.string(),
    publishedAt: z.string().nullable(),
    onTime: z.boolean().nullable(),
  })
  .meta({ id: 'CatalogueEntry' });
export const documentView = z
  .object({
    id: z.number(),
    title: z.string(),
    docNumber: z.string().nullable(),
    departmentId: z.number(),
    department: z.string(),
    category: z.enum(DOCUMENT_CATEGORIES),
    subject: z.string(),
    summary: z.string(),
    formedOn: z.string(),
    changedOn: z.string().nullable(),
    validity: z.enum(VALIDITIES),
    validityChangedOn: z.string().nullable(),
    changedByDocumentId: z.number().nullable(),
    decision: z.enum(DISCLOSURE_DECISIONS).nullable(),
    reReviewOn: z.string().nullable(),
    decisions: z.array(decisionView),
    entries: z.array(entryView),
  })
  .meta({ id: 'DisclosureDocument' });
export const documentList = z.object({ items: z.array(documentView.omit({ decisions: true, entries: true })) });
export const entryList = z.object({ items: z.array(entryView) });
export const timelinessView = z.object({
  year: z.number(),
  departments: z.array(
    z.object({
      departmentId: z.number(),
      department: z.string(),
      due: z.number(),
      published: z.number(),
      onTime: z.number(),
      late: z.number(),
      open: z.number(),
      overdueOpen: z.number(),
    }),
  ),
});

/** The public catalogue's filters (issue 16 point 5): each optional; the pages and the JSON share them. */
export const catalogueQuery = z.object({
  category: z.enum(DOCUMENT_CATEGORIES, { error: '信息类别不存在，请从列表中选择' }).optional(),
  subject: safeString().trim().max(50, '主题分类不能超过 50 个字').optional(),
  departmentId: queryInt({ min: 1, max: 2 ** 31 - 1, message: '发布处室应从列表中选择' }).optional(),
  year: queryInt({ min: 2000, max: 2200, message: '年份应为 2000 到 2200 的整数' }).optional(),
  q: safeString().trim().min(2, '搜索词至少 2 个字').max(50, '搜索词不能超过 50 个字').optional(),
  page: queryInt({ min: 1, max: 100_000, message: '页码应为正整数' }).default(1),
});
export type CatalogueQuery = z.infer<typeof catalogueQuery>;

const publicText = z.object({ id: z.number(), name: z.string(), mime: z.string(), size: z.number(), href: z.string() });
/** A published catalogue entry as the public sees it (条例 Art. 12's fields first). */
export const publicEntry = z
  .object({
    documentId: z.number(),
    indexNo: z.string(),
    name: z.string(),
    summary: z.string(),
    generatedOn: z.string(),
    docNumber: z.string().nullable(),
    publisher: z.string(),
    department: z.string(),
    category: z.enum(DOCUMENT_CATEGORIES),
    categoryLabel: z.string(),
    subject: z.string(),
    validity: z.enum(VALIDITIES),
    validityChangedOn: z.string().nullable(),
    changedBy: z.object({ documentId: z.number(), name: z.string(), docNumber: z.string().nullable() }).nullable(),
    publishedAt: z.string(),
    href: z.string(),
    text: publicText.nullable(),
  })
  .meta({ id: 'PublicCatalogueEntry' });
export const publicCataloguePage = z.object({
  page: z.number(),
  pageSize: z.number(),
  total: z.number(),
  /** A search's count stops at 1,000: `total` is then a lower bound. */
  totalCapped: z.boolean(),
  items: z.array(publicEntry),
});

export const textList = z.object({
  items: z.array(z.object({ id: z.number(), name: z.string(), mime: z.string(), size: z.number(), uploadedAt: z.string() })),
});
/** The guide as the office saves it (Markdown). */
export const guideBody = z.object({ body: requiredText('指南内容', 50_000) });
export const supervisionQuery = z.object({
  from: isoDate,
  to: isoDate,
  /** The cursor: the last entry's id of the previous page (`nextAfter`). */
  after: queryInt({ min: 0, max: 2 ** 53 - 1, message: '游标应为非负整数' }).optional(),
  limit: queryInt({ min: 1, max: 1000, message: '每页条数应为 1 到 1000 的整数' }).optional(),
});
export const supervisionExport = z
  .object({
    format: z.literal('fj-amr-disclosure-supervision'),
    version: z.literal(1),
    generatedAt: z.string(),
    period: z.object({ from: z.string(), to: z.string() }),
    asOf: z.string().describe('The China date overdue days of open rounds are counted to'),
    entries: z.array(
      z.object({
        id: z.number(),
        indexNo: z.string().nullable(),
        name: z.string().nullable(),
        docNumber: z.string().nullable(),
        category: z.enum(DOCUMENT_CATEGORIES),
        categoryLabel: z.string(),
        issuingDepartment: z.string(),
        round: z.number(),
        formedOrChangedOn: z.string(),
        dueOn: z.string(),
        dueProvisional: z.boolean(),
        status: z.enum(['open', 'published']),
        publishedAt: z.string().nullable(),
        overdueWorkingDays: z.number(),
        onTime: z.boolean().nullable(),
      }),
    ),
    nextAfter: z.number().nullable(),
  })
  .meta({ id: 'SupervisionExportV1' });

export const periodQuery = z.object({ from: isoDate, to: isoDate });
export const deliveryBody = z.object({
  archive: z.enum(ARCHIVE_KINDS, { error: '请选择接收单位（省图书馆或省档案馆）' }),
  from: isoDate,
  to: isoDate,
  paper: z.boolean({ error: '请说明是否移交纸质件' }),
  electronic: z.boolean({ error: '请说明是否移交电子件' }),
  deliveredOn: isoDate,
  note: safeString().trim().max(500, '备注不能超过 500 个字').default(''),
});
const deliveryView = z.object({
  id: z.number(),
  archive: z.enum(ARCHIVE_KINDS),
  archiveName: z.string(),
  from: z.string(),
  to: z.string(),
  paper: z.boolean(),
  electronic: z.boolean(),
  entryCount: z.number(),
  deliveredOn: z.string(),
  note: z.string(),
});
export const deliveryResult = deliveryView;
export const deliveryList = z.object({
  deliveries: z.array(deliveryView),
  pending: z.array(
    z.object({
      archive: z.enum(ARCHIVE_KINDS),
      archiveName: z.string(),
      undelivered: z.number(),
      earliestUndelivered: z.string().nullable(),
    }),
  ),
});
