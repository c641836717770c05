import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { randomUUID } from 'node:crypto';
import { NativeConnection, type Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { createActivities } from '../../activities';
import { createApp } from '../../api/app';
import { createApiKeyRepository } from '../../db/api-keys';
import { createCaseRepository } from '../../db/cases';
import { createNotificationRepository } from '../../db/notifications';
import { createOneOffRepository } from '../../db/one-off';
import { createPeopleRepository } from '../../db/people';
import { createPolicyRepository } from '../../db/policies';
import { createWebhookRepository } from '../../db/webhooks';
import { createLogger } from '../../platform/logger';
import { deliveryStarter } from '../../worker/deliveries';
import { createCaseWorker } from '../../worker/worker';
import { bundleWorkflows, testTemporalAddress } from '../support/servers';
import { eventually, startSystem, type RunningSystem } from '../support/system';

/**
 * No request hangs: with no worker for its case, opening a case and a command answer 503 with
 * Retry-After within API_COMMAND_TIMEOUT_MS; once a worker is back, the retry with the same
 * Idempotency-Key is applied once. Real dev server and PostgreSQL; the API on a task queue whose
 * worker this test starts and stops.
 */
jest.setTimeout(120_000);
const boundMs = 1_500;
let sys: RunningSystem;
let server: Server;
let baseUrl: string;
let bundle: WorkflowBundleWithSourceMap;
let connection: NativeConnection;
const taskQueue = `timeout-${randomUUID()}`;
const log = createLogger('error');

beforeAll(async () => {
  sys = await startSystem();
  bundle = await bundleWorkflows();
  connection = await NativeConnection.connect({ address: testTemporalAddress() });
  const pool = sys.pool;
  const app = createApp({
    temporal: sys.temporal, taskQueue, pool, log, bodyLimit: '64kb', version: 'test', rateLimitPerMinute: 100_000, commandTimeoutMs: boundMs,
    cases: createCaseRepository(pool), apiKeys: createApiKeyRepository(pool), policies: createPolicyRepository(pool), notifications: createNotificationRepository(pool),
    people: createPeopleRepository(pool), oneOff: createOneOffRepository(pool), webhooks: createWebhookRepository(pool),
    startDelivery: deliveryStarter(sys.temporal, taskQueue), deliveryRetry: { initialMs: 200, maxMs: 1_000, giveUpAfterMs: 60_000 },
  });
  server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}, 120_000);
afterAll(async () => {
  await new Promise((r) => server?.close(r));
  await connection?.close();
  await sys?.stop();
});

async function startWorker(): Promise<{ stop(): Promise<void> }> {
  const worker: Worker = await createCaseWorker({
    connection, namespace: 'default', taskQueue, workflowBundle: bundle,
    activities: createActivities({
      cases: createCaseRepository(sys.pool), webhooks: createWebhookRepository(sys.pool), startDelivery: deliveryStarter(sys.temporal, taskQueue),
      deliveryRetry: { initialMs: 200, maxMs: 1_000, giveUpAfterMs: 60_000 }, log,
    }),
  });
  const running = worker.run();
  return { stop: async () => (worker.shutdown(), await running) };
}

it('answers 503 with Retry-After within the bound while no worker runs the case, and applies the retry once', async () => {
  const cm = await sys.issueKey('case_manager', 'cm-timeout');
  const call = async (path: string, body: unknown, key: string) => {
    const started = Date.now();
    const res = await fetch(baseUrl + path, { method: 'POST', headers: { authorization: `Bearer ${cm}`, 'content-type': 'application/json', 'idempotency-key': key }, body: JSON.stringify(body) });
    return { res, ms: Date.now() - started, body: (await res.json()) as Record<string, unknown> };
  };
  const timedOut = (r: Awaited<ReturnType<typeof call>>) => {
    expect({ status: r.res.status, retryAfter: r.res.headers.get('retry-after'), type: r.res.headers.get('content-type') }).toEqual({ status: 503, retryAfter: '5', type: expect.stringMatching(/problem\+json/) });
    expect(r.body.detail).toMatch(/did not answer within 1500 ms/);
    expect(r.ms).toBeGreaterThanOrEqual(boundMs - 100);
    expect(r.ms).toBeLessThan(boundMs + 2_500);
  };

  // Opening (update-with-start): the workflow starts, but nothing runs it.
  timedOut(await call('/v1/cases', { region: 'Poltava' }, 'open-while-no-worker'));
  let worker = await startWorker();
  const opened = await eventually(async () => {
    const r = await call('/v1/cases', { region: 'Poltava' }, 'open-while-no-worker');
    return r.res.status === 201 ? r : undefined;
  }, 30_000);
  const caseId = opened.body.caseId as string;

  // A command while the worker is away.
  await worker.stop();
  timedOut(await call(`/v1/cases/${caseId}/commands/recordContact`, { channel: 'phone' }, 'contact-while-no-worker'));
  worker = await startWorker();
  try {
    await eventually(async () => {
      const r = await call(`/v1/cases/${caseId}/commands/recordContact`, { channel: 'phone' }, 'contact-while-no-worker');
      return r.res.status === 200 ? r : undefined;
    }, 30_000);
  } finally {
    await worker.stop();
  }
  const journal = await sys.pool.query<{ type: string }>('SELECT type FROM case_events WHERE case_id = $1 ORDER BY seq', [caseId]);
  expect(journal.rows.map((r) => r.type)).toEqual(['case_opened', 'contact_recorded']);
});
