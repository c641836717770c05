import type { Client } from '@temporalio/client';
import type { Pool } from 'pg';
import { projectedOpenCaseIds, projectionDrift, projectionRow, type Drift } from '../db/consistency';
import type { CaseState } from '../domain/case';
import { caseIdOfWorkflow, caseWorkflowId } from '../domain/ids';
import { getState } from '../workflows/messages';

export type { Drift } from '../db/consistency';

/** The Temporal half of the consistency check (npm run check:consistency): the workflows, asked for their state. */
async function differences(pool: Pool, client: Client, caseId: string): Promise<Drift[]> {
  const row = await projectionRow(pool, caseId);
  let state: CaseState | undefined;
  try {
    state = await client.workflow.getHandle(caseWorkflowId(caseId)).query(getState);
  } catch {
    state = undefined;
  }
  return projectionDrift(caseId, state, row);
}

/**
 * Compares every open case workflow with its projection, and every case the projection shows open
 * with a running workflow. A case that differs is read again after `settleMs`, so a change still
 * being written is not reported. (Costs one query per open case: an administrator's tool, not a
 * read path.)
 */
export async function checkConsistency(
  pool: Pool,
  client: Client,
  opts: { caseIds?: string[]; settleMs?: number } = {},
): Promise<Drift[]> {
  const ids = new Set<string>(opts.caseIds ?? []);
  if (!opts.caseIds) {
    for await (const wf of client.workflow.list({
      query: `WorkflowType = 'caseWorkflow' AND ExecutionStatus = 'Running'`,
    })) {
      const caseId = caseIdOfWorkflow(wf.workflowId);
      if (caseId) ids.add(caseId);
    }
    (await projectedOpenCaseIds(pool)).forEach((id) => ids.add(id));
  }
  const drift: Drift[] = [];
  for (const caseId of ids) {
    if ((await differences(pool, client, caseId)).length === 0) continue;
    await new Promise((r) => setTimeout(r, opts.settleMs ?? 2_000));
    drift.push(...(await differences(pool, client, caseId)));
  }
  return drift;
}
