import { readFileSync } from 'node:fs';
import {
  defaultGrpcRetryOptions,
  makeGrpcRetryInterceptor,
  type TLSConfig,
  type WorkflowService,
} from '@temporalio/client';
import { tsToMs } from '@temporalio/common/lib/time';
import { temporal } from '@temporalio/proto';
import type { Config } from './config';

/**
 * Connection options shared by the API (client) and the worker (native connection): a local dev
 * server in plain text, a self-hosted cluster with (m)TLS, or Temporal Cloud with an API key.
 */
export function temporalConnectionOptions(config: Config): { address: string; tls?: TLSConfig; apiKey?: string } {
  const mtls = config.TEMPORAL_TLS_CERT_PATH && config.TEMPORAL_TLS_KEY_PATH;
  const useTls =
    config.TEMPORAL_TLS || Boolean(config.TEMPORAL_API_KEY) || Boolean(mtls) || Boolean(config.TEMPORAL_TLS_CA_PATH);
  const tls = useTls
    ? {
        serverNameOverride: config.TEMPORAL_TLS_SERVER_NAME,
        serverRootCACertificate: config.TEMPORAL_TLS_CA_PATH ? readFileSync(config.TEMPORAL_TLS_CA_PATH) : undefined,
        clientCertPair: mtls
          ? { crt: readFileSync(config.TEMPORAL_TLS_CERT_PATH!), key: readFileSync(config.TEMPORAL_TLS_KEY_PATH!) }
          : undefined,
      }
    : undefined;
  return { address: config.TEMPORAL_ADDRESS, tls, apiKey: config.TEMPORAL_API_KEY };
}

/**
 * The API's calls to Temporal give up after a few quick attempts (about a second) instead of the
 * SDK's long default, so a caller gets its 503 promptly and retries with its Idempotency-Key.
 */
export const failFastInterceptors = () => [
  makeGrpcRetryInterceptor(
    defaultGrpcRetryOptions({ maxAttempts: 4, initialIntervalMs: () => 100, maxIntervalMs: () => 500 }),
  ),
];

/**
 * The worker identities Temporal has seen polling a task queue for workflow tasks since `sinceMs`
 * (as Temporal itself sees them, whatever the workers log). A poll lasts up to about a minute, so a
 * live worker's last poll is never older than that.
 */
export async function workflowPollersSince(
  service: WorkflowService,
  namespace: string,
  taskQueue: string,
  sinceMs: number,
): Promise<Set<string>> {
  const { pollers } = await service.describeTaskQueue({
    namespace,
    taskQueue: { name: taskQueue },
    taskQueueType: temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW,
  });
  return new Set(
    (pollers ?? []).filter((p) => p.lastAccessTime && tsToMs(p.lastAccessTime) >= sinceMs).map((p) => p.identity ?? ''),
  );
}
