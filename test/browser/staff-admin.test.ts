import { randomUUID } from 'node:crypto';
import type { Browser } from 'playwright-core';
import {
  desktop,
  keepScreenshot,
  launchBrowser,
  pageErrors,
  phone,
  seriousA11yViolations,
  signInToConsole,
} from '../support/browser';
import { startSystem, type RunningSystem } from '../support/system';

/** An administrator adds a case manager in the console and gives them an account; the case manager signs in with it. */
let sys: RunningSystem;
let browser: Browser;
const id = randomUUID().slice(0, 8);
const admin = `admin-console-${id}`;
const password = 'administrator-pass-1';

beforeAll(async () => {
  [sys, browser] = await Promise.all([startSystem(), launchBrowser()]);
  const key = await sys.issueKey('admin', `admin-key-${id}`);
  const asAdmin = (method: string, path: string, body: unknown) =>
    fetch(sys.baseUrl + path, {
      method,
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  expect((await asAdmin('POST', '/v1/staff', { staffId: admin, name: 'Адміністратор', role: 'admin' })).status).toBe(
    201,
  );
  expect((await asAdmin('PUT', `/v1/staff/${admin}/account`, { login: `admin.${id}`, password })).status).toBe(201);
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await sys?.stop();
});

it('adds a member of staff and gives them an account, which they sign in with', async () => {
  const context = await browser.newContext({ ...desktop, bypassCSP: true });
  const page = await context.newPage();
  const errors = pageErrors(page);
  await signInToConsole(page, sys.baseUrl, `admin.${id}`, password, `${password}-own`);
  await page.getByRole('link', { name: 'Працівники' }).click();
  const form = page.getByRole('form', { name: 'Додати працівника' });
  await form.getByLabel('Працівник *').fill(`cm-new-${id}`);
  await form.getByLabel('Прізвище, ім’я *').fill('Олег Ткаченко');
  await form.getByLabel('Регіон').selectOption('UA-46');
  await form.getByRole('button', { name: 'Додати працівника' }).click();
  await page.getByRole('status').filter({ hasText: 'Працівника додано.' }).waitFor();
  await page.getByRole('rowheader', { name: 'Олег Ткаченко' }).waitFor();

  const account = page.getByRole('form', { name: `Обліковий запис і пароль: cm-new-${id}` });
  await account.getByLabel('Логін *').fill(`oleh.${id}`);
  const given = await account.getByLabel(/Тимчасовий пароль/).inputValue();
  expect(given).toMatch(/^[A-Za-z0-9]{16}$/);
  await account.getByRole('button', { name: 'Обліковий запис і пароль' }).click();
  await page.getByRole('status').filter({ hasText: 'Обліковий запис збережено.' }).waitFor();
  expect(await seriousA11yViolations(page)).toEqual([]);
  await keepScreenshot(page, 'staff-admin');
  expect(errors).toEqual([]);
  await context.close();

  // The new case manager signs in with what the administrator gave them, and has their region's scope.
  const theirs = await browser.newContext(phone);
  const mine = await theirs.newPage();
  await signInToConsole(mine, sys.baseUrl, `oleh.${id}`, given, 'my-own-password-oleh');
  const registered = await sys.pool.query('SELECT role, region_code FROM staff WHERE staff_id = $1', [`cm-new-${id}`]);
  expect(registered.rows).toEqual([{ role: 'case_manager', region_code: 'UA-46' }]);
  const audit = await sys.pool.query<{ action: string; actor_id: string }>(
    'SELECT action, actor_id FROM admin_events WHERE subject = $1 ORDER BY event_id',
    [`cm-new-${id}`],
  );
  expect(audit.rows.map((r) => [r.action, r.actor_id])).toEqual([
    ['staff_registered', admin],
    ['staff_account_created', admin],
    ['signed_in', `cm-new-${id}`],
    ['password_changed', `cm-new-${id}`],
  ]);
  await theirs.close();
}, 90_000);
