import type { Executor } from '../db/client.js';
import type { ColumnSection, ContentType } from './rules.js';
import { leaderAssignments, siteColumns } from './tables.js';

interface SeedColumn {
  slug: string;
  name: string;
  section: ColumnSection;
  parent?: string;
  group?: boolean;
  contentTypes?: ContentType[];
  isNews?: boolean;
  updateEveryDays?: number;
}

/** The bureau's column tree on the embedded default (Art. 11): four groups and their usual columns. */
export const BUREAU_COLUMNS: SeedColumn[] = [
  { slug: 'zwgk', name: '政务公开', section: 'disclosure', group: true },
  { slug: 'gzdt', name: '工作动态', section: 'disclosure', parent: 'zwgk', isNews: true, updateEveryDays: 14 },
  { slug: 'spxw', name: '视频新闻', section: 'disclosure', parent: 'zwgk', isNews: true, contentTypes: ['video'] },
  { slug: 'tzgg', name: '通知公告', section: 'disclosure', parent: 'zwgk', contentTypes: ['notice'], updateEveryDays: 14 },
  { slug: 'zcwj', name: '政策文件', section: 'disclosure', parent: 'zwgk', contentTypes: ['policy'] },
  { slug: 'zcjd', name: '政策解读', section: 'disclosure', parent: 'zwgk', contentTypes: ['interpretation'] },
  { slug: 'wsbs', name: '网上办事', section: 'services', group: true },
  { slug: 'bszn', name: '办事指南', section: 'services', parent: 'wsbs', contentTypes: ['article'] },
  { slug: 'zxfw', name: '在线服务', section: 'online', group: true },
  { slug: 'rdjd', name: '热点解答', section: 'online', parent: 'zxfw', contentTypes: ['qa'] },
  { slug: 'hdjl', name: '互动交流', section: 'interaction', group: true },
  { slug: 'zjdc', name: '征集调查', section: 'interaction', parent: 'hdjl', contentTypes: ['notice'] },
];

/** Inserts missing columns; never changes what an administrator changed. */
export async function seedColumns(db: Executor): Promise<void> {
  for (const [i, c] of BUREAU_COLUMNS.entries()) {
    const parentId = c.parent
      ? (await db.select({ id: siteColumns.id, slug: siteColumns.slug }).from(siteColumns)).find((p) => p.slug === c.parent)?.id
      : null;
    await db
      .insert(siteColumns)
      .values({
        slug: c.slug,
        name: c.name,
        section: c.section,
        parentId: parentId ?? null,
        acceptsItems: !c.group,
        contentTypes: c.contentTypes ?? ['article'],
        isNews: c.isNews ?? false,
        // News is published by the service centre (Art. 20(五)); other columns by the drafter.
        publisher: c.isNews ? 'service_center' : 'drafter',
        updateEveryDays: c.updateEveryDays ?? null,
        sortOrder: i + 1,
      })
      .onConflictDoNothing({ target: siteColumns.slug });
  }
}

/** Demo only: one bureau leader in charge of every department that has none yet. */
export async function seedDemoLeader(db: Executor, leaderId: number, departmentIds: number[]): Promise<void> {
  if (departmentIds.length === 0) return;
  await db
    .insert(leaderAssignments)
    .values(departmentIds.map((departmentId) => ({ departmentId, leaderId })))
    .onConflictDoNothing({ target: leaderAssignments.departmentId });
}

/**
 * The 年度报告 column of the 政务公开 group (measures Art. 29; 条例 Art. 49): not in BUREAU_COLUMNS, so a fresh
 * site has no empty column (the inspection's 空白栏目 indicator); `publishSystemItem` creates it with the first
 * annual report it publishes, and never changes it afterwards (an administrator may rename or move it).
 */
export const ANNUAL_REPORT_COLUMN = { slug: 'ndbg', name: '年度报告', section: 'disclosure', parent: 'zwgk' } as const satisfies SeedColumn;
