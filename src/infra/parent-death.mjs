// Children die with the process that started them, however it dies (a crash, SIGKILL, the
// out-of-memory killer): `setpriv --pdeathsig SIG -- cmd …` (util-linux) asks the kernel, in the child,
// to send SIG to it when its parent goes; the setting survives exec (so `nice` and the program after it
// keep it). It is set after node's spawn has switched uid/gid (a credential change clears it), so it
// holds for PostgreSQL run as the `postgres` user too. Strictly the kernel watches the *thread* that
// spawned the child: spawn these from a process's main thread, never from a worker thread.
// Where setpriv is missing (not Linux, a minimal image) children run unwatched, with one warning; the
// start-up clean-up of what an earlier run left (src/infra/stale-processes.ts) still applies.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';

const SETPRIV = ['/usr/bin/setpriv', '/bin/setpriv'].find((p) => process.platform === 'linux' && fs.existsSync(p));
/** @type {boolean | undefined} */
let usable;
let warned = false;

/** Whether `setpriv --pdeathsig` works here (probed once). */
export function parentDeathSignalSupported() {
  if (usable === undefined) {
    usable = SETPRIV !== undefined && spawnSync(SETPRIV, ['--pdeathsig', 'SIGTERM', '--', 'true'], { stdio: 'ignore' }).status === 0;
  }
  return usable;
}

/**
 * The command and arguments that run `command args…` and have the kernel send `signal` to it when
 * the calling process dies; `command args…` unchanged (and a warning, once) where that is not possible.
 * @param {string} command
 * @param {string[]} args
 * @param {NodeJS.Signals} signal
 * @returns {[string, string[]]}
 */
export function dieWithParent(command, args, signal) {
  if (parentDeathSignalSupported()) return [/** @type {string} */ (SETPRIV), ['--pdeathsig', signal, '--', command, ...args]];
  if (!warned) {
    warned = true;
    process.emitWarning(
      'setpriv (util-linux) is not available: PostgreSQL and the Temporal dev server will not stop by themselves ' +
        'if this process is killed; the next start stops what is left',
      { code: 'AMR_NO_PDEATHSIG' },
    );
  }
  return [command, args];
}
