// What a previous run may have left behind, and how it is recognised and stopped. The parent-death
// signal (src/infra/parent-death.mjs) stops PostgreSQL and the Temporal dev server when their
// supervisor dies; this is the second line, at the next start: a supervisor that died before that
// signal was set up, a host without setpriv, a child that ignored it, or an earlier version of this
// program. A process is only ever signalled once it is proven ours: its pid file names it and
// /proc shows the same process (same start time) or the program and data folder we would run.
import fs from 'node:fs';
import path from 'node:path';

/** How a child-process starter reports: progress, and what an earlier run left that it stopped. */
export interface StarterLogging {
  log?: (msg: string) => void;
  /** What was found left by an earlier run and stopped (default: `log`). */
  warn?: (msg: string) => void;
}

export function loggersOf(opts: StarterLogging): { log: (msg: string) => void; warn: (msg: string) => void } {
  const log = opts.log ?? (() => {});
  return { log, warn: opts.warn ?? log };
}

/** Whether /proc (Linux) is there to tell processes apart; without it nothing is cleaned up. */
export const procAvailable = (): boolean => fs.existsSync('/proc/self/stat');

interface ProcStat {
  comm: string;
  state: string;
  ppid: number;
  /** Clock ticks after boot: with the pid, a process's identity (a reused pid has another). */
  startTime: string;
}

function readStat(pid: number): ProcStat | undefined {
  let text: string;
  try {
    text = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // "pid (comm) state ppid …": comm may contain spaces and parentheses; the last ')' ends it.
  const close = text.lastIndexOf(')');
  const rest = text.slice(close + 2).split(' ');
  return { comm: text.slice(text.indexOf('(') + 1, close), state: rest[0] ?? '', ppid: Number(rest[1]), startTime: rest[19] ?? '' };
}

/** The process exists and is not a zombie (an exited child nobody has reaped holds no port or file). */
export function isRunning(pid: number): boolean {
  if (!procAvailable()) {
    try {
      process.kill(pid, 0);
      return true;
    } catch (err) {
      return (err as NodeJS.ErrnoException).code === 'EPERM';
    }
  }
  const stat = readStat(pid);
  return stat !== undefined && stat.state !== 'Z' && stat.state !== 'X';
}

/** The process's command name (/proc/<pid>/comm: the executable's name, 15 characters at most). */
export const commandName = (pid: number): string | undefined => readStat(pid)?.comm;

/** The process's arguments, argv[0] first; [] when it is gone or unreadable. */
export function commandLine(pid: number): string[] {
  try {
    const raw = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    const args = raw.split('\0');
    if (args.at(-1) === '') args.pop();
    return args;
  } catch {
    return [];
  }
}

/** The value after `flag` in `args` (`-D /dir`, `--db-filename /file`). */
export function argAfter(args: string[], flag: string): string | undefined {
  const i = args.indexOf(flag);
  return i >= 0 ? args[i + 1] : undefined;
}

/** Two paths name the same file (symlinks resolved where they exist). */
export function samePath(a: string, b: string): boolean {
  const real = (p: string) => {
    try {
      return fs.realpathSync(p);
    } catch {
      return path.resolve(p);
    }
  };
  return path.resolve(a) === path.resolve(b) || real(a) === real(b);
}

/** Pids of running processes whose arguments satisfy `match` (a scan of /proc). */
export function findProcesses(match: (args: string[]) => boolean): number[] {
  if (!procAvailable()) return [];
  const found: number[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    if (pid === process.pid || !isRunning(pid)) continue;
    const args = commandLine(pid);
    if (args.length > 0 && match(args)) found.push(pid);
  }
  return found;
}

export interface PidRecord {
  pid: number;
  startTime?: string;
}

/** Writes `<pid> <start time>` (the start time from /proc, when there is one). */
export function writePidFile(file: string, pid: number): void {
  const startTime = readStat(pid)?.startTime;
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, `${pid}${startTime ? ` ${startTime}` : ''}\n`);
}

export function readPidFile(file: string): PidRecord | undefined {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  const [pid, startTime] = text.trim().split(/\s+/);
  const n = Number(pid);
  return Number.isInteger(n) && n > 0 ? { pid: n, startTime } : undefined;
}

/** The process a pid file names is still the one that was written there (not a reused pid). */
export function isSameProcess(record: PidRecord): boolean {
  if (!isRunning(record.pid)) return false;
  if (!procAvailable()) return false; // cannot prove it: treat as gone
  return record.startTime !== undefined && readStat(record.pid)?.startTime === record.startTime;
}

/** Removes a pid file if it still names `pid` (a later run may have written its own since). */
export function removePidFile(file: string, pid: number): void {
  if (readPidFile(file)?.pid === pid) fs.rmSync(file, { force: true });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Sends each signal in turn, waiting up to its time for the process to go; true once it is gone.
 * Never called on a process that is not proven ours.
 */
export async function terminate(pid: number, steps: [NodeJS.Signals, number][]): Promise<boolean> {
  for (const [signal, ms] of steps) {
    if (!isRunning(pid)) return true;
    try {
      process.kill(pid, signal);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ESRCH') return true;
      throw err;
    }
    const deadline = Date.now() + ms;
    while (Date.now() < deadline) {
      if (!isRunning(pid)) return true;
      await sleep(100);
    }
  }
  return !isRunning(pid);
}

export class DataDirInUseError extends Error {}

/**
 * Claims `dataDir` for this process through `<dataDir>/supervisor.pid`, so that the clean-up of
 * leftovers can tell "left by a run that died" from "belongs to a run still going": fails when the
 * file names another live process (same pid, same start time), else writes ours. `release()`
 * removes it.
 */
export function claimDataDir(dataDir: string): { file: string; release(): void } {
  const file = path.join(dataDir, 'supervisor.pid');
  const previous = readPidFile(file);
  if (previous && previous.pid !== process.pid && isSameProcess(previous)) {
    throw new DataDirInUseError(
      `${dataDir} is in use by another running instance (pid ${previous.pid}, see ${file}): ` +
        'stop it first, or give this one another DATA_DIR',
    );
  }
  writePidFile(file, process.pid);
  return { file, release: () => removePidFile(file, process.pid) };
}
