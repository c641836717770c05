import { createLogger } from '../../platform/logger';
import { createServer, type Server } from 'node:http';
import { randomUUID } from 'node:crypto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { createActivities } from '../../activities';
import { verifyWebhook } from '../../activities/webhook-signature';
import { createCaseRepository } from '../../db/cases';
import { createWebhookRepository } from '../../db/webhooks';
import { caseWorkflowId } from '../../domain/ids';
import { freePort } from '../../stack/processes';
import { caseWorkflow, commandUpdates } from '../../workflows/case';
import { deliveryStarter } from '../../worker/deliveries';
import { caseInput, command } from '../support/case-fixtures';
import { bundleWorkflows, testPool, timeSkippingEnv } from '../support/servers';
import { eventually } from '../support/system';

/**
 * A webhook receiver down for a whole (time-skipped) day, with the production retry policy (10 s
 * doubling to 10 min, giving up after 2 days): once it is back it gets every event, signed, once
 * per key. Real activities, real PostgreSQL, real HTTP; only the clock is skipped.
 */
jest.setTimeout(300_000);
let env: TestWorkflowEnvironment;
const pool = testPool();
beforeAll(async () => {
  env = await timeSkippingEnv();
}, 120_000);
afterAll(async () => {
  await env?.teardown();
  await pool.end();
});

it('delivers everything after a day down, once per key', async () => {
  const region = `DayDown-${randomUUID().slice(0, 6)}`;
  const port = await freePort();
  const webhooks = createWebhookRepository(pool);
  const sub = await webhooks.subscribe(
    { name: 'partner', url: `http://127.0.0.1:${port}/events`, regions: [region], eventTypes: [] },
    { kind: 'system', id: 'test' },
  );
  const taskQueue = `day-${randomUUID()}`;
  const worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue,
    workflowBundle: await bundleWorkflows(),
    activities: createActivities({
      cases: createCaseRepository(pool),
      webhooks,
      startDelivery: deliveryStarter(env.client, taskQueue),
      deliveryRetry: { initialMs: 10_000, maxMs: 600_000, giveUpAfterMs: 2 * 86_400_000 },
      log: createLogger('error'),
    }),
  });
  const got: { key: string; signature: string; body: string }[] = [];
  let server: Server | undefined;
  await worker.runUntil(async () => {
    const input = caseInput(
      { open: { priority: 'routine', region, source: 'partner', caseManagerId: 'cm-day' } },
      new Date(await env.currentTimeMs()).toISOString(),
    );
    const handle = await env.client.workflow.start(caseWorkflow, {
      taskQueue,
      workflowId: caseWorkflowId(input.caseId),
      args: [input],
    });
    await handle.executeUpdate(commandUpdates.recordContact, {
      args: [command('recordContact', { channel: 'phone' })],
    });
    await handle.executeUpdate(commandUpdates.recordConsent, {
      args: [command('recordConsent', { dataProcessing: true })],
    });

    await env.sleep('1 day');
    const failed = await pool.query(
      `SELECT count(*)::int AS n FROM webhook_deliveries WHERE subscription_id = $1 AND outcome = 'failed'`,
      [sub.subscriptionId],
    );
    expect(failed.rows[0].n).toBeGreaterThan(3 * 20); // a day of attempts for each of the three events

    server = await new Promise<Server>((ok) => {
      const s = createServer((req, res) => {
        let body = '';
        req.on('data', (c: Buffer) => (body += c.toString()));
        req.on('end', () => {
          got.push({
            key: String(req.headers['idempotency-key']),
            signature: String(req.headers['suprovid-signature']),
            body,
          });
          res.writeHead(200).end();
        });
      });
      s.listen(port, '127.0.0.1', () => ok(s));
    });
    await env.sleep('15 minutes');
    await eventually(async () => (new Set(got.map((g) => g.key)).size >= 3 ? true : undefined), 60_000);
    await env.sleep('1 hour'); // nothing more may come
    await handle.terminate('test over');
  });
  server?.close();

  const keys = got.map((g) => g.key);
  expect(new Set(keys).size).toBe(keys.length); // once per key
  expect(keys).toHaveLength(3); // case_opened, contact_recorded, consent_recorded
  for (const g of got) {
    const t = Number(/t=(\d+)/.exec(g.signature)![1]);
    expect(verifyWebhook(sub.secret, g.body, g.signature, t)).toBe(true);
  }
});
