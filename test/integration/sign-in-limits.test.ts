import { createHash, randomUUID } from 'node:crypto';
import { createStaffAccountRepository } from '../../db/staff-accounts';
import { housekeepOnce } from '../support/housekeeping';
import { startSystem, type RunningSystem } from '../support/system';

/**
 * Sign-in limits the account lockout does not give: failed sign-ins per client address (a spray of
 * guesses over many accounts), with the address taken from X-Forwarded-For only from a trusted
 * proxy; and expired sessions purged after their retention.
 */
let behindProxy: RunningSystem;
let direct: RunningSystem;
const id = randomUUID().slice(0, 8);
const login = `iryna.${id}`;
const password = 'her-own-password-2026';

const signIn = (sys: RunningSystem, body: { login: string; password: string }, forwardedFor?: string) =>
  fetch(`${sys.baseUrl}/v1/sessions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(forwardedFor ? { 'x-forwarded-for': forwardedFor } : {}) },
    body: JSON.stringify(body),
  });

beforeAll(async () => {
  const limit = { maxFailures: 3, windowMs: 60_000 };
  [behindProxy, direct] = await Promise.all([
    startSystem({ worker: false, api: { signInPerAddress: limit, trustProxy: ['loopback'] } }),
    startSystem({ worker: false, api: { signInPerAddress: limit } }),
  ]);
  const admin = await behindProxy.issueKey('admin', `admin-limits-${id}`);
  const asAdmin = (method: string, path: string, body: unknown) =>
    fetch(`${behindProxy.baseUrl}${path}`, {
      method,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${admin}` },
      body: JSON.stringify(body),
    });
  const staffId = `cm-iryna-${id}`;
  expect(
    (await asAdmin('POST', '/v1/staff', { staffId, name: 'Ірина', role: 'case_manager', region: 'UA-63' })).status,
  ).toBe(201);
  expect((await asAdmin('PUT', `/v1/staff/${staffId}/account`, { login, password })).status).toBe(201);
}, 120_000);
afterAll(async () => {
  await behindProxy?.stop();
  await direct?.stop();
});

it('makes an address that failed 3 times, on any accounts, wait, even with the right password; others may sign in', async () => {
  const sprayer = '203.0.113.7';
  for (const guess of [`nobody.${id}`, `someone.${id}`, login])
    expect((await signIn(behindProxy, { login: guess, password: 'Password123!' }, sprayer)).status).toBe(401);
  const refused = await signIn(behindProxy, { login, password }, sprayer);
  expect(refused.status).toBe(429);
  expect(refused.headers.get('content-type')).toMatch(/application\/problem\+json/);
  expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(50);
  // The account itself is not locked (2 of its 5): from another address, the right password works.
  expect((await signIn(behindProxy, { login, password }, '198.51.100.20')).status).toBe(201);
});

it('counts attempts as they begin: a burst at once gets no more guesses than one at a time', async () => {
  const burst = await Promise.all(
    Array.from({ length: 6 }, (_, i) =>
      signIn(behindProxy, { login: `nobody${i}.${id}`, password: 'x' }, '203.0.113.80'),
    ),
  );
  expect(burst.map((r) => r.status).sort()).toEqual([401, 401, 401, 429, 429, 429]);
});

it('believes X-Forwarded-For only from a trusted proxy: without one, a forged header changes no address', async () => {
  for (const forged of ['192.0.2.1', '192.0.2.2', '192.0.2.3'])
    expect((await signIn(direct, { login: `nobody.${id}`, password: 'x' }, forged)).status).toBe(401);
  expect((await signIn(direct, { login, password }, '192.0.2.4')).status).toBe(429);
});

it('purges sessions that expired more than the retention ago, and keeps live ones', async () => {
  const live = await signIn(behindProxy, { login, password }, '198.51.100.21');
  expect(live.status).toBe(201);
  const cookie = live.headers.get('set-cookie')!.split(';')[0]!;
  const old = await signIn(behindProxy, { login, password }, '198.51.100.22');
  const oldCookie = old.headers.get('set-cookie')!.split(';')[0]!;
  const { rows: before } = await behindProxy.pool.query<{ session_hash: string }>(
    `SELECT session_hash FROM staff_sessions s JOIN staff_accounts a USING (staff_id) WHERE a.login = $1 ORDER BY s.created_at`,
    [login],
  );
  // A session is stored as the SHA-256 of its cookie's token.
  const oldHash = createHash('sha256')
    .update(decodeURIComponent(oldCookie.split('=')[1]!))
    .digest('hex');
  expect(before.map((r) => r.session_hash)).toContain(oldHash);
  await behindProxy.pool.query(
    `UPDATE staff_sessions SET created_at = now() - interval '32 days', expires_at = now() - interval '31 days' WHERE session_hash = $1`,
    [oldHash],
  );
  const accounts = createStaffAccountRepository(behindProxy.pool, {
    sessionTtlMs: 3_600_000,
    maxFailures: 5,
    lockoutMs: 60_000,
  });
  const lines = await housekeepOnce([
    { what: 'console sessions', olderThanDays: 30, run: (days) => accounts.purgeSessionsExpiredBefore(days) },
  ]);
  const { rows: after } = await behindProxy.pool.query<{ session_hash: string }>(
    'SELECT session_hash FROM staff_sessions WHERE session_hash = ANY($1)',
    [before.map((r) => r.session_hash)],
  );
  expect(after.map((r) => r.session_hash)).not.toContain(oldHash);
  expect(after).toHaveLength(before.length - 1);
  expect(lines.some((l) => l.includes('purged console sessions'))).toBe(true);
  const current = (c: string) => fetch(`${behindProxy.baseUrl}/v1/sessions/current`, { headers: { cookie: c } });
  expect((await current(cookie)).status).toBe(200);
  expect((await current(oldCookie)).status).toBe(401);
});
