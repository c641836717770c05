import type { RequestHandler } from 'express';
import { principalOf } from './auth';
import { HttpProblem } from './problem';

/**
 * A token bucket per API key: `perMinute` requests a minute on average, bursts up to the same
 * number. Kept in this process (each API replica counts its own share).
 */
export function rateLimit(perMinute: number, now: () => number = Date.now): RequestHandler {
  const buckets = new Map<string, { tokens: number; at: number }>();
  const perMs = perMinute / 60_000;
  return (_req, res, next) => {
    const { keyId } = principalOf(res);
    const t = now();
    const b = buckets.get(keyId) ?? { tokens: perMinute, at: t };
    b.tokens = Math.min(perMinute, b.tokens + (t - b.at) * perMs);
    b.at = t;
    if (b.tokens < 1) {
      buckets.set(keyId, b);
      const wait = Math.ceil((1 - b.tokens) / perMs / 1000);
      return next(
        new HttpProblem(
          429,
          'Too many requests',
          `This key may make ${perMinute} requests a minute.`,
          {},
          { 'Retry-After': String(wait) },
        ),
      );
    }
    b.tokens -= 1;
    buckets.set(keyId, b);
    next();
  };
}
