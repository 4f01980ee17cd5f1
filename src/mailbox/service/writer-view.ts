import { and, asc, eq } from 'drizzle-orm';
import type { CalendarService } from '../../calendar/service.js';
import { formatChinaDateTime } from '../../calendar/china-time.js';
import type { Env } from '../../config/env.js';
import type { Database, Executor } from '../../db/client.js';
import { departmentNames } from '../../departments/service.js';
import { accessCodeMatches } from '../codes.js';
import { RATING_LABELS, ratingRefusal, ratingWindowEnd } from '../rating-rules.js';
import { STATUS_LABELS } from '../rules.js';
import { letterEvents, letterRatings, letters } from '../tables.js';

type LetterRow = typeof letters.$inferSelect;

export interface WriterViewDeps {
  db: Database;
  calendar: CalendarService;
  env: Pick<Env, 'RATING_WINDOW_WORKING_DAYS'>;
}

const EVENT_TITLES: Record<string, string> = {
  received: '来信已收到',
  transferred: '已转办',
  transfer_disputed: '转办存在争议，提交办公室协调',
  disputed: '承办处室对转办有异议，提交办公室协调',
  escalated: '涉及多个处室，提交办公室协调',
  arbitrated: '办公室已协调确定承办处室',
  answered: '已答复',
  rejected: '不予受理',
  rated: '您对答复作出了评价',
  reopened: '办公室已重新交办',
  dissatisfaction_closed: '办公室已作出说明并办结',
};

/** The public title of an event: transfers and reopenings name where the letter went. */
function titleOf(e: typeof letterEvents.$inferSelect, depts: Map<number, string>): string {
  const to = depts.get(e.toDepartmentId ?? 0) ?? '';
  if (e.kind === 'transferred') return `已转至${to}办理`;
  if (e.kind === 'reopened') return `办公室已重新交由${to}办理`;
  if (e.kind === 'rated') {
    const rating = (e.data as { rating?: keyof typeof RATING_LABELS } | null)?.rating;
    return rating ? `您的评价：${RATING_LABELS[rating]}` : EVENT_TITLES.rated!;
  }
  return EVENT_TITLES[e.kind] ?? e.kind;
}

/** What the writer's view says about rating: the current round's rating, its window, a closing explanation. */
export async function ratingFactsOf(db: Executor, deps: Pick<WriterViewDeps, 'calendar' | 'env'>, row: LetterRow, now: Date) {
  const ratings = await db.select().from(letterRatings).where(eq(letterRatings.letterId, row.id)).orderBy(asc(letterRatings.round));
  const current = ratings.find((r) => r.round === row.round) ?? null;
  const windowEnd =
    row.status === 'answered' && row.answeredAt
      ? ratingWindowEnd(deps.calendar.current, row.answeredAt, deps.env.RATING_WINDOW_WORKING_DAYS)
      : null;
  const facts = { status: row.status, answeredAt: row.answeredAt, ratedThisRound: current !== null, windowEnd };
  const closed = [...ratings].reverse().find((r) => r.decision === 'closed');
  return { facts, refusal: ratingRefusal(facts, now), current, closed: closed ?? null };
}

/** The writer's view of their letter (the caller has checked the access code or the form token). */
export async function writerViewOf(deps: WriterViewDeps, row: LetterRow, now = new Date()) {
  const { db } = deps;
  const depts = new Map((await departmentNames(db)).map((d) => [d.id, d.name]));
  const events = await db
    .select()
    .from(letterEvents)
    .where(and(eq(letterEvents.letterId, row.id), eq(letterEvents.isPublic, true)))
    .orderBy(asc(letterEvents.id));
  const rating = await ratingFactsOf(db, deps, row, now);
  const answers = events.filter((e) => e.kind === 'answered');
  // The current answer is the row's; the answers of earlier rounds stay in their 'answered' events.
  const earlier = row.status === 'answered' ? answers.slice(0, -1) : answers;
  return {
    trackingNo: row.trackingNo,
    type: row.type,
    subject: row.subject,
    status: row.status,
    statusLabel: STATUS_LABELS[row.status],
    department: { id: row.departmentId, name: depts.get(row.departmentId) ?? '' },
    receivedAt: formatChinaDateTime(row.receivedAt),
    dueDate: row.dueDate,
    dueAt: formatChinaDateTime(row.dueAt),
    dueProvisional: row.dueProvisional,
    allowPublication: row.allowPublication,
    timeline: events.map((e) => ({
      at: formatChinaDateTime(e.at),
      kind: e.kind,
      title: titleOf(e, depts),
      // The writer sees the stated reason of a transfer or a rejection, their own rating comment and the
      // office's explanation when it closed a 不满意. Dispute and escalation reasons, arbitration notes and
      // reopening reasons are internal deliberation; answers are shown separately.
      text: ['transferred', 'rejected', 'rated', 'dissatisfaction_closed'].includes(e.kind) ? e.text : null,
    })),
    answer: row.status === 'answered' && row.answer ? { content: row.answer, answeredAt: formatChinaDateTime(row.answeredAt!) } : null,
    earlierAnswers: earlier.map((e, i) => ({ round: i + 1, content: e.text ?? '', answeredAt: formatChinaDateTime(e.at) })),
    rating: {
      round: row.round,
      canRate: rating.refusal === null,
      windowEndsOn: rating.facts.windowEnd?.date ?? null,
      given: rating.current && {
        rating: rating.current.rating,
        label: RATING_LABELS[rating.current.rating],
        comment: rating.current.comment,
        ratedAt: formatChinaDateTime(rating.current.ratedAt),
      },
      closing: rating.closed && { explanation: rating.closed.decisionText ?? '', closedAt: formatChinaDateTime(rating.closed.decidedAt!) },
    },
  };
}

export type WriterView = Awaited<ReturnType<typeof writerViewOf>>;

/** The writer's view by tracking number and access code, or undefined when either is wrong (no throttling: callers add it). */
export async function writerView(deps: WriterViewDeps, trackingNo: string, accessCode: string, now = new Date()) {
  const [row] = await deps.db.select().from(letters).where(eq(letters.trackingNo, trackingNo));
  if (!row || !accessCodeMatches(accessCode, row.accessCodeHash)) return undefined;
  return writerViewOf(deps, row, now);
}
