import { randomUUID } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import { keepScreenshot, launchBrowser, pageErrors, phone, signInToConsole } from '../support/browser';
import { startSystem, type RunningSystem } from '../support/system';

/**
 * A case manager on a phone signs in, opens a case and takes it through assessment with the forms
 * the console builds from the commands' own schemas; a refusal shows at its field, in Ukrainian.
 */
let sys: RunningSystem;
let browser: Browser;
const id = randomUUID().slice(0, 8);
const staffId = `cm-work-${id}`;
const login = `work.${id}`;
const password = 'field-work-password-1';

beforeAll(async () => {
  [sys, browser] = await Promise.all([startSystem(), launchBrowser()]);
  const admin = await sys.issueKey('admin', `admin-work-${id}`);
  const asAdmin = (method: string, path: string, body: unknown) =>
    fetch(sys.baseUrl + path, {
      method,
      headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  expect(
    (await asAdmin('POST', '/v1/staff', { staffId, name: 'Оксана Мельник', role: 'case_manager', region: 'UA-63' }))
      .status,
  ).toBe(201);
  expect((await asAdmin('PUT', `/v1/staff/${staffId}/account`, { login, password })).status).toBe(201);
  // She has chosen her own password already.
  const signIn = await fetch(`${sys.baseUrl}/v1/sessions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ login, password }),
  });
  const { csrfToken } = (await signIn.json()) as { csrfToken: string };
  const cookie = signIn.headers.get('set-cookie')!.split(';')[0]!;
  const changed = await fetch(`${sys.baseUrl}/v1/sessions/current/password`, {
    method: 'POST',
    headers: { cookie, 'x-csrf-token': csrfToken, 'content-type': 'application/json' },
    body: JSON.stringify({ currentPassword: password, newPassword: `${password}-own` }),
  });
  expect(changed.status).toBe(204);
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await sys?.stop();
});

async function act(page: Page, button: string, fill?: () => Promise<void>): Promise<void> {
  await page.getByRole('button', { name: button, exact: true }).click();
  await page.getByRole('heading', { level: 3, name: button }).waitFor();
  await fill?.();
  await page.getByRole('button', { name: 'Надіслати' }).click();
  await page
    .getByRole('status')
    .filter({ hasText: `${button}: Готово.` })
    .waitFor();
}

it('opens a case and takes it through assessment, on a phone, in Ukrainian', async () => {
  const context = await browser.newContext(phone);
  const page = await context.newPage();
  const errors = pageErrors(page);
  await signInToConsole(page, sys.baseUrl, login, `${password}-own`);

  await page.getByRole('button', { name: 'Відкрити випадок' }).click();
  // Her own region is chosen already.
  await page.getByLabel('Регіон *').locator('option[value="UA-63"]').waitFor({ state: 'attached' });
  expect(await page.getByLabel('Регіон *').inputValue()).toBe('UA-63');
  await page.getByLabel('Прізвище, ім’я').fill('Марія Шевчук');
  await page.getByLabel('Телефон').fill('+380 67 123 45 67');
  await page.getByRole('form', { name: 'Відкрити випадок' }).getByRole('button', { name: 'Відкрити випадок' }).click();
  await page.getByRole('heading', { name: /^Номер UA63-\d{4}-\d{5}$/ }).waitFor();
  const caseId = /cases\/([0-9a-f-]{36})$/.exec(page.url())![1]!;
  await stage(page, 'Прийом');

  await act(page, 'Записати контакт');
  await act(page, 'Записати згоду', () => page.getByLabel('Згода на обробку персональних даних').check());
  await act(page, 'Рішення за зверненням');
  await stage(page, 'Оцінювання потреб');

  // The assessment's form: a list of needs, each a domain and a level. Sent empty first: the refusal is shown at the field.
  await page.getByRole('button', { name: 'Подати оцінку потреб', exact: true }).click();
  await page.getByRole('button', { name: 'Прибрати' }).click();
  await page.getByRole('button', { name: 'Надіслати' }).click();
  await page.locator('.field-error').filter({ hasText: 'Замало або закоротко.' }).waitFor();
  await page.getByRole('button', { name: 'Додати' }).first().click();
  await page.getByLabel('Сфера *').selectOption('housing');
  await page.getByLabel('Рівень *').selectOption('high');
  await page.getByRole('button', { name: 'Надіслати' }).click();
  await page.getByRole('status').filter({ hasText: 'Подати оцінку потреб: Готово.' }).waitFor();
  await stage(page, 'Планування');
  await keepScreenshot(page, 'case-phone');

  // What the console did is the person's, in the audit trail.
  const trail = await sys.pool.query<{ type: string; actor_id: string }>(
    'SELECT type, actor_id FROM case_events WHERE case_id = $1 ORDER BY seq',
    [caseId],
  );
  expect(trail.rows.map((r) => r.type)).toEqual([
    'case_opened',
    'contact_recorded',
    'consent_recorded',
    'case_opened_for_management',
    'assessment_submitted',
  ]);
  expect(new Set(trail.rows.map((r) => r.actor_id))).toEqual(new Set([staffId]));
  expect(errors).toEqual([]);
  await context.close();
}, 120_000);

/** Waits until the case shows this stage (its first fact). */
async function stage(page: Page, name: string): Promise<void> {
  await page
    .locator('dl.facts dd')
    .first()
    .filter({ hasText: new RegExp(`^${name}$`) })
    .waitFor();
}
