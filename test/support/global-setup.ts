import { chmodSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Pool } from 'pg';
import { migrate } from '../../db/migrate';
import { freePort } from '../../stack/processes';
import { startPostgres } from '../../stack/postgres';
import { startDevServer } from '../../stack/temporal';
import { ensureConsoleBuilt } from '../../stack/console-build';

/**
 * Starts the real servers the tests use, on free ports in a fresh temporary folder, so two runs
 * on one machine never meet: PostgreSQL (schema migrated) and the Temporal dev server. Test files
 * find them through SUPROVID_TEST_* variables. Time-skipping suites start their own test server.
 */
export default async function globalSetup(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'suprovid-test-'));
  chmodSync(dir, 0o755); // PostgreSQL runs as its own user and must reach its data directory
  const [pgPort, temporalPort] = [await freePort(), await freePort()];
  const started = await Promise.allSettled([
    startPostgres({ dataDir: join(dir, 'postgres'), port: pgPort, fast: true }),
    startDevServer({ port: temporalPort, pidFile: join(dir, 'temporal.pid') }),
    // The browser tests and the bundle-size test use the console as npm start serves it.
    ensureConsoleBuilt((line) => process.stderr.write(`[console] ${line}\n`)),
  ]);
  // Jest runs no teardown after a failed setup: whatever did start is stopped here.
  const stopStarted = () =>
    Promise.all(
      started
        .slice(0, 2)
        .map((r) => (r.status === 'fulfilled' ? (r.value as { stop(): Promise<void> }).stop() : Promise.resolve())),
    );
  const failed = started.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) {
    await stopStarted();
    throw failed.reason;
  }
  const [postgres, temporal] = [
    (started[0] as PromiseFulfilledResult<Awaited<ReturnType<typeof startPostgres>>>).value,
    (started[1] as PromiseFulfilledResult<Awaited<ReturnType<typeof startDevServer>>>).value,
  ];
  const pool = new Pool({ connectionString: postgres.url });
  try {
    await migrate(pool);
  } catch (err) {
    await stopStarted();
    throw err;
  } finally {
    await pool.end();
  }
  process.env.SUPROVID_TEST_DIR = dir;
  process.env.SUPROVID_TEST_DATABASE_URL = postgres.url;
  process.env.SUPROVID_TEST_TEMPORAL_ADDRESS = temporal.address;
  (globalThis as Record<string, unknown>).__suprovidServers = { postgres, temporal, dir };
}
