// First: tracing hooks pg and http as they load (platform/tracing.ts).
import { startTracing, tracingClientInterceptors } from '../platform/tracing';
import { Client, Connection } from '@temporalio/client';
import { createApiKeyRepository } from '../db/api-keys';
import { createCaseRepository } from '../db/cases';
import { createIdempotencyKeyRepository } from '../db/idempotency-keys';
import { createNotificationRepository } from '../db/notifications';
import { createOneOffRepository } from '../db/one-off';
import { createPeopleRepository } from '../db/people';
import { createPolicyRepository } from '../db/policies';
import { createWebhookRepository } from '../db/webhooks';
import { createReferenceRepository } from '../db/reference';
import { createStaffRepository } from '../db/staff';
import { createStaffAccountRepository } from '../db/staff-accounts';
import { createImportRepository } from '../db/imports';
import { createDatabaseCheck, createPool } from '../db/pool';
import { createCaseListRepository } from '../db/case-list';
import { createEscalationRepository } from '../db/escalations';
import { createReportRepository } from '../db/reports';
import { ConfigError, loadConfig } from '../platform/config';
import { createLogger, errorFields } from '../platform/logger';
import { receiverAddressPolicy } from '../platform/network';
import { failFastInterceptors, temporalConnectionOptions } from '../platform/temporal';
import { deliveryStarter } from '../worker/deliveries';
import { createApp } from './app';
import { startHousekeeping } from './housekeeping';
import { basename, resolve } from 'node:path';
import { version } from '../package.json';

/** dist/console, whether this runs from the sources (api/) or from the build (dist/api/). */
function builtConsoleDir(): string {
  const up = resolve(__dirname, '..');
  return basename(up) === 'dist' ? resolve(up, 'console') : resolve(up, 'dist', 'console');
}

/** The API's composition root. On SIGINT/SIGTERM it stops accepting, finishes requests in flight, then exits. */
async function main(): Promise<void> {
  const config = loadConfig();
  const log = createLogger(config.LOG_LEVEL, { service: 'api' }, { format: config.LOG_FORMAT });
  const tracing = startTracing('suprovid-api', config);
  const pool = createPool(config, 'suprovid-api', (err) => log.warn('database connection lost', { error: err.name }));
  // Connects lazily: the API starts (and /readyz says why it is not ready) while Temporal is still coming up.
  const connection = Connection.lazy({ ...temporalConnectionOptions(config), interceptors: failFastInterceptors() });
  const temporal = new Client({
    connection,
    namespace: config.TEMPORAL_NAMESPACE,
    interceptors: tracingClientInterceptors(),
  });

  const signIn = {
    sessionTtlMs: config.SESSION_TTL_HOURS * 3_600_000,
    maxFailures: config.SIGN_IN_MAX_FAILURES,
    lockoutMs: config.SIGN_IN_LOCKOUT_MINUTES * 60_000,
  };
  const idempotencyKeys = createIdempotencyKeyRepository(pool);
  const staffAccounts = createStaffAccountRepository(pool, signIn);
  const housekeeping = startHousekeeping({
    purges: [
      {
        what: 'idempotency keys',
        olderThanDays: config.IDEMPOTENCY_KEY_RETENTION_DAYS,
        run: (days) => idempotencyKeys.purgeOlderThan(days),
      },
      {
        what: 'console sessions',
        olderThanDays: config.SESSION_RETENTION_DAYS,
        run: (days) => staffAccounts.purgeSessionsExpiredBefore(days),
      },
    ],
    log,
  });
  const app = createApp({
    temporal,
    taskQueue: config.TEMPORAL_TASK_QUEUE,
    database: createDatabaseCheck(pool),
    cases: createCaseRepository(pool),
    caseList: createCaseListRepository(pool),
    escalations: createEscalationRepository(pool),
    reports: createReportRepository(pool),
    apiKeys: createApiKeyRepository(pool),
    log,
    bodyLimit: config.API_BODY_LIMIT,
    importBodyLimit: config.API_IMPORT_BODY_LIMIT,
    rateLimitPerMinute: config.API_RATE_LIMIT_PER_MINUTE,
    commandTimeoutMs: config.API_COMMAND_TIMEOUT_MS,
    version,
    policies: createPolicyRepository(pool),
    notifications: createNotificationRepository(pool),
    people: createPeopleRepository(pool),
    oneOff: createOneOffRepository(pool),
    idempotencyKeys,
    webhooks: createWebhookRepository(pool),
    reference: createReferenceRepository(pool),
    staff: createStaffRepository(pool),
    imports: createImportRepository(pool),
    // A ping goes through the workers' own delivery workflow, retried as events are.
    startDelivery: deliveryStarter(temporal, config.TEMPORAL_TASK_QUEUE),
    consoleDir: config.CONSOLE_DIR ?? builtConsoleDir(),
    staffAccounts,
    signIn,
    signInPerAddress: {
      maxFailures: config.SIGN_IN_MAX_FAILURES_PER_ADDRESS,
      windowMs: config.SIGN_IN_ADDRESS_WINDOW_MINUTES * 60_000,
    },
    trustProxy: config.API_TRUST_PROXY,
    receiverAddresses: receiverAddressPolicy(config.WEBHOOK_ALLOWED_NETWORKS),
    cookieSecure: config.COOKIE_SECURE,
    deliveryRetry: {
      initialMs: config.WEBHOOK_RETRY_INITIAL_MS,
      maxMs: config.WEBHOOK_RETRY_MAX_MS,
      giveUpAfterMs: config.WEBHOOK_GIVE_UP_AFTER_MS,
    },
  });
  const server = app.listen(config.API_PORT, config.API_HOST, () => {
    log.info('api listening', { host: config.API_HOST, port: config.API_PORT });
  });
  server.on('error', (err) => {
    log.error('api could not listen', errorFields(err));
    process.exit(1);
  });

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info('api stopping', { signal });
    housekeeping.stop();
    const force = setTimeout(() => process.exit(1), config.SHUTDOWN_GRACE_MS);
    force.unref();
    server.close(async () => {
      server.closeAllConnections();
      await connection.close().catch(() => undefined);
      await pool.end().catch(() => undefined);
      await tracing?.shutdown().catch(() => undefined);
      log.info('api stopped');
      process.exit(0);
    });
    server.closeIdleConnections();
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((err) => {
  if (err instanceof ConfigError) process.stderr.write(`suprovid api: ${err.message}\n`);
  else createLogger('error', { service: 'api' }).error('api failed', errorFields(err));
  process.exit(1);
});
