import { randomUUID } from 'node:crypto';
import type { Browser } from 'playwright-core';
import { desktop, keepScreenshot, launchBrowser, pageErrors, phone, seriousA11yViolations } from '../support/browser';
import { startSystem, type RunningSystem } from '../support/system';

/**
 * People sign in to the console with a password an administrator set; they choose their own at
 * once; the session is an httpOnly, SameSite=Strict cookie; changes made with it need its CSRF
 * token; wrong passwords in a row lock the account for a while; signing out ends the session.
 */
let sys: RunningSystem;
let browser: Browser;
let admin: string;
const id = randomUUID().slice(0, 8);
const staffId = `cm-olena-${id}`;
const login = `olena.${id}`;
const given = 'given-by-admin-1';
const own = 'my-own-password-2026';

const call = (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
  fetch(sys.baseUrl + path, {
    method,
    headers: { 'content-type': 'application/json', ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
const asAdmin = (method: string, path: string, body?: unknown) =>
  call(method, path, body, { authorization: `Bearer ${admin}` });

beforeAll(async () => {
  [sys, browser] = await Promise.all([startSystem(), launchBrowser()]);
  admin = await sys.issueKey('admin', `admin-signin-${id}`);
  expect(
    (await asAdmin('POST', '/v1/staff', { staffId, name: 'Олена Коваль', role: 'case_manager', region: 'UA-63' }))
      .status,
  ).toBe(201);
  expect((await asAdmin('PUT', `/v1/staff/${staffId}/account`, { login, password: given })).status).toBe(201);
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await sys?.stop();
});

it('signs a case manager in on a phone, in Ukrainian first, and has them choose their own password', async () => {
  const context = await browser.newContext(phone);
  const page = await context.newPage();
  await page.goto(`${sys.baseUrl}/console/`);
  await page.getByRole('heading', { name: 'Вхід для працівників' }).waitFor();
  expect(await page.evaluate('document.documentElement.lang')).toBe('uk');
  await keepScreenshot(page, 'sign-in');

  await page.getByLabel('Логін').fill(login);
  await page.getByLabel('Пароль').fill('not the password');
  await page.getByRole('button', { name: 'Увійти' }).click();
  await page.getByRole('alert').filter({ hasText: 'Неправильний логін або пароль.' }).waitFor();

  await page.getByLabel('Пароль').fill(given);
  await page.getByRole('button', { name: 'Увійти' }).click();
  await page.getByRole('heading', { name: 'Оберіть власний пароль' }).waitFor();
  await page.getByLabel('Поточний пароль').fill(given);
  await page.getByLabel('Новий пароль').fill(own);
  await page.getByRole('button', { name: 'Зберегти пароль' }).click();
  await page.getByRole('heading', { name: 'Мої випадки' }).waitFor();

  const [cookie] = (await context.cookies()).filter((c) => c.name === 'suprovid_session');
  expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/' });
  // Script on the page cannot read the session.
  expect(await page.evaluate<string>('document.cookie')).not.toContain('suprovid_session');

  // English on a switch, remembered.
  await page.getByLabel('Мова').selectOption('en');
  await page.getByRole('heading', { name: 'My caseload' }).waitFor();
  await page.reload();
  await page.getByRole('heading', { name: 'My caseload' }).waitFor();

  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.getByRole('heading', { name: 'Staff sign-in' }).waitFor();
  await context.close();
}, 90_000);

it('asks a change made with a session for its CSRF token, and ends the session on sign-out', async () => {
  const signIn = await call('POST', '/v1/sessions', { login: login.toUpperCase(), password: own });
  expect(signIn.status).toBe(201);
  const session = (await signIn.json()) as { csrfToken: string; role: string; staffId: string };
  expect(session).toMatchObject({ role: 'case_manager', staffId, region: 'UA-63' });
  const setCookie = signIn.headers.get('set-cookie')!;
  expect(setCookie).toMatch(/HttpOnly/i);
  expect(setCookie).toMatch(/SameSite=Strict/i);
  const cookie = setCookie.split(';')[0]!;

  expect((await call('GET', '/v1/sessions/current', undefined, { cookie })).status).toBe(200);
  // The person has the scope of their registry entry: their region only.
  const opened = await call('POST', '/v1/cases', { region: 'UA-46' }, { cookie, 'x-csrf-token': session.csrfToken });
  expect(opened.status).toBe(403);
  const noToken = await call('POST', '/v1/cases', { region: 'UA-63' }, { cookie });
  expect(noToken.status).toBe(403);
  expect(((await noToken.json()) as { detail: string }).detail).toMatch(/CSRF/);
  const withToken = await call('POST', '/v1/cases', { region: 'UA-63' }, { cookie, 'x-csrf-token': session.csrfToken });
  expect(withToken.status).toBe(201);
  const { caseId } = (await withToken.json()) as { caseId: string };
  // Attributable: the change is the person's.
  const trail = await sys.pool.query(
    'SELECT actor_kind, actor_id FROM case_events WHERE case_id = $1 ORDER BY seq LIMIT 1',
    [caseId],
  );
  expect(trail.rows).toEqual([{ actor_kind: 'person', actor_id: staffId }]);

  expect(
    (await call('DELETE', '/v1/sessions/current', undefined, { cookie, 'x-csrf-token': session.csrfToken })).status,
  ).toBe(204);
  expect((await call('GET', '/v1/sessions/current', undefined, { cookie })).status).toBe(401);
});

it('locks an account after 5 wrong passwords in a row, even against the right one, until an administrator resets it', async () => {
  const lockedId = `cm-locked-${id}`;
  await asAdmin('POST', '/v1/staff', { staffId: lockedId, name: 'Taras', role: 'case_manager', region: 'UA-63' });
  await asAdmin('PUT', `/v1/staff/${lockedId}/account`, { login: `taras.${id}`, password: given });
  for (let i = 0; i < 4; i++)
    expect((await call('POST', '/v1/sessions', { login: `taras.${id}`, password: `wrong-${i}` })).status).toBe(401);
  const fifth = await call('POST', '/v1/sessions', { login: `taras.${id}`, password: 'wrong-4' });
  expect(fifth.status).toBe(429);
  expect(Number(fifth.headers.get('retry-after'))).toBeGreaterThan(0);
  expect(((await fifth.json()) as { lockedUntil: string }).lockedUntil).toEqual(expect.any(String));
  expect((await call('POST', '/v1/sessions', { login: `taras.${id}`, password: given })).status).toBe(429);
  // An unknown login answers as a wrong password does.
  expect((await call('POST', '/v1/sessions', { login: `nobody.${id}`, password: given })).status).toBe(401);

  expect(
    (await asAdmin('PUT', `/v1/staff/${lockedId}/account`, { login: `taras.${id}`, password: 'reset-by-admin-3' }))
      .status,
  ).toBe(200);
  expect((await call('POST', '/v1/sessions', { login: `taras.${id}`, password: 'reset-by-admin-3' })).status).toBe(201);
  const audit = await sys.pool.query<{ action: string }>(
    'SELECT action FROM admin_events WHERE subject = $1 ORDER BY event_id',
    [lockedId],
  );
  expect(audit.rows.map((r) => r.action)).toEqual([
    'staff_registered',
    'staff_account_created',
    'sign_in_failed',
    'sign_in_failed',
    'sign_in_failed',
    'sign_in_failed',
    'sign_in_locked_out',
    'staff_password_reset',
    'signed_in',
  ]);
  // Nobody's password, hash or name is in the audit trail.
  const details = await sys.pool.query<{ d: string }>(
    'SELECT details::text AS d FROM admin_events WHERE subject = $1',
    [lockedId],
  );
  for (const r of details.rows) expect(r.d).not.toMatch(/reset-by-admin|argon2|Taras/);
});

it('passes axe-core with no serious violation, signed out and signed in, on a desktop', async () => {
  const context = await browser.newContext({ ...desktop, bypassCSP: true });
  const page = await context.newPage();
  const errors = pageErrors(page);
  await page.goto(`${sys.baseUrl}/console/`);
  await page.getByRole('heading', { name: 'Вхід для працівників' }).waitFor();
  expect(await seriousA11yViolations(page)).toEqual([]);
  await page.getByLabel('Логін').fill(login);
  await page.getByLabel('Пароль').fill(own);
  await page.getByRole('button', { name: 'Увійти' }).click();
  await page.getByRole('heading', { name: 'Мої випадки' }).waitFor();
  await page.getByText('Випадків немає.').or(page.locator('ul.cases')).first().waitFor();
  expect(await seriousA11yViolations(page)).toEqual([]);
  await page.locator('ul.cases li').first().waitFor();
  await keepScreenshot(page, 'caseload-desktop');
  expect(errors).toEqual([]);
  await context.close();
});
