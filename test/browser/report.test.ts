import { readFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import type { Browser } from 'playwright-core';
import {
  keepScreenshot,
  launchBrowser,
  pageErrors,
  phone,
  seriousA11yViolations,
  signInToConsole,
} from '../support/browser';
import { startSystem, type RunningSystem } from '../support/system';

/** A head of service reads the regional report of their region, with its chart, and downloads the CSV for funders. */
let sys: RunningSystem;
let browser: Browser;
const id = randomUUID().slice(0, 8);
const head = `head-report-${id}`;
const password = 'head-of-service-pass-1';

const api = async (key: string, method: string, path: string, body?: unknown) => {
  const res = await fetch(sys.baseUrl + path, {
    method,
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', 'idempotency-key': randomUUID() },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
};

beforeAll(async () => {
  [sys, browser] = await Promise.all([startSystem(), launchBrowser()]);
  const admin = await sys.issueKey('admin', `admin-report-${id}`);
  expect(
    (await api(admin, 'POST', '/v1/staff', { staffId: head, name: 'Наталія Гончар', role: 'head', region: 'UA-53' }))
      .status,
  ).toBe(201);
  expect((await api(admin, 'PUT', `/v1/staff/${head}/account`, { login: `natalia.${id}`, password })).status).toBe(201);
  // A one-off service in Poltava Oblast this month, so the report has something in the head's region.
  const tool = await sys.issueKey('integration', `hotline-report-${id}`, { regions: ['UA-53'] });
  expect(
    (
      await api(tool, 'POST', '/v1/one-off-contacts', {
        region: 'UA-53',
        services: [{ category: 'legal' }, { category: 'psychological' }],
      })
    ).status,
  ).toBe(201);
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await sys?.stop();
});

it('shows the report with services by category, and downloads it as CSV for a spreadsheet', async () => {
  const context = await browser.newContext({ ...phone, bypassCSP: true, acceptDownloads: true });
  const page = await context.newPage();
  const errors = pageErrors(page);
  await signInToConsole(page, sys.baseUrl, `natalia.${id}`, password, `${password}-own`);
  await page.getByRole('link', { name: 'Звіт' }).click();
  await page.getByRole('heading', { name: 'Регіональний звіт' }).waitFor();
  await page.getByRole('rowheader', { name: 'Полтавська область' }).waitFor();
  // Only the head's region: the report is limited to their scope.
  expect(await page.getByRole('rowheader').allInnerTexts()).toEqual(['Полтавська область']);
  const legal = page.locator('.bars li').filter({ hasText: 'Правова (у т.ч. документи)' });
  expect(Number(await legal.locator('.bar-value').innerText())).toBeGreaterThanOrEqual(1);
  await page.getByRole('heading', { name: 'Випадки за етапами (зараз)' }).waitFor();
  await page.getByRole('heading', { name: 'Прострочені строки за тижнями' }).waitFor();
  expect(await page.locator('ul[aria-labelledby="missed-chart"] li').count()).toBeGreaterThanOrEqual(4);
  expect(await seriousA11yViolations(page)).toEqual([]);
  await keepScreenshot(page, 'head-report');

  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('link', { name: 'Завантажити CSV' }).click(),
  ]);
  const bytes = readFileSync(await download.path());
  expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  const text = bytes.subarray(3).toString('utf8');
  expect(text.split('\r\n')[0]).toMatch(/^Код регіону,Регіон,/);
  expect(text).toContain('Полтавська область');
  expect(download.suggestedFilename()).toMatch(/^suprovid-report-\d{4}-\d{2}-01-\d{4}-\d{2}-01\.csv$/);
  expect(errors).toEqual([]);
  await context.close();

  // Under the console's real Content-Security-Policy (no bypass), the bars are drawn too: their widths are set through the DOM, not inline markup.
  const strict = await browser.newContext(phone);
  const again = await strict.newPage();
  const violations: string[] = [];
  again.on('console', (m) => m.text().includes('Content Security Policy') && violations.push(m.text()));
  await signInToConsole(again, sys.baseUrl, `natalia.${id}`, `${password}-own`);
  await again.getByRole('link', { name: 'Звіт' }).click();
  const bar = again.locator('.bars li').filter({ hasText: 'Правова (у т.ч. документи)' }).locator('.bar');
  await bar.waitFor();
  expect((await bar.boundingBox())!.width).toBeGreaterThan(10);
  expect(violations).toEqual([]);
  await strict.close();
}, 90_000);
