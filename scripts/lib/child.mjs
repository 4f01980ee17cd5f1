// Runs a child process in the foreground and hands our SIGINT/SIGTERM to it, so the child can shut
// down what it started before we exit with its code.
import { spawn } from 'node:child_process';

export function runForwardingSignals(cmd, args, options) {
  const child = spawn(cmd, args, { stdio: 'inherit', ...options });
  const forward = (signal) => () => child.kill(signal);
  process.on('SIGINT', forward('SIGINT'));
  process.on('SIGTERM', forward('SIGTERM'));
  // `kill <npm pid>` ends npm without passing the signal on; when our parent goes away, stop too,
  // so PostgreSQL and Temporal are never left running without an owner.
  const parent = process.ppid;
  const watch = setInterval(() => {
    if (process.ppid !== parent) forward('SIGTERM')();
  }, 1000);
  watch.unref();
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}
