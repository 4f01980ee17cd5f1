import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { startTemporalDevServer } from '../../src/infra/temporal-dev-server.js';
import { stablePort } from '../support/ports.js';

// When the dev server cannot start (npm start on the embedded default), the error says why in the
// server's own words. A CI run failed with only "exited before listening on port 40209 (is the port
// taken?)" while nothing listened on that port: the UI port, taken by another listener, stops the
// server just the same, and the message could not tell them apart.
describe('the Temporal dev server whose UI port another program holds', () => {
  it('fails fast, with its own message naming the UI port', async () => {
    const cliPath = process.env.TEMPORAL_CLI_PATH;
    if (!cliPath) throw new Error('TEMPORAL_CLI_PATH is not set: run this through npm test (scripts/test.mjs)');
    const [port, uiPort] = [await stablePort(), await stablePort()];
    const holder = net.createServer();
    await new Promise<void>((resolve) => holder.listen(uiPort, '127.0.0.1', resolve));
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'amr-port-taken-'));
    try {
      const start = startTemporalDevServer({ cliPath, dataDir, port, uiPort, namespace: 'default' });
      await expect(start).rejects.toThrow(new RegExp(`exited before listening on port ${port}.*last output:[\\s\\S]*UI port ${uiPort}`));
    } finally {
      holder.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  }, 60_000);
});
