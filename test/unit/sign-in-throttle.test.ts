import { createSignInThrottle } from '../../api/sign-in-throttle';

describe('sign-in throttle per address', () => {
  let t = 0;
  const throttle = () => createSignInThrottle({ maxFailures: 3, windowMs: 60_000, maxAddresses: 2, now: () => t });
  beforeEach(() => {
    t = 1_000_000;
  });

  it('lets an address fail up to the limit, then makes it wait until the oldest failure leaves the window', () => {
    const th = throttle();
    for (let i = 0; i < 3; i++) {
      expect(th.retryAfterSeconds('198.51.100.1')).toBeUndefined();
      th.recordFailure('198.51.100.1');
      t += 10_000;
    }
    // Failures at 0, 10 and 20 s; now 30 s: the first leaves the window at 60 s.
    expect(th.retryAfterSeconds('198.51.100.1')).toBe(30);
    expect(th.retryAfterSeconds('198.51.100.2')).toBeUndefined();
    t += 30_000;
    expect(th.retryAfterSeconds('198.51.100.1')).toBeUndefined();
  });

  it('forgets the least recent address first when it remembers too many', () => {
    const th = throttle();
    for (const a of ['a', 'b', 'c']) for (let i = 0; i < 3; i++) th.recordFailure(a);
    expect(th.retryAfterSeconds('a')).toBeUndefined();
    expect(th.retryAfterSeconds('b')).toBe(60);
    expect(th.retryAfterSeconds('c')).toBe(60);
  });
});
