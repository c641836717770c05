import type { Pool } from 'pg';
import { deleteInBatches } from './pool';

/** What a key's request is: its first, the same request again, or another request with the key. */
export type KeyClaim = 'first' | 'same_request' | 'other_request';

/** Idempotency keys and the hash of the request each was first sent with. */
export function createIdempotencyKeyRepository(pool: Pool) {
  return {
    /**
     * Binds `key` to `requestHash` unless it is bound already. One statement: the insert either
     * wins or, losing to the row already there, reads that row's hash. Of two concurrent requests
     * with one key only one insert wins, so two different requests can never both pass.
     */
    async claim(namespace: string, key: string, requestHash: Buffer): Promise<KeyClaim> {
      for (let attempt = 1; ; attempt++) {
        const r = await pool.query<{ inserted: boolean; request_hash: Buffer }>(
          `WITH inserted AS (
             INSERT INTO idempotency_keys (namespace, key, request_hash) VALUES ($1, $2, $3)
             ON CONFLICT (namespace, key) DO NOTHING
             RETURNING request_hash
           )
           SELECT true AS inserted, request_hash FROM inserted
           UNION ALL
           SELECT false, request_hash FROM idempotency_keys WHERE namespace = $1 AND key = $2 AND NOT EXISTS (SELECT 1 FROM inserted)`,
          [namespace, key, requestHash],
        );
        const row = r.rows[0];
        if (row)
          return row.inserted ? 'first' : row.request_hash.equals(requestHash) ? 'same_request' : 'other_request';
        // Neither: the insert waited for a concurrent one that committed after this statement's
        // snapshot was taken, so the row it lost to is invisible to it; the next statement sees it.
        if (attempt === 2) throw new Error('idempotency key neither inserted nor found');
      }
    },

    /**
     * Deletes the keys first seen more than `days` ago, `batch` rows a statement, and answers how
     * many went.
     */
    async purgeOlderThan(days: number, batch = 5_000): Promise<number> {
      return deleteInBatches(
        pool,
        `DELETE FROM idempotency_keys WHERE (namespace, key) IN (
           SELECT namespace, key FROM idempotency_keys WHERE first_seen_at < now() - make_interval(days => $1) LIMIT $2)`,
        [days],
        batch,
      );
    },
  };
}
export type IdempotencyKeyRepository = ReturnType<typeof createIdempotencyKeyRepository>;
