import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { toolPath } from '../../stack/temporal';

/**
 * Debian's Chromium (provisioned into .tools/chromium), driven by playwright-core: no browser is
 * downloaded from anywhere. One browser per test file; each test gets its own context (cookies).
 */
export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: toolPath('chromium'),
    // Root (as CI runs) cannot use Chromium's user-namespace sandbox.
    args: process.getuid?.() === 0 ? ['--no-sandbox'] : [],
  });
}

/** A phone in the field: the console must work at this size. */
export const phone = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true };
export const desktop = { viewport: { width: 1280, height: 800 } };

/**
 * A screenshot of a screen: into docs/console/ (shown in the README) with UPDATE_SCREENSHOTS=1
 * (`npm run screenshots`), into the test run's folder otherwise, so a test run leaves the clone clean.
 */
export async function keepScreenshot(page: Page, name: string): Promise<string> {
  const dir =
    process.env.UPDATE_SCREENSHOTS === '1'
      ? resolve(__dirname, '..', '..', 'docs', 'console')
      : join(process.env.SUPROVID_TEST_DIR ?? tmpdir(), 'screenshots');
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

/**
 * axe-core's check of the page as it is now: no violation of serious or critical impact (WCAG 2.1
 * A and AA rules). The page's context needs `bypassCSP: true`, since axe is injected as a script.
 */
export async function seriousA11yViolations(page: Page): Promise<string[]> {
  await page.addScriptTag({ path: require.resolve('axe-core/axe.min.js') });
  const result = await page.evaluate<{
    violations: { id: string; impact: string; help: string; nodes: { target: string[] }[] }[];
  }>(`axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } })`);
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

/** Errors thrown in the page (a screen that crashed shows nothing): collected so a test can expect none. */
export function pageErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  return errors;
}

/**
 * Signs a person in at /console/ in Ukrainian; with `chooseOwn`, as after an administrator set the
 * password: they choose their own at once. Resolves on the caseload.
 */
export async function signInToConsole(
  page: Page,
  baseUrl: string,
  login: string,
  password: string,
  chooseOwn?: string,
): Promise<void> {
  await page.goto(`${baseUrl}/console/`);
  await page.getByLabel('Логін').fill(login);
  await page.getByLabel('Пароль').fill(password);
  await page.getByRole('button', { name: 'Увійти' }).click();
  if (chooseOwn) {
    await page.getByLabel('Поточний пароль').fill(password);
    await page.getByLabel('Новий пароль').fill(chooseOwn);
    await page.getByRole('button', { name: 'Зберегти пароль' }).click();
  }
  await page.getByRole('heading', { name: 'Мої випадки' }).waitFor();
}
