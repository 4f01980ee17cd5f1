// Working-day calendar vs chinese-days, same random inputs, one process. Run: npx tsx bench/calendar.ts
// Goals: addWorkingDays(10) ≥ 50× findWorkday(10); isWorkingDay ≥ 10× isWorkday. Prints figures only.
import { dayToIso, parseIsoDate } from '../src/calendar/china-time.js';
import { bundledSchedules } from '../src/calendar/data/index.js';
import { WorkingDayCalendar } from '../src/calendar/working-days.js';

// chinese-days parses 'YYYY-MM-DD' as UTC midnight and then reads local fields, so west of UTC it answers for
// the previous day. Pin the zone before loading it (our code does not depend on it).
process.env.TZ = 'Asia/Shanghai';
const { default: chineseDays } = await import('chinese-days');

const INPUTS = 20_000;
const ROUNDS = 7;
const MIN_MS = 200; // each measurement runs whole passes over the inputs for at least this long

// Seeded so every run times the same dates (mulberry32).
let seed = 20241001;
const random = () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};
const first = parseIsoDate('2020-01-01')!;
const last = parseIsoDate('2026-12-31')!;
const days = Array.from({ length: INPUTS }, () => first + Math.floor(random() * (last - first + 1)));
const isos = days.map(dayToIso);

const cal = new WorkingDayCalendar(bundledSchedules);

// Same answers first, or the timing means nothing.
for (let i = 0; i < INPUTS; i++) {
  const iso = isos[i]!;
  if (cal.isWorkingDay(days[i]!) !== chineseDays.isWorkday(iso)) throw new Error(`isWorkday disagrees on ${iso}`);
  if (dayToIso(cal.addWorkingDays(days[i]!, 10)) !== chineseDays.findWorkday(10, iso))
    throw new Error(`findWorkday(10) disagrees on ${iso}`);
}

let sink = 0; // consumed results, so nothing is optimised away

const cases: Record<string, () => void> = {
  'isWorkingDay(day number)': () => {
    for (let i = 0; i < INPUTS; i++) sink += cal.isWorkingDay(days[i]!) ? 1 : 0;
  },
  'isWorkingDay(parseIsoDate(iso))': () => {
    for (let i = 0; i < INPUTS; i++) sink += cal.isWorkingDay(parseIsoDate(isos[i]!)!) ? 1 : 0;
  },
  'chinese-days isWorkday(iso)': () => {
    for (let i = 0; i < INPUTS; i++) sink += chineseDays.isWorkday(isos[i]) ? 1 : 0;
  },
  'addWorkingDays(day number, 10)': () => {
    for (let i = 0; i < INPUTS; i++) sink += cal.addWorkingDays(days[i]!, 10);
  },
  'addWorkingDays(parseIsoDate(iso), 10)': () => {
    for (let i = 0; i < INPUTS; i++) sink += cal.addWorkingDays(parseIsoDate(isos[i]!)!, 10);
  },
  'dayToIso(addWorkingDays(parseIsoDate(iso), 10))': () => {
    for (let i = 0; i < INPUTS; i++) sink += dayToIso(cal.addWorkingDays(parseIsoDate(isos[i]!)!, 10)).length;
  },
  'chinese-days findWorkday(10, iso)': () => {
    for (let i = 0; i < INPUTS; i++) sink += chineseDays.findWorkday(10, isos[i]).length;
  },
};

function opsPerSecond(pass: () => void): number {
  let passes = 0;
  const start = process.hrtime.bigint();
  let elapsed = 0;
  do {
    pass();
    passes++;
    elapsed = Number(process.hrtime.bigint() - start) / 1e6;
  } while (elapsed < MIN_MS);
  return (passes * INPUTS) / (elapsed / 1000);
}

for (const pass of Object.values(cases)) opsPerSecond(pass); // warm-up round, not counted

const results = new Map<string, number[]>(Object.keys(cases).map((k) => [k, []]));
for (let r = 0; r < ROUNDS; r++) {
  for (const [name, pass] of Object.entries(cases)) results.get(name)!.push(opsPerSecond(pass));
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
const fmt = (n: number) => Math.round(n).toLocaleString('en-US').padStart(14);
const med = new Map([...results].map(([k, v]) => [k, median(v)]));

console.log(
  `node ${process.version}, ${INPUTS.toLocaleString('en-US')} random dates 2020–2026, ${ROUNDS} rounds (+1 warm-up), ≥${MIN_MS} ms each`,
);
console.log(`${'case'.padEnd(50)}${'median ops/s'.padStart(14)}${'min'.padStart(14)}${'max'.padStart(14)}`);
for (const [name, v] of results) console.log(`${name.padEnd(50)}${fmt(med.get(name)!)}${fmt(Math.min(...v))}${fmt(Math.max(...v))}`);

const ratio = (ours: string, theirs: string, goal: number) => {
  const x = med.get(ours)! / med.get(theirs)!;
  console.log(`${ours.padEnd(50)} ${x.toFixed(1).padStart(8)}× ${theirs}  (goal ≥ ${goal}×: ${x >= goal ? 'met' : 'NOT met'})`);
};
console.log('\nratios of medians:');
ratio('isWorkingDay(day number)', 'chinese-days isWorkday(iso)', 10);
ratio('isWorkingDay(parseIsoDate(iso))', 'chinese-days isWorkday(iso)', 10);
ratio('addWorkingDays(day number, 10)', 'chinese-days findWorkday(10, iso)', 50);
ratio('addWorkingDays(parseIsoDate(iso), 10)', 'chinese-days findWorkday(10, iso)', 50);
ratio('dayToIso(addWorkingDays(parseIsoDate(iso), 10))', 'chinese-days findWorkday(10, iso)', 50);
if (sink === 42) console.log(''); // keep `sink` observable
