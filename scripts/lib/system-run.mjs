// The whole system started as a person starts it (`npm start`, in its own process group), for the
// scripts that exercise a real run: the smoke run and the CI fuzzing of the API.
import { spawn } from 'node:child_process';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * Starts `npm start` in `root` with `env`; `exited` resolves with its exit code and signal.
 * @param {string} root
 * @param {NodeJS.ProcessEnv} env
 */
export function startSystem(root, env) {
  // Its own process group, like a terminal session or a service manager's control group.
  const child = spawn('npm', ['start'], { cwd: root, env, stdio: ['ignore', 'inherit', 'inherit'], detached: true });
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  return { child, exited };
}

/**
 * Waits until `${base}/ready` answers 200; returns the milliseconds waited, or throws with why not.
 * @param {string} base
 * @param {Promise<unknown>} exited
 * @param {number} timeoutMs
 */
export async function waitReady(base, exited, timeoutMs) {
  const t0 = Date.now();
  let done = false;
  void exited.then(() => (done = true));
  while (Date.now() - t0 < timeoutMs) {
    if (done) throw new Error('npm start exited before /ready answered 200');
    const res = await fetch(`${base}/ready`).catch(() => undefined);
    if (res?.status === 200) return Date.now() - t0;
    await sleep(500);
  }
  throw new Error(`/ready did not answer 200 within ${timeoutMs / 1000}s`);
}
