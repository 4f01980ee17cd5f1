import { Client, Connection } from '@temporalio/client';

/**
 * The API's handle on Temporal. The connection is lazy, so the API boots and accepts letters while
 * Temporal is unreachable; callers that need Temporal get a clear error instead.
 */
export interface TemporalGateway {
  client: Client;
  taskQueue: string;
  ping(timeoutMs?: number): Promise<boolean>;
  close(): Promise<void>;
}

export function connectTemporal(opts: { address: string; namespace: string; taskQueue: string }): TemporalGateway {
  const connection = Connection.lazy({ address: opts.address, connectTimeout: '3s' });
  const client = new Client({ connection, namespace: opts.namespace });
  return fromClient(client, opts.taskQueue, () => connection.close());
}

export function fromClient(client: Client, taskQueue: string, close: () => Promise<void> = async () => {}): TemporalGateway {
  return {
    client,
    taskQueue,
    async ping(timeoutMs = 2000) {
      try {
        await client.connection.withDeadline(Date.now() + timeoutMs, () =>
          client.connection.workflowService.getSystemInfo({}),
        );
        return true;
      } catch {
        return false;
      }
    },
    close,
  };
}
