import type { IdempotencyKeyRepository } from '../db/idempotency-keys';
import { errorFields, type Logger } from '../platform/logger';

/**
 * What the API purges on its own, once an hour (the first a minute after it starts): Idempotency-Keys
 * older than their retention. Each replica runs it; the statements are idempotent, so two replicas
 * purging at once only share the work. Timers are unref'd: they never hold a stopping process.
 */
export function startHousekeeping(opts: {
  idempotencyKeys: Pick<IdempotencyKeyRepository, 'purgeOlderThan'>;
  idempotencyKeyRetentionDays: number;
  log: Logger;
  firstAfterMs?: number;
  everyMs?: number;
}): { runOnce(): Promise<void>; stop(): void } {
  let running = false;
  const runOnce = async () => {
    if (running) return;
    running = true;
    try {
      const purged = await opts.idempotencyKeys.purgeOlderThan(opts.idempotencyKeyRetentionDays);
      if (purged > 0) {
        opts.log.info('purged idempotency keys', { purged, olderThanDays: opts.idempotencyKeyRetentionDays });
      }
    } catch (err) {
      opts.log.warn('housekeeping failed; next try in an hour', errorFields(err));
    } finally {
      running = false;
    }
  };
  let every: NodeJS.Timeout | undefined;
  const first = setTimeout(() => {
    void runOnce();
    every = setInterval(() => void runOnce(), opts.everyMs ?? 3_600_000);
    every.unref();
  }, opts.firstAfterMs ?? 60_000);
  first.unref();
  return {
    runOnce,
    stop: () => {
      clearTimeout(first);
      if (every) clearInterval(every);
    },
  };
}
