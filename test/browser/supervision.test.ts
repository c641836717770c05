import { randomUUID } from 'node:crypto';
import type { Browser } from 'playwright-core';
import type { CaseWorkflowInput } from '../../domain/case';
import { caseWorkflowId } from '../../domain/ids';
import { defaultPolicy, type Policy } from '../../domain/policy';
import { caseWorkflow } from '../../workflows/case';
import {
  desktop,
  keepScreenshot,
  launchBrowser,
  pageErrors,
  seriousA11yViolations,
  signInToConsole,
} from '../support/browser';
import { eventually, startSystem, type RunningSystem } from '../support/system';

/**
 * A supervisor in the console: the queue shows the escalation (how late) and the plan waiting; they
 * answer the escalation and approve the plan from the case, with the forms of those commands.
 */
let sys: RunningSystem;
let browser: Browser;
const id = randomUUID().slice(0, 8);
const sup = `sup-queue-${id}`;
const cm = `cm-queue-${id}`;
const password = 'supervisor-password-1';
let planCase: string;
let lateCase: string;

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
  const admin = await sys.issueKey('admin', `admin-queue-${id}`);
  expect(
    (await api(admin, 'POST', '/v1/staff', { staffId: sup, name: 'Тарас Бойко', role: 'supervisor', region: 'UA-63' }))
      .status,
  ).toBe(201);
  expect(
    (
      await api(admin, 'POST', '/v1/staff', {
        staffId: cm,
        name: 'Ірина Лисенко',
        role: 'case_manager',
        region: 'UA-63',
        supervisorId: sup,
      })
    ).status,
  ).toBe(201);
  expect((await api(admin, 'PUT', `/v1/staff/${sup}/account`, { login: `taras.${id}`, password })).status).toBe(201);
  const cmKey = await sys.issueKey('case_manager', cm, { regions: ['UA-63'] });

  // A case whose plan waits for the supervisor, through the API as a case manager's tool would.
  const opened = await api(cmKey, 'POST', '/v1/cases', {
    region: 'UA-63',
    supervisorId: sup,
    client: { fullName: 'Андрій Коваленко' },
  });
  expect(opened.status).toBe(201);
  planCase = opened.body.caseId as string;
  const steps: [string, unknown][] = [
    ['recordContact', { channel: 'phone' }],
    ['recordConsent', { dataProcessing: true }],
    ['screen', { decision: 'open_case' }],
    ['submitAssessment', { needs: [{ domain: 'housing', level: 'high' }] }],
    [
      'submitPlan',
      {
        goals: [{ goalId: 'g1', description: 'Житло', domain: 'housing', actions: [] }],
        clientAgreement: { agreedAt: new Date().toISOString(), form: 'verbal' },
      },
    ],
  ];
  for (const [name, body] of steps)
    expect([name, (await api(cmKey, 'POST', `/v1/cases/${planCase}/commands/${name}`, body)).status]).toEqual([
      name,
      200,
    ]);

  // A case whose first contact was due 3 seconds after it opened (its own policy), so it escalates at once.
  lateCase = randomUUID();
  const quick = (s: number) => ({ hours: s / 3600 });
  const policy: Policy = {
    ...defaultPolicy,
    version: `queue-${id}`,
    firstContact: { routine: quick(3), urgent: quick(3), crisis: quick(3) },
    supervisorResponse: { routine: quick(7200), urgent: quick(7200), crisis: quick(7200) },
  };
  const input: CaseWorkflowInput = {
    caseId: lateCase,
    open: { priority: 'routine', region: 'UA-63', source: 'hotline', caseManagerId: cm, supervisorId: sup },
    openedBy: { kind: 'tool', id: 'hotline' },
    openedAt: new Date().toISOString(),
    policy,
  };
  await sys.temporal.workflow.start(caseWorkflow, {
    taskQueue: sys.taskQueue,
    workflowId: caseWorkflowId(lateCase),
    args: [input],
  });
  await eventually(
    async () =>
      (await sys.pool.query(`SELECT 1 FROM case_escalations WHERE case_id = $1 AND status = 'open'`, [lateCase]))
        .rowCount
        ? true
        : undefined,
    30_000,
  );
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await sys?.stop();
});

