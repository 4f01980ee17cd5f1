import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { NativeConnection, Worker } from '@temporalio/worker';
import { createDigestActivities } from '../digest/activities.js';
import { createMailboxActivities } from '../mailbox/activities.js';
import type { CaseDeps } from '../mailbox/cases.js';
import { createNotificationActivities } from '../notifications/activities.js';
import { createMailer, type Mailer } from '../notifications/outbox.js';

export const workflowsPath = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../workflows/index.ts');

/** All activities of all modules, bound to this process's database, calendar and mailer (SMTP_URL by default). */
export const createActivities = (deps: CaseDeps & { mailer?: Mailer }) => ({
  ...createMailboxActivities(deps),
  ...createDigestActivities(deps),
  ...createNotificationActivities({ db: deps.db, mailer: deps.mailer === undefined ? createMailer(deps.env.SMTP_URL) : deps.mailer, mailFrom: deps.env.MAIL_FROM }),
});

export async function createWorker(opts: { connection: NativeConnection; namespace: string; taskQueue: string; deps: CaseDeps & { mailer?: Mailer } }) {
  return Worker.create({
    connection: opts.connection,
    namespace: opts.namespace,
    taskQueue: opts.taskQueue,
    workflowsPath,
    // Each cached letter workflow holds ~390 KB; a letter is touched a few times over two weeks, so a
    // small cache costs little replay and keeps the process small (docs/performance.md).
    maxCachedWorkflows: 100,
    activities: createActivities(opts.deps),
  });
}
