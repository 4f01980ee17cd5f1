#!/usr/bin/env node
// `npm test`: install what is missing (npm packages, the Temporal time-skipping test server), run the
// whole vitest suite against a throw-away embedded PostgreSQL and the test server, then run the unit
// tests again under two more time zones: every date in this system is a China date whatever the
// server's zone. Arguments (a file, -t NAME) run just that, once.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureNodeModules } from './lib/ensure-deps.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
ensureNodeModules(root);
const { ensureTestServer } = await import('./lib/temporal-tools.mjs');
const env = { ...process.env, TEMPORAL_TEST_SERVER_PATH: await ensureTestServer() };
const vitest = path.join(root, 'node_modules', 'vitest', 'vitest.mjs');

function run(args, extraEnv = {}) {
  const res = spawnSync(process.execPath, [vitest, 'run', ...args], { cwd: root, env: { ...env, ...extraEnv }, stdio: 'inherit' });
  if (res.status !== 0) process.exit(res.status ?? 1);
}

const args = process.argv.slice(2);
if (args.length > 0) {
  run(args);
} else {
  run([]);
  for (const tz of ['America/Los_Angeles', 'Asia/Shanghai']) {
    console.log(`\n[test] unit tests again under TZ=${tz}`);
    run(['test/unit'], { TZ: tz });
  }
}
