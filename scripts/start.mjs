#!/usr/bin/env node
// `npm start`: install what is missing, then run the whole system (src/main.ts) on embedded
// PostgreSQL and the Temporal dev server unless DATABASE_URL / TEMPORAL_ADDRESS point elsewhere.
// src/main.ts runs the API and forks the worker process (src/worker-main.ts); each has its heap cap
// (src/config/heap-limits.mjs).
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureNodeModules } from './lib/ensure-deps.mjs';
import { runForwardingSignals } from './lib/child.mjs';
import { apiMemoryEnv, apiMemoryFlags } from '../src/config/heap-limits.mjs';
import { dieWithParent } from '../src/infra/parent-death.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
ensureNodeModules(root);
const { ensureTemporalCli } = await import('./lib/temporal-tools.mjs');
const env = apiMemoryEnv({ ...process.env });
if (!env.TEMPORAL_ADDRESS) env.TEMPORAL_CLI_PATH = ensureTemporalCli();
// Should this process be killed outright (SIGKILL, OOM), src/main.ts gets a SIGTERM and stops what it started.
const main = dieWithParent(process.execPath, [...apiMemoryFlags(), '--import', 'tsx', path.join(root, 'src/main.ts')], 'SIGTERM');
runForwardingSignals(...main, { cwd: root, env });
