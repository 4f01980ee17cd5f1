import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { readPidFile } from '../../src/infra/stale-processes.js';
import { devServerPidFile, startTemporalDevServer, type DevServer } from '../../src/infra/temporal-dev-server.js';

let runtimeInstalled = false;

/**
 * Temporal's time-skipping test server, from the executable `npm test` provides. The SDK gives the
 * Java server a fixed 5 s to come up, which a loaded 2-core machine can miss: try up to three times.
 */
export async function startTimeSkippingServer(): Promise<TestWorkflowEnvironment> {
  const path = process.env.TEMPORAL_TEST_SERVER_PATH;
  if (!path) throw new Error('TEMPORAL_TEST_SERVER_PATH is not set: run the suite with `npm test`');
  if (!runtimeInstalled) {
    Runtime.install({ logger: new DefaultLogger('WARN') });
    runtimeInstalled = true;
  }
  for (let attempt = 1; ; attempt++) {
    try {
      return await TestWorkflowEnvironment.createTimeSkipping({ server: { executable: { type: 'existing-path', path } } });
    } catch (err) {
      if (attempt >= 3 || !/did not start within/.test(String(err))) throw err;
    }
  }
}

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });

/**
 * The Temporal CLI dev server (TEMPORAL_CLI_PATH, set by npm test) in a folder of its own, for tests
 * that pause or outlive a process: the time-skipping server runs inside the SDK's bridge and cannot be
 * paused on its own. `pid` is the server's, for SIGSTOP/SIGCONT; `close()` stops it and removes the folder.
 */
export async function startDevServer(name: string): Promise<DevServer & { pid: number; close(): Promise<void> }> {
  const cliPath = process.env.TEMPORAL_CLI_PATH;
  if (!cliPath) throw new Error('TEMPORAL_CLI_PATH is not set: run this through npm test (scripts/test.mjs)');
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `amr-${name}-`));
  const server = await startTemporalDevServer({ cliPath, dataDir, port: await freePort(), uiPort: await freePort(), namespace: 'default' });
  return {
    ...server,
    pid: readPidFile(devServerPidFile(dataDir))!.pid,
    async close() {
      await server.stop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
