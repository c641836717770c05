import { errorFields, type Logger } from '../platform/logger';

/** One kind of record the API purges past its retention. */
export interface Purge {
  /** What it purges, for the log ("idempotency keys"). */
  what: string;
  olderThanDays: number;
  /** Deletes the records older than `days` and answers how many went. */
  run(days: number): Promise<number>;
}

/**
 * What the API purges on its own, once an hour (the first a minute after it starts): Idempotency-Keys
 * and expired console sessions older than their retention. Each replica runs it; the statements are
 * idempotent, so two replicas purging at once only share the work. One purge failing does not stop
 * the next. Timers are unref'd: they never hold a stopping process.
 */
export function startHousekeeping(opts: { purges: Purge[]; log: Logger; firstAfterMs?: number; everyMs?: number }): {
  runOnce(): Promise<void>;
  stop(): void;
} {
  let running = false;
  const runOnce = async () => {
    if (running) return;
    running = true;
    try {
      for (const p of opts.purges) {
        try {
          const purged = await p.run(p.olderThanDays);
          if (purged > 0) opts.log.info(`purged ${p.what}`, { purged, olderThanDays: p.olderThanDays });
        } catch (err) {
          opts.log.warn(`housekeeping failed to purge ${p.what}; next try in an hour`, errorFields(err));
        }
      }
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
