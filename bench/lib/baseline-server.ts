// The intake benchmark's baseline: a bare Fastify route that does one INSERT of a letter-sized row
// into the same database, with the same driver and pool size as the app (postgres, max 10). The table
// is a copy of `letters` with all its indexes (CREATE TABLE … (LIKE letters INCLUDING ALL)), so the
// INSERT itself costs what the app's INSERT costs; the difference is everything else intake does.
// Run by bench/intake.ts as a child process: DATABASE_URL, PORT.
import { randomBytes } from 'node:crypto';
import Fastify from 'fastify';
import postgres from 'postgres';

interface Body {
  writer: { name: string; phone: string; email?: string };
  type: string;
  departmentId: number;
  subject: string;
  content: string;
  allowPublication: boolean;
}

const sql = postgres(process.env.DATABASE_URL!, { max: 10, onnotice: () => {}, connection: { TimeZone: 'UTC' } });
const app = Fastify({ logger: false });

app.get('/ready', () => Promise.resolve({ ok: true }));
app.post<{ Body: Body }>('/baseline/letters', async (req, reply) => {
  const b = req.body;
  const now = new Date();
  const due = new Date(now.getTime() + 14 * 86_400_000);
  const trackingNo = `B${randomBytes(8).toString('hex')}`;
  const [row] = await sql`
    insert into bench_baseline_letters (tracking_no, access_code_hash, type, first_department_id, department_id, visited_department_ids,
      writer_name, writer_phone, writer_email, subject, content, allow_publication, received_at, limit_days, due_date, due_at, due_provisional, submit_ip)
    values (${trackingNo}, ${randomBytes(32).toString('hex')}, ${b.type}, ${b.departmentId}, ${b.departmentId}, ${[b.departmentId]},
      ${b.writer.name}, ${b.writer.phone}, ${b.writer.email ?? null}, ${b.subject}, ${b.content}, ${b.allowPublication}, ${now}, 10,
      ${due.toISOString().slice(0, 10)}, ${due}, false, ${req.ip})
    returning id`;
  return reply.status(201).send({ id: row!.id, trackingNo });
});

const stop = async () => {
  await app.close();
  await sql.end({ timeout: 5 });
  process.exit(0);
};
process.on('SIGTERM', () => void stop());
process.on('SIGINT', () => void stop());
await app.listen({ host: '127.0.0.1', port: Number(process.env.PORT) });
