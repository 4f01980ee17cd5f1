import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { staffIdByUsername } from '../../src/auth/service/staff-directory.js';
import { seedDemoAccounts } from '../../src/auth/seed-demo.js';
import { API_HEAP_MB, apiMemoryEnv, apiMemoryFlags } from '../../src/config/heap-limits.mjs';
import { seedDepartments } from '../../src/departments/seed.js';
import { allDepartments } from '../../src/departments/service.js';
import { seedColumns, seedDemoLeader } from '../../src/publishing/seed.js';
import { freshDatabase } from '../support/db.js';
import { DEMO_PASSWORD } from '../support/harness.js';

// Issue 15 point 2: a video of the largest size allowed (SITE_ATTACHMENT_VIDEO_MB, 200 MB) goes through
// the real API process, run with the heap cap npm start gives it: streamed in, spooled, written to
// PostgreSQL in 64 KiB pieces and streamed back out, never whole in memory. The bound is intake-memory's.
const PROCESS_RSS_GOAL_MB = 320;
const VIDEO_BYTES = 200 * 1024 * 1024;

let database: Awaited<ReturnType<typeof freshDatabase>>;
let api: ChildProcess;
let base = '';

beforeAll(async () => {
  database = await freshDatabase();
  await seedDepartments(database.db);
  await seedDemoAccounts(database.db, DEMO_PASSWORD);
  await seedColumns(database.db);
  const leader = await staffIdByUsername(database.db, 'leader');
  await seedDemoLeader(
    database.db,
    leader!,
    (await allDepartments(database.db)).map((d) => d.id),
  );
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

const peakRssMb = () => Number(/VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${api.pid}/status`, 'utf8'))![1]) / 1024;

/** The multipart body of one MP4 of `size` bytes, made piece by piece as it is sent; its digest when done. */
function videoUpload(size: number) {
  const boundary = '----amr-video';
  const hash = createHash('sha256');
  async function* body() {
    yield Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="files"; filename="发布会.mp4"\r\nContent-Type: video/mp4\r\n\r\n`,
    );
    const ftyp = Buffer.concat([Buffer.from([0, 0, 0, 24]), Buffer.from('ftypisom'), Buffer.from([0, 0, 2, 0]), Buffer.from('isommp41')]);
    hash.update(ftyp);
    yield ftyp;
    const piece = Buffer.alloc(1024 * 1024);
    for (let sent = ftyp.length; sent < size; sent += piece.length) {
      const part = piece.subarray(0, Math.min(piece.length, size - sent)).fill(sent % 251);
      hash.update(part);
      yield Buffer.from(part);
    }
    yield Buffer.from(`\r\n--${boundary}--\r\n`);
  }
  return { stream: Readable.from(body()), contentType: `multipart/form-data; boundary=${boundary}`, digest: () => hash.digest('hex') };
}

describe('a 200 MB video through the real API process', () => {
  it(`is stored in pieces and read back whole, the process staying under ${PROCESS_RSS_GOAL_MB} MiB resident`, async () => {
    const login = await fetch(`${base}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'h-registration', password: DEMO_PASSWORD }),
    });
    const auth = { authorization: `Bearer ${(await login.json()).token}` };
    const draft = await fetch(`${base}/api/site/items`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({ columnId: 3, contentType: 'video', title: '新闻发布会', body: '视频' }),
    });
    expect(draft.status, await draft.clone().text()).toBe(201);
    const itemId = (await draft.json()).id as number;
    console.log(`API process peak RSS before the upload: ${peakRssMb().toFixed(0)} MiB`);

    const video = videoUpload(VIDEO_BYTES);
    const t0 = Date.now();
    const res = await fetch(`${base}/api/site/items/${itemId}/attachments`, {
      method: 'POST',
      headers: { ...auth, 'content-type': video.contentType },
      body: Readable.toWeb(video.stream) as ReadableStream,
      duplex: 'half',
    } as RequestInit);
    expect(res.status, await res.clone().text()).toBe(201);
    const uploadSeconds = (Date.now() - t0) / 1000;
    const [attachment] = (await res.json()).attachments;
    expect(attachment).toMatchObject({ name: '发布会.mp4', size: VIDEO_BYTES, mime: 'video/mp4' });
    const [stored] = await database.sql<{ chunks: number }[]>`
      select count(*)::int as chunks from site_attachment_chunks where attachment_id = ${attachment.id}`;
    expect(stored!.chunks).toBe(VIDEO_BYTES / (64 * 1024));

    const t1 = Date.now();
    const back = await fetch(`${base}/api/site/items/${itemId}/attachments/${attachment.id}`, { headers: auth });
    expect(back.status).toBe(200);
    const hash = createHash('sha256');
    let received = 0;
    for await (const piece of back.body as unknown as AsyncIterable<Uint8Array>) {
      hash.update(piece);
      received += piece.length;
    }
    expect(received).toBe(VIDEO_BYTES);
    expect(hash.digest('hex')).toBe(video.digest());
    const peak = peakRssMb();
    console.log(
      `200 MiB video: upload ${uploadSeconds.toFixed(1)} s, download ${((Date.now() - t1) / 1000).toFixed(1)} s; ` +
        `API process peak RSS ${peak.toFixed(0)} MiB (heap cap ${API_HEAP_MB} MiB)`,
    );
    expect(peak).toBeLessThan(PROCESS_RSS_GOAL_MB);
  }, 600_000);
});
