// What the daily self-inspection (src/inspection) needs of the mailbox: the valid letters still
// unanswered (open: processing or before the general office; a rejected letter is not a valid one)
// received before given cut-offs, and the newest published answer. The inspection reads letters only
// through these functions, never the mailbox's tables.
import { sql } from 'drizzle-orm';
import type { Executor } from '../../db/client.js';
import { departmentNames } from '../../departments/service.js';
import { OPEN_STATUSES } from '../case-rules.js';

const isOpen = sql`status = any(${sql.param([...OPEN_STATUSES])}::letter_status[])`;

export interface UnansweredLetters {
  oldestReceivedAt: Date | null;
  /** Open letters received before `limitAt` (the 3-month cut-off) and before `amberAt`. */
  overLimit: number;
  overAmber: number;
  /** The oldest open letters received before `amberAt`, oldest first, at most `sample`. */
  oldest: { trackingNo: string; departmentName: string; receivedAt: Date }[];
}

/** Open letters received before the two cut-offs (instants), as counts and the oldest `sample`. Two statements. */
export async function unansweredLetters(db: Executor, cut: { limitAt: Date; amberAt: Date }, sample = 50): Promise<UnansweredLetters> {
  const limitAt = cut.limitAt.toISOString();
  const amberAt = cut.amberAt.toISOString();
  const [counts, oldest, names] = await Promise.all([
    db.execute<{ oldest: string | Date | null; over_limit: string; over_amber: string }>(sql`
      select min(received_at) as oldest,
             count(*) filter (where received_at < ${limitAt}) as over_limit,
             count(*) filter (where received_at < ${amberAt}) as over_amber
      from letters where ${isOpen}`),
    db.execute<{ tracking_no: string; department_id: number; received_at: string | Date }>(sql`
      select tracking_no, department_id, received_at from letters
      where ${isOpen} and received_at < ${amberAt}
      order by received_at, id limit ${sample}`),
    departmentNames(db),
  ]);
  const dept = new Map(names.map((d) => [d.id, d.name]));
  const c = counts[0]!;
  return {
    oldestReceivedAt: c.oldest ? new Date(c.oldest) : null,
    overLimit: Number(c.over_limit),
    overAmber: Number(c.over_amber),
    oldest: oldest.map((r) => ({
      trackingNo: r.tracking_no,
      departmentName: dept.get(r.department_id) ?? '',
      receivedAt: new Date(r.received_at),
    })),
  };
}

/** When the newest mailbox answer still public was published, up to `now`; null: none. */
export async function lastPublishedAnswerAt(db: Executor, now: Date): Promise<Date | null> {
  const rows = await db.execute<{ at: string | Date | null }>(sql`
    select max(published_at) as at from letter_publications where status = 'published' and published_at <= ${now.toISOString()}`);
  const at = rows[0]?.at;
  return at ? new Date(at) : null;
}