it('answers an escalation and approves a plan from the queue', async () => {
  const context = await browser.newContext({ ...desktop, bypassCSP: true });
  const page = await context.newPage();
  const errors = pageErrors(page);
  await signInToConsole(page, sys.baseUrl, `taras.${id}`, password, `${password}-own`);
  await page.getByRole('link', { name: 'Черга супервізора' }).click();
  await page.getByRole('heading', { name: 'Ескалації' }).waitFor();
  const numbers = (
    await sys.pool.query<{ case_id: string; case_number: string }>(
      'SELECT case_id, case_number FROM cases WHERE case_id = ANY($1)',
      [[planCase, lateCase]],
    )
  ).rows;
  const numberOf = (caseId: string) => numbers.find((r) => r.case_id === caseId)!.case_number;
  const escalation = page.locator('ul.cases li').filter({ hasText: numberOf(lateCase) });
  await escalation.filter({ hasText: /прострочено на/ }).waitFor();
  const waiting = page.locator('ul.cases li').filter({ hasText: numberOf(planCase) });
  await waiting.filter({ hasText: 'план чекає затвердження' }).waitFor();
  expect(await seriousA11yViolations(page)).toEqual([]);
  await keepScreenshot(page, 'supervisor-queue');

  // The escalation is in the supervisor's inbox too, in Ukrainian; marked read, it stays, read.
  await page.getByRole('link', { name: 'Сповіщення' }).click();
  const note = page.locator('ul.inbox li.unread').first();
  await note.waitFor();
  await keepScreenshot(page, 'inbox');
  const unread = await page.locator('ul.inbox li.unread').count();
  await note.getByRole('button', { name: 'Прочитано' }).click();
  await eventually(async () => ((await page.locator('ul.inbox li.unread').count()) === unread - 1 ? true : undefined));
  const read = await sys.pool.query(
    `SELECT count(*)::int AS n FROM notifications WHERE recipient_id = $1 AND read_at IS NOT NULL`,
    [sup],
  );
  expect(read.rows[0].n).toBe(1);

  await page.getByRole('link', { name: 'Черга супервізора' }).click();
  await escalation.getByRole('link').click();
  await page.getByRole('button', { name: 'Відповісти на ескалацію', exact: true }).click();
  await page.getByLabel('Відповідь *').selectOption('acknowledge');
  await page.getByRole('button', { name: 'Надіслати' }).click();
  await page.getByRole('status').filter({ hasText: 'Відповісти на ескалацію: Готово.' }).waitFor();
  await eventually(async () =>
    (await sys.pool.query(`SELECT 1 FROM case_escalations WHERE case_id = $1 AND status = 'acknowledged'`, [lateCase]))
      .rowCount
      ? true
      : undefined,
  );

  await page.getByRole('link', { name: 'Черга супервізора' }).click();
  await waiting.getByRole('link').click();
  await page.getByRole('button', { name: 'Затвердити план', exact: true }).click();
  await page.getByRole('button', { name: 'Надіслати' }).click();
  await page.getByRole('status').filter({ hasText: 'Затвердити план: Готово.' }).waitFor();
  await page
    .locator('dl.facts dd')
    .first()
    .filter({ hasText: /^Втручання$/ })
    .waitFor();

  const trail = await sys.pool.query<{ type: string; actor_id: string }>(
    `SELECT type, actor_id FROM case_events WHERE case_id = ANY($1) AND type IN ('escalation_answered', 'plan_approved') ORDER BY type`,
    [[planCase, lateCase]],
  );
  expect(trail.rows).toEqual([
    { type: 'escalation_answered', actor_id: sup },
    { type: 'plan_approved', actor_id: sup },
  ]);
  expect(errors).toEqual([]);
  await context.close();
}, 120_000);
