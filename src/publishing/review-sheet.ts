import type { ReviewSheet, SheetRow, SheetSection, Signature } from '../web/pdf.js';
import { shortTime } from '../web/labels.js';
import {
  ART19_LABELS,
  ART19_POINTS,
  CONTENT_TYPE_LABELS,
  FORM_STATUS_LABELS,
  REVIEW_STEP_LABELS,
  SECRECY_LABELS,
  STEP_DECISION_LABELS,
  type ReviewStep,
} from './rules.js';
import type { FormView } from './service/records.js';

// The 审核单 as a document (measures Art. 20; issue 15 point 5): one pure content model, label/value rows
// in sections and the signatures, which the print page and the PDF both lay out. Nothing here is typed
// by anyone but read off the record, so the paper and the PDF always say the same.

export const SHEET_TITLE = '福建省市场监督管理局网站信息发布审核单';

export type { ReviewSheet, SheetRow, SheetSection, Signature } from '../web/pdf.js';
const SIGNER_ROLES: Record<ReviewStep, string> = { dept_leader: '处室负责人', publicity: '应急宣传处', bureau_leader: '分管局领导' };
const PENDING = '（尚未审核）';

/** The form's record as the rows of the paper form. */
export function reviewSheet(form: FormView): ReviewSheet {
  const decisionAt = (step: ReviewStep) => form.decisions.filter((d) => d.step === step).at(-1);
  const sections: SheetSection[] = [
    {
      heading: '信息基本情况',
      rows: [
        { label: '信息标题', value: form.title },
        { label: '栏目', value: form.column },
        { label: '内容类型', value: CONTENT_TYPE_LABELS[form.contentType] },
        { label: '信息提供处室', value: form.department },
        { label: '起草人', value: form.drafter },
        { label: '送审时间', value: shortTime(form.submittedAt) },
        { label: '送审版本', value: `第 ${form.version} 版` },
      ],
    },
    {
      heading: '起草人审核（第十九条）',
      rows: [
        ...ART19_POINTS.map((p) => ({ label: ART19_LABELS[p], value: form.art19[p] ? '已确认' : '未确认' })),
        { label: '保密审查结论', value: SECRECY_LABELS[form.drafterSecrecy] },
      ],
    },
    ...form.steps.map((step): SheetSection => {
      const d = decisionAt(step);
      const rows: SheetRow[] = [
        { label: '审核结论', value: d ? STEP_DECISION_LABELS[d.decision] : PENDING },
        { label: '审核意见', value: d ? d.opinion || '（无）' : '' },
      ];
      if (step === 'dept_leader') rows.push({ label: '保密审查', value: d?.secrecy ? SECRECY_LABELS[d.secrecy] : d ? '（未记录）' : '' });
      rows.push({ label: '签名', value: d?.decider ?? '' }, { label: '时间', value: d ? shortTime(d.decidedAt) : '' });
      return { heading: REVIEW_STEP_LABELS[step], rows };
    }),
    {
      heading: '发布情况',
      rows: [
        { label: '审核单状态', value: FORM_STATUS_LABELS[form.status] },
        { label: '定时发布', value: shortTime(form.scheduledFor) || '—' },
        { label: '发布时间（系统记录）', value: shortTime(form.publishedAt) || '—' },
      ],
    },
  ];
  const signatures: Signature[] = [
    { role: '起草人', name: form.drafter, time: shortTime(form.submittedAt) },
    ...form.steps.map((step) => {
      const d = decisionAt(step);
      const signed = d?.decision === 'approved';
      return { role: SIGNER_ROLES[step], name: signed ? d.decider : '', time: signed ? shortTime(d.decidedAt) : '' };
    }),
  ];
  return { title: SHEET_TITLE, number: `审核单编号：${form.id}`, sections, signatures };
}
