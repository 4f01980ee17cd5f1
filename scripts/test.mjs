#!/usr/bin/env node
// `npm test`: install what is missing (npm packages, the Temporal time-skipping test server), then
// run the whole vitest suite against a throw-away embedded PostgreSQL and the test server.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureNodeModules } from './lib/ensure-deps.mjs';
import { runForwardingSignals } from './lib/child.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
ensureNodeModules(root);
const { ensureTestServer } = await import('./lib/temporal-tools.mjs');
const env = { ...process.env, TEMPORAL_TEST_SERVER_PATH: ensureTestServer() };
const vitest = path.join(root, 'node_modules', 'vitest', 'vitest.mjs');
runForwardingSignals(process.execPath, [vitest, 'run', ...process.argv.slice(2)], { cwd: root, env });
