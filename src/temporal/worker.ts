import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { NativeConnection, Worker } from '@temporalio/worker';
import { createMailboxActivities } from '../mailbox/activities.js';
import type { CaseDeps } from '../mailbox/cases.js';

export const workflowsPath = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../workflows/index.ts');

/** All activities of all modules, bound to this process's database and calendar. */
export const createActivities = (deps: CaseDeps) => ({ ...createMailboxActivities(deps) });

export async function createWorker(opts: { connection: NativeConnection; namespace: string; taskQueue: string; deps: CaseDeps }) {
  return Worker.create({
    connection: opts.connection,
    namespace: opts.namespace,
    taskQueue: opts.taskQueue,
    workflowsPath,
    activities: createActivities(opts.deps),
  });
}
