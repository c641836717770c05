import type { Pool } from 'pg';
import type { Principal } from '../domain/principal';

export interface QueueItem {
  caseId: string;
  escalationId: string;
  caseNumber?: string;
  reason: string;
  level: string;
  status: string;
  region: string;
  caseManagerId?: string;
  openedAt: string;
  respondBy: string;
  /** When the missed deadline was due, and how long ago (seconds). */
  missedDueAt?: string;
  overdueSeconds: number;
  /** How long past the answer's own deadline (seconds, 0 if not yet). */
  answerLateSeconds: number;
}

/**
 * A supervisor's (or head's) escalation queue, most urgent first: the cases they supervise or whose
 * case managers are in their team; for a head, their regions.
 */
export async function escalationQueue(
  pool: Pool,
  p: Principal,
  f: { statuses: string[]; level?: string; now: Date },
): Promise<QueueItem[]> {
  const values: unknown[] = [f.statuses];
  const arg = (v: unknown) => `$${values.push(v)}`;
  const where = ['e.status = ANY($1::text[])'];
  if (f.level) where.push(`e.level = ${arg(f.level)}::text`);
  if (p.scope.regions?.length) where.push(`e.region = ANY(${arg(p.scope.regions)}::text[])`);
  if (p.role === 'supervisor')
    where.push(
      `(e.supervisor_id = ${arg(p.subject)}::text OR c.case_manager_id = ANY(${arg(p.scope.teams ?? [])}::text[]))`,
    );
  const r = await pool.query<{
    case_id: string;
    case_number: string | null;
    escalation_id: string;
    reason: string;
    level: string;
    status: string;
    region: string;
    case_manager_id: string | null;
    opened_at: Date;
    respond_by: Date;
    missed_due_at: string | null;
  }>(
    `SELECT e.case_id, c.case_number, e.escalation_id, e.reason, e.level, e.status, e.region, c.case_manager_id, e.opened_at, e.respond_by,
            (SELECT d->>'dueAt' FROM jsonb_array_elements(c.state->'deadlines') d WHERE d->>'deadlineId' = e.deadline_id) AS missed_due_at
       FROM case_escalations e JOIN cases c USING (case_id)
      WHERE ${where.join(' AND ')}
      ORDER BY e.respond_by, e.case_id, e.escalation_id
      LIMIT 500`,
    values,
  );
  const now = f.now.getTime();
  const secondsSince = (t: number) => Math.max(0, Math.round((now - t) / 1000));
  return r.rows.map((x) => ({
    caseId: x.case_id,
    caseNumber: x.case_number ?? undefined,
    escalationId: x.escalation_id,
    reason: x.reason,
    level: x.level,
    status: x.status,
    region: x.region,
    caseManagerId: x.case_manager_id ?? undefined,
    openedAt: x.opened_at.toISOString(),
    respondBy: x.respond_by.toISOString(),
    missedDueAt: x.missed_due_at ?? undefined,
    overdueSeconds: x.missed_due_at ? secondsSince(Date.parse(x.missed_due_at)) : 0,
    answerLateSeconds: secondsSince(x.respond_by.getTime()),
  }));
}

/** Supervisors' escalation queues, as the API reads them. */
export function createEscalationRepository(pool: Pool) {
  return {
    queue: (p: Principal, f: { statuses: string[]; level?: string; now: Date }) => escalationQueue(pool, p, f),
  };
}
export type EscalationRepository = ReturnType<typeof createEscalationRepository>;
