import { addressKey, createSignInThrottle } from '../../api/sign-in-throttle';

describe('sign-in throttle per address', () => {
  let t = 0;
  const throttle = () => createSignInThrottle({ maxFailures: 3, windowMs: 60_000, maxAddresses: 2, now: () => t });
  const fail = (th: ReturnType<typeof throttle>, address: string) => {
    const a = th.begin(address);
    expect(a).not.toHaveProperty('retryAfterSeconds');
  };
  const waitOf = (th: ReturnType<typeof throttle>, address: string) =>
    (th.begin(address) as { retryAfterSeconds?: number }).retryAfterSeconds;
  beforeEach(() => {
    t = 1_000_000;
  });

  it('lets an address fail up to the limit, then makes it wait until the oldest failure leaves the window', () => {
    const th = throttle();
    for (let i = 0; i < 3; i++) {
      fail(th, '198.51.100.1');
      t += 10_000;
    }
    // Failures at 0, 10 and 20 s; now 30 s: the first leaves the window at 60 s.
    expect(waitOf(th, '198.51.100.1')).toBe(30);
    expect(waitOf(th, '198.51.100.2')).toBeUndefined();
    t += 30_000;
    expect(waitOf(th, '198.51.100.1')).toBeUndefined();
  });

  it('counts attempts in flight, so a burst at once cannot pass before any has failed', () => {
    const th = throttle();
    const burst = Array.from({ length: 5 }, () => th.begin('198.51.100.3'));
    expect(burst.filter((a) => 'retryAfterSeconds' in a)).toHaveLength(2);
  });

  it('gives a success its own attempt back, and nothing more', () => {
    const th = throttle();
    fail(th, '198.51.100.4');
    fail(th, '198.51.100.4');
    const ok = th.begin('198.51.100.4');
    if ('retryAfterSeconds' in ok) throw new Error('refused');
    ok.succeeded();
    fail(th, '198.51.100.4');
    expect(waitOf(th, '198.51.100.4')).toBe(60);
  });

  it('counts an IPv6 client by its /64, and an IPv4-mapped one as IPv4', () => {
    const keys: [string, string][] = [
      ['2001:db8:1:2:aaaa::1', '2001:db8:1:2::/64'],
      ['2001:0db8:0001:0002:ffff:ffff:ffff:ffff', '2001:db8:1:2::/64'],
      ['2001:db8::7', '2001:db8:0:0::/64'],
      ['::1', '0:0:0:0::/64'],
      ['::ffff:203.0.113.9', '203.0.113.9'],
      ['203.0.113.9', '203.0.113.9'],
    ];
    expect(keys.map(([address]) => [address, addressKey(address)])).toEqual(keys);
    const th = throttle();
    for (const host of ['::1', '::2', '::3']) fail(th, `2001:db8:1:2:${host.slice(2)}::9`);
    expect(waitOf(th, '2001:db8:1:2:ffff::1')).toBe(60);
  });

  it('forgets the least recent address first when it remembers too many', () => {
    const th = throttle();
    for (const a of ['a', 'b', 'c']) for (let i = 0; i < 3; i++) fail(th, a);
    expect(waitOf(th, 'b')).toBe(60);
    expect(waitOf(th, 'c')).toBe(60);
    expect(waitOf(th, 'a')).toBeUndefined();
  });
});
