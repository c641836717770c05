import { Pool, type PoolClient } from 'pg';
import type { Config } from '../platform/config';

/**
 * A pool that survives its server going away: idle connections that die are dropped (and
 * reported to `onIdleError`) instead of crashing the process; the next query reconnects.
 */
export function createPool(
  config: Pick<Config, 'DATABASE_URL' | 'DATABASE_POOL_MAX'>,
  applicationName: string,
  onIdleError: (err: Error) => void = () => undefined,
): Pool {
  const pool = new Pool({
    connectionString: config.DATABASE_URL,
    max: config.DATABASE_POOL_MAX,
    application_name: applicationName,
    connectionTimeoutMillis: 5_000,
    idleTimeoutMillis: 30_000,
    // A statement that hangs (a lock, a dead server) fails instead of holding a request forever;
    // shorter than the projection activity's own 10 s limit.
    statement_timeout: 8_000,
  });
  pool.on('error', onIdleError);
  return pool;
}

/** Runs `work` in one transaction on one connection: committed if it returns, rolled back if it throws. */
export async function withTransaction<T>(pool: Pool, work: (client: PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
}

/**
 * Runs a DELETE whose last parameter is its batch size (`... IN (SELECT ... LIMIT $n)`) until a
 * batch comes back short: short transactions, no long lock on a busy table. Answers how many went.
 */
export async function deleteInBatches(pool: Pool, sql: string, params: unknown[], batch: number): Promise<number> {
  let purged = 0;
  for (;;) {
    const r = await pool.query(sql, [...params, batch]);
    purged += r.rowCount ?? 0;
    if ((r.rowCount ?? 0) < batch) return purged;
  }
}

/** Whether PostgreSQL answers (the API's readiness check). */
export function createDatabaseCheck(pool: Pool) {
  return {
    async ping(): Promise<void> {
      await pool.query('SELECT 1');
    },
  };
}
export type DatabaseCheck = ReturnType<typeof createDatabaseCheck>;
