import { randomUUID } from 'node:crypto';
import type { ChildProcess } from 'node:child_process';
import { Client, Connection, WorkflowUpdateRPCTimeoutOrCancelledError } from '@temporalio/client';
import type { CaseWorkflowInput } from '../../domain/case';
import type { CommandInput, CommandName } from '../../domain/commands';
import { caseWorkflowId } from '../../domain/ids';
import { defaultPolicy } from '../../domain/policy';
import { caseWorkflow, commandUpdates } from '../../workflows/case';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundleWorkflows, testPool, testTemporalAddress } from '../support/servers';
import { killWorker, startWorkerProcess } from '../support/worker-process';

/**
 * 200 cases move through their whole lives while the worker process is killed (SIGKILL) at random
 * moments and started again: every case ends closed, and every step of every case is recorded
 * exactly once (journal, referrals, services, closures, notifications).
 */
jest.setTimeout(600_000);

const CASES = 200;
const sup = { kind: 'person' as const, id: 'sup-kill' };
const cm = { kind: 'person' as const, id: 'cm-kill' };

const pool = testPool();
afterAll(() => pool.end());

it('keeps every case whole through random worker kills', async () => {
  const connection = await Connection.connect({ address: testTemporalAddress() });
  const client = new Client({ connection });
  const taskQueue = `kills-${randomUUID()}`;
  // A bundle built once, as production does it, so each restarted worker is polling within a second.
  const bundleFile = join(process.env.SUPROVID_TEST_DIR ?? tmpdir(), `bundle-${taskQueue}.js`);
  writeFileSync(bundleFile, (await bundleWorkflows()).code);
  const env = { WORKFLOW_BUNDLE_PATH: bundleFile };
  let worker: ChildProcess = await startWorkerProcess(taskQueue, env);
  let running = true;
  let kills = 0;
  // The killer: every 6 to 10 s, SIGKILL and start again, up to five times. (Each kill stalls the
  // cases in flight until the server's task timeouts, about 10 s, hand their tasks on.)
  const killer = (async () => {
    while (running && kills < 5) {
      await new Promise((r) => setTimeout(r, 6_000 + Math.random() * 4_000));
      if (!running) break;
      await killWorker(worker);
      kills += 1;
      worker = await startWorkerProcess(taskQueue, env);
    }
  })();

  const ids = Array.from({ length: CASES }, () => randomUUID());
  const life = async (caseId: string) => {
    const input: CaseWorkflowInput = {
      caseId,
      open: { priority: 'routine', region: 'Kills', source: 'hotline', caseManagerId: cm.id, supervisorId: sup.id },
      openedBy: { kind: 'tool', id: 'hotline' },
      openedAt: new Date().toISOString(),
      policy: defaultPolicy,
    };
    const handle = await client.workflow.start(caseWorkflow, {
      taskQueue,
      workflowId: caseWorkflowId(caseId),
      args: [input],
    });
    let n = 0;
    // Right after a kill the server may refuse an update for a moment ("Workflow Task in failed
    // state") until it retries the task, or end the call before the update completes (an update that
    // straddles two kills waits out two task timeouts). A client retries with the same id (the API
    // answers both with 503), and the update is applied once.
    const send = async <N extends CommandName>(
      name: N,
      payload: Omit<CommandInput<N>, 'commandId' | 'actor'>,
      actor = cm,
    ) => {
      const commandId = `${caseId}-${++n}`;
      for (let attempt = 1; ; attempt++) {
        try {
          return await handle.executeUpdate(commandUpdates[name], {
            args: [{ commandId, actor, ...payload } as never],
            updateId: commandId,
          });
        } catch (err) {
          const refused =
            /Workflow Task in failed state/.test(String((err as { cause?: unknown }).cause ?? err)) ||
            err instanceof WorkflowUpdateRPCTimeoutOrCancelledError;
          if (!refused || attempt >= 60) throw err;
          await new Promise((r) => setTimeout(r, 500));
        }
      }
    };
    await send('recordContact', { channel: 'phone' });
    await send('recordConsent', { dataProcessing: true, shareWith: ['provider-1'] });
    await send('screen', { decision: 'open_case' });
    await send('submitAssessment', { needs: [{ domain: 'housing', level: 'high' }] });
    await send('submitPlan', {
      goals: [{ goalId: 'g1', description: 'Housing', domain: 'housing' }],
      clientAgreement: { agreedAt: new Date().toISOString(), form: 'verbal' },
    });
    await send('approvePlan', {}, sup);
    await send('sendReferral', { referralId: 'r1', providerId: 'provider-1', category: 'housing' });
    await send('answerReferral', { referralId: 'r1', answer: 'accepted' });
    await send('recordService', {
      serviceId: 's1',
      category: 'housing',
      deliveredAt: new Date().toISOString(),
      referralId: 'r1',
    });
    await send('recordReview', {
      outcome: 'propose_closure',
      closure: { reason: 'goals_achieved', outcome: 'positive' },
    });
    const final = await send('approveClosure', {}, sup);
    expect(final.stage).toBe('closed');
  };
  try {
    let next = 0;
    // Every life settles before cleanup, so none is left talking to a closed connection.
    const lanes = await Promise.allSettled(
      Array.from({ length: 20 }, async () => {
        while (next < ids.length) await life(ids[next++]!);
      }),
    );
    const failed = lanes.find((l): l is PromiseRejectedResult => l.status === 'rejected');
    if (failed) throw failed.reason;
  } finally {
    running = false;
    await killer;
    await killWorker(worker);
    await connection.close();
  }
  expect(kills).toBeGreaterThanOrEqual(2);

  const q = async (sql: string) => (await pool.query(sql, [ids])).rows as Record<string, unknown>[];
  expect(await q(`SELECT stage, count(*)::int AS n FROM cases WHERE case_id = ANY($1) GROUP BY stage`)).toEqual([
    { stage: 'closed', n: CASES },
  ]);
  const journals = await q(
    `SELECT case_id, array_agg(seq ORDER BY seq) AS seqs, array_agg(type ORDER BY seq) AS types FROM case_events WHERE case_id = ANY($1) GROUP BY case_id`,
  );
  expect(journals).toHaveLength(CASES);
  for (const j of journals as { seqs: number[]; types: string[] }[]) {
    expect(j.seqs).toEqual(j.seqs.map((_, i) => i + 1));
    for (const t of [
      'case_opened',
      'contact_recorded',
      'referral_sent',
      'referral_accepted',
      'service_recorded',
      'case_closed',
    ]) {
      expect([t, j.types.filter((x) => x === t).length]).toEqual([t, 1]);
    }
  }
  for (const table of ['case_referrals', 'case_services', 'case_closures']) {
    expect([table, await q(`SELECT count(*)::int AS n FROM ${table} WHERE case_id = ANY($1)`)]).toEqual([
      table,
      [{ n: CASES }],
    ]);
  }
  // Two per case: the plan and the closure awaiting the supervisor; none twice.
  expect(await q(`SELECT count(*)::int AS n FROM notifications WHERE case_id = ANY($1)`)).toEqual([{ n: 2 * CASES }]);
});
