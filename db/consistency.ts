import type { Client } from '@temporalio/client';
import type { Pool } from 'pg';
import type { CaseState } from '../domain/case';
import { caseIdOfWorkflow, caseWorkflowId } from '../domain/ids';
import { getState } from '../workflows/messages';

/** A difference between a case's workflow (the truth) and its projection in Postgres. */
export interface Drift {
  caseId: string;
  field: string;
  workflow: unknown;
  projection: unknown;
}

interface Row {
  case_id: string;
  seq: number;
  stage: string;
  case_manager_id: string | null;
  supervisor_id: string | null;
  overdue: boolean;
  next_deadline_at: Date | null;
}

const compared = (s: CaseState | undefined, r: Row | undefined) => ({
  seq: [s?.seq, r?.seq],
  stage: [s?.stage, r?.stage],
  caseManagerId: [s?.team.caseManagerId ?? null, r?.case_manager_id],
  supervisorId: [s?.team.supervisorId ?? null, r?.supervisor_id],
  overdue: [s?.overdue, r?.overdue],
  nextDeadlineAt: [s?.nextDeadlineAt ?? null, r?.next_deadline_at?.toISOString() ?? null],
});

async function differences(pool: Pool, client: Client, caseId: string): Promise<Drift[]> {
  const row = (await pool.query<Row>('SELECT case_id, seq, stage, case_manager_id, supervisor_id, overdue, next_deadline_at FROM cases WHERE case_id = $1', [caseId])).rows[0];
  let state: CaseState | undefined;
  try {
    state = await client.workflow.getHandle(caseWorkflowId(caseId)).query(getState);
  } catch {
    state = undefined;
  }
  if (!row) return [{ caseId, field: 'row', workflow: 'open', projection: 'missing' }];
  if (!state) return [{ caseId, field: 'workflow', workflow: 'not running', projection: row.stage }];
  return Object.entries(compared(state, row))
    .filter(([, [w, p]]) => JSON.stringify(w) !== JSON.stringify(p))
    .map(([field, [w, p]]) => ({ caseId, field, workflow: w, projection: p }));
}

/**
 * Compares every open case workflow with its projection, and every case the projection shows open
 * with a running workflow. A case that differs is read again after `settleMs`, so a change still
 * being written is not reported. (Costs one query per open case: an administrator's tool, not a
 * read path.)
 */
export async function checkConsistency(pool: Pool, client: Client, opts: { caseIds?: string[]; settleMs?: number } = {}): Promise<Drift[]> {
  const ids = new Set<string>(opts.caseIds ?? []);
  if (!opts.caseIds) {
    for await (const wf of client.workflow.list({ query: `WorkflowType = 'caseWorkflow' AND ExecutionStatus = 'Running'` })) {
      const caseId = caseIdOfWorkflow(wf.workflowId);
      if (caseId) ids.add(caseId);
    }
    const open = await pool.query<{ case_id: string }>(`SELECT case_id FROM cases WHERE stage <> 'closed'`);
    open.rows.forEach((r) => ids.add(r.case_id));
  }
  const drift: Drift[] = [];
  for (const caseId of ids) {
    if ((await differences(pool, client, caseId)).length === 0) continue;
    await new Promise((r) => setTimeout(r, opts.settleMs ?? 2_000));
    drift.push(...(await differences(pool, client, caseId)));
  }
  return drift;
}
