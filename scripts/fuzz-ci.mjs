#!/usr/bin/env node
// The API fuzzed from its own OpenAPI document, as `npm test` runs it last (issue #20, point 1): a
// throw-away system started as `npm start` starts it, one real letter, then scripts/fuzz-api.sh
// (schemathesis) with that letter's tracking number and access code offered as examples next to the
// generated ones, over the public operations and with an administrator's, the general office's and
// the letter's department handler's tokens. Bounded: FUZZ_EXAMPLES per operation (default 6) and
// FUZZ_TIME_LIMIT_S for the whole (default 600, a failure when exceeded); the seed is fixed.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { postSampleLetter } from './lib/sample-letter.mjs';
import { startSystem, waitReady } from './lib/system-run.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const examples = process.env.FUZZ_EXAMPLES ?? '6';
const limitMs = Number(process.env.FUZZ_TIME_LIMIT_S ?? 600) * 1000;
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'amr-fuzz-'));
const ports = { PORT: 3320, EMBEDDED_PG_PORT: 55443, TEMPORAL_DEV_PORT: 57243, TEMPORAL_UI_PORT: 58243 };
const base = `http://127.0.0.1:${ports.PORT}`;
const env = { ...process.env, DATA_DIR: path.join(work, 'data'), LOG_LEVEL: 'warn' };
for (const [k, v] of Object.entries(ports)) env[k] = String(v);
delete env.DATABASE_URL;
delete env.TEMPORAL_ADDRESS;

/** The letter the examples name: a real tracking number and access code, and its department's handler. */
async function sampleRecords() {
  const res = await postSampleLetter(base, { subject: '接口模糊测试', content: '供模糊测试引用的真实信件', departmentIndex: 4 });
  if (res.status !== 201) throw new Error(`POST /api/letters answered ${res.status}`);
  const letter = await res.json();
  const depts = await (await fetch(`${base}/api/departments`)).json();
  return { ...letter, handler: `h-${depts[4].code}` };
}

/** Schemathesis's configuration: the real values are offered half of the time, generated ones the rest. */
function writeConfig(records) {
  const file = path.join(work, 'schemathesis.toml');
  const q = JSON.stringify;
  fs.writeFileSync(
    file,
    [
      '[dictionaries.tracking]',
      `values = [${q(records.trackingNo)}]`,
      '[dictionaries.access]',
      `values = [${q(records.accessCode)}]`,
      '[parameters]',
      '"path.trackingNo" = { dictionary = "tracking", probability = 0.5 }',
      '"header.x-access-code" = { dictionary = "access", probability = 0.5 }',
      '',
    ].join('\n'),
  );
  return file;
}

// Schemathesis's report (hundreds of lines a run) goes to a log; the suite prints each run's counts,
// and the whole log only when something failed.
const log = path.join(os.tmpdir(), `amr-fuzz-${process.pid}.log`);

function fuzz(config, handler) {
  const out = fs.openSync(log, 'w');
  const child = spawn('bash', [path.join(root, 'scripts/fuzz-api.sh'), base, examples], {
    cwd: work,
    env: { ...process.env, FUZZ_CONFIG: config, FUZZ_HANDLER: handler, FUZZ_REPORT_DIR: path.join(work, 'reports') },
    stdio: ['ignore', out, out],
  });
  fs.closeSync(out);
  const timer = setTimeout(() => {
    console.error(`[fuzz] stopped: over the ${limitMs / 1000} s limit (FUZZ_TIME_LIMIT_S)`);
    child.kill('SIGTERM');
  }, limitMs);
  return new Promise((resolve) =>
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      resolve(signal ? 1 : (code ?? 1));
    }),
  );
}

const t0 = Date.now();
const run = startSystem(root, env);
let status = 1;
try {
  await waitReady(base, run.exited, 20 * 60_000);
  const records = await sampleRecords();
  console.log(`[fuzz] system ready; examples name letter ${records.trackingNo} and handler ${records.handler}`);
  status = await fuzz(writeConfig(records), records.handler);
} catch (err) {
  console.error(`[fuzz] ${err instanceof Error ? err.message : err}`);
} finally {
  process.kill(-run.child.pid, 'SIGTERM');
  await Promise.race([run.exited, new Promise((r) => setTimeout(r, 60_000))]);
  fs.rmSync(work, { recursive: true, force: true });
}
const runs = fs.existsSync(log) ? runCounts(fs.readFileSync(log, 'utf8')) : [];
if (status !== 0 && fs.existsSync(log)) process.stdout.write(fs.readFileSync(log, 'utf8'));
const seconds = Math.round((Date.now() - t0) / 1000);
const lines = runs.map((r) => `fuzz ${r.name}: ${r.counts}`);
const total = runs.reduce((n, r) => n + r.generated, 0);
lines.push(`fuzz: ${total} cases in ${runs.length} runs, ${status === 0 ? 'no findings' : 'FINDINGS'}, ${seconds} s (log ${log})`);
for (const line of lines) console.log(`[fuzz] ${line.replace(/^fuzz:? ?/, '')}`);
if (process.env.FUZZ_SUMMARY_FILE) fs.writeFileSync(process.env.FUZZ_SUMMARY_FILE, `${lines.join('\n')}\n`);
process.exit(status);

/** Each run's "== name" header and schemathesis's "N generated, N passed" (or failed) line. */
function runCounts(text) {
  const runs = [];
  for (const line of text.split('\n')) {
    const header = /^== (\S+)/.exec(line);
    if (header) runs.push({ name: header[1], counts: 'no test cases line', generated: 0 });
    const counts = /^\s*(\d+) generated, (.*)$/.exec(line);
    if (counts && runs.length > 0)
      Object.assign(runs.at(-1), { counts: `${counts[1]} generated, ${counts[2]}`, generated: Number(counts[1]) });
  }
  return runs;
}
