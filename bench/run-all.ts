// Every benchmark in one run: `npm run bench` (node --import tsx bench/run-all.ts).
// 1–2 and 5a (bench/intake.ts) on their own servers; then one PostgreSQL with the 1,000,000-letter
// data set, the Temporal dev server and the app, shared by 3 and 5b (bench/lists.ts) and 4
// (bench/digest.ts). Every process started is stopped at the end (or on Ctrl-C). About 15–20 minutes
// on a 2-core machine. The working-day calendar benchmark (bench/calendar.ts) runs separately.
import os from 'node:os';
import { runDigest } from './digest.js';
import { runIntake } from './intake.js';
import { cleanupAll, runMain } from './lib/infra.js';
import { prepareScale } from './lib/scale.js';
import type { Goals } from './lib/stats.js';
import { runLists } from './lists.js';

await runMain(async () => {
  const t0 = Date.now();
  console.log(
    `amr-portal benchmarks, ${new Date().toISOString()}, ${os.cpus().length} CPUs, load average at start ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );
  const all: { name: string; goals: Goals }[] = [];
  all.push({ name: 'intake', goals: (await runIntake()).goals });
  await cleanupAll(); // the intake servers; the scale run starts its own
  const scale = await prepareScale();
  all.push({ name: 'lists', goals: (await runLists(scale)).goals });
  all.push({ name: 'digest', goals: (await runDigest(scale)).goals });

  console.log(
    `\n=== Summary (${((Date.now() - t0) / 60_000).toFixed(1)} min; load average now ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}) ${'='.repeat(30)}`,
  );
  for (const { name, goals } of all)
    for (const g of goals.lines) console.log(`${g.ok ? 'MET   ' : 'MISSED'}  [${name}] ${g.goal}: ${g.figure}`);
});
