import { NativeConnection, Worker } from '@temporalio/worker';
import { createDigestActivities } from '../digest/activities.js';
import { createDisclosureActivities } from '../disclosure/activities.js';
import { createInspectionActivities } from '../inspection/activities.js';
import { createLinkActivities } from '../links/activities.js';
import { createMailboxActivities } from '../mailbox/activities.js';
import type { CaseDeps } from '../mailbox/service/case-records.js';
import { createNotificationActivities } from '../notifications/activities.js';
import { createPublishingActivities } from '../publishing/activities.js';
import { createRequestActivities } from '../requests/activities.js';
import { createMailer, type Mailer } from '../notifications/service.js';
import { failFastOnInvalidData } from './activity-failures.js';
import { workflowsPath } from './workflow-bundle.js';

export { workflowsPath };

/**
 * All activities of all modules, bound to this process's database, calendar and mailer (SMTP_URL by
 * default); an error no retry can cure fails them at once (failFastOnInvalidData).
 */
export const createActivities = (deps: CaseDeps & { mailer?: Mailer }) =>
  failFastOnInvalidData({
    ...createMailboxActivities(deps),
    ...createDigestActivities(deps),
    ...createPublishingActivities(deps),
    ...createDisclosureActivities(deps),
    ...createRequestActivities(deps),
    ...createLinkActivities(deps),
    ...createInspectionActivities(deps),
    ...createNotificationActivities({
      db: deps.db,
      mailer: deps.mailer === undefined ? createMailer(deps.env.SMTP_URL) : deps.mailer,
      mailFrom: deps.env.MAIL_FROM,
    }),
  });

/**
 * The worker on `connection`. With `bundlePath` (a file from scripts/build-workflow-bundle.ts) it runs
 * that prebuilt workflow bundle; without, it bundles `workflows/` with webpack itself at creation
 * (≈ 137 MB more RSS for the life of the process: fine in tests, not in production).
 */
export async function createWorker(opts: {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  deps: CaseDeps & { mailer?: Mailer };
  bundlePath?: string;
}) {
  return Worker.create({
    connection: opts.connection,
    namespace: opts.namespace,
    taskQueue: opts.taskQueue,
    ...(opts.bundlePath ? { workflowBundle: { codePath: opts.bundlePath } } : { workflowsPath }),
    // Each cached letter workflow holds ~390 KB; a letter is touched a few times over two weeks, so a
    // small cache costs little replay and keeps the process small (docs/performance.md).
    maxCachedWorkflows: 100,
    activities: createActivities(opts.deps),
  });
}
