// The day's digests from the open letters, as pure computation (no I/O): service.ts reads the record
// and writes what this returns.
import { chinaDayOf, dayToIso, parseIsoDate } from '../calendar/china-time.js';
import type { WorkingDayCalendar } from '../calendar/working-days.js';
import type { DigestFeedLetter } from '../mailbox/service/digest-feed.js';
import { TYPE_LABELS } from '../mailbox/rules.js';
import { REVIEW_STEP_LABELS } from '../publishing/rules.js';
import type { DigestFeedReviewStep } from '../publishing/service/digest-feed.js';
import type { DigestFeedCatalogueRound } from '../disclosure/service/digest-feed.js';
import type { DigestFeedHandIn } from '../handin/service/digest-feed.js';
import type { DigestFeedRequestStep } from '../requests/service/digest-feed.js';
import { HANDLING_STEP_LABELS } from '../requests/routing-rules.js';
import type { DigestFeedLinkTask } from '../links/service/digest-feed.js';
import type { DigestFeedFindingTask } from '../inspection/service/digest-feed.js';
import type { DigestFeedAnnualReportTask } from '../annual-report/service/digest-feed.js';
import type { InspectionAlert } from '../inspection/rules.js';
import {
  DEPARTMENT_GROUPS,
  groupOf,
  type DepartmentDigest,
  type DigestContent,
  type DigestKind,
  type DigestLetter,
  type DigestTask,
  type MissingNotice,
  type OfficeDigest,
} from './rules.js';

export interface ComposeInput {
  cal: Pick<WorkingDayCalendar, 'countWorkingDays' | 'addWorkingDays'>;
  day: string;
  /** The digest instant (DIGEST_TIME of `day`). */
  takenAt: Date;
  /** Letters received after this are new. */
  newSince: Date;
  departments: { id: number; name: string; kind: string }[];
  letters: DigestFeedLetter[];
  /** 审核单 waiting at a step (absent: none). */
  reviewSteps?: DigestFeedReviewStep[];
  /** 主动公开 documents waiting for their catalogue entry (absent: none). */
  catalogueRounds?: DigestFeedCatalogueRound[];
  /** Quarterly hand-ins of review forms not yet confirmed (absent: none). */
  handIns?: DigestFeedHandIn[];
  /** Disclosure requests at a handling step (absent: none). */
  requestSteps?: DigestFeedRequestStep[];
  /** External-link applications at a step and broken links (absent: none). */
  linkTasks?: DigestFeedLinkTask[];
  /** Inspection findings (src/inspection): the department's while open, the raiser's once reported. */
  findingTasks?: DigestFeedFindingTask[];
  /** The office's reminder of the annual disclosure report (absent: none). */
  annualReports?: DigestFeedAnnualReportTask[];
  missingNotice: MissingNotice | null;
  /** The day's red and amber inspection items, for the office (absent: none). */
  inspection?: InspectionAlert[];
}

export interface ComposedDigest {
  kind: DigestKind;
  departmentId: number;
  content: DigestContent;
}

/**
 * One digest per department that handles or assists on an open letter or has a review form waiting,
 * and one for the general office. A form is listed for its supplying department at every step (谁提供、
 * 谁负责, Art. 10), for the publicity office at its second review, and for the office once overdue.
 */
