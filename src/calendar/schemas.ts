import { z } from 'zod';
import { DATE_MESSAGE, isoDate, queryInt, required, safeString, saneLeadingDate } from '../server/schema-types.js';
import { parseChinaInstant } from './china-time.js';

export { isoDate };

export const instantParam = z
  .string(required('日期或时间'))
  .refine((s) => parseChinaInstant(s) !== undefined, '应为 ISO 日期（YYYY-MM-DD）或日期时间（如 2024-09-30T18:00:00+08:00）')
  .refine(saneLeadingDate, DATE_MESSAGE);

export const dayInfo = z
  .object({
    date: z.string(),
    workingDay: z.boolean(),
    kind: z.enum(['workday', 'weekend', 'holiday', 'adjusted_workday']),
    holiday: z.string().optional(),
    provisional: z.boolean(),
  })
  .meta({ id: 'CalendarDay' });

export const deadlineQuery = z.object({
  from: instantParam,
  workingDays: queryInt({ min: 1, max: 365, message: '应为 1 到 365 之间的整数', tooSmall: '至少为 1', tooBig: '至多为 365' }),
});

export const deadlineResponse = z
  .object({
    from: z.string(),
    workingDays: z.number(),
    countFrom: z.string().describe('The China date counting starts after'),
    dueDate: z.string(),
    dueAt: z.string().describe('End of the due date, ISO 8601 with +08:00'),
    provisional: z.boolean(),
  })
  .meta({ id: 'Deadline' });

export const explainResponse = deadlineResponse
  .extend({ days: z.array(dayInfo.extend({ counted: z.boolean(), ordinal: z.number().optional(), reason: z.string() })) })
  .meta({ id: 'DeadlineExplanation' });

const notice = z.object({
  title: safeString().trim().min(1, '请填写通知标题'),
  number: safeString().trim().min(1, '请填写文号'),
  date: isoDate,
});

const dateGroup = z.object({
  name: safeString().trim().min(1, '请填写节日名称'),
  dates: z.array(isoDate).min(1, '至少一个日期'),
});

/** PUT /api/calendar/years/:year (and the calendar page's form): a year the calendar supports. */
export const yearParams = z.object({
  year: queryInt({ min: 2000, max: 2100, message: '年份应为整数', tooSmall: '年份须在 2000–2100 之间', tooBig: '年份须在 2000–2100 之间' }),
});

export const yearScheduleBody = z.object({
  notice,
  amendments: z.array(notice).default([]),
  holidays: z.array(dateGroup).min(1, '至少一个节假日'),
  adjustedWorkdays: z.array(dateGroup).default([]),
});

export const yearSummary = z
  .object({
    year: z.number(),
    status: z.enum(['official', 'provisional']),
    source: z.enum(['bundled', 'loaded']).nullable(),
    notice: notice.nullable(),
    amendments: z.array(notice),
    loadedBy: z.string().optional(),
    loadedAt: z.string().optional(),
  })
  .meta({ id: 'CalendarYear' });
