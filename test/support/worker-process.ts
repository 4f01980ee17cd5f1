import { spawn, type ChildProcess } from 'node:child_process';

/**
 * The worker process as deployed (src/worker-main.ts on a prebuilt workflow bundle), with `env` over
 * this process's environment; resolves once it says it is ready (polling, starter running, Schedules
 * ensured), rejects if it exits first.
 */
export function spawnWorkerProcess(bundle: string, env: Record<string, string>): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/worker-main.ts', '--workflow-bundle', bundle], {
    env: { ...process.env, NODE_ENV: 'test', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => {
      if (d.toString().includes('worker process ready')) resolve(child);
    });
    child.once('exit', (code) => reject(new Error(`a worker process exited with ${code} before it was ready`)));
  });
}

/** Stops a worker process started by spawnWorkerProcess and waits for it to exit. */
export async function stopWorkerProcess(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null) return;
  child.kill('SIGTERM');
  await new Promise((r) => child.once('exit', r));
}