export function composeDigests(input: ComposeInput): ComposedDigest[] {
  const { cal, letters, takenAt } = input;
  const today = parseIsoDate(input.day)!;
  const days = { today: input.day, nextWorkingDay: dayToIso(cal.addWorkingDays(today, 1)) };
  const deptName = new Map(input.departments.map((d) => [d.id, d.name]));
  const isOverdue = (l: DigestFeedLetter) => l.dueAt.getTime() < takenAt.getTime();
  const base = (l: DigestFeedLetter): DigestLetter => ({
    trackingNo: l.trackingNo,
    subject: l.subject,
    type: TYPE_LABELS[l.type],
    dueDate: l.dueDate,
    departmentName: deptName.get(l.departmentId) ?? '',
  });
  const overdueDays = (l: DigestFeedLetter) => cal.countWorkingDays(parseIsoDate(l.dueDate)!, today);
  const tasks = tasksFrom(input).sort((a, b) => a.dueDate.localeCompare(b.dueDate) || a.kind.localeCompare(b.kind) || a.ref - b.ref);
  const taskOverdue = (t: FeedTask) => t.dueAt.getTime() < takenAt.getTime();
  const taskItem = (t: FeedTask): DigestTask => {
    const { kind, ref, title, stepLabel, dueDate } = t;
    const item: DigestTask = { kind, ref, title, stepLabel, departmentName: deptName.get(t.departmentId) ?? '', dueDate };
    if (taskOverdue(t)) item.workingDaysOverdue = cal.countWorkingDays(parseIsoDate(t.dueDate)!, today);
    else item.workingDaysLeft = cal.countWorkingDays(today, parseIsoDate(t.dueDate)!);
    return item;
  };
  const tasksOf = (d: ComposeInput['departments'][number]) =>
    tasks.filter((t) => t.departmentId === d.id || (t.actingKind !== null && d.kind === t.actingKind)).map(taskItem);

  const out: ComposedDigest[] = [];
  for (const d of input.departments) {
    const content = { kind: 'department', departmentName: d.name } as DepartmentDigest;
    for (const g of DEPARTMENT_GROUPS) content[g.key] = [];
    for (const l of letters) {
      const lead = l.departmentId === d.id;
      if (!lead && !l.assistingDepartmentIds.includes(d.id)) continue;
      const isNew = l.receivedAt.getTime() > input.newSince.getTime();
      const group = groupOf({ overdue: isOverdue(l), dueDate: l.dueDate, isNew }, days);
      const item: DigestLetter = { ...base(l), role: lead ? 'lead' : 'assisting' };
      if (isNew && group !== 'newLetters') item.isNew = true;
      if (lead && l.transferred) item.transferred = true;
      if (!lead && l.opinionOwedBy.includes(d.id)) item.opinionOwed = true;
      if (l.status === 'in_arbitration') item.inArbitration = true;
      if (group === 'overdue') item.workingDaysOverdue = overdueDays(l);
      if (group === 'others') item.workingDaysLeft = cal.countWorkingDays(today, parseIsoDate(l.dueDate)!);
      content[group].push(item);
    }
    for (const g of DEPARTMENT_GROUPS) content[g.key].sort(byDue);
    const mine = tasksOf(d);
    if (mine.length > 0) content.tasks = mine;
    if (mine.length > 0 || DEPARTMENT_GROUPS.some((g) => content[g.key].length > 0)) {
      out.push({ kind: 'department', departmentId: d.id, content });
    }
  }

  const office = input.departments.find((d) => d.kind === 'general_office');
  if (office) {
    const waitingDays = (l: DigestFeedLetter) => cal.countWorkingDays(chinaDayOf(l.inArbitrationSince ?? l.receivedAt), today);
    const content: OfficeDigest = {
      kind: 'office',
      departmentName: office.name,
      overdue: letters.filter(isOverdue).map((l) => ({ ...base(l), workingDaysOverdue: overdueDays(l) })),
      awaitingArbitration: letters
        .filter((l) => l.status === 'in_arbitration')
        .map((l) => ({ ...base(l), waitingWorkingDays: waitingDays(l) })),
      perDepartment: input.departments
        .map((d) => {
          const mine = letters.filter((l) => l.departmentId === d.id);
          return { departmentId: d.id, name: d.name, open: mine.length, overdue: mine.filter(isOverdue).length };
        })
        .filter((c) => c.open > 0),
      missingNotice: input.missingNotice,
    };
    const overdueTasks = tasks.filter(taskOverdue).map(taskItem);
    if (overdueTasks.length > 0) content.overdueTasks = overdueTasks;
    if (input.inspection && input.inspection.length > 0) content.inspection = input.inspection;
    content.overdue.sort(byDue);
    out.push({ kind: 'office', departmentId: office.id, content });
  }
  return out;
}

/** A task of either feed, with who supplies it and which kind of department must act on it. */
interface FeedTask {
  kind: DigestTask['kind'];
  ref: number;
  title: string;
  stepLabel: string;
  departmentId: number;
  actingKind: string | null;
  dueDate: string;
  dueAt: Date;
}

/**
 * The review forms at a step (the publicity office acts at its second review) and the open catalogue
 * rounds (the service centre enters the catalogue, measures Art. 31).
 */
function tasksFrom(input: ComposeInput): FeedTask[] {
  const reviews = (input.reviewSteps ?? []).map((f) => ({
    kind: 'review' as const,
    ref: f.formId,
    title: f.title,
    stepLabel: REVIEW_STEP_LABELS[f.step],
    departmentId: f.departmentId,
    actingKind: f.step === 'publicity' ? 'publicity_office' : null,
    dueDate: f.dueDate,
    dueAt: f.dueAt,
  }));
  const rounds = (input.catalogueRounds ?? []).map((r) => ({
    kind: 'catalogue' as const,
    ref: r.documentId,
    title: r.title,
    stepLabel: '录入政府信息公开目录',
    departmentId: r.departmentId,
    actingKind: 'service_center',
    dueDate: r.dueOn,
    dueAt: r.dueAt,
  }));
  // The department hands in; the office sees it in its digest once the due date has passed (overdue).
  const handIns = (input.handIns ?? []).map((h) => ({
    kind: 'handin' as const,
    ref: h.ref,
    title: h.title,
    stepLabel: `报送办公室（${h.forms} 份）`,
    departmentId: h.departmentId,
    actingKind: null,
    dueDate: h.dueDate,
    dueAt: h.dueAt,
  }));
  // The office routes and signs (its own digest lists the step); the holding department drafts.
  const requests = (input.requestSteps ?? []).map((r) => ({
    kind: 'request' as const,
    ref: r.requestId,
    title: r.number,
    stepLabel: HANDLING_STEP_LABELS[r.step],
    departmentId: r.departmentId ?? -1,
    actingKind: r.departmentId === null ? 'general_office' : null,
    dueDate: r.dueOn,
    dueAt: r.dueAt,
  }));
  const links = input.linkTasks ?? [];
  const annualReports = input.annualReports ?? [];
  return [...reviews, ...rounds, ...handIns, ...requests, ...links, ...(input.findingTasks ?? []), ...annualReports];
}

/** Earliest due first, then by tracking number, so a digest reads the same however the rows came. */
const byDue = (a: DigestLetter, b: DigestLetter) => a.dueDate.localeCompare(b.dueDate) || a.trackingNo.localeCompare(b.trackingNo);
