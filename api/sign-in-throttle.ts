import { isIPv6 } from 'node:net';

/**
 * Failed sign-ins counted per client address, in a sliding window, so one address cannot try
 * passwords across many accounts (each account's own lockout only stops guesses at one). Kept in
 * this process, like the rate limit: each API replica counts its own share.
 *
 * An attempt counts from the moment it begins, before its password is checked (argon2 takes a
 * while), so a burst of attempts at once cannot all pass the check before any has failed; a
 * success takes its own back, and clears nothing else (one known password would otherwise reset a
 * spray). An IPv6 client is counted by its /64, which one host usually holds whole. At most
 * `maxAddresses` are remembered; past that the least recent are forgotten first.
 */
export interface SignInThrottle {
  /**
   * Begins an attempt from this address: refused with the seconds until it may try again, or
   * counted (as a failure until `succeeded` says otherwise).
   */
  begin(address: string): { retryAfterSeconds: number } | { succeeded(): void };
}

/** The key an address is counted by: IPv4 as it is (also when IPv4-mapped), IPv6 by its /64. */
export function addressKey(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return mapped[1]!;
  if (!isIPv6(address)) return address;
  const [head = '', tail = ''] = address.toLowerCase().split('::');
  const left = head ? head.split(':') : [];
  const right = address.includes('::') ? (tail ? tail.split(':') : []) : [];
  const groups = address.includes('::')
    ? [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right]
    : left;
  return `${groups
    .slice(0, 4)
    .map((g) => g.replace(/^0+(?=.)/, ''))
    .join(':')}::/64`;
}

export function createSignInThrottle(opts: {
  maxFailures: number;
  windowMs: number;
  maxAddresses?: number;
  now?: () => number;
}): SignInThrottle {
  const now = opts.now ?? Date.now;
  const maxAddresses = opts.maxAddresses ?? 100_000;
  // Per key, the times of its attempts not (yet) known to succeed, within the window, oldest
  // first. A Map keeps insertion order: a key is moved to the end on each attempt, so the first
  // is the least recent.
  const attempts = new Map<string, number[]>();
  const recent = (key: string, t: number): number[] => (attempts.get(key) ?? []).filter((at) => at > t - opts.windowMs);
  return {
    begin(address) {
      const key = addressKey(address);
      const t = now();
      const times = recent(key, t);
      if (times.length >= opts.maxFailures) {
        attempts.set(key, times);
        // Free again once enough of them leave the window.
        const freedAt = times[times.length - opts.maxFailures]! + opts.windowMs;
        return { retryAfterSeconds: Math.max(1, Math.ceil((freedAt - t) / 1000)) };
      }
      attempts.delete(key);
      attempts.set(key, [...times, t]);
      while (attempts.size > maxAddresses) attempts.delete(attempts.keys().next().value!);
      return {
        succeeded() {
          const left = attempts.get(key);
          const i = left?.indexOf(t) ?? -1;
          if (left && i >= 0) left.splice(i, 1);
        },
      };
    },
  };
}
