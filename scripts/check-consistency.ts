// `npm run check:consistency`: compares the Postgres projection with every open case workflow and
// prints each difference; exits 1 if there is any. Reads the same configuration as the worker.
import { Client, Connection } from '@temporalio/client';
import { checkConsistency } from '../db/consistency';
import { createPool } from '../db/pool';
import { ConfigError, loadConfig } from '../platform/config';
import { temporalConnectionOptions } from '../platform/temporal';

async function main(): Promise<number> {
  const config = loadConfig();
  const pool = createPool(config, 'suprovid-consistency');
  const connection = await Connection.connect(temporalConnectionOptions(config));
  try {
    const drift = await checkConsistency(pool, new Client({ connection, namespace: config.TEMPORAL_NAMESPACE }));
    for (const d of drift) process.stdout.write(`${d.caseId}  ${d.field}: workflow ${JSON.stringify(d.workflow)}, projection ${JSON.stringify(d.projection)}\n`);
    process.stdout.write(drift.length ? `${drift.length} difference(s)\n` : 'projection consistent with every open case\n');
    return drift.length ? 1 : 0;
  } finally {
    await connection.close();
    await pool.end();
  }
}

main().then(
  (code) => process.exit(code),
  (err) => {
    process.stderr.write(`suprovid check:consistency: ${err instanceof ConfigError ? err.message : (err as Error).message}\n`);
    process.exit(2);
  },
);
