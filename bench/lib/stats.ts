// Small statistics and formatting helpers shared by the benchmarks.

/** The q-quantile (0..1) of xs by linear interpolation between closest ranks; NaN when empty. */
export function quantile(xs: readonly number[], q: number): number {
  if (xs.length === 0) return Number.NaN;
  const s = [...xs].sort((a, b) => a - b);
  const pos = (s.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return s[lo]! + (s[hi]! - s[lo]!) * (pos - lo);
}

export const median = (xs: readonly number[]) => quantile(xs, 0.5);

export const ms = (n: number, digits = 1) => (Number.isFinite(n) ? `${n.toFixed(digits)} ms` : 'n/a');
export const num = (n: number, digits = 0) =>
  Number.isFinite(n) ? n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits }) : 'n/a';
export const mb = (kb: number) => `${(kb / 1024).toFixed(0)} MB`;

/** A plain text table: the first row is the header. */
export function table(rows: (string | number)[][]): string {
  // CJK characters take two columns in a terminal.
  const width = (s: string) => [...s].reduce((w, c) => w + (c.codePointAt(0)! >= 0x2e80 ? 2 : 1), 0);
  const pad = (s: string, w: number, left: boolean) =>
    left ? s + ' '.repeat(Math.max(0, w - width(s))) : ' '.repeat(Math.max(0, w - width(s))) + s;
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => width(String(r[i] ?? '')))));
  const line = (r: (string | number)[]) => r.map((c, i) => pad(String(c), widths[i]!, i === 0)).join('  ');
  return [line(rows[0]!), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.slice(1).map(line)].join('\n');
}

export const verdict = (ok: boolean) => (ok ? 'MET' : 'MISSED');

/** Collects the goal lines of a run, printed together at the end. */
export class Goals {
  readonly lines: { goal: string; figure: string; ok: boolean }[] = [];
  add(goal: string, figure: string, ok: boolean) {
    this.lines.push({ goal, figure, ok });
    console.log(`  goal: ${goal}: ${figure} -> ${verdict(ok)}`);
  }
}

export const heading = (title: string) => console.log(`\n=== ${title} ${'='.repeat(Math.max(0, 90 - title.length))}`);

export const sleep = (msDelay: number) => new Promise<void>((r) => setTimeout(r, msDelay));

/**
 * Times `call` `calls` times after `warmUp` untimed calls, one after the other: the median and p95 of
 * a benchmark's row.
 */
export async function timeCalls(label: string, call: (i: number) => Promise<unknown>, calls: number, warmUp = 20) {
  for (let i = 0; i < warmUp; i++) await call(i);
  const each: number[] = [];
  for (let i = 0; i < calls; i++) {
    const s = performance.now();
    await call(i);
    each.push(performance.now() - s);
  }
  return { label, median: median(each), p95: quantile(each, 0.95) };
}
