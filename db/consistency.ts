import type { Pool } from 'pg';
import type { CaseState } from '../domain/case';

/**
 * The database half of the consistency check (scripts/consistency.ts compares with the workflows):
 * a case's row in the projection, the cases it shows open, and how a row differs from a state.
 */

/** A difference between a case's workflow (the truth) and its projection in Postgres. */
export interface Drift {
  caseId: string;
  field: string;
  workflow: unknown;
  projection: unknown;
}

/** What the check compares of a case's projected row. */
export interface ProjectionRow {
  case_id: string;
  seq: number;
  stage: string;
  case_manager_id: string | null;
  supervisor_id: string | null;
  overdue: boolean;
  next_deadline_at: Date | null;
}

export async function projectionRow(pool: Pool, caseId: string): Promise<ProjectionRow | undefined> {
  const r = await pool.query<ProjectionRow>(
    'SELECT case_id, seq, stage, case_manager_id, supervisor_id, overdue, next_deadline_at FROM cases WHERE case_id = $1',
    [caseId],
  );
  return r.rows[0];
}

/** The cases the projection shows open (not closed). */
export async function projectedOpenCaseIds(pool: Pool): Promise<string[]> {
  const open = await pool.query<{ case_id: string }>(`SELECT case_id FROM cases WHERE stage <> 'closed'`);
  return open.rows.map((r) => r.case_id);
}

const compared = (s: CaseState, r: ProjectionRow) => ({
  seq: [s.seq, r.seq],
  stage: [s.stage, r.stage],
  caseManagerId: [s.team.caseManagerId ?? null, r.case_manager_id],
  supervisorId: [s.team.supervisorId ?? null, r.supervisor_id],
  overdue: [s.overdue, r.overdue],
  nextDeadlineAt: [s.nextDeadlineAt ?? null, r.next_deadline_at?.toISOString() ?? null],
});

/** How a case's projected row differs from its workflow's state (none: no workflow running). */
export function projectionDrift(caseId: string, state: CaseState | undefined, row: ProjectionRow | undefined): Drift[] {
  if (!row) return [{ caseId, field: 'row', workflow: 'open', projection: 'missing' }];
  if (!state) return [{ caseId, field: 'workflow', workflow: 'not running', projection: row.stage }];
  return Object.entries(compared(state, row))
    .filter(([, [w, p]]) => JSON.stringify(w) !== JSON.stringify(p))
    .map(([field, [w, p]]) => ({ caseId, field, workflow: w, projection: p }));
}
