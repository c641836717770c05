// `npm run migrate` (and the migrate job in docker-compose.yml): apply pending migrations, then exit.
import { ConfigError, loadConfig } from '../platform/config';
import { migrate } from './migrate';
import { createPool } from './pool';

async function main(): Promise<void> {
  const pool = createPool(loadConfig(), 'suprovid-migrate');
  try {
    const applied = await migrate(pool);
    process.stdout.write(applied.length ? `applied migrations ${applied.join(', ')}\n` : 'schema is up to date\n');
  } finally {
    await pool.end();
  }
}

main().catch((err) => {
  process.stderr.write(`suprovid migrate: ${err instanceof ConfigError ? err.message : (err as Error).message}\n`);
  process.exit(1);
});
