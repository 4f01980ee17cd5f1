// Runs a child process in the foreground and hands our SIGINT/SIGTERM to it, so the child can shut
// down what it started before we exit with its code.
import { spawn } from 'node:child_process';

export function runForwardingSignals(cmd, args, options) {
  const child = spawn(cmd, args, { stdio: 'inherit', ...options });
  const forward = (signal) => () => child.kill(signal);
  process.on('SIGINT', forward('SIGINT'));
  process.on('SIGTERM', forward('SIGTERM'));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}
