// `npm run check:consistency [-- <caseId>...]`: compares the Postgres projection with every open
// case workflow (or only the cases named) and prints each difference, then lists the projection
// batches set aside because PostgreSQL refused them (docs/DATA.md); exits 1 if there is either.
// Reads the same configuration as the worker.
import { Client, Connection } from '@temporalio/client';
import { z } from 'zod';
import { createCaseRepository } from '../db/cases';
import { checkConsistency } from './consistency';
import { createPool } from '../db/pool';
import { ConfigError, loadConfig } from '../platform/config';
import { withEmbeddedStack } from '../platform/embedded-stack';
import { temporalConnectionOptions } from '../platform/temporal';

async function main(): Promise<number> {
  const config = loadConfig(withEmbeddedStack());
  const args = z.array(z.uuid()).safeParse(process.argv.slice(2));
  if (!args.success) throw new Error('the arguments, if any, are case ids (UUIDs)');
  const caseIds = args.data;
  const pool = createPool(config, 'suprovid-consistency');
  const connection = await Connection.connect(temporalConnectionOptions(config));
  try {
    const drift = await checkConsistency(
      pool,
      new Client({ connection, namespace: config.TEMPORAL_NAMESPACE }),
      caseIds.length ? { caseIds } : {},
    );
    for (const d of drift)
      process.stdout.write(
        `${d.caseId}  ${d.field}: workflow ${JSON.stringify(d.workflow)}, projection ${JSON.stringify(d.projection)}\n`,
      );
    process.stdout.write(
      drift.length ? `${drift.length} difference(s)\n` : 'projection consistent with every open case\n',
    );
    const setAside = await createCaseRepository(pool).quarantine.open(caseIds.length ? caseIds : undefined);
    for (const q of setAside) {
      process.stdout.write(
        `${q.caseId}  batch set aside: quarantine ${q.quarantineId}, seq ${q.firstSeq}..${q.lastSeq}, SQLSTATE ${q.sqlstate}, ${q.projected}, since ${q.setAsideAt}\n`,
      );
    }
    if (setAside.length)
      process.stdout.write(`${setAside.length} batch(es) set aside: repair with npm run repair:projection\n`);
    return drift.length || setAside.length ? 1 : 0;
  } finally {
    await connection.close();
    await pool.end();
  }
}

main().then(
  (code) => process.exit(code),
  (err) => {
    process.stderr.write(
      `suprovid check:consistency: ${err instanceof ConfigError ? err.message : (err as Error).message}\n`,
    );
    process.exit(2);
  },
);
