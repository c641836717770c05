/**
 * Failed sign-ins counted per client address, in a sliding window, so one address cannot try
 * passwords across many accounts (each account's own lockout only stops guesses at one). Kept in
 * this process, like the rate limit: each API replica counts its own share. A success does not
 * clear the count (one known password would otherwise reset a spray). At most `maxAddresses` are
 * remembered; past that the oldest are forgotten first.
 */
export interface SignInThrottle {
  /** Seconds until this address may try again; undefined: it may now. */
  retryAfterSeconds(address: string): number | undefined;
  recordFailure(address: string): void;
}

export function createSignInThrottle(opts: {
  maxFailures: number;
  windowMs: number;
  maxAddresses?: number;
  now?: () => number;
}): SignInThrottle {
  const now = opts.now ?? Date.now;
  const maxAddresses = opts.maxAddresses ?? 100_000;
  // Per address, the times of its failures within the window, oldest first. A Map keeps insertion
  // order: an address is moved to the end on each failure, so the first is the least recent.
  const failures = new Map<string, number[]>();
  const recent = (address: string, t: number): number[] => {
    const times = (failures.get(address) ?? []).filter((at) => at > t - opts.windowMs);
    if (times.length) failures.set(address, times);
    else failures.delete(address);
    return times;
  };
  return {
    retryAfterSeconds(address) {
      const t = now();
      const times = recent(address, t);
      if (times.length < opts.maxFailures) return undefined;
      // Free again once enough of the failures leave the window.
      const freedAt = times[times.length - opts.maxFailures]! + opts.windowMs;
      return Math.max(1, Math.ceil((freedAt - t) / 1000));
    },
    recordFailure(address) {
      const t = now();
      const times = recent(address, t);
      failures.delete(address);
      failures.set(address, [...times, t].slice(-opts.maxFailures));
      while (failures.size > maxAddresses) failures.delete(failures.keys().next().value!);
    },
  };
}
