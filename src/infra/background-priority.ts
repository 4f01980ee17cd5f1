import fs from 'node:fs';

/**
 * Background work (the Temporal worker process, the dev server) runs at a lower CPU priority than the
 * API on a one-machine install: under a burst of letters the public form keeps answering quickly,
 * and the outbox catches up afterwards (docs/performance.md §1). Through `nice`, so that every thread
 * the program starts inherits it. Nothing changes where `nice` is missing.
 */
export const BACKGROUND_NICENESS = 10;

const NICE = ['/usr/bin/nice', '/bin/nice'].find((p) => fs.existsSync(p));

/** The command and arguments that run `command args…` at background priority. */
export function atBackgroundPriority(command: string, args: string[]): [string, string[]] {
  return NICE ? [NICE, ['-n', String(BACKGROUND_NICENESS), command, ...args]] : [command, args];
}
