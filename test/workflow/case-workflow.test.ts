import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { randomUUID } from 'node:crypto';
import type { CaseActivities } from '../../activities';
import type { CaseEvent, CaseWorkflowInput } from '../../domain/case';
import { caseWorkflowId } from '../../domain/ids';
import { caseWorkflow, getState } from '../../workflows/case';
import { bundleWorkflows, timeSkippingEnv } from '../support/servers';

/** The case workflow on the Java time-skipping test server, with recording activities. */
let env: TestWorkflowEnvironment;
let bundle: WorkflowBundleWithSourceMap;

beforeAll(async () => {
  [env, bundle] = await Promise.all([timeSkippingEnv(), bundleWorkflows()]);
}, 120_000);
afterAll(async () => {
  await env?.teardown();
});

function recordingActivities(): { events: CaseEvent[]; activities: CaseActivities } {
  const events: CaseEvent[] = [];
  return { events, activities: { recordCaseEvent: async (e) => void events.push(e) } };
}

function input(): CaseWorkflowInput {
  return {
    caseId: randomUUID(),
    open: { priority: 'crisis', region: 'Dnipropetrovsk', source: 'hotline', caseManagerId: 'cm-7' },
    openedBy: { kind: 'tool', id: 'hotline-1547' },
    openedAt: '2026-11-02T09:00:00.000Z',
  };
}

describe('caseWorkflow', () => {
  it('opens in intake, projects the opening once, and stays open across months of skipped time', async () => {
    const { events, activities } = recordingActivities();
    const taskQueue = `test-${randomUUID()}`;
    const worker = await Worker.create({ connection: env.nativeConnection, taskQueue, workflowBundle: bundle, activities });
    await worker.runUntil(async () => {
      const i = input();
      const handle = await env.client.workflow.start(caseWorkflow, { taskQueue, workflowId: caseWorkflowId(i.caseId), args: [i] });
      const before = await env.currentTimeMs();
      await env.sleep('90 days');
      expect((await env.currentTimeMs()) - before).toBeGreaterThanOrEqual(90 * 24 * 3600 * 1000);

      const state = await handle.query(getState);
      expect(state).toMatchObject({ caseId: i.caseId, stage: 'intake', priority: 'crisis', region: 'Dnipropetrovsk', seq: 1 });
      expect(events).toEqual([expect.objectContaining({ caseId: i.caseId, seq: 1, type: 'case_opened', actor: i.openedBy })]);
      expect((await handle.describe()).status.name).toBe('RUNNING');
      await handle.terminate('test over');
    });
  });

  it('retries the projection while the database is down, and records it once it is back', async () => {
    let calls = 0;
    const events: CaseEvent[] = [];
    const activities: CaseActivities = {
      recordCaseEvent: async (e) => {
        calls += 1;
        if (calls < 3) throw Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
        events.push(e);
      },
    };
    const taskQueue = `test-${randomUUID()}`;
    const worker = await Worker.create({ connection: env.nativeConnection, taskQueue, workflowBundle: bundle, activities });
    await worker.runUntil(async () => {
      const i = input();
      const handle = await env.client.workflow.start(caseWorkflow, { taskQueue, workflowId: caseWorkflowId(i.caseId), args: [i] });
      await env.sleep('5 minutes');
      for (let n = 0; n < 50 && events.length === 0; n++) await new Promise((r) => setTimeout(r, 100));
      expect(calls).toBe(3);
      expect(events).toHaveLength(1);
      await handle.terminate('test over');
    });
  });
});
