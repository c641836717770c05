import { createLogger } from '../../platform/logger';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { temporal } from '@temporalio/proto';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, type Worker } from '@temporalio/worker';
import type { Pool } from 'pg';
import { createActivities } from '../../activities';
import { createCaseRepository } from '../../db/cases';
import { checkConsistency } from '../../scripts/consistency';
import { migrate } from '../../db/migrate';
import { createPool } from '../../db/pool';
import { createWebhookRepository } from '../../db/webhooks';
import { caseWorkflowId } from '../../domain/ids';
import { freePort } from '../../stack/processes';
import { startPostgres, type PostgresServer } from '../../stack/postgres';
import { caseWorkflow, commandUpdates } from '../../workflows/case';
import { deliveryStarter } from '../../worker/deliveries';
import { createCaseWorker } from '../../worker/worker';
import { caseInput, command } from '../support/case-fixtures';
import { bundleWorkflows, quietRuntime, testTemporalAddress } from '../support/servers';

/**
 * PostgreSQL stopped in the middle of a case (its own server here, the shared dev server for
 * Temporal): the command waits instead of failing, nothing is lost, and once the database is back
 * the projection catches up and agrees with the workflow.
 */
jest.setTimeout(120_000);

let dir: string;
let port: number;
let pg: PostgresServer;
let pool: Pool;

beforeAll(async () => {
  quietRuntime();
  dir = mkdtempSync(join(tmpdir(), 'suprovid-outage-'));
  chmodSync(dir, 0o755);
  port = await freePort();
  pg = await startPostgres({ dataDir: join(dir, 'pg'), port });
  pool = createPool({ DATABASE_URL: pg.url, DATABASE_POOL_MAX: 4 }, 'outage-test');
  await migrate(pool);
});
afterAll(async () => {
  await pool?.end();
  await pg?.stop();
  rmSync(dir, { recursive: true, force: true });
});

it('loses nothing when PostgreSQL stops mid-case, and catches up when it is back', async () => {
  const taskQueue = `outage-${randomUUID()}`;
  const connection = await Connection.connect({ address: testTemporalAddress() });
  const client = new Client({ connection });
  const native = await NativeConnection.connect({ address: testTemporalAddress() });
  const worker: Worker = await createCaseWorker({
    connection: native,
    namespace: 'default',
    taskQueue,
    workflowBundle: await bundleWorkflows(),
    activities: createActivities({
      cases: createCaseRepository(pool),
      webhooks: createWebhookRepository(pool),
      startDelivery: deliveryStarter(client, taskQueue),
      deliveryRetry: { initialMs: 200, maxMs: 1_000, giveUpAfterMs: 60_000 },
      log: createLogger('error'),
    }),
  });
  try {
    await worker.runUntil(async () => {
      const input = caseInput({}, new Date().toISOString());
      const handle = await client.workflow.start(caseWorkflow, {
        taskQueue,
        workflowId: caseWorkflowId(input.caseId),
        args: [input],
      });
      await handle.executeUpdate(commandUpdates.recordContact, {
        args: [command('recordContact', { channel: 'phone' })],
      });

      await pg.stop();
      let answered = false;
      const consent = handle
        .executeUpdate(commandUpdates.recordConsent, { args: [command('recordConsent', { dataProcessing: true })] })
        .then((s) => ((answered = true), s));
      // Longer than the local activity's five attempts (about 3 s): the write goes the durable path.
      await new Promise((r) => setTimeout(r, 8_000));
      expect(answered).toBe(false); // accepted by the workflow, waiting for the database

      pg = await startPostgres({ dataDir: join(dir, 'pg'), port });
      const state = await consent;
      expect(state.consent.dataProcessing).toBe(true);

      const journal = await pool.query<{ seq: number; type: string }>(
        'SELECT seq, type FROM case_events WHERE case_id = $1 ORDER BY seq',
        [input.caseId],
      );
      expect(journal.rows.map((r) => r.type)).toEqual(['case_opened', 'contact_recorded', 'consent_recorded']);
      expect(await checkConsistency(pool, client, { caseIds: [input.caseId] })).toEqual([]);
      // The first two writes were local activities; the one that met the outage fell back to a regular activity.
      const kinds = ((await handle.fetchHistory()).events ?? []).map((e) => e.eventType);
      expect(
        kinds.filter((k) => k === temporal.api.enums.v1.EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED),
      ).toHaveLength(1);
      expect(
        kinds.filter((k) => k === temporal.api.enums.v1.EventType.EVENT_TYPE_MARKER_RECORDED).length,
      ).toBeGreaterThanOrEqual(2);
      await handle.terminate('test over');
    });
  } finally {
    await native.close();
    await connection.close();
  }
});
