import path from 'node:path';
import { z } from 'zod';

// Every environment variable the system reads, parsed once at boot. A wrong value stops the process
// with a message naming the variable; README.md has the same table for people.

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'], { error: 'expected true or false' })
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const port = z.coerce
  .number({ error: 'expected a port number' })
  .int('expected a whole number')
  .min(1, 'expected 1-65535')
  .max(65535, 'expected 1-65535');

/** Text shown on every page: one line, no control characters. */
const siteText = (max: number) =>
  z
    .string()
    .max(max, `expected at most ${max} characters`)
    .regex(/^[^\p{Cc}]+$/u, 'expected one line of text without control characters');

const clockTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'expected HH:MM (24-hour, China time)');

export const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: port.default(3000),
  // Which proxies' X-Forwarded-For to believe for the client address (audit rows, rate limits):
  // "loopback" (a reverse proxy on this machine), "false", a hop count, or addresses/CIDRs.
  TRUST_PROXY: z
    .string()
    .regex(/^(loopback|true|false|\d+|[0-9a-fA-F.:/,\s]+)$/, 'expected loopback, false, a hop count or addresses/CIDRs')
    .default('loopback')
    .transform((v): boolean | number | string => (v === 'false' ? false : v === 'true' ? true : /^\d+$/.test(v) ? Number(v) : v)),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  DATA_DIR: z.string().min(1).default('./data'),

  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'expected a postgres:// connection URL')
    .optional(),
  EMBEDDED_PG_PORT: port.default(5433),

  TEMPORAL_ADDRESS: z
    .string()
    .regex(/^[^\s:]+:\d+$/, 'expected host:port')
    .optional(),
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
  TEMPORAL_TASK_QUEUE: z.string().min(1).default('amr-portal'),
  TEMPORAL_DEV_PORT: port.default(7233),
  TEMPORAL_UI_PORT: port.default(8233),
  TEMPORAL_CLI_PATH: z.string().min(1).optional(),

  DEMO_PASSWORD: z.string().min(10, 'expected at least 10 characters').default('Demo-Passw0rd!'),
  SESSION_TTL_HOURS: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 30)
    .default(12),
  COOKIE_SECURE: bool.default(false),

  // Working-day rules that are a bureau policy choice rather than law.
  AFTER_HOURS_RECEIPT_NEXT_DAY: bool.default(false),
  OFFICE_HOURS_END: clockTime.default('17:30'),
  LIMIT_SUGGESTION_DAYS: z.coerce.number().int().min(1).max(60).default(10),
  LIMIT_REPORT_DAYS: z.coerce.number().int().min(1).max(60).default(10),
  DUE_SOON_WORKING_DAYS: z.coerce.number().int().min(0).max(10).default(1),
  RESET_DEADLINE_ON_TRANSFER: bool.default(false),
  // Art. 22: only the first department transfers; a bureau that wants receiving departments to pass letters on sets this.
  ALLOW_ONWARD_TRANSFER: bool.default(false),
  // Art. 22 "立即转交": a transfer later than the end of this working day after receipt is marked late.
  TRANSFER_EXPECTED_WORKING_DAYS: z.coerce.number().int().min(1).max(10).default(1),
  // The writer rates an answer (满意 / 基本满意 / 不满意) until the end of this working day after it.
  RATING_WINDOW_WORKING_DAYS: z.coerce.number().int().min(1).max(60).default(15),
  // Publishing (Art. 20): each step of a review form is due within this many working days.
  REVIEW_STEP_WORKING_DAYS: z.coerce.number().int().min(1).max(20).default(2),
  // Art. 20(四) hand-in of review forms, due by the 4th ("5日前"): `calendar` keeps that date whatever day it is,
  // `next_working_day` moves a rest day to the next working day (src/handin/rules.ts).
  HANDIN_REST_DAY_RULE: z.enum(['calendar', 'next_working_day']).default('calendar'),
  // Disclosure (条例 Art. 12): the 索引号 of catalogue entries; {category} {year} {seq} are filled in.
  CATALOGUE_INDEX_PATTERN: z
    .string()
    .refine((p) => p.includes('{seq}') && p.length <= 60, 'the pattern must contain {seq} and be at most 60 characters')
    .default('FJAMR-{category}-{year}-{seq}'),
  // Disclosure (issue 16 point 1): the largest electronic text of a registered document, MiB.
  DISCLOSURE_TEXT_MB: z.coerce.number().int().min(1).max(500).default(50),
  // Disclosure (measures Arts. 31, 33): the bearer token of the provincial 政务公开电子监察系统's collector
  // for GET /api/disclosure/supervision/v1/entries; unset: the export answers 503 (not configured).
  SUPERVISION_EXPORT_TOKEN: z.string().min(32, 'SUPERVISION_EXPORT_TOKEN must be at least 32 characters').optional(),
  // Attachments of site items (issue 15 point 2): the largest file per kind, MiB, and how many one item holds.
  SITE_ATTACHMENT_DOCUMENT_MB: z.coerce.number().int().min(1).max(500).default(20),
  SITE_ATTACHMENT_IMAGE_MB: z.coerce.number().int().min(1).max(500).default(20),
  SITE_ATTACHMENT_VIDEO_MB: z.coerce.number().int().min(1).max(2000).default(200),
  SITE_ATTACHMENTS_PER_ITEM: z.coerce.number().int().min(1).max(100).default(20),

  // External links (measures Arts. 24, 27(二); src/links): each step of a 外部链接审核表 is due within this
  // many working days; hosts counted as government sites besides .gov.cn / .政务 (comma-separated host names).
  LINK_STEP_WORKING_DAYS: z.coerce.number().int().min(1).max(20).default(2),
  LINK_GOVERNMENT_HOSTS: z.string().max(4000).default(''),
  // The link watcher (issue 21 point 3-4). Outside traffic is opt-in: with LINK_CHECK_EXTERNAL off only the
  // site's own pages and the hosts of LINK_CHECK_ALLOWED_HOSTS (comma-separated) are requested.
  LINK_CHECK_EXTERNAL: bool.default(false),
  LINK_CHECK_ALLOWED_HOSTS: z.string().max(4000).default(''),
  LINK_CHECK_PER_HOST: z.coerce.number().int().min(1).max(16).default(2),
  LINK_CHECK_TIMEOUT_MS: z.coerce.number().int().min(500).max(120_000).default(10_000),
  LINK_CHECK_MAX_REDIRECTS: z.coerce.number().int().min(0).max(20).default(5),
  /** China time of the daily link check (a Temporal Schedule registered by the worker). */
  LINK_CHECK_TIME: clockTime.default('03:00'),
  /** A broken link is to be fixed by the end of this working day after it is found broken. */
  LINK_FIX_WORKING_DAYS: z.coerce.number().int().min(1).max(20).default(2),
  // The home-page availability probe (国办秘函〔2019〕19号: ≥ 20 visits a day, 15 s): a Temporal Schedule every
  // HOME_PROBE_EVERY_MINUTES (at most 72, so a day has at least 20) visits HOME_PROBE_URL, by default the
  // API process's own address; in production set it to the public address, through the reverse proxy.
  HOME_PROBE_URL: z.string().url().optional(),
  // Inspection findings (measures Art. 27(三)): the department's time to act, in working days. The measures
  // say 及时 without a number: technical guidance on a format problem 3, taking down non-compliant content 1.
  FINDING_FORMAT_WORKING_DAYS: z.coerce.number().int().min(1).max(20).default(3),
  FINDING_CONTENT_WORKING_DAYS: z.coerce.number().int().min(1).max(20).default(1),
  HOME_PROBE_EVERY_MINUTES: z.coerce.number().int().min(1).max(72).default(30),
  /** The public site's own origins (comma-separated, e.g. https://amr.fujian.gov.cn): absolute links to them are internal. */
  SITE_ORIGINS: z.string().max(2000).default(''),

  DIGEST_TIME: clockTime.default('08:30'),
  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\//, 'expected smtp:// or smtps:// URL')
    .optional(),
  MAIL_FROM: z.string().default('福建省市场监督管理局局长信箱 <mailbox@amr.example.gov.cn>'),
  // Rate limits per client address and minute (README, *Rate limits*). The letter limits count the API
  // and the form separately; the look-up limit counts both together, in PostgreSQL (all API processes).
  RATE_LETTERS_PER_MINUTE: z.coerce.number().int().min(1).max(10_000).default(20),
  RATE_FORM_CHECKS_PER_MINUTE: z.coerce.number().int().min(1).max(100_000).default(300),
  RATE_LOGINS_PER_MINUTE: z.coerce.number().int().min(1).max(10_000).default(20),
  RATE_PASSWORD_CHANGES_PER_MINUTE: z.coerce.number().int().min(1).max(1_000).default(5),
  RATE_LOOKUPS_PER_MINUTE: z.coerce.number().int().min(1).max(10_000).default(30),
  RATE_STATISTICS_PER_MINUTE: z.coerce.number().int().min(1).max(10_000).default(60),
  /** A request not answered by then gets 503 (src/server/request-deadline.ts); case actions allow 40 s. */
  REQUEST_TIMEOUT_MS: z.coerce.number().int().min(500).max(300_000).default(15_000),
  /** JSON letter bodies (attachments as base64) the API holds at once, MiB; more answer 503 (docs/performance.md §6). */
  INTAKE_BODY_BUDGET_MB: z.coerce.number().int().min(1).max(1024).default(16),

  // What the public sees of the site (the bureau's website measures, Art. 9(一)): the full name at the
  // top of every public page and in notices; the footer's registration numbers, each shown only when set.
  SITE_NAME: siteText(50).default('福建省市场监督管理局'),
  /** 网站标识码: the 10 characters the State Council's government-website register assigns. */
  SITE_ID_CODE: z
    .string()
    .regex(/^[0-9A-Za-z]{10}$/, 'expected the 10-character 网站标识码, e.g. 3500000000')
    .optional(),
  /** ICP 备案号, e.g. 闽ICP备12345678号. */
  SITE_ICP_RECORD: siteText(60).optional(),
  /** 公安机关备案号, e.g. 闽公网安备35010202000000号. */
  SITE_PSB_RECORD: siteText(60).optional(),
});

export type Env = z.infer<typeof envSchema>;

export class ConfigError extends Error {}

/** Parses the environment; throws ConfigError listing every bad variable. */
export function loadEnv(source: NodeJS.ProcessEnv = process.env): Env & { dataDir: string } {
  // Empty strings mean "not set" (a common shell idiom: FOO= npm start).
  const cleaned = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = envSchema.safeParse(cleaned);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message} (got ${JSON.stringify(cleaned[String(i.path[0])])})`);
    throw new ConfigError(`Invalid environment configuration:\n${lines.join('\n')}`);
  }
  return { ...parsed.data, dataDir: path.resolve(parsed.data.DATA_DIR) };
}

/** loadEnv for a process entry point: on a bad value it prints the message and exits with code 1. */
export function loadEnvOrExit(): ReturnType<typeof loadEnv> {
  try {
    return loadEnv();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(1);
    }
    throw err;
  }
}
