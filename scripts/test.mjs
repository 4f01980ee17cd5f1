#!/usr/bin/env node
// `npm test`: install what is missing (npm packages, the Temporal time-skipping test server, the
// Temporal CLI dev server), run the whole vitest suite against a throw-away embedded PostgreSQL and the
// test server, then run the unit tests again under two more time zones: every date in this system is a
// China date whatever the server's zone. Arguments (a file, -t NAME) run just that, once. The CLI is for
// the tests that run the real system (test/integration/supervisor-crash.test.ts), as `npm start` does.
// The whole suite starts with ESLint and a Prettier check and ends with the API fuzzed from its OpenAPI
// document against a real run of the system (scripts/fuzz-ci.mjs; FUZZ=0 skips it).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureNodeModules } from './lib/ensure-deps.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
ensureNodeModules(root);
const { ensureTemporalCli, ensureTestServer } = await import('./lib/temporal-tools.mjs');
async function ensure(what, fn) {
  try {
    return await fn();
  } catch (err) {
    console.error(
      `[test] cannot run the suite: ${what} is missing and could not be set up.\n[test] ${err instanceof Error ? err.message : err}`,
    );
    process.exit(1);
  }
}
const env = {
  ...process.env,
  TEMPORAL_TEST_SERVER_PATH: await ensure('the Temporal time-skipping test server', () => ensureTestServer()),
  TEMPORAL_CLI_PATH: await ensure('the Temporal CLI (the dev server the real-process tests start)', () => ensureTemporalCli()),
};
const vitest = path.join(root, 'node_modules', 'vitest', 'vitest.mjs');

// What ran, repeated as the last lines of the suite (and by .ci/run after its smoke run): vitest's own
// summary scrolls far up behind the fuzzer's report, and a reader of the tail must see the counts.
const summaryFile = process.env.AMR_TEST_SUMMARY ?? path.join(os.tmpdir(), 'amr-portal-test-summary.txt');
const summary = [];
const results = fs.mkdtempSync(path.join(os.tmpdir(), 'amr-vitest-'));

function run(args, extraEnv = {}, label = args.join(' ') || 'all tests') {
  const json = path.join(results, `${summary.length}.json`);
  const reporters = ['--reporter=default', '--reporter=json', `--outputFile.json=${json}`];
  const res = spawnSync(process.execPath, [vitest, 'run', ...reporters, ...args], {
    cwd: root,
    env: { ...env, ...extraEnv },
    stdio: 'inherit',
  });
  record(label, json);
  if (res.status !== 0) finish(res.status ?? 1);
}

function record(label, json) {
  try {
    const r = JSON.parse(fs.readFileSync(json, 'utf8'));
    const skipped = r.numPendingTests + r.numTodoTests;
    summary.push(
      `vitest ${label}: ${r.testResults.length} files, ${r.numTotalTests} tests: ${r.numPassedTests} passed, ` +
        `${r.numFailedTests} failed, ${skipped} skipped`,
    );
  } catch {
    summary.push(`vitest ${label}: no report (vitest did not finish)`);
  }
}

function finish(status) {
  const text = [`[test] summary (${status === 0 ? 'passed' : 'FAILED'}):`, ...summary.map((l) => `[test]   ${l}`)].join('\n');
  console.log(`\n${text}`);
  fs.writeFileSync(summaryFile, `${text}\n`);
  fs.rmSync(results, { recursive: true, force: true });
  process.exit(status);
}

/** Types, lint and format first: an error in any fails the suite (`npm run lint` runs the last two). */
function lint() {
  for (const [name, file, args] of [
    ['tsc', 'typescript/bin/tsc', ['--noEmit']],
    ['eslint', 'eslint/bin/eslint.js', ['.']],
    ['prettier', 'prettier/bin/prettier.cjs', ['--check', '--log-level', 'warn', 'src', 'workflows', 'test', 'scripts', 'bench']],
  ]) {
    console.log(`[test] ${name}`);
    const res = spawnSync(process.execPath, [path.join(root, 'node_modules', file), ...args], { cwd: root, stdio: 'inherit' });
    if (res.status !== 0) {
      console.error(`[test] ${name} failed`);
      summary.push(`${name}: failed`);
      finish(res.status ?? 1);
    }
    summary.push(`${name}: passed`);
  }
}

const args = process.argv.slice(2);
if (args.length > 0) {
  run(args);
  fs.rmSync(results, { recursive: true, force: true });
} else {
  lint();
  run([]);
  for (const tz of ['America/Los_Angeles', 'Asia/Shanghai']) {
    console.log(`\n[test] unit tests again under TZ=${tz}`);
    run(['test/unit'], { TZ: tz }, `unit tests under TZ=${tz}`);
  }
  if (process.env.FUZZ !== '0') {
    console.log('\n[test] the API fuzzed from its OpenAPI document (schemathesis)');
    const fuzzSummary = path.join(results, 'fuzz.txt');
    const fuzzEnv = { ...env, FUZZ_SUMMARY_FILE: fuzzSummary };
    const res = spawnSync(process.execPath, [path.join(root, 'scripts', 'fuzz-ci.mjs')], { cwd: root, env: fuzzEnv, stdio: 'inherit' });
    summary.push(...(fs.existsSync(fuzzSummary) ? fs.readFileSync(fuzzSummary, 'utf8').trim().split('\n') : ['fuzz: no summary']));
    if (res.status !== 0) finish(res.status ?? 1);
  } else {
    summary.push('fuzz: skipped (FUZZ=0)');
  }
  finish(0);
}
