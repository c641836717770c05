import { readFileSync } from 'node:fs';
import { defaultGrpcRetryOptions, makeGrpcRetryInterceptor, type TLSConfig } from '@temporalio/client';
import type { Config } from './config';

/**
 * Connection options shared by the API (client) and the worker (native connection): a local dev
 * server in plain text, a self-hosted cluster with (m)TLS, or Temporal Cloud with an API key.
 */
export function temporalConnectionOptions(config: Config): { address: string; tls?: TLSConfig; apiKey?: string } {
  const mtls = config.TEMPORAL_TLS_CERT_PATH && config.TEMPORAL_TLS_KEY_PATH;
  const useTls = config.TEMPORAL_TLS || Boolean(config.TEMPORAL_API_KEY) || Boolean(mtls) || Boolean(config.TEMPORAL_TLS_CA_PATH);
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
export const failFastInterceptors = () => [makeGrpcRetryInterceptor(defaultGrpcRetryOptions({ maxAttempts: 4, initialIntervalMs: () => 100, maxIntervalMs: () => 500 }))];
