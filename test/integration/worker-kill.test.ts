import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import type { PoolClient } from 'pg';
import { caseWorkflowId } from '../../domain/ids';
import { caseWorkflow, commandUpdates } from '../../workflows/case';
import { caseInput, command } from '../support/case-fixtures';
import { testPool, testTemporalAddress } from '../support/servers';
import { killWorker, startWorkerProcess } from '../support/worker-process';
import { eventually } from '../support/system';

/**
 * A real worker process (worker/main.ts) killed with SIGKILL in the middle of writing a case's
 * projection: its transaction never commits, another worker retries the write, and every change is
 * recorded exactly once.
 */
jest.setTimeout(120_000);

it('records every change exactly once when the worker dies mid-write', async () => {
  const pool = testPool();
  const connection = await Connection.connect({ address: testTemporalAddress() });
  const client = new Client({ connection });
  const taskQueue = `kill-${randomUUID()}`;
  let worker = await startWorkerProcess(taskQueue);
  let lock: PoolClient | undefined;
  try {
    const input = caseInput({}, new Date().toISOString());
    const handle = await client.workflow.start(caseWorkflow, {
      taskQueue,
      workflowId: caseWorkflowId(input.caseId),
      args: [input],
    });
    await eventually(async () =>
      (await pool.query('SELECT 1 FROM cases WHERE case_id = $1', [input.caseId])).rowCount ? true : undefined,
    );

    // Hold the case's row so the next projection write blocks halfway through its transaction.
    lock = await pool.connect();
    await lock.query('BEGIN');
    await lock.query('SELECT 1 FROM cases WHERE case_id = $1 FOR UPDATE', [input.caseId]);
    const contact = handle.executeUpdate(commandUpdates.recordContact, {
      args: [command('recordContact', { channel: 'phone' })],
    });
    await eventually(async () => {
      const waiting = await pool.query(
        `SELECT 1 FROM pg_stat_activity WHERE application_name = 'suprovid-worker' AND wait_event_type = 'Lock'`,
      );
      return waiting.rowCount ? true : undefined;
    });

    await killWorker(worker);
    await lock.query('COMMIT');
    lock.release();
    lock = undefined;

    worker = await startWorkerProcess(taskQueue);
    const state = await contact;
    expect(state.contact?.channel).toBe('phone');

    const journal = await pool.query<{ seq: number; type: string }>(
      'SELECT seq, type FROM case_events WHERE case_id = $1 ORDER BY seq',
      [input.caseId],
    );
    expect(journal.rows).toEqual([
      { seq: 1, type: 'case_opened' },
      { seq: 2, type: 'contact_recorded' },
    ]);
    const row = await pool.query('SELECT seq FROM cases WHERE case_id = $1', [input.caseId]);
    expect(row.rows[0].seq).toBe(2);
    await handle.terminate('test over');
  } finally {
    if (lock) {
      await lock.query('ROLLBACK').catch(() => undefined);
      lock.release();
    }
    if (worker.exitCode === null) process.kill(-worker.pid!, 'SIGTERM');
    await connection.close();
    await pool.end();
  }
});
