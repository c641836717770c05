// First: tracing hooks pg and http as they load (platform/tracing.ts).
import { startTracing, tracingClientInterceptors } from '../platform/tracing';
import { readFileSync } from 'node:fs';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Runtime } from '@temporalio/worker';
import { createActivities } from '../activities';
import { createCaseRepository } from '../db/cases';
import { createWebhookRepository } from '../db/webhooks';
import { createImportRepository } from '../db/imports';
import { migrate } from '../db/migrate';
import { createPeopleRepository } from '../db/people';
import { createPool } from '../db/pool';
import { ConfigError, loadConfig } from '../platform/config';
import { createLogger, errorFields, temporalLogger } from '../platform/logger';
import { receiverAddressPolicy, receiverFetch } from '../platform/network';
import { temporalConnectionOptions } from '../platform/temporal';
import { ensureSearchAttributes } from '../platform/temporal-namespace';
import { caseStarter } from './case-starter';
import { deliveryStarter } from './deliveries';
import { bundleTraces, createCaseWorker } from './worker';

/**
 * The worker's composition root: config, Postgres, activities, the Temporal worker. SIGINT and
 * SIGTERM make the worker finish the tasks in hand and stop (the SDK's runtime handles them).
 */
async function main(): Promise<void> {
  const config = loadConfig();
  const log = createLogger(config.LOG_LEVEL, { service: 'worker' }, { format: config.LOG_FORMAT });
  // Once per process, before any connection. The SDK's and Core's logs go through ours; their
  // chatter (bundler output, poller start) only when debugging.
  const sdkLevel = config.LOG_LEVEL === 'debug' ? 'DEBUG' : 'WARN';
  Runtime.install({
    logger: temporalLogger(log.child({ component: 'temporal-sdk' }), sdkLevel),
    telemetryOptions: {
      logging: { filter: { core: sdkLevel, other: 'ERROR' }, forward: {} },
      ...(config.WORKER_METRICS_PORT !== undefined
        ? { metrics: { prometheus: { bindAddress: `${config.WORKER_METRICS_HOST}:${config.WORKER_METRICS_PORT}` } } }
        : {}),
    },
  });
  const tracing = startTracing('suprovid-worker', config);
  if (tracing && config.WORKFLOW_BUNDLE_PATH && !bundleTraces(readFileSync(config.WORKFLOW_BUNDLE_PATH, 'utf8'))) {
    log.warn(
      'tracing is on but the workflow bundle was built without it: traces stop at the workflow (npm run build:bundle -- --tracing)',
      { bundle: config.WORKFLOW_BUNDLE_PATH },
    );
  }
  const pool = createPool(config, 'suprovid-worker', (err) =>
    log.warn('database connection lost', { error: err.name }),
  );
  await migrate(pool);
  // People recorded before migration 007 get the keys search and duplicate matching use.
  const keyed = await createPeopleRepository(pool).backfillKeys();
  if (keyed > 0) log.info('people keyed for search', { count: keyed });

  const connectionOptions = temporalConnectionOptions(config);
  const clientConnection = await Connection.connect(connectionOptions);
  await ensureSearchAttributes(clientConnection, config.TEMPORAL_NAMESPACE, log);
  const client = new Client({
    connection: clientConnection,
    namespace: config.TEMPORAL_NAMESPACE,
    interceptors: tracingClientInterceptors(),
  });

  const connection = await NativeConnection.connect(connectionOptions);
  const worker = await createCaseWorker({
    connection,
    namespace: config.TEMPORAL_NAMESPACE,
    taskQueue: config.TEMPORAL_TASK_QUEUE,
    maxCachedWorkflows: config.WORKER_MAX_CACHED_WORKFLOWS,
    workflowThreads: config.WORKER_WORKFLOW_THREADS,
    stickyQueueTimeoutMs: config.WORKER_STICKY_QUEUE_TIMEOUT_MS,
    maxConcurrentWorkflowTasks: config.WORKER_MAX_CONCURRENT_WORKFLOW_TASKS,
    workflowBundle: config.WORKFLOW_BUNDLE_PATH ? { codePath: config.WORKFLOW_BUNDLE_PATH } : undefined,
    tracing,
    activities: createActivities({
      cases: createCaseRepository(pool),
      webhooks: createWebhookRepository(pool),
      startDelivery: deliveryStarter(client, config.TEMPORAL_TASK_QUEUE),
      imports: { rows: createImportRepository(pool), startCase: caseStarter(client, config.TEMPORAL_TASK_QUEUE) },
      fetch: receiverFetch(receiverAddressPolicy(config.WEBHOOK_ALLOWED_NETWORKS)),
      deliveryRetry: {
        initialMs: config.WEBHOOK_RETRY_INITIAL_MS,
        maxMs: config.WEBHOOK_RETRY_MAX_MS,
        giveUpAfterMs: config.WEBHOOK_GIVE_UP_AFTER_MS,
      },
      log,
    }),
  });
  log.info('worker polling', {
    taskQueue: config.TEMPORAL_TASK_QUEUE,
    namespace: config.TEMPORAL_NAMESPACE,
    metrics:
      config.WORKER_METRICS_PORT !== undefined
        ? `http://${config.WORKER_METRICS_HOST}:${config.WORKER_METRICS_PORT}/metrics`
        : null,
  });
  try {
    await worker.run();
  } finally {
    await connection.close();
    await clientConnection.close();
    await pool.end();
    await tracing?.shutdown();
    log.info('worker stopped');
  }
}

main().catch((err) => {
  if (err instanceof ConfigError) process.stderr.write(`suprovid worker: ${err.message}\n`);
  else createLogger('error', { service: 'worker' }).error('worker failed', errorFields(err));
  process.exit(1);
});
