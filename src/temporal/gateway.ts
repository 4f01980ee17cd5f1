import { Client, Connection, type ConnectionLike } from '@temporalio/client';

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

/**
 * With `address`: its own lazy connection, closed by `close()` (the API process). With `connection`: a
 * client on that existing connection, left open by `close()` for its owner to close. The worker
 * process passes its worker's NativeConnection, so that starts from this client can ask for eager
 * workflow start (`requestEagerStart`), which the SDK honours only when the client and the worker
 * share one NativeConnection.
 */
export function connectTemporal(
  opts: { namespace: string; taskQueue: string } & ({ address: string } | { connection: ConnectionLike }),
): TemporalGateway {
  if ('connection' in opts) return fromClient(new Client({ connection: opts.connection, namespace: opts.namespace }), opts.taskQueue);
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
        await client.connection.withDeadline(Date.now() + timeoutMs, () => client.connection.workflowService.getSystemInfo({}));
        return true;
      } catch {
        return false;
      }
    },
    close,
  };
}
