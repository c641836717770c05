/**
 * Prepares a self-hosted Temporal Server for Suprovid: the namespace (with its retention) and the
 * case search attributes. docker-compose.yml runs it once as the temporal-setup job;
 * `SUPROVID_TEMPORAL=server npm start` runs the same two functions (stack/temporal-cluster.ts).
 * On Temporal Cloud both are set in its console instead.
 */
import { Connection } from '@temporalio/client';
import { ConfigError, loadConfig } from '../platform/config';
import { createLogger, errorFields } from '../platform/logger';
import { temporalConnectionOptions } from '../platform/temporal';
import { ensureNamespace, ensureSearchAttributes } from '../platform/temporal-namespace';

async function main(): Promise<void> {
  // Only the Temporal settings matter here; the database URL is not needed.
  const config = loadConfig({ DATABASE_URL: 'postgres://unused/unused', ...process.env });
  const log = createLogger(config.LOG_LEVEL, { service: 'temporal-setup' });
  const connection = await Connection.connect(temporalConnectionOptions(config));
  try {
    await ensureNamespace(connection, config.TEMPORAL_NAMESPACE, config.TEMPORAL_NAMESPACE_RETENTION_DAYS, log);
    await ensureSearchAttributes(connection, config.TEMPORAL_NAMESPACE, log, { required: true });
    log.info('temporal ready for suprovid', { namespace: config.TEMPORAL_NAMESPACE });
  } finally {
    await connection.close();
  }
}

main().catch((err) => {
  if (err instanceof ConfigError) process.stderr.write(`suprovid temporal-setup: ${err.message}\n`);
  else createLogger('error', { service: 'temporal-setup' }).error('temporal setup failed', errorFields(err));
  process.exit(1);
});
